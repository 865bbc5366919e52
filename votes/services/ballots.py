"""A ballot's life: prepared (`ballot_create`), then open, extended, closed or cancelled.

States: draft → open → closed, or draft/open → cancelled. Every change of state locks the
ballot row (votes never do), bumps `Ballot.version`, is journaled and announced to the live room
after commit. The limits of what staff may ask are here, once, for every way of asking
(the live room's command layer, `votes.live.commands`, adds only the defaults of a bare button).

Closing (and cancelling) first waits for the votes being written (`secrecy.wait_for_votes_in_flight`),
so that the verdict counts every vote acknowledged before it; a secret ballot's rows are then
rewritten (`secrecy.secret_votes_rewrite`: fresh vote ids, random order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly.models import User
from core import audit
from core.errors import Conflict, NotFound, ValidationFailed
from core.services import clean_text, require
from meetings.models import AgendaItem, Sitting
from meetings.selectors import sittings as meeting_selectors
from meetings.services import agenda as agenda_services
from proposals import services as proposal_services
from proposals.models import Proposal
from votes import roll_sql, selectors
from votes.models import Ballot, BallotOption, Verdict
from votes.services._common import announce, pk_of
from votes.services.elections import Candidate, election_candidates, election_options
from votes.services.errors import BallotClosed, BallotNotOpen
from votes.services.secrecy import secret_votes_rewrite, wait_for_votes_in_flight
from votes.services.verdicts import compute_verdict, report_to_proposal

# What staff may ask (refused with a field error beyond; never cut).
TITLE_MAX_LENGTH = Ballot.TITLE_MAX_LENGTH
OPTION_LABEL_MAX_LENGTH = BallotOption.LABEL_MAX_LENGTH
OPTIONS_MAX = 50
DURATION_SECONDS_MIN, DURATION_SECONDS_MAX = 10, 24 * 3600  # a countdown, at creation or at the opening
EXTEND_SECONDS_MIN, EXTEND_SECONDS_MAX = 10, 3600
CANCEL_REASON_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 5000

# In their own context: a bare "Yes" / "No" is Django's own "Oui" / "Non" in French (the admin's
# catalogue comes first); the assembly votes "Pour" / "Contre", and the phones show these labels.
YES_NO_OPTIONS = (
    ("yes", pgettext_lazy("ballot option", "Yes")),
    ("no", pgettext_lazy("ballot option", "No")),
    ("abstain", pgettext_lazy("ballot option", "Abstain")),
)
DOUBLE_MAJORITY_KINDS = (Ballot.Kind.YES_NO, Ballot.Kind.CANDIDATES, Ballot.Kind.SINGLE)

# ---------------------------------------------------------------------------------------------
# Preparing a ballot
# ---------------------------------------------------------------------------------------------


def _is_seconds(value: Any, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _check_duration(duration_seconds: Any) -> None:
    if duration_seconds is not None and not _is_seconds(duration_seconds, DURATION_SECONDS_MIN, DURATION_SECONDS_MAX):
        raise ValidationFailed(_("The duration is between 10 seconds and 24 hours."), field="duration_seconds")


def _check_settings(*, kind: str, majority: str, secret: bool, allow_change: bool, live_results: bool) -> None:
    if kind not in Ballot.Kind.values:
        raise ValidationFailed(_("Unknown kind of ballot."), field="kind")
    if majority not in Ballot.Majority.values:
        raise ValidationFailed(_("Unknown majority rule."), field="majority")
    if secret and allow_change:
        raise ValidationFailed(_("A secret vote cannot be changed: untick one of the two."), field="allow_change")
    if secret and live_results:
        raise ValidationFailed(
            _("The results of a secret ballot are shown only after it closes: untick one of the two."),
            field="live_results",
        )


def _check_scope(*, sitting: Sitting, agenda_item: AgendaItem | None, proposal: Proposal | None) -> Proposal | None:
    """Check the item and the proposal belong to SITTING; the proposal decided (the item's by default)."""
    if sitting.state == Sitting.State.CLOSED:
        raise Conflict(_("This sitting is closed."), code="sitting_closed")
    if agenda_item is not None and agenda_item.sitting_id != sitting.pk:
        raise ValidationFailed(
            _("This agenda item belongs to another sitting."), field="agenda_item", code="agenda_item_other_sitting"
        )
    if agenda_item is not None and agenda_item.proposal_id is not None:
        if proposal is not None and proposal.pk != agenda_item.proposal_id:
            raise ValidationFailed(_("This agenda item is about another proposal."), field="proposal")
        proposal = agenda_item.proposal
    if proposal is not None:
        if proposal.assembly_id != sitting.assembly_id:
            raise ValidationFailed(_("This proposal belongs to another assembly."), field="proposal")
        proposal_services.proposal_check_votable(proposal)
    return proposal


def _option_labels(kind: str, options: Sequence[str]) -> list[str]:
    """The labels of the options staff gave (blank lines left out); none for yes/no/abstain or an election."""
    if kind in (Ballot.Kind.YES_NO, Ballot.Kind.ELECTION):
        return []
    labels = [clean_text(o, field="options", max_length=OPTION_LABEL_MAX_LENGTH) for o in options if o and o.strip()]
    if len(labels) < (1 if kind == Ballot.Kind.CANDIDATES else 2):
        raise ValidationFailed(_("Give at least two options (one candidate)."), field="options")
    if len(set(labels)) != len(labels):
        raise ValidationFailed(_("Two options have the same label."), field="options")
    if len(labels) > OPTIONS_MAX:
        raise ValidationFailed(_("At most 50 options."), field="options")
    return labels


def _max_choices(kind: str, max_choices: int, labels: list[str]) -> int:
    if kind != Ballot.Kind.MULTIPLE:
        return 1
    if not 1 <= max_choices <= len(labels):
        raise ValidationFailed(_("The maximum number of choices must fit the options."), field="max_choices")
    return max_choices


def ballot_create(
    *,
    by: User,
    sitting: Sitting,
    title: str,
    kind: str = Ballot.Kind.YES_NO,
    options: Sequence[str] = (),
    candidates: Sequence[User | int] = (),
    description: str = "",
    agenda_item: AgendaItem | None = None,
    proposal: Proposal | None = None,
    secret: bool = False,
    live_results: bool = False,
    allow_change: bool = False,
    max_choices: int = 1,
    majority: str = Ballot.Majority.SIMPLE,
    double_majority: bool = False,
    duration_seconds: int | None = None,
) -> Ballot:
    """Prepare a ballot (state "draft") on an agenda item or a proposal of SITTING.

    A ballot on an item decides the item's proposal, if it has one (PROPOSAL may repeat it, not
    name another). The proposal must be one a ballot may decide (published, under study or put
    to the vote: `proposals.services.proposal_check_votable`); it is put to the vote when the
    ballot opens, and its verdict recorded when the ballot closes.

    An election (kind "election") takes CANDIDATES instead of OPTIONS: members of the sitting's
    assembly with a running mandate (`elections.election_candidates`); its options show each one's
    name and college, and a voter chooses up to the assembly's co-presidents per college in each
    college. CANDIDATES on another kind are refused.

    A title or an option label longer than its column is refused (`ValidationFailed` on
    `title` or `options`), never cut.
    """
    require(by, "votes.manage_ballot", sitting)
    title = clean_text(
        title, field="title", max_length=TITLE_MAX_LENGTH, required=True, required_message=_("A question is required.")
    )
    description = clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH)
    _check_settings(kind=kind, majority=majority, secret=secret, allow_change=allow_change, live_results=live_results)
    proposal = _check_scope(sitting=sitting, agenda_item=agenda_item, proposal=proposal)
    if proposal is not None and kind != Ballot.Kind.YES_NO:
        # Only a yes/no verdict adopts or rejects a proposal (a ranking among proposals: docs/voting.md).
        raise ValidationFailed(
            _("A ballot that decides a proposal is a yes / no ballot."), field="kind", code="proposal_needs_yes_no"
        )
    _check_duration(duration_seconds)
    labels = _option_labels(kind, options)
    max_choices = _max_choices(kind, max_choices, labels)
    elected: list[Candidate] = []
    if kind == Ballot.Kind.ELECTION:
        elected = election_candidates(sitting=sitting, candidates=candidates)
        # Up to the assembly's seats in each college: the choice check divides it back.
        max_choices = sitting.assembly.copresidents_per_college * len({c.college for c in elected})
    elif candidates:
        raise ValidationFailed(_("Only an election has candidates."), field="candidates")
    if double_majority and kind not in DOUBLE_MAJORITY_KINDS:
        raise ValidationFailed(_("A double majority applies to yes/no, single-choice or candidate ballots."))
    with transaction.atomic():
        ballot = Ballot.objects.create(
            sitting=sitting,
            agenda_item=agenda_item,
            title=title,
            description=description,
            kind=kind,
            secret=secret,
            live_results=live_results,
            allow_change=allow_change,
            max_choices=max_choices,
            majority=majority,
            double_majority=double_majority,
            duration_seconds=duration_seconds,
            created_by=by,
            proposal=proposal,
        )
        if kind == Ballot.Kind.ELECTION:
            election_options(ballot, elected)
        elif kind == Ballot.Kind.YES_NO:
            BallotOption.objects.bulk_create(
                BallotOption(ballot=ballot, position=i, label=str(label), code=code)
                for i, (code, label) in enumerate(YES_NO_OPTIONS, start=1)
            )
        else:
            BallotOption.objects.bulk_create(
                BallotOption(ballot=ballot, position=i, label=label) for i, label in enumerate(labels, start=1)
            )
        audit.record(
            actor=by,
            action="votes.ballot_create",
            target=ballot,
            data={
                "kind": kind,
                "secret": secret,
                "majority": majority,
                "double_majority": double_majority,
                "agenda_item": agenda_item.pk if agenda_item else None,
                "proposal": proposal.pk if proposal else None,
                "candidates": [c.person.pk for c in elected],
            },
        )
        announce(sitting_id=ballot.sitting_id, ballot_id=ballot.pk, version=ballot.version)
    return ballot


# ---------------------------------------------------------------------------------------------
# Open, extend, cancel, close
# ---------------------------------------------------------------------------------------------


def _lock(ballot: Ballot | int) -> Ballot:
    # State changes lock the ballot row: two staff pressing "close" (or "open" and "cancel")
    # at once must produce one transition, one verdict, one record. Votes never take this lock.
    try:
        return Ballot.objects.select_for_update().select_related("sitting").get(pk=pk_of(ballot, "ballot"))
    except Ballot.DoesNotExist as exc:
        raise NotFound(_("This ballot does not exist.")) from exc


def _announce_state(ballot: Ballot) -> None:
    announce(sitting_id=ballot.sitting_id, ballot_id=ballot.pk, version=selectors.ballot_version(ballot))


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _refuse_unless_open(ballot: Ballot) -> None:
    if ballot.state != Ballot.State.OPEN:
        raise BallotClosed() if ballot.state != Ballot.State.DRAFT else BallotNotOpen()


def _put_proposal_to_vote(by: User, ballot: Ballot) -> None:
    """The ballot's proposal goes to "put to the vote" as the ballot opens (refused if it can no longer)."""
    if ballot.proposal_id is None:
        return
    proposal = Proposal.objects.get(pk=ballot.proposal_id)
    proposal_services.proposal_check_votable(proposal)  # withdrawn or decided since the ballot was prepared
    if proposal.status != Proposal.Status.PUT_TO_VOTE:
        proposal_services.proposal_put_to_vote(by=by, proposal=proposal)


def _take_up_item(by: User, ballot: Ballot | int) -> None:
    """A ballot opens on its agenda item: the item becomes the one in progress if it was not.

    Runs before the ballot's row is locked: the sitting's row first, as every write of the agenda.
    """
    item_id = Ballot.objects.filter(pk=pk_of(ballot, "ballot")).values_list("agenda_item_id", flat=True).first()
    if item_id is None:
        return
    item = AgendaItem.objects.get(pk=item_id)
    if item.state != AgendaItem.State.CURRENT:
        agenda_services.agenda_item_make_current(by=by, item=item)


def ballot_open(*, by: User, ballot: Ballot | int, duration_seconds: int | None = None) -> Ballot:
    """Open BALLOT: snapshot the electorate (members present or represented now) and the quorum.

    DURATION_SECONDS (10 s to 24 h) overrides the ballot's own countdown; None keeps it. A ballot
    of an agenda item takes that item up if it is not the one in progress (the previous one is done).
    """
    require(by, "votes.manage_ballot", ballot)
    with transaction.atomic():
        _take_up_item(by, ballot)
        ballot = _lock(ballot)
        if ballot.state != Ballot.State.DRAFT:
            raise Conflict(_("Only a prepared ballot can be opened."), code="ballot_not_draft")
        if ballot.sitting.state != Sitting.State.OPEN:
            raise Conflict(_("The sitting is not in session."), code="sitting_not_open")
        _check_duration(duration_seconds)
        _put_proposal_to_vote(by, ballot)
        electors = meeting_selectors.electorate(ballot.sitting)
        quorum = meeting_selectors.quorum(ballot.sitting)
        roll_sql.insert_roll(
            ballot.pk, [(e.user_id, e.holder_id, e.college, e.gender, e.departement) for e in electors]
        )
        now = timezone.now()
        seconds = duration_seconds or ballot.duration_seconds
        ballot.state = Ballot.State.OPEN
        ballot.opened_at = now
        ballot.closes_at = now + dt.timedelta(seconds=seconds) if seconds else None
        ballot.members_count = quorum.members
        ballot.present_count = quorum.present
        ballot.represented_count = quorum.represented
        ballot.quorum_reached = quorum.reached
        ballot.version += 1
        ballot.save(
            update_fields=[
                "state",
                "opened_at",
                "closes_at",
                "members_count",
                "present_count",
                "represented_count",
                "quorum_reached",
                "version",
            ]
        )
        audit.record(
            actor=by,
            action="votes.ballot_open",
            target=ballot,
            data={"electorate": len(electors), "quorum": quorum.as_dict(), "closes_at": _iso(ballot.closes_at)},
        )
        _announce_state(ballot)
        if connection.vendor == "postgresql":
            transaction.on_commit(roll_sql.analyze_roll)  # after the announcement: phones first
    return ballot


def ballot_extend(*, by: User, ballot: Ballot | int, seconds: int) -> Ballot:
    """Give more time: the countdown ends SECONDS (10 s to one hour) later than now or than planned.

    Later than planned when the countdown still runs, than now when it is over or there is none.
    """
    require(by, "votes.manage_ballot", ballot)
    if not _is_seconds(seconds, EXTEND_SECONDS_MIN, EXTEND_SECONDS_MAX):
        raise ValidationFailed(_("Extend by 10 seconds to one hour."), field="seconds")
    with transaction.atomic():
        ballot = _lock(ballot)
        _refuse_unless_open(ballot)
        now = timezone.now()
        base = max(now, ballot.closes_at) if ballot.closes_at else now
        before = ballot.closes_at
        ballot.closes_at = base + dt.timedelta(seconds=seconds)
        ballot.version += 1
        ballot.save(update_fields=["closes_at", "version"])
        audit.record(
            actor=by,
            action="votes.ballot_extend",
            target=ballot,
            data={"before": _iso(before), "closes_at": _iso(ballot.closes_at), "seconds": seconds},
        )
        _announce_state(ballot)
    return ballot


def ballot_cancel(*, by: User, ballot: Ballot | int, reason: str = "") -> Ballot:
    """Cancel a prepared or open ballot; its votes are kept but never counted (a secret ballot's rewritten).

    REASON (at most 1,000 characters once stripped; longer is refused, never cut) goes to the journal.
    """
    require(by, "votes.manage_ballot", ballot)
    reason = clean_text(reason, field="reason", max_length=CANCEL_REASON_MAX_LENGTH)
    with transaction.atomic():
        wait_for_votes_in_flight(pk_of(ballot, "ballot"))
        ballot = _lock(ballot)
        if ballot.state not in (Ballot.State.DRAFT, Ballot.State.OPEN):
            raise Conflict(_("Only a prepared or open ballot can be cancelled."), code="ballot_not_cancellable")
        before = ballot.state
        ballot.state = Ballot.State.CANCELLED
        ballot.closed_at = timezone.now()
        ballot.version += 1
        ballot.save(update_fields=["state", "closed_at", "version"])
        if ballot.secret and before == Ballot.State.OPEN:
            secret_votes_rewrite(ballot)  # never counted, still secret
        audit.record(actor=by, action="votes.ballot_cancel", target=ballot, reason=reason, data={"before": before})
        _announce_state(ballot)
    return ballot


def ballot_close(*, by: User | None, ballot: Ballot | int) -> Verdict:
    """Close BALLOT and store its verdict (quorum, counts, breakdowns, fingerprint).

    A secret ballot's vote rows are rewritten first (fresh vote ids, random order): a vote id
    kept by a phone no longer finds its vote, and a replay of it is answered `ballot_closed`.
    BY is None when the countdown closes it (`ballots_close_due`). A ballot on a proposal
    that is adopted is reported to `proposals.services.proposal_record_verdict`.
    """
    if by is not None:
        require(by, "votes.manage_ballot", ballot)
    with transaction.atomic():
        wait_for_votes_in_flight(pk_of(ballot, "ballot"))
        ballot = _lock(ballot)
        _refuse_unless_open(ballot)
        ballot.state = Ballot.State.CLOSED
        ballot.closed_at = timezone.now()
        ballot.version += 1
        ballot.save(update_fields=["state", "closed_at", "version"])
        if ballot.secret:
            # Before the verdict, which is then computed from the rows as they stay (the
            # fingerprint is over the sorted choices: the order and the ids do not enter it).
            secret_votes_rewrite(ballot)
        verdict = compute_verdict(ballot)
        audit.record(
            actor=by,
            action="votes.ballot_close",
            target=ballot,
            data={"outcome": verdict.outcome, "votes_cast": verdict.votes_cast, "fingerprint": verdict.fingerprint},
        )
        report_to_proposal(by, ballot, verdict)
        _announce_state(ballot)
    return verdict


def ballots_close_due(*, now: dt.datetime | None = None) -> list[Verdict]:
    """Close every open ballot whose countdown is over; the verdicts of those this call closed.

    Every server process runs it each second (the periodic job `votes.close_due_ballots`,
    `votes/apps.py`), whether or not anyone watches the sitting. In scale-out several processes
    run it at once: `ballot_close` locks the ballot row, so a ballot is closed once, and the
    runner that comes second finds it closed (`BallotClosed`) and skips it, as it skips a ballot
    staff closed or cancelled meanwhile. Any other failure does not stop the other due ballots:
    each is tried, then the failures are raised together (an ExceptionGroup, one exception per
    ballot, each noting its ballot), for the periodic runner to log with their tracebacks.
    """
    now = now or timezone.now()
    verdicts, failures = [], []
    due = Ballot.objects.filter(state=Ballot.State.OPEN, closes_at__lte=now).order_by("closes_at", "pk")
    for ballot_id in due.values_list("pk", flat=True):
        try:
            verdicts.append(ballot_close(by=None, ballot=ballot_id))
        except (BallotClosed, NotFound):
            continue  # closed or cancelled meanwhile (staff, or another process's countdown)
        except Exception as exc:  # noqa: BLE001 (raised below with the others, never swallowed)
            exc.add_note(f"while closing ballot {ballot_id}, whose countdown is over")
            failures.append(exc)
    if failures:
        raise ExceptionGroup(f"{len(failures)} ballot(s) whose countdown is over could not be closed", failures)
    return verdicts
