"""Reads of the votes app: versions, current votes, snapshots for phones, projector and staff.

Snapshots are JSON-serialisable dicts with a bounded number of queries whatever the number
of voters; results appear only when the ballot shows them live or is closed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet

from assembly.models import User
from assembly.selectors import roles_of
from meetings.models import Attendance, Meeting, Sitting
from meetings.selectors import sittings as meeting_selectors
from votes import cast_sql, tally
from votes.models import Ballot, BallotOption, Minutes, Proclamation, Verdict, Vote, VoterRoll

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _ResultsCounted(TypedDict):
        results_count: int

    # A sitting as the results archive lists it: with how many of its ballots the reader may read.
    ResultsSitting: TypeAlias = WithAnnotations[Sitting, _ResultsCounted]


def ballot_versions(state_versions: Mapping[int, int]) -> dict[int, int]:
    """The version clients compare, for each ballot of STATE_VERSIONS ({ballot id: `Ballot.version`}).

    A ballot's version is its state changes plus every vote row stored for it, superseded ones
    included: it grows with every write without locking the ballot row per vote. One query.
    """
    counts = cast_sql.vote_counts(state_versions)
    return {pk: version + counts.get(pk, 0) for pk, version in state_versions.items()}


def ballot_version(ballot: Ballot) -> int:
    """`ballot_versions` of one ballot."""
    return ballot_versions({ballot.pk: ballot.version})[ballot.pk]


@dataclass(frozen=True)
class CurrentVote:
    choice: tally.Choice
    college: str
    gender: str = ""
    departement: str = ""
    member_id: int | None = None


def current_votes(ballot: Ballot) -> list[CurrentVote]:
    """The counted votes of BALLOT (superseded ones left out), with what may be known of the voter."""
    qs = Vote.objects.filter(ballot_id=ballot.pk, superseded=False)
    if ballot.secret:
        return [CurrentVote(choice=c, college=col) for c, col in qs.values_list("choice", "college")]
    return [
        CurrentVote(choice=c, college=col, gender=g, departement=d, member_id=m)
        for c, col, g, d, m in qs.values_list(
            "choice", "elector__college", "elector__gender", "elector__departement", "elector__member_id"
        )
    ]


def ballot_tally(ballot: Ballot, option_ids: list[int] | None = None) -> tally.Tally:
    if option_ids is None:
        option_ids = list(BallotOption.objects.filter(ballot=ballot).order_by("position").values_list("id", flat=True))
    return tally.tally(ballot.kind, option_ids, [v.choice for v in current_votes(ballot)])


def electorate_breakdown(ballot: Ballot) -> dict[str, Any]:
    """Electors and those who voted, by college, gender and département (from the roll: no vote content)."""
    out: dict[str, Any] = {}
    rows = list(VoterRoll.objects.filter(ballot=ballot).values_list("college", "gender", "departement", "has_voted"))
    for index, attr in enumerate(("college", "gender", "departement")):
        electors = Counter(r[index] for r in rows)
        voted = Counter(r[index] for r in rows if r[3])
        out[attr] = {k: {"electorate": electors[k], "voted": voted[k]} for k in sorted(electors)}
    return out


def participation(ballot: Ballot) -> dict[str, int]:
    electorate = VoterRoll.objects.filter(ballot=ballot).count()
    voted = VoterRoll.objects.filter(ballot=ballot, has_voted=True).count()
    return {"voted": voted, "electorate": electorate}


def results_visible(ballot: Ballot) -> bool:
    """Counts are shown once closed; live only on named ballots (a secret ballot's never move on screen)."""
    if ballot.state == Ballot.State.CLOSED:
        return True
    return ballot.state == Ballot.State.OPEN and ballot.live_results and not ballot.secret


def non_voters(ballot: Ballot) -> QuerySet[VoterRoll]:
    """Electors who have not voted yet: named ballots only (on a secret ballot it is still the roll)."""
    return (
        VoterRoll.objects.filter(ballot=ballot, has_voted=False)
        .select_related("member", "holder")
        .order_by("member__last_name", "member__first_name")
    )


def assistable_electors(ballot: Ballot) -> QuerySet[VoterRoll]:
    """Who staff may record an assisted vote for now, by name: electors of BALLOT in person (not
    represented by a proxy holder) who have not voted and are checked in (`services.vote_assist`'s rule)."""
    in_the_room = Attendance.objects.filter(sitting_id=ballot.sitting_id, checked_out_at__isnull=True)
    return (
        VoterRoll.objects.filter(ballot=ballot, holder__isnull=True, has_voted=False)
        .filter(member_id__in=in_the_room.values("user_id"))
        .select_related("member")
        .order_by("member__last_name", "member__first_name", "member_id")
    )


def assisted_votes(ballot: Ballot) -> QuerySet[VoterRoll]:
    """The electors of BALLOT whose vote staff recorded at the desk, by name, with who recorded it.

    The roll says it: such a row is signed (`voted_by`) by neither its member nor their proxy
    holder but by the staff member (`services.vote_assist`). Who, never what.
    """
    return (
        VoterRoll.objects.filter(ballot=ballot, has_voted=True, voted_by__isnull=False)
        .exclude(voted_by=F("member"))
        .exclude(holder__isnull=False, voted_by=F("holder"))
        .select_related("member", "voted_by")
        .order_by("member__last_name", "member__first_name", "member_id")
    )


def _verdict_dict(verdict: Verdict) -> dict[str, Any]:
    return {
        "outcome": verdict.outcome,
        "majority": verdict.majority,
        "double_majority": verdict.double_majority,
        "quorum_reached": verdict.quorum_reached,
        "members": verdict.members_count,
        "present": verdict.present_count,
        "represented": verdict.represented_count,
        "electorate": verdict.electorate,
        "votes_cast": verdict.votes_cast,
        "counts": verdict.counts,
        "results": verdict.results,
        "breakdown": verdict.breakdown,
        "fingerprint": verdict.fingerprint,
    }


def ballot_snapshot(*, ballot: Ballot, viewer: User | None) -> dict[str, Any]:
    """The full small state of BALLOT as VIEWER may see it (about 6 queries).

    `may_cast` lists the votes the viewer may cast (their own, then the proxies they hold),
    each with whether it is already cast. Counts and results only when visible.
    """
    options = list(BallotOption.objects.filter(ballot=ballot).order_by("position"))
    data: dict[str, Any] = {
        "id": ballot.pk,
        "sitting": ballot.sitting_id,
        "agenda_item": ballot.agenda_item_id,
        "proposal": getattr(ballot, "proposal_id", None),
        "kind": ballot.kind,
        "title": ballot.title,
        "description": ballot.description,
        "secret": ballot.secret,
        "live_results": ballot.live_results,
        "allow_change": ballot.allow_change,
        "max_choices": ballot.max_choices,
        "majority": ballot.majority,
        "double_majority": ballot.double_majority,
        "options": [{"id": o.pk, "label": o.label, "code": o.code} for o in options],
        "state": ballot.state,
        "version": ballot_version(ballot),
        "opened_at": ballot.opened_at.isoformat() if ballot.opened_at else None,
        "closes_at": ballot.closes_at.isoformat() if ballot.closes_at else None,
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "participation": participation(ballot) if ballot.state != Ballot.State.DRAFT else None,
        "may_cast": may_cast(ballot=ballot, viewer=viewer) if ballot.state == Ballot.State.OPEN else [],
        "counts": None,
        "verdict": None,
    }
    if results_visible(ballot):
        data["counts"] = ballot_tally(ballot, [o.pk for o in options]).as_dict()
    if ballot.state == Ballot.State.CLOSED:
        verdict = Verdict.objects.filter(ballot=ballot).first()
        data["verdict"] = _verdict_dict(verdict) if verdict else None
    return data


def proclaimed_ballots(sitting: Sitting) -> set[int]:
    """The ids of SITTING's election ballots already proclaimed."""
    return set(Proclamation.objects.filter(ballot__sitting=sitting).values_list("ballot_id", flat=True))


def sitting_ballots(sitting: Sitting) -> QuerySet[Ballot]:
    return Ballot.objects.filter(sitting=sitting).select_related("agenda_item", "sitting").order_by("created_at", "id")


def sitting_snapshot(*, sitting: Sitting, viewer: User | None) -> dict[str, Any]:
    """The sitting, its agenda, the live quorum, and the snapshots of its open ballots."""
    data = meeting_selectors.sitting_summary(sitting)
    ballots = list(sitting_ballots(sitting))
    data["ballots"] = [
        {"id": b.pk, "title": b.title, "state": b.state, "agenda_item": b.agenda_item_id, "kind": b.kind}
        for b in ballots
    ]
    data["open_ballots"] = [ballot_snapshot(ballot=b, viewer=viewer) for b in ballots if b.state == Ballot.State.OPEN]
    data["present"] = (
        viewer is not None and viewer.is_authenticated and meeting_selectors.is_present(sitting=sitting, user=viewer)
    )
    return data


def verdicts_of(sitting: Sitting) -> QuerySet[Verdict]:
    return Verdict.objects.filter(ballot__sitting=sitting).select_related("ballot").order_by("ballot__closed_at")


def may_cast(*, ballot: Ballot, viewer: User | None) -> list[dict[str, Any]]:
    """The votes VIEWER may cast on BALLOT: their own, then the proxies they hold (one query).

    Each entry is `{"member", "member_name", "proxy", "cast"}` (`cast`: already voted).
    """
    return may_cast_on_ballots(ballot_ids=[ballot.pk], viewer=viewer)[ballot.pk]


def may_cast_on_ballots(*, ballot_ids: list[int], viewer: User | None) -> dict[int, list[dict[str, Any]]]:
    """`may_cast` for several ballots at once, in one query (the live room's connect and resync)."""
    result: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ballot_ids}
    if not ballot_ids or viewer is None or not viewer.is_authenticated:
        return result
    rows = (
        VoterRoll.objects.filter(ballot_id__in=ballot_ids)
        .filter(Q(member=viewer, holder__isnull=True) | Q(holder=viewer))
        .select_related("member")
        .only(
            "ballot_id",
            "member_id",
            "holder_id",
            "has_voted",
            "member__first_name",
            "member__last_name",
            "member__email",
            "member__erased_at",
        )
    )
    for roll in sorted(rows, key=lambda r: (r.ballot_id, r.holder_id is not None, r.member_id)):
        proxy = roll.holder_id is not None
        result[roll.ballot_id].append(
            {
                "member": roll.member_id,
                "member_name": roll.member.display_name if proxy else "",
                "proxy": proxy,
                "cast": roll.has_voted,
            }
        )
    return result


# --- The results archive ---------------------------------------------------------------------


def results_ballots(user: User | AnonymousUser | None) -> QuerySet[Ballot]:
    """The closed ballots USER may read in the results archive: the archive's one visibility rule.

    - Staff and admins: every closed ballot.
    - Members and partners of an assembly today (who may follow its sittings, `votes.view_ballot`):
      every closed ballot of that assembly's sittings, as soon as it is closed.
    - Everyone else, anonymous visitors included, sees what the assembly publishes: the closed
      ballots of a plenary whose sitting is closed and whose meeting the calendar publishes.

    Closed means closed with its verdict; a cancelled ballot is no result. The archive shows
    counts and verdicts, never who voted what (named votes belong to the minutes).
    """
    ballots = Ballot.objects.filter(state=Ballot.State.CLOSED, verdict__isnull=False)
    roles = roles_of(user)
    if roles.is_staff or roles.is_admin:
        return ballots
    published = Q(sitting__state=Sitting.State.CLOSED, sitting__meeting__kind=Meeting.Kind.PLENARY) & ~Q(
        sitting__meeting__details__published=False
    )
    followed = roles.member_of | roles.partner_of
    if followed:
        return ballots.filter(published | Q(sitting__assembly_id__in=followed))
    return ballots.filter(published)


def results_sittings(user: User | AnonymousUser | None) -> QuerySet[ResultsSitting]:
    """The sittings with at least one ballot of `results_ballots(USER)`, newest first, each with
    `results_count` (how many of its ballots USER may read). One query."""
    visible = results_ballots(user)
    return (
        Sitting.objects.filter(pk__in=visible.values("sitting_id"))
        .select_related("meeting", "assembly")
        .annotate(results_count=Count("ballots", filter=Q(ballots__in=visible.values("pk")), distinct=True))
        .order_by("-starts_at", "-id")
    )


def results_sitting(user: User | AnonymousUser | None, sitting_id: int) -> ResultsSitting | None:
    """The sitting SITTING_ID as the archive shows it to USER, or None (unknown, or nothing to show)."""
    return results_sittings(user).filter(pk=sitting_id).first()


def _option_rows(ballot: Ballot, verdict: Verdict) -> list[dict[str, Any]]:
    """Each option of BALLOT with its figures from the VERDICT: a count, or yes/no/abstain for a
    candidate, plus Borda points for a ranking, and whether it won."""
    counts = verdict.counts or {}
    winners = {str(w) for w in (verdict.results or {}).get("winners") or []}
    options = counts.get("options") or {}
    candidates = counts.get("candidates") or {}
    borda = counts.get("borda") or {}
    rows = []
    for option in ballot.options.all():
        key = str(option.pk)
        row: dict[str, Any] = {"id": option.pk, "label": option.label, "code": option.code, "won": key in winners}
        if ballot.kind == Ballot.Kind.CANDIDATES:
            answers = candidates.get(key) or {}
            row.update(yes=answers.get("yes", 0), no=answers.get("no", 0), abstain=answers.get("abstain", 0))
        else:
            row["count"] = options.get(key, 0)
        if ballot.kind == Ballot.Kind.RANKING:
            row["borda"] = borda.get(key, 0)
        rows.append(row)
    return rows


def _ballot_result(ballot: Ballot) -> dict[str, Any]:
    verdict = ballot.verdict
    item = ballot.agenda_item
    return {
        "id": ballot.pk,
        "question": ballot.title,
        "description": ballot.description,
        "agenda_item": {"id": item.pk, "position": item.position, "title": item.title} if item else None,
        "proposal": {"id": ballot.proposal.pk, "title": ballot.proposal.title} if ballot.proposal else None,
        "kind": ballot.kind,
        "kind_label": str(Ballot.Kind(ballot.kind).label),
        "secret": ballot.secret,
        "majority": verdict.majority,
        "majority_label": str(Ballot.Majority(verdict.majority).label)
        if verdict.majority in Ballot.Majority.values
        else verdict.majority,
        "double_majority": verdict.double_majority,
        "closed_at": ballot.closed_at,
        "members": verdict.members_count,
        "present": verdict.present_count,
        "represented": verdict.represented_count,
        "quorum_reached": verdict.quorum_reached,
        "electorate": verdict.electorate,
        "votes_cast": verdict.votes_cast,
        "options": _option_rows(ballot, verdict),
        "outcome": verdict.outcome,
        "outcome_label": str(Verdict.Outcome(verdict.outcome).label),
        "fingerprint": verdict.fingerprint,
    }


def sitting_results(user: User | AnonymousUser | None, sitting: Sitting) -> list[dict[str, Any]]:
    """Every ballot of SITTING that USER may read (`results_ballots`), in the order they closed,
    with its question, agenda item, kind, majority rule, counts and verdict. Three queries."""
    ballots = (
        results_ballots(user)
        .filter(sitting=sitting)
        .select_related("verdict", "agenda_item", "proposal")
        .prefetch_related(Prefetch("options", queryset=BallotOption.objects.order_by("position")))
        .order_by("closed_at", "id")
    )
    return [_ballot_result(b) for b in ballots]


def proposal_results(user: User | AnonymousUser | None, proposal_id: int) -> QuerySet[Ballot]:
    """The closed ballots on a proposal that USER may read in the archive, in the order they closed."""
    return (
        results_ballots(user)
        .filter(proposal_id=proposal_id)
        .select_related("verdict", "sitting")
        .order_by("closed_at", "id")
    )


def minutes_versions(sitting: Sitting) -> QuerySet[Minutes]:
    """Every version of SITTING's minutes, the latest first, with who made and adopted it."""
    return Minutes.objects.filter(sitting=sitting).select_related("created_by", "adopted_by").order_by("-version")


def adopted_minutes() -> QuerySet[Minutes]:
    """The published minutes: one adopted version per sitting, the latest sitting first."""
    return (
        Minutes.objects.filter(state=Minutes.State.ADOPTED)
        .select_related("sitting__meeting", "sitting__assembly")
        .order_by("-sitting__starts_at", "-sitting_id")
    )
