"""The decision on one vote request, against what its batch has read: no database here.

`casting` reads what a batch needs into a `Context` (ballots, options, stored votes, the
electors' locked roll rows, mandates and roles today), asks `decide` for each request in turn,
then writes what was staged. Rules, in order: the ballot exists (and is of the sitting, when one
is named); replay (its answer never depends on what happened since, e.g. the close — but once a
secret ballot has ended its vote ids are replaced, so a replay then meets the closed ballot; a
replay names the stored vote's choice, another choice is `vote_id_reused` and changes nothing); the
voter holds the casting right (rule `votes.cast_ballot`, on fresh roles: a mandate ending
mid-sitting stops the voter); the ballot is open and its countdown not over; the elector is in
the electorate snapshot and the voter holds their proxy when voting for someone else; the choice
is valid; the elector has not voted yet, unless the ballot allows changes (named ballots only: a
secret vote has no link to a person, so it cannot be changed) and the vote was not recorded at
the staff desk.

An assisted vote (`assisted`: staff record, at the desk, the vote a present member without a
phone gives them; `casting.vote_assist`) is held to the same rules, for the member, with these
differences: its recorder must have been granted the rule `votes.assist_vote` by the entry point
(`Context.recorders`; a vote batch grants nobody) — checked first; the member must be in the
electorate in person (not represented by a proxy holder) and checked in now; and it is never a
change (the member has not voted, on their phone or at the desk, whatever the ballot allows).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from assembly.models import User
from assembly.selectors import ANONYMOUS_ROLES, Roles
from core.errors import NotFound, ValidationFailed
from votes import cast_sql
from votes.models import Ballot, Vote
from votes.predicates import casting_right
from votes.services import choices
from votes.services._common import pk_of
from votes.services.errors import (
    AlreadyVoted,
    BallotClosed,
    BallotNotOpen,
    Forbidden,
    InvalidChoice,
    NoProxy,
    NotInElectorate,
    NotPresent,
    VoteIdReused,
)

# ---------------------------------------------------------------------------------------------
# Cast requests and results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CastRequest:
    voter: User  # who casts: the member, their proxy holder, or the staff member recording an assisted vote
    ballot: Ballot | int
    choice: Any
    vote_id: uuid.UUID | str
    on_behalf_of: User | int | None = None  # whose vote it is, when not the voter's own
    sitting: int | None = None  # when set, a ballot of another sitting is "not found"
    assisted: bool = False  # VOTER (staff) records ON_BEHALF_OF's vote at the desk: `casting.vote_assist`


@dataclass(frozen=True)
class CastResult:
    vote_id: uuid.UUID
    ballot_id: int
    member_id: int  # whose vote it is (the voter, or the proxy giver)
    proxy: bool
    replayed: bool
    changed: bool
    version: int
    assisted: bool = False  # recorded at the staff desk

    def as_dict(self) -> dict[str, Any]:
        """The body of `vote.ack`; an assisted vote's also says `"assisted": true`."""
        body: dict[str, Any] = {
            "vote_id": str(self.vote_id),
            "ballot": self.ballot_id,
            "member": self.member_id,
            "proxy": self.proxy,
            "replayed": self.replayed,
            "changed": self.changed,
            "version": self.version,
        }
        if self.assisted:
            body["assisted"] = True
        return body


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
class Context:
    """What a batch (or a single cast) has read, and what it decided so far."""

    now: dt.datetime
    ballots: dict[int, cast_sql.BallotRow]
    options: dict[int, dict[int, str]]  # ballot id -> {option id: code}
    existing: dict[uuid.UUID, cast_sql.StoredVote]  # votes already stored, by vote_id
    rolls: dict[tuple[int, int], cast_sql.RollRow]  # (ballot id, member id) -> roll row (locked)
    rolls_by_id: dict[int, cast_sql.RollRow]
    members: set[tuple[int, int]]  # (user id, assembly id) with a mandate today
    roles: dict[int, Roles]  # user id -> roles today in the batch's assemblies (active users only)
    present: set[tuple[int, int]] = field(default_factory=set)  # (sitting id, user id) checked in now
    recorders: frozenset[int] = frozenset()  # users granted `votes.assist_vote` by the entry point
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
    assisted: bool = False

    @property
    def proxy(self) -> bool:
        return self.member_id != self.voter_id and not self.assisted


def _signed_by(ctx: Context, roll: cast_sql.RollRow) -> int | None:
    """Who signed ROLL (voted for its member), counting the votes staged in this batch."""
    return ctx.first_votes.get(roll.pk, roll.voted_by_id if roll.has_voted else None)


def _identify(ctx: Context, req: CastRequest) -> _Who:
    vote_id = as_vote_id(req.vote_id)
    ballot = ctx.ballots.get(pk_of(req.ballot, "ballot"))
    if ballot is None:
        raise NotFound(_("This ballot does not exist."))
    if req.sitting is not None and ballot.sitting_id != req.sitting:
        raise NotFound(_("This ballot is not part of this sitting."))
    voter_id = pk_of(req.voter, "voter")
    if req.assisted:
        member_id = pk_of(req.on_behalf_of, "member")
        if member_id is None:
            raise ValidationFailed(_("Name the member whose vote you record."), field="member")
        return _Who(vote_id, ballot, voter_id, member_id, assisted=True)
    member_id = pk_of(req.on_behalf_of, "on_behalf_of") or voter_id
    return _Who(vote_id, ballot, voter_id, member_id)


def _is_signer(ctx: Context, who: _Who, roll: cast_sql.RollRow) -> bool:
    """Whether WHO may cast (or replay) the vote of ROLL: its member, its proxy holder, or the staff
    member who recorded it at the desk (an assisted request)."""
    if who.assisted:
        return _signed_by(ctx, roll) == who.voter_id
    return who.voter_id in (roll.member_id, roll.holder_id)


def _same_choice(ctx: Context, who: _Who, stored: Any, choice: Any) -> None:
    """A replay names the choice of the vote stored under its id; another choice is `VoteIdReused`
    (the stored vote stands), never a silent replay."""
    try:
        sent = choices.normalise_choice(
            kind=who.ballot.kind, max_choices=who.ballot.max_choices, options=ctx.options[who.ballot.pk], choice=choice
        )
    except InvalidChoice:
        sent = None
    if sent != stored:
        raise VoteIdReused()


def _replay_in_batch(ctx: Context, who: _Who, choice: Any) -> CastResult:
    """The answer to a vote_id already staged in this batch: a replay, or a vote id reused."""
    vote, result = ctx.pending[who.vote_id]
    roll = ctx.rolls.get((who.ballot.pk, who.member_id))
    if roll is not None and result.ballot_id == who.ballot.pk and _is_signer(ctx, who, roll):
        if result.member_id == who.member_id and result.assisted == who.assisted:
            _same_choice(ctx, who, vote.choice, choice)
            return replace(result, replayed=True, changed=False)
        if who.ballot.secret and _signed_by(ctx, roll) == who.voter_id:
            # What `_replay_stored` answers once the batch is stored: a secret vote names no
            # elector, so the voter's signature on the roll is the only witness (same answer).
            _same_choice(ctx, who, vote.choice, choice)
            return replace(
                result, member_id=who.member_id, proxy=who.proxy, assisted=who.assisted, replayed=True, changed=False
            )
    raise ValidationFailed(_("This vote id was already used for another vote."), field="vote_id")


def _replay_stored(ctx: Context, who: _Who, choice: Any) -> CastResult:
    """The original result if the stored vote of this vote_id was cast by this voter for this member,
    with the same choice (else `VoteIdReused`)."""
    vote = ctx.existing[who.vote_id]
    roll = ctx.rolls.get((who.ballot.pk, who.member_id))
    witnessed = (
        vote.ballot_id == who.ballot.pk
        and roll is not None
        and (vote.elector_id is None or vote.elector_id == roll.pk)
        # Secret: the roll is the only witness.
        and (vote.elector_id is not None or _signed_by(ctx, roll) == who.voter_id)
        and _is_signer(ctx, who, roll)
    )
    if not witnessed:
        raise ValidationFailed(_("This vote id was already used for another vote."), field="vote_id")
    _same_choice(ctx, who, vote.choice, choice)
    return CastResult(
        vote_id=vote.vote_id,
        ballot_id=who.ballot.pk,
        member_id=who.member_id,
        proxy=who.proxy,
        replayed=True,
        changed=False,
        version=0,
        assisted=who.assisted,
    )


def _check_open(ballot: cast_sql.BallotRow) -> None:
    if ballot.state == Ballot.State.DRAFT:
        raise BallotNotOpen()
    if ballot.state != Ballot.State.OPEN or ballot.time_up:
        raise BallotClosed()


def _elector_roll(ctx: Context, who: _Who) -> cast_sql.RollRow:
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


def _assisted_roll(ctx: Context, who: _Who) -> cast_sql.RollRow:
    """The roll row of the member whose vote staff record: in the electorate in person, and in the room now."""
    roll = ctx.rolls.get((who.ballot.pk, who.member_id))
    if roll is None:
        raise NotInElectorate(_("This member is not in the electorate of this ballot (present when it opened)."))
    if roll.holder_id is not None:
        raise NotInElectorate(_("This member's vote on this ballot is cast by their proxy holder."))
    if (who.ballot.sitting_id, who.member_id) not in ctx.present:
        raise NotPresent()
    return roll


def _stage_change(ctx: Context, who: _Who, roll: cast_sql.RollRow) -> bool:
    """Whether this vote changes an earlier one of the same elector (which is then superseded)."""
    if not (roll.has_voted or roll.pk in ctx.current):
        ctx.first_votes[roll.pk] = who.voter_id
        return False
    if not who.ballot.allow_change or who.ballot.secret or who.assisted:
        raise AlreadyVoted()
    signer = _signed_by(ctx, roll)
    if signer is not None and signer not in (roll.member_id, roll.holder_id):
        raise AlreadyVoted(_("This vote was recorded at the staff desk; it cannot be changed."))
    previous = ctx.current.get(roll.pk)
    if previous is not None:
        previous.superseded = True
    else:
        ctx.supersede.add(roll.pk)
    return True


def _stage_vote(ctx: Context, who: _Who, roll: cast_sql.RollRow, choice: Any, changed: bool) -> CastResult:
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
        assisted=who.assisted,
    )
    ctx.pending[who.vote_id] = (vote, result)
    return result


def _check_right(ctx: Context, who: _Who) -> None:
    """The casting right (rule `votes.cast_ballot`): the voter's, or for an assisted vote the member's."""
    if not who.assisted:
        if not casting_right(ctx.roles.get(who.voter_id, ANONYMOUS_ROLES), who.ballot.assembly_id):
            raise Forbidden()
        return
    if not casting_right(ctx.roles.get(who.member_id, ANONYMOUS_ROLES), who.ballot.assembly_id):
        raise Forbidden(_("This person does not vote in this assembly (members only, never staff)."))


def decide(ctx: Context, req: CastRequest) -> CastResult:
    """Validate REQ against CTX and stage its writes in CTX; raise a DomainError to refuse it."""
    who = _identify(ctx, req)
    if who.assisted and who.voter_id not in ctx.recorders:
        raise Forbidden(_("Only the staff record a vote at the desk."))
    # A replay comes first: its answer must not depend on what happened since (e.g. the close).
    if who.vote_id in ctx.pending:
        return _replay_in_batch(ctx, who, req.choice)
    if who.vote_id in ctx.existing:
        return _replay_stored(ctx, who, req.choice)
    _check_right(ctx, who)
    _check_open(who.ballot)
    roll = _assisted_roll(ctx, who) if who.assisted else _elector_roll(ctx, who)
    choice = choices.normalise_choice(
        kind=who.ballot.kind,
        max_choices=who.ballot.max_choices,
        options=ctx.options[who.ballot.pk],
        choice=req.choice,
    )
    changed = _stage_change(ctx, who, roll)
    return _stage_vote(ctx, who, roll, choice, changed)
