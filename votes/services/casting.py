"""Casting votes: one at a time (`vote_cast`) or many in one transaction (`votes_cast_batch`).

- A vote carries a client-generated `vote_id`; the unique constraint on `Vote.vote_id` is what
  makes a replay harmless: a replay returns the original result (`replayed=True`), never a
  second count, even after the ballot closed.
- The elector's roll row is locked (never the ballot row: many votes run at once), then the
  vote row and the roll's `has_voted` flip are written in one transaction; the result is
  returned only after that transaction commits.
- Rules, in order: the ballot exists; replay; the voter holds the casting right (rule
  `votes.cast_ballot`, evaluated on fresh roles: a mandate ending mid-sitting stops the voter);
  the ballot is open and its countdown not over; the elector is in the electorate snapshot and
  the voter holds their proxy when voting for someone else; the choice is valid; the elector
  has not voted yet, unless the ballot allows changes (named ballots only).
- Late arrivals: the electorate is fixed when the ballot opens; a member who checks in
  afterwards votes from the next ballot. A member who leaves after the opening may still
  vote on that ballot. A proxy that lapses after the opening applies from the next ballot.
- Secret ballots: the vote row has no link to a person, so a secret vote cannot be changed.
- Individual votes are not written to the audit journal: the vote rows, the roll and the
  verdict's fingerprint are the record (a journal line per secret vote would link a person
  to a moment, and so to a vote). Every ballot state change is journaled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Mandate, User
from assembly.selectors import ANONYMOUS_ROLES, Roles
from core.errors import DomainError, NotFound, ValidationFailed
from votes import cast_sql, selectors
from votes.models import Ballot, Vote
from votes.predicates import casting_right
from votes.services import choices
from votes.services._common import announce, pk_of
from votes.services.errors import (
    AlreadyVoted,
    BallotClosed,
    BallotNotOpen,
    CastFailed,
    Forbidden,
    NoProxy,
    NotInElectorate,
)

logger = logging.getLogger(__name__)
_shuffle = random.SystemRandom().shuffle

# ---------------------------------------------------------------------------------------------
# Cast requests and results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CastRequest:
    voter: User
    ballot: Ballot | int
    choice: Any
    vote_id: uuid.UUID | str
    on_behalf_of: User | int | None = None
    sitting: int | None = None  # when set, a ballot of another sitting is "not found"


@dataclass(frozen=True)
class CastResult:
    vote_id: uuid.UUID
    ballot_id: int
    member_id: int  # whose vote it is (the voter, or the proxy giver)
    proxy: bool
    replayed: bool
    changed: bool
    version: int

    def as_dict(self) -> dict:
        return {
            "vote_id": str(self.vote_id),
            "ballot": self.ballot_id,
            "member": self.member_id,
            "proxy": self.proxy,
            "replayed": self.replayed,
            "changed": self.changed,
            "version": self.version,
        }


def _pk_or_none(value: Any) -> int | None:
    """`pk_of` for reading ahead: an invalid identifier is reported by `_decide`, per request."""
    try:
        return pk_of(value, "on_behalf_of")
    except ValidationFailed:
        return None


def as_vote_id(value: Any) -> uuid.UUID:
    """VALUE as a vote id (a UUID or its text), or ValidationFailed on `vote_id`."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationFailed(_("The vote id must be a UUID."), field="vote_id", code="invalid") from exc


# ---------------------------------------------------------------------------------------------
# The decision for one request, shared by vote_cast and votes_cast_batch
# ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What a batch (or a single cast) has read, and what it decided so far."""

    now: dt.datetime
    ballots: dict[int, cast_sql.BallotRow]
    options: dict[int, dict[int, str]]  # ballot id -> {option id: code}
    existing: dict[uuid.UUID, cast_sql.StoredVote]  # votes already stored, by vote_id
    rolls: dict[tuple[int, int], cast_sql.RollRow]  # (ballot id, member id) -> roll row (locked)
    rolls_by_id: dict[int, cast_sql.RollRow]
    members: set[tuple[int, int]]  # (user id, assembly id) with a mandate today
    roles: dict[int, Roles]  # user id -> roles today in the batch's assemblies (active users only)
    pending: dict[uuid.UUID, tuple[Vote, CastResult]] = field(default_factory=dict)
    current: dict[int, Vote] = field(default_factory=dict)  # roll id -> vote written in this batch
    new_votes: list[Vote] = field(default_factory=list)
    supersede: set[int] = field(default_factory=set)  # roll ids whose stored current vote is replaced
    first_votes: dict[int, int] = field(default_factory=dict)  # roll id -> voter id


@dataclass(frozen=True)
class _Who:
    """A request's identifiers, checked: the vote id, the ballot, the voter and whose vote it is."""

    vote_id: uuid.UUID
    ballot: cast_sql.BallotRow
    voter_id: int
    member_id: int

    @property
    def proxy(self) -> bool:
        return self.member_id != self.voter_id


def _signed_by(ctx: _Context, roll: cast_sql.RollRow) -> int | None:
    """Who signed ROLL (voted for its member), counting the votes staged in this batch."""
    return ctx.first_votes.get(roll.pk, roll.voted_by_id if roll.has_voted else None)


def _identify(ctx: _Context, req: CastRequest) -> _Who:
    vote_id = as_vote_id(req.vote_id)
    ballot = ctx.ballots.get(pk_of(req.ballot, "ballot"))
    if ballot is None:
        raise NotFound(_("This ballot does not exist."))
    if req.sitting is not None and ballot.sitting_id != req.sitting:
        raise NotFound(_("This ballot is not part of this sitting."))
    voter_id = pk_of(req.voter, "voter")
    member_id = pk_of(req.on_behalf_of, "on_behalf_of") or voter_id
    return _Who(vote_id, ballot, voter_id, member_id)


def _replay_in_batch(ctx: _Context, who: _Who) -> CastResult:
    """The answer to a vote_id already staged in this batch: a replay, or a vote id reused."""
    _vote, result = ctx.pending[who.vote_id]
    roll = ctx.rolls.get((who.ballot.pk, who.member_id))
    if roll is not None and result.ballot_id == who.ballot.pk and who.voter_id in (roll.member_id, roll.holder_id):
        if result.member_id == who.member_id:
            return replace(result, replayed=True, changed=False)
        if who.ballot.secret and _signed_by(ctx, roll) == who.voter_id:
            # What `_replay_stored` answers once the batch is stored: a secret vote names no
            # elector, so the voter's signature on the roll is the only witness (same answer).
            return replace(result, member_id=who.member_id, proxy=who.proxy, replayed=True, changed=False)
    raise ValidationFailed(_("This vote id was already used for another vote."), field="vote_id")


def _replay_stored(ctx: _Context, who: _Who) -> CastResult:
    """The original result if the stored vote of this vote_id was cast by this voter for this member."""
    vote = ctx.existing[who.vote_id]
    roll = ctx.rolls.get((who.ballot.pk, who.member_id))
    witnessed = (
        vote.ballot_id == who.ballot.pk
        and roll is not None
        and (vote.elector_id is None or vote.elector_id == roll.pk)
        # Secret: the roll is the only witness.
        and (vote.elector_id is not None or _signed_by(ctx, roll) == who.voter_id)
        and who.voter_id in (roll.member_id, roll.holder_id)
    )
    if not witnessed:
        raise ValidationFailed(_("This vote id was already used for another vote."), field="vote_id")
    return CastResult(
        vote_id=vote.vote_id,
        ballot_id=who.ballot.pk,
        member_id=who.member_id,
        proxy=who.proxy,
        replayed=True,
        changed=False,
        version=0,
    )


def _check_open(ballot: cast_sql.BallotRow) -> None:
    if ballot.state == Ballot.State.DRAFT:
        raise BallotNotOpen()
    if ballot.state != Ballot.State.OPEN or ballot.time_up:
        raise BallotClosed()


def _elector_roll(ctx: _Context, who: _Who) -> cast_sql.RollRow:
    """The roll row the vote is for: the voter's own, or the proxy giver's when the voter holds it."""
    roll = ctx.rolls.get((who.ballot.pk, who.member_id))
    if who.proxy:
        if roll is None or roll.holder_id != who.voter_id:
            raise NoProxy()
        if (who.member_id, who.ballot.assembly_id) not in ctx.members:
            raise Forbidden(_("The member you represent no longer holds a mandate."))
        return roll
    if roll is None:
        raise NotInElectorate()
    if roll.holder_id is not None:
        raise NotInElectorate(_("Your vote on this ballot is cast by your proxy holder."))
    return roll


def _stage_change(ctx: _Context, who: _Who, roll: cast_sql.RollRow) -> bool:
    """Whether this vote changes an earlier one of the same elector (which is then superseded)."""
    if not (roll.has_voted or roll.pk in ctx.current):
        ctx.first_votes[roll.pk] = who.voter_id
        return False
    if not who.ballot.allow_change or who.ballot.secret:
        raise AlreadyVoted()
    previous = ctx.current.get(roll.pk)
    if previous is not None:
        previous.superseded = True
    else:
        ctx.supersede.add(roll.pk)
    return True


def _stage_vote(ctx: _Context, who: _Who, roll: cast_sql.RollRow, choice: Any, changed: bool) -> CastResult:
    ballot = who.ballot
    vote = Vote(
        id=uuid.uuid4(),
        ballot_id=ballot.pk,
        vote_id=who.vote_id,
        choice=choice,
        elector_id=None if ballot.secret else roll.pk,
        college=roll.college if (not ballot.secret or ballot.double_majority) else "",
    )
    ctx.new_votes.append(vote)
    ctx.current[roll.pk] = vote
    result = CastResult(
        vote_id=who.vote_id,
        ballot_id=ballot.pk,
        member_id=who.member_id,
        proxy=who.proxy,
        replayed=False,
        changed=changed,
        version=0,
    )
    ctx.pending[who.vote_id] = (vote, result)
    return result


def _decide(ctx: _Context, req: CastRequest) -> CastResult:
    """Validate REQ against CTX and stage its writes in CTX; raise a DomainError to refuse it."""
    who = _identify(ctx, req)
    # A replay comes first: its answer must not depend on what happened since (e.g. the close).
    if who.vote_id in ctx.pending:
        return _replay_in_batch(ctx, who)
    if who.vote_id in ctx.existing:
        return _replay_stored(ctx, who)
    if not casting_right(ctx.roles.get(who.voter_id, ANONYMOUS_ROLES), who.ballot.assembly_id):
        raise Forbidden()
    _check_open(who.ballot)
    roll = _elector_roll(ctx, who)
    choice = choices.normalise_choice(
        kind=who.ballot.kind,
        max_choices=who.ballot.max_choices,
        options=ctx.options[who.ballot.pk],
        choice=req.choice,
    )
    changed = _stage_change(ctx, who, roll)
    return _stage_vote(ctx, who, roll, choice, changed)


# ---------------------------------------------------------------------------------------------
# Reading, writing, and the two entry points
# ---------------------------------------------------------------------------------------------


def _mandates_today(assembly_ids: set[int], user_ids: set[int]) -> tuple[set[tuple[int, int]], dict[int, Roles]]:
    """Who of USER_IDS holds a mandate today in ASSEMBLY_IDS, and their roles there (fresh flags).

    The roles are what `votes.cast_ballot` asks of a voter (`assembly.selectors.roles_of`),
    limited to the batch's assemblies: a user who is not active has no role, as there. A voter
    with no such mandate is refused whatever their flags, so the flags of mandate holders are
    enough.
    """
    members: set[tuple[int, int]] = set()
    member_of: dict[int, set[int]] = defaultdict(set)
    flags: dict[int, tuple[bool, bool]] = {}
    for user_id, assembly_id, is_staff, is_active in (
        Mandate.objects.active_on(timezone.localdate())
        .filter(assembly_id__in=assembly_ids, user_id__in=user_ids)
        .values_list("user_id", "assembly_id", "user__is_staff", "user__is_active")
        .order_by()  # a set: no sort by the model's ordering
    ):
        members.add((user_id, assembly_id))
        member_of[user_id].add(assembly_id)
        flags[user_id] = (is_staff, is_active)
    roles = {
        user_id: Roles(member_of=frozenset(member_of[user_id]), is_staff=is_staff)
        for user_id, (is_staff, is_active) in flags.items()
        if is_active
    }
    return members, roles


def _load_context(requests: Sequence[CastRequest]) -> _Context:
    """Read what REQUESTS need (plain SQL, see votes.cast_sql), locking the electors' roll rows."""
    now = timezone.now()
    ballot_ids = {_pk_or_none(r.ballot) for r in requests} - {None}
    ballots = cast_sql.ballots(ballot_ids, now)
    vote_ids = set()
    for r in requests:
        with contextlib.suppress(DomainError):
            vote_ids.add(as_vote_id(r.vote_id))
    voter_ids = {_pk_or_none(r.voter) for r in requests} - {None}
    member_ids = voter_ids | ({_pk_or_none(r.on_behalf_of) for r in requests} - {None})
    # Lock the electors' roll rows (in id order, so that concurrent writers cannot deadlock):
    # this serialises two casts for the same elector without ever locking the ballot row.
    roll_rows = cast_sql.locked_rolls(ballots, member_ids)
    members, roles = _mandates_today({b.assembly_id for b in ballots.values()}, member_ids)
    return _Context(
        now=now,
        ballots=ballots,
        options=cast_sql.options(ballots),
        existing=cast_sql.stored_votes(vote_ids),
        rolls={(r.ballot_id, r.member_id): r for r in roll_rows},
        rolls_by_id={r.pk: r for r in roll_rows},
        members=members,
        roles=roles,
    )


def _write(ctx: _Context) -> dict[int, int]:
    """Store what CTX staged; returns the new version of each touched ballot."""
    if not ctx.new_votes:
        return {}
    if ctx.supersede:
        Vote.objects.filter(elector_id__in=ctx.supersede, superseded=False).update(superseded=True)
    # Random insertion order: even the physical order of rows says nothing about who voted when.
    rows = list(ctx.new_votes)
    _shuffle(rows)
    # A vote_id inserted meanwhile by another writer raises IntegrityError: the batch is rolled
    # back and replayed one by one, and the replay answers as a replay.
    cast_sql.insert_votes(rows)
    by_self = [rid for rid, voter in ctx.first_votes.items() if voter == ctx.rolls_by_id[rid].member_id]
    by_holder = [rid for rid in ctx.first_votes if rid not in set(by_self)]
    cast_sql.mark_voted(by_self, signed_by="member")
    cast_sql.mark_voted(by_holder, signed_by="holder")
    versions = selectors.ballot_versions({v.ballot_id: ctx.ballots[v.ballot_id].version for v in rows})
    for ballot_id, version in versions.items():
        announce(sitting_id=ctx.ballots[ballot_id].sitting_id, ballot_id=ballot_id, version=version)
    return versions


def _run(requests: Sequence[CastRequest]) -> list[CastResult | DomainError]:
    ctx = _load_context(requests)
    outcomes: list[CastResult | DomainError] = []
    for req in requests:
        try:
            outcomes.append(_decide(ctx, req))
        except DomainError as exc:
            outcomes.append(exc)
        except Exception:  # one bad request must never abort the others
            # `_decide` stages nothing before its last checks pass, so the batch stays consistent.
            logger.exception("vote request refused by an unexpected error")
            outcomes.append(CastFailed())
    versions = _write(ctx)
    unwritten = {o.ballot_id for o in outcomes if isinstance(o, CastResult)} - set(versions)
    if unwritten:  # replays only: the version as it stands
        versions.update(selectors.ballot_versions({pk: ctx.ballots[pk].version for pk in unwritten}))
    return [replace(o, version=versions[o.ballot_id]) if isinstance(o, CastResult) else o for o in outcomes]


def vote_cast(
    *,
    voter: User,
    ballot: Ballot | int,
    choice: Any,
    vote_id: uuid.UUID | str,
    on_behalf_of: User | int | None = None,
    sitting: int | None = None,
) -> CastResult:
    """Cast VOTER's vote (or, with ON_BEHALF_OF, the vote of the member whose proxy they hold).

    Idempotent by VOTE_ID; returns only after commit; raises a DomainError (see module doc).
    With SITTING, a ballot of another sitting is refused as not found.
    """
    request = CastRequest(
        voter=voter, ballot=ballot, choice=choice, vote_id=vote_id, on_behalf_of=on_behalf_of, sitting=sitting
    )
    as_vote_id(vote_id)
    for attempt in range(3):
        try:
            with transaction.atomic():
                (outcome,) = _run([request])
                if isinstance(outcome, DomainError):
                    raise outcome
            return outcome
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def votes_cast_batch(requests: list[CastRequest]) -> list[CastResult | DomainError]:
    """Many votes in ONE transaction (group commit), with exactly the rules and answers of `vote_cast`.

    Requests are decided in order, as if cast one after the other; the result list matches
    the request list. Roll rows are locked, the ballot rows never. If a concurrent writer
    interferes (a vote_id stored meanwhile), the batch is rolled back and every request is
    replayed through `vote_cast`, which gives the same answers. An error on one request
    (a bad identifier, even an unexpected exception) is that request's answer (`CastFailed`
    for the unexpected); it never aborts the others.
    """
    if not requests:
        return []
    try:
        with transaction.atomic():
            return _run(requests)
    except (IntegrityError, DatabaseError) as exc:
        logger.info("vote batch of %d replayed one by one (%s)", len(requests), type(exc).__name__)
    except Exception:  # replayed one by one: only the failing request is refused
        logger.exception("vote batch of %d failed; replayed one by one", len(requests))
    return [_cast_alone(req) for req in requests]


def _cast_alone(req: CastRequest) -> CastResult | DomainError:
    """`vote_cast` for one request of a batch that was rolled back: its answer, never an exception."""
    try:
        return vote_cast(
            voter=req.voter,
            ballot=req.ballot,
            choice=req.choice,
            vote_id=req.vote_id,
            on_behalf_of=req.on_behalf_of,
            sitting=req.sitting,
        )
    except DomainError as exc:
        return exc
    except Exception:  # one failing request must never abort the others
        logger.exception("vote request failed when replayed alone")
        return CastFailed()
