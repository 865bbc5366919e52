"""Forms of the staff questionnaire builder: the questionnaire, then one small form per question."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly
from meetings.models import Meeting
from questionnaires.models import Question


class QuestionnaireForm(forms.Form):
    assembly = forms.ModelChoiceField(queryset=Assembly.objects.all(), label=_("Assembly"))
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    anonymous = forms.BooleanField(required=False, initial=True, label=_("Anonymous answers"))
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.order_by("-date"),
        required=False,
        label=_("Only for the participants of"),
        help_text=_("Leave empty to open it to every member."),
    )
    sections = forms.CharField(
        required=False,
        label=_("Sections"),
        help_text=_("One title per line; questions refer to them by number (1, 2, …)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=Question.Kind.choices, label=_("Kind"))
    text = forms.CharField(max_length=500, required=False, label=_("Question"))
    required = forms.BooleanField(required=False, label=_("Answer required"))
    choices = forms.CharField(
        required=False,
        label=_("Choices"),
        help_text=_("One per line (one choice, several choices, ranking)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    section = forms.IntegerField(required=False, min_value=1, label=_("Section number"))


QuestionFormSet = formset_factory(QuestionForm, extra=6, max_num=40)
