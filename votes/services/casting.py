"""Casting votes: one at a time (`vote_cast`) or many in one transaction (`votes_cast_batch`).

- A vote carries a client-generated `vote_id`; the unique constraint on `Vote.vote_id` is what
  makes a replay harmless: a replay returns the original result (`replayed=True`), never a
  second count, even after a named ballot closed. A secret ballot's vote ids are replaced when
  it ends (`secrecy`): a replay then gets the closed ballot's answer, `ballot_closed`.
- The elector's roll row is locked (never the ballot row: many votes run at once), and only
  then is the ballot's state read (a close waits for the locked roll rows, see
  `secrecy.wait_for_votes_in_flight`); the vote row and the roll's `has_voted` flip are written
  in one transaction; the result is returned only after that transaction commits.
- `vote_assist`: staff (rule `votes.assist_vote`) record, at the desk, the vote of a present
  member who has no phone, under the same rules and constraints (`decide`); the roll is signed
  by the staff member (`VoterRoll.voted_by`), and the journal says who recorded whose vote,
  never what was chosen.
- Each request is decided by `decide.decide`, whose docstring lists the rules in their order.
- Late arrivals: the electorate is fixed when the ballot opens; a member who checks in
  afterwards votes from the next ballot. A member who leaves after the opening may still
  vote on that ballot. A proxy that lapses after the opening applies from the next ballot.
- Individual votes are not written to the audit journal: the vote rows, the roll and the
  verdict's fingerprint are the record (a journal line per secret vote would link a person
  to a moment, and so to a vote). Every ballot state change is journaled, and so is each
  assisted vote (who recorded whose vote, when; docs/voting.md says what that line reveals).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Mandate, User
from assembly.selectors import Roles
from core import audit
from core.errors import DomainError, NotFound, ValidationFailed
from core.services import require
from meetings.models import Sitting
from meetings.selectors import sittings as meeting_selectors
from votes import cast_sql, selectors
from votes.models import Ballot, Vote, VoterRoll
from votes.services._common import announce, pk_of, shuffle
from votes.services.decide import CastRequest, CastResult, Context, as_vote_id, decide
from votes.services.errors import CastFailed

__all__ = ["CastRequest", "CastResult", "as_vote_id", "vote_assist", "vote_cast", "votes_cast_batch"]

logger = logging.getLogger(__name__)


def _pk_or_none(value: object) -> int | None:
    """`pk_of` for reading ahead: an invalid identifier is reported by `decide`, per request."""
    try:
        return pk_of(value, "on_behalf_of")
    except ValidationFailed:
        return None


def _valid_pks(values: Iterable[object]) -> set[int]:
    """The identifiers of VALUES, those `_pk_or_none` cannot read (or None) left out."""
    return {pk for pk in map(_pk_or_none, values) if pk is not None}


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


def _present_now(requests: Sequence[CastRequest], ballots: dict[int, cast_sql.BallotRow]) -> set[tuple[int, int]]:
    """(sitting id, member id) of the members of assisted REQUESTS who are checked in now (none for phones)."""
    present = set()
    for r in requests:
        ballot_id, member_id = _pk_or_none(r.ballot), _pk_or_none(r.on_behalf_of)
        ballot = ballots.get(ballot_id) if ballot_id is not None else None
        if (
            r.assisted
            and ballot is not None
            and member_id is not None
            and meeting_selectors.is_present(sitting=Sitting(pk=ballot.sitting_id), user=User(pk=member_id))
        ):
            present.add((ballot.sitting_id, member_id))
    return present


def _load_context(requests: Sequence[CastRequest], recorders: frozenset[int] = frozenset()) -> Context:
    """Read what REQUESTS need (plain SQL, see votes.cast_sql), locking the electors' roll rows."""
    ballot_ids = _valid_pks(r.ballot for r in requests)
    vote_ids = set()
    for r in requests:
        with contextlib.suppress(DomainError):
            vote_ids.add(as_vote_id(r.vote_id))
    voter_ids = _valid_pks(r.voter for r in requests)
    member_ids = voter_ids | _valid_pks(r.on_behalf_of for r in requests)
    # Lock the electors' roll rows (in id order, so that concurrent writers cannot deadlock):
    # this serialises two casts for the same elector without ever locking the ballot row. The
    # ballots are read after: a close holds the whole roll until it commits
    # (`secrecy.wait_for_votes_in_flight`), so a vote that waited for it reads the ballot closed.
    roll_rows = cast_sql.locked_rolls(ballot_ids, member_ids)
    now = timezone.now()
    ballots = cast_sql.ballots(ballot_ids, now)
    members, roles = _mandates_today({b.assembly_id for b in ballots.values()}, member_ids)
    return Context(
        now=now,
        ballots=ballots,
        options=cast_sql.options(ballots),
        existing=cast_sql.stored_votes(vote_ids),
        rolls={(r.ballot_id, r.member_id): r for r in roll_rows},
        rolls_by_id={r.pk: r for r in roll_rows},
        members=members,
        roles=roles,
        present=_present_now(requests, ballots),
        recorders=recorders,
    )


def _write(ctx: Context) -> dict[int, int]:
    """Store what CTX staged; returns the new version of each touched ballot."""
    if not ctx.new_votes:
        return {}
    if ctx.supersede:
        Vote.objects.filter(elector_id__in=ctx.supersede, superseded=False).update(superseded=True)
    # Random insertion order within the batch: the rows of one batch say nothing about who of
    # it voted first. (Across batches the table follows the order of casting until the ballot
    # ends; a secret ballot's rows are then rewritten in a random order: `secrecy`.)
    rows = list(ctx.new_votes)
    shuffle(rows)
    # A vote_id inserted meanwhile by another writer raises IntegrityError: the batch is rolled
    # back and replayed one by one, and the replay answers as a replay.
    cast_sql.insert_votes(rows)
    by_self, by_holder, at_desk = [], [], {}
    for rid, voter in ctx.first_votes.items():
        roll = ctx.rolls_by_id[rid]
        if voter == roll.member_id:
            by_self.append(rid)
        elif voter == roll.holder_id:
            by_holder.append(rid)
        else:
            at_desk[rid] = voter  # an assisted vote (`vote_assist`, alone in its transaction)
    cast_sql.mark_voted(by_self, signed_by="member")
    cast_sql.mark_voted(by_holder, signed_by="holder")
    for rid, recorder in at_desk.items():  # a rare path: the ORM
        VoterRoll.objects.filter(pk=rid).update(has_voted=True, voted_by_id=recorder)
    versions = selectors.ballot_versions({v.ballot_id: ctx.ballots[v.ballot_id].version for v in rows})
    for ballot_id, version in versions.items():
        announce(sitting_id=ctx.ballots[ballot_id].sitting_id, ballot_id=ballot_id, version=version)
    return versions


def _run(requests: Sequence[CastRequest], recorders: frozenset[int] = frozenset()) -> list[CastResult | DomainError]:
    ctx = _load_context(requests, recorders)
    outcomes: list[CastResult | DomainError] = []
    for req in requests:
        try:
            outcomes.append(decide(ctx, req))
        except DomainError as exc:
            outcomes.append(exc)
        except Exception:  # one bad request must never abort the others
            # `decide` stages nothing before its last checks pass, so the batch stays consistent.
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
    return _cast_one(request)


def _cast_one(
    request: CastRequest,
    recorders: frozenset[int] = frozenset(),
    on_cast: Callable[[CastResult], None] | None = None,
) -> CastResult:
    """REQUEST in its own transaction (retried when a concurrent writer stored its vote id meanwhile).

    ON_CAST runs inside that transaction for a vote newly stored (not a replay).
    """
    for attempt in range(3):
        try:
            with transaction.atomic():
                (outcome,) = _run([request], recorders)
                if isinstance(outcome, DomainError):
                    raise outcome
                if on_cast is not None and not outcome.replayed:
                    on_cast(outcome)
            return outcome
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _ballot_of(ballot: Ballot | int, sitting: int | None) -> Ballot:
    """BALLOT as a model instance (the rule asks it); NotFound if it does not exist or is of another SITTING."""
    if not isinstance(ballot, Ballot):
        found = Ballot.objects.select_related("sitting").filter(pk=pk_of(ballot, "ballot")).first()
        if found is None:
            raise NotFound(_("This ballot does not exist."))
        ballot = found
    if sitting is not None and ballot.sitting_id != sitting:
        raise NotFound(_("This ballot is not part of this sitting."))
    return ballot


def vote_assist(
    *,
    by: User,
    ballot: Ballot | int,
    member: User | int | None,
    choice: Any,
    vote_id: uuid.UUID | str,
    sitting: int | None = None,
) -> CastResult:
    """Record, at the staff desk, the vote MEMBER gives BY in person (a present member without a phone).

    BY holds the rule `votes.assist_vote` (staff); a member asking is refused (`forbidden`).
    MEMBER (a user or their id; None is refused, `invalid` on `member`) must be in the ballot's
    electorate in person (not represented by a proxy holder) and checked in now; every other
    rule of a vote applies as for a phone (`decide`): one vote per elector, counted once —
    after it the member's phone can no longer vote, and a member who voted on their phone
    cannot be given one. Idempotent by VOTE_ID (BY's replay answers
    as the original). The roll is signed by BY; the journal records `votes.vote_assist` with
    BY, MEMBER and the time, never the choice. With SITTING, a ballot of another sitting is
    not found. Returns only after commit; raises a DomainError.
    """
    target = _ballot_of(ballot, sitting)
    require(by, "votes.assist_vote", target, _("Only the staff record a vote at the desk."))
    vote_id = as_vote_id(vote_id)
    member_id = pk_of(member, "member")
    if member_id is None:
        raise ValidationFailed(_("Name the member whose vote you record."), field="member")
    request = CastRequest(
        voter=by,
        ballot=target.pk,
        choice=choice,
        vote_id=vote_id,
        on_behalf_of=member_id,
        sitting=sitting,
        assisted=True,
    )

    def journal(result: CastResult) -> None:
        # Who recorded whose vote, and (the journal's own time) when: never the choice, nor the
        # vote id (which, while the ballot is open, names its row).
        audit.record(actor=by, action="votes.vote_assist", target=target, data={"member": result.member_id})

    return _cast_one(request, recorders=frozenset({by.pk}), on_cast=journal)


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
