"""Pages of ballots: staff prepare and run them (and the ranking ballot after workshop tables); a sitting's
minutes (procès-verbal) and attendance sheet; everyone reads the results archive, as far as
`selectors.results_ballots` lets them, and the public list of adopted minutes.

The live-room pages are in votes/live/pages.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assembly import selectors as assembly_selectors
from assembly.models import College
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from core.tabular import CSV_CONTENT_TYPE
from meetings import exports as meeting_exports
from meetings.models import AgendaItem, Sitting
from meetings.selectors import sittings as meeting_selectors
from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from votes import selectors, services
from votes.live import commands
from votes.models import Ballot, Minutes
from votes.services import elections as election_services


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
        help_text=_("Not needed for yes / no / abstain, nor for an election."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    candidates = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label=_("Candidates (election)"),
        help_text=_("Members of the assembly who stand, by college. For an election only."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "candidate-choices"}),
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
        candidates = self.fields["candidates"]
        assert isinstance(candidates, forms.TypedMultipleChoiceField)
        candidates.choices = _candidate_choices(sitting)


def _candidate_choices(sitting: Sitting) -> list[tuple[str, list[tuple[int, str]]]]:
    """The members who may stand (the assembly's electing colleges), grouped by college (an option group each)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for mandate in assembly_selectors.sitting_members(sitting.assembly):
        if mandate.college not in sitting.assembly.electing_colleges:
            continue
        groups.setdefault(mandate.college, []).append((mandate.user_id, mandate.user.display_name))
    order = {college: i for i, college in enumerate(College.values)}
    return [
        (election_services.college_name(college), people)
        for college, people in sorted(groups.items(), key=lambda g: order.get(g[0], len(order)))
    ]


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
    proclaimed = selectors.proclaimed_ballots(sitting)
    context = {
        "sitting": sitting,
        "form": form,
        "rows": rows,
        "proclaimed": proclaimed,
        "may_proclaim": request.user.has_perm("votes.proclaim_election", sitting),
    }
    return render(request, "votes/manage_ballots.html", context)


def _back(request: AuthenticatedHttpRequest, ballot: Ballot) -> HttpResponse:
    """To the page the form came from (the desk or the ballots page), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("votes:manage_ballots", sitting_id=ballot.sitting_id)


@login_required
@require_POST
def manage_election_proclaim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Proclaim those a closed election elected: their co-presidency starts."""
    ballot = get_object_or_404(Ballot.objects.select_related("sitting"), pk=pk)
    if not request.user.has_perm("votes.proclaim_election", ballot):
        raise DjangoPermissionDenied
    try:
        proclamation = services.election_proclaim(by=request.user, ballot=ballot)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d co-president proclaimed: see the composition.",
                "%(n)d co-presidents proclaimed: see the composition.",
                len(proclamation.elected),
            )
            % {"n": len(proclamation.elected)},
        )
    return _back(request, ballot)


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


# ---------------------------------------------------------------------------------------------
# Minutes (procès-verbal) and the attendance sheet
# ---------------------------------------------------------------------------------------------


class MinutesUploadForm(forms.Form):
    odt = forms.FileField(label=_("Edited minutes (ODT)"), widget=forms.ClearableFileInput(attrs={"accept": ".odt"}))
    pdf = forms.FileField(
        required=False,
        label=_("The same minutes as PDF (optional)"),
        help_text=_("Exported from the edited file, so that the PDF says the same."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )


def _minutes_action(request: AuthenticatedHttpRequest, sitting: Sitting, form: MinutesUploadForm) -> bool:
    """Run the POSTed action; True when done (then redirect), False when FORM shows an error."""
    action = request.POST.get("action", "")
    try:
        if action == "generate":
            minutes = services.minutes_generate(by=request.user, sitting=sitting)
            messages.success(request, _("Version %(version)s generated.") % {"version": minutes.version})
        elif action == "upload":
            if not form.is_valid():
                return False
            minutes = services.minutes_upload_edited(
                by=request.user, sitting=sitting, odt_file=form.cleaned_data["odt"], pdf_file=form.cleaned_data["pdf"]
            )
            messages.success(request, _("Version %(version)s saved.") % {"version": minutes.version})
        elif action == "adopt":
            version = get_object_or_404(Minutes, sitting=sitting, pk=request.POST.get("minutes") or 0)
            minutes = services.minutes_adopt(by=request.user, minutes=version)
            messages.success(request, _("Version %(version)s adopted and published.") % {"version": minutes.version})
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        if action == "upload" and exc.field in ("odt", "pdf"):
            add_domain_error(form, exc)
            return False
        messages.error(request, str(exc.message))
    return True


@login_required
def minutes_manage(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    """The minutes of a sitting for staff: generate, download each version, upload an edited one, adopt."""
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=sitting_id)
    if not request.user.has_perm("votes.manage_minutes", sitting):
        raise DjangoPermissionDenied
    form = MinutesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _minutes_action(request, sitting, form):
        return redirect("votes:minutes_manage", sitting_id=sitting.pk)
    versions = list(selectors.minutes_versions(sitting))
    context = {
        "sitting": sitting,
        "form": form,
        "versions": versions,
        "adopted": next((v for v in versions if v.is_adopted), None),
        "open_ballots": selectors.sitting_ballots(sitting).filter(state=Ballot.State.OPEN).exists(),
    }
    return render(request, "votes/minutes_manage.html", context)


def minutes_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A version's ODT or PDF: adopted minutes for everyone (they are published), drafts for staff only."""
    minutes = get_object_or_404(Minutes.objects.select_related("sitting"), pk=pk)
    if not minutes.is_adopted and not request.user.has_perm("votes.manage_minutes", minutes.sitting):
        raise Http404
    file = {"odt": minutes.odt, "pdf": minutes.pdf}.get(fmt)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    name = f"proces-verbal-seance-{minutes.sitting_id}-v{minutes.version}.{fmt}"
    content_type = "application/pdf" if fmt == "pdf" else "application/vnd.oasis.opendocument.text"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def minutes_published(request: HttpRequest) -> HttpResponse:
    """The public list of adopted minutes, with their downloads."""
    return render(request, "votes/minutes_published.html", {"minutes_list": selectors.adopted_minutes()})


@login_required
def attendance_sheet(request: AuthenticatedHttpRequest, sitting_id: int, fmt: str) -> HttpResponse:
    """The attendance sheet of a sitting (present, represented by whom, absent) as CSV or PDF (staff)."""
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=sitting_id)
    if not request.user.has_perm("votes.manage_minutes", sitting):
        raise DjangoPermissionDenied
    if fmt not in ("csv", "pdf"):
        raise Http404
    lines = meeting_selectors.attendance_sheet(sitting)
    if fmt == "csv":
        response = HttpResponse(meeting_exports.attendance_sheet_csv(lines), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(meeting_exports.attendance_sheet_pdf(sitting, lines), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="emargement-seance-{sitting.pk}.{fmt}"'
    return response
