"""Forms of the proposal pages: shapes only; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.models import Territory
from proposals.models import Comment, NotificationSetting, Proposal, Theme


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices, initial=Proposal.Kind.PROPOSAL)
    title = forms.CharField(
        label=_("Title"),
        max_length=Proposal.TITLE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _("The title is too long (%(limit_value)d characters at most).")},
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=Proposal.BODY_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italics*, lists with -, links [text](https://…)."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territory = forms.ModelChoiceField(
        label=_("Territory concerned"), queryset=Territory.objects.select_related("departement"), required=False
    )
    file = forms.FileField(label=_("Attach a photo or a PDF (optional)"), required=False)
    reason = forms.CharField(label=_("Why this change (staff)"), required=False, max_length=2000)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=Comment.BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OpinionForm(forms.Form):
    body = forms.CharField(label=_("Opinion of your organisation"), widget=forms.Textarea(attrs={"rows": 5}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class NotificationSettingForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Email me about the proposals I follow"),
        choices=NotificationSetting.Frequency.choices,
        widget=forms.RadioSelect,
    )
