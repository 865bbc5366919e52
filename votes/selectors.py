"""Reads of the votes app: versions, current votes, snapshots for phones, projector and staff.

Snapshots are JSON-serialisable dicts with a bounded number of queries whatever the number
of voters; results appear only when the ballot shows them live or is closed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from assembly.models import User
from meetings.models import Attendance, Sitting
from meetings.selectors import sittings as meeting_selectors
from votes import cast_sql, tally
from votes.models import Ballot, BallotOption, Proclamation, Verdict, Vote, VoterRoll


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
