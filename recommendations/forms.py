"""Forms of the staff pages: they only shape input; every rule is checked by `recommendations.services`.

Dates are plain text fields so that the service's own message (“use the format YYYY-MM-DD”)
is the one shown; choices are limited to what makes sense to offer (adopted proposals,
closed ballots), and the services check again.
"""

from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, Territory
from meetings.models import Sitting
from proposals.models import Comment, Opinion, Proposal, Theme
from recommendations.models import Dossier, Recommendation, RegionAnswer
from votes.models import Ballot, Verdict

DATE_HELP = _("Format YYYY-MM-DD, for example 2026-04-01.")


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RegionAnswer.Status.choices)
    text = forms.CharField(
        label=_("Text of the answer"),
        max_length=RegionAnswer.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    answered_on = forms.DateField(label=_("Date of the answer (YYYY-MM-DD)"), input_formats=["%Y-%m-%d"])
    reference = forms.CharField(
        label=_("Deliberation or policy reference"), required=False, max_length=RegionAnswer.REFERENCE_MAX_LENGTH
    )
    expected_on = forms.DateField(
        label=_("Follow-up expected by (YYYY-MM-DD)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=_("Only for an answer partly accepted or under study."),
    )


class ProposalChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Proposal) -> str:
        return f"P-{obj.pk} — {obj.title}"


class CommentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Comment) -> str:
        return f"P-{obj.proposal_id} — {Truncator(obj.body).chars(140)}"


class OpinionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Opinion) -> str:
        return f"P-{obj.proposal_id} — {obj.organisation.name} : {Truncator(obj.body).chars(140)}"


class RecommendationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return f"{obj.reference} — {obj.title}"


def _wording_fields(form: forms.Form) -> None:
    form.fields["title"] = forms.CharField(label=_("Title"), max_length=Recommendation.TITLE_MAX_LENGTH)
    form.fields["text"] = forms.CharField(
        label=_("Text"), max_length=Recommendation.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )
    form.fields["policy"] = forms.CharField(
        label=_("Regional policy addressed"),
        required=False,
        max_length=Recommendation.POLICY_MAX_LENGTH,
        help_text=_("For example: Plan régional des mobilités."),
    )


def _themes_territories(form: forms.Form, *, help_text=None) -> None:
    form.fields["themes"] = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )
    form.fields["territories"] = forms.ModelMultipleChoiceField(
        label=_("Territories concerned"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=help_text,
    )


class CompileForm(forms.Form):
    """Compile a draft from adopted proposals of ASSEMBLY; only adopted proposals are offered."""

    def __init__(self, *args, assembly: Assembly, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        adopted = Proposal.objects.filter(assembly=assembly, status=Proposal.Status.ADOPTED)
        self.fields["proposals"] = ProposalChoice(
            label=_("Adopted proposals"),
            queryset=adopted.order_by("-id"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Only proposals adopted by the assembly are offered."),
        )
        _wording_fields(self)
        _themes_territories(self, help_text=_("Leave empty to take those of the chosen proposals."))
        self.fields["key_comments"] = CommentChoice(
            label=_("Key comments"),
            queryset=Comment.objects.filter(proposal__in=adopted, is_hidden=False).order_by("proposal_id", "id"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Comments on the chosen proposals to quote in the lineage."),
        )
        self.fields["key_opinions"] = OpinionChoice(
            label=_("Partners' opinions"),
            queryset=Opinion.objects.filter(proposal__in=adopted, is_hidden=False)
            .select_related("organisation")
            .order_by("proposal_id", "id"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class EditForm(forms.Form):
    def __init__(self, *args, recommendation: Recommendation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _wording_fields(self)
        _themes_territories(self)
        adopted = recommendation.status != Recommendation.Status.DRAFT
        self.fields["reason"] = forms.CharField(
            label=_("Why is it changed?"),
            required=False,
            max_length=Recommendation.REASON_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Required once the assembly has adopted the recommendation: the earlier wording is kept.")
            if adopted
            else _("Optional for a draft."),
        )


class MergeForm(forms.Form):
    def __init__(self, *args, drafts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"] = RecommendationChoice(
            label=_("Draft recommendations to merge"),
            queryset=drafts,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        _wording_fields(self)


SPLIT_PARTS = 3


class SplitForm(forms.Form):
    """Up to SPLIT_PARTS parts, each a title, a text and some of the source proposals."""

    def __init__(self, *args, recommendation: Recommendation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        proposals = Proposal.objects.filter(recommendation_sources__recommendation=recommendation).order_by(
            "recommendation_sources__position"
        )
        for n in range(1, SPLIT_PARTS + 1):
            self.fields[f"part{n}_title"] = forms.CharField(
                label=_("Title"), required=False, max_length=Recommendation.TITLE_MAX_LENGTH
            )
            self.fields[f"part{n}_text"] = forms.CharField(
                label=_("Text"),
                required=False,
                max_length=Recommendation.TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"part{n}_proposals"] = ProposalChoice(
                label=_("Source proposals"), queryset=proposals, required=False, widget=forms.CheckboxSelectMultiple
            )

    def parts(self) -> list[dict]:
        """The parts filled in (a part with neither title, text nor proposal is left out)."""
        found = []
        for n in range(1, SPLIT_PARTS + 1):
            part = {
                "title": self.cleaned_data[f"part{n}_title"],
                "text": self.cleaned_data[f"part{n}_text"],
                "proposals": list(self.cleaned_data[f"part{n}_proposals"]),
            }
            if part["title"] or part["text"] or part["proposals"]:
                found.append(part)
        return found

    def part_groups(self) -> list[tuple[int, list]]:
        return [
            (n, [self[f"part{n}_title"], self[f"part{n}_text"], self[f"part{n}_proposals"]])
            for n in range(1, SPLIT_PARTS + 1)
        ]


class BallotChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Ballot) -> str:
        return f"{obj.sitting.title} — {obj.title}"


class SittingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sitting) -> str:
        return f"{obj.title} ({obj.starts_at:%Y-%m-%d})"


class AdoptForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How was it adopted?"), choices=Recommendation.AdoptionMode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, assembly: Assembly, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ballot"] = BallotChoice(
            label=_("Ballot won (by ballot)"),
            queryset=Ballot.objects.filter(sitting__assembly=assembly, verdict__outcome=Verdict.Outcome.ADOPTED)
            .select_related("sitting")
            .order_by("-closed_at", "-id"),
            required=False,
            help_text=_("Only closed ballots that ended in an adoption are offered."),
        )
        self.fields["sitting"] = SittingChoice(
            label=_("Sitting (by consensus)"),
            queryset=Sitting.objects.filter(assembly=assembly).order_by("-starts_at"),
            required=False,
        )
        self.fields["on"] = forms.CharField(
            label=_("Date of adoption"),
            required=False,
            help_text=_("Leave empty to take the day of the ballot or of the sitting. Format YYYY-MM-DD."),
        )


class DossierItemsForm(forms.Form):
    """The adopted recommendations a dossier transmits."""

    def __init__(self, *args, adopted, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"] = RecommendationChoice(
            label=_("Adopted recommendations"),
            queryset=adopted,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class DossierForm(DossierItemsForm):
    """A new dossier: its heading, then the adopted recommendations it transmits."""

    title = forms.CharField(label=_("Title"), max_length=Dossier.TITLE_MAX_LENGTH)
    date = forms.CharField(label=_("Date"), help_text=DATE_HELP)
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=Dossier.RECIPIENT_MAX_LENGTH,
        help_text=_("For example: the President of the Region."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=Dossier.INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    answer_due_on = forms.CharField(label=_("Answer expected by"), required=False, help_text=DATE_HELP)

    def __init__(self, *args, adopted, **kwargs) -> None:
        super().__init__(*args, adopted=adopted, **kwargs)
        self.fields["recommendations"].help_text = _("Only recommendations adopted by the assembly are offered.")
