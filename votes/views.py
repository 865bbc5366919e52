"""Pages of ballots: staff prepare and run them (and the ranking ballot after workshop tables); everyone
reads the results archive, as far as `selectors.results_ballots` lets them.

The live-room pages are in votes/live/pages.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from meetings.models import AgendaItem, Sitting
from meetings.selectors import sittings as meeting_selectors
from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from votes import selectors, services
from votes.live import commands
from votes.models import Ballot


class BallotForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Question"))
    description = forms.CharField(required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False, label=_("Agenda item"))
    proposal = forms.ModelChoiceField(
        queryset=Proposal.objects.none(),
        required=False,
        label=_("Proposal decided"),
        help_text=_("Taken from the agenda item when it has one."),
    )
    kind = forms.ChoiceField(choices=Ballot.Kind.choices, label=_("Kind"))
    options = forms.CharField(
        required=False,
        label=_("Options (one per line)"),
        help_text=_("Not needed for yes / no / abstain."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_choices = forms.IntegerField(min_value=1, initial=1, label=_("Maximum number of choices"))
    majority = forms.ChoiceField(choices=Ballot.Majority.choices, label=_("Majority rule"))
    double_majority = forms.BooleanField(required=False, label=_("Double majority (each college)"))
    secret = forms.BooleanField(required=False, label=_("Secret ballot"))
    live_results = forms.BooleanField(required=False, label=_("Show results live"))
    allow_change = forms.BooleanField(
        required=False, label=_("Voters may change their vote until close"), help_text=_("Named ballots only.")
    )
    duration_seconds = forms.IntegerField(
        required=False, min_value=10, max_value=24 * 3600, label=_("Countdown (seconds)")
    )

    def __init__(self, *args: Any, sitting: Sitting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agenda_item = self.fields["agenda_item"]
        assert isinstance(agenda_item, forms.ModelChoiceField)
        agenda_item.queryset = meeting_selectors.agenda(sitting)
        proposal = self.fields["proposal"]
        assert isinstance(proposal, forms.ModelChoiceField)
        proposal.queryset = proposal_selectors.votable_proposals(sitting.assembly_id)


@login_required
def manage_ballots(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=sitting_id)
    if not request.user.has_perm("votes.manage_ballot", sitting):
        raise DjangoPermissionDenied
    form = BallotForm(request.POST or None, sitting=sitting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["options"] = [line for line in data["options"].splitlines() if line.strip()]
        try:
            services.ballot_create(by=request.user, sitting=sitting, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Ballot prepared."))
            return redirect("votes:manage_ballots", sitting_id=sitting.pk)
    ballots = list(selectors.sitting_ballots(sitting))
    verdicts = {v.ballot_id: v for v in selectors.verdicts_of(sitting)}
    rows = [(b, verdicts.get(b.pk)) for b in ballots]
    return render(request, "votes/manage_ballots.html", {"sitting": sitting, "form": form, "rows": rows})


@login_required
@require_POST
def manage_ballot_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ballot = get_object_or_404(Ballot.objects.select_related("sitting"), pk=pk)
    if not request.user.has_perm("votes.manage_ballot", ballot):
        raise DjangoPermissionDenied
    try:
        # The page's buttons carry no number: "open" keeps the ballot's countdown, "extend" is the
        # default extension; "cancel" takes the form's reason, if any.
        commands.ballot_action(
            by=request.user,
            action=request.POST.get("action", ""),
            ballot=ballot,
            arguments={"reason": request.POST.get("reason")},
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("votes:manage_ballots", sitting_id=ballot.sitting_id)


@login_required
@require_POST
def priorities_ballot(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    """Open the ranking ballot over the priority themes the workshop tables gave."""
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    try:
        services.priorities_ballot_open(by=request.user, sitting=sitting)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("meetings:tables_manage", pk=sitting_id)
    messages.success(request, _("The ranking ballot on the priority themes is open."))
    return redirect("votes:manage_ballots", sitting_id=sitting_id)


# --- The results archive: public pages, what each reader may see (`selectors.results_ballots`) ---

RESULTS_PER_PAGE = 30


def results_list(request: HttpRequest) -> HttpResponse:
    """Sittings with closed ballots the reader may see, newest first."""
    page = Paginator(selectors.results_sittings(request.user), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "votes/results_list.html", {"page": page})


def results_sitting(request: HttpRequest, sitting_id: int) -> HttpResponse:
    """Every ballot of one sitting the reader may see: question, item, kind, majority rule, counts, verdict."""
    sitting = selectors.results_sitting(request.user, sitting_id)
    if sitting is None:
        raise Http404
    return render(
        request,
        "votes/results_sitting.html",
        {"sitting": sitting, "ballots": selectors.sitting_results(request.user, sitting)},
    )
