"""Every write of the votes app: preparing, opening, extending, closing and cancelling ballots; casting votes.

Casting (`vote_cast`, `votes_cast_batch`):
- a vote carries a client-generated `vote_id`; the unique constraint on `Vote.vote_id` is what
  makes a replay harmless: a replay returns the original result (`replayed=True`), never a
  second count, even after the ballot closed;
- the elector's roll row is locked (never the ballot row: many votes run at once), then the
  vote row and the roll's `has_voted` flip are written in one transaction; the result is
  returned only after that transaction commits;
- rules, in order: the ballot exists; replay; the voter is a current member of the
  assembly and not staff (fresh roles: a mandate ending mid-sitting stops the voter);
  the ballot is open and its countdown not over; the elector is in the electorate snapshot
  and the voter holds their proxy when voting for someone else; the choice is valid; the
  elector has not voted yet, unless the ballot allows changes (named ballots only).
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

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Mandate, User
from core import audit
from core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.services import require as _require
from meetings.models import AgendaItem, Sitting
from meetings.selectors import sittings as meeting_selectors
from proposals import services as proposal_services
from realtime.broadcast import broadcast_on_commit
from votes import cast_sql, tally
from votes.models import Ballot, BallotOption, Verdict, Vote, VoterRoll

logger = logging.getLogger(__name__)
_shuffle = random.SystemRandom().shuffle

# ---------------------------------------------------------------------------------------------
# Errors (stable codes, shared with the realtime protocol)
# ---------------------------------------------------------------------------------------------


class BallotClosed(Conflict):
    code = "ballot_closed"
    default_message = _("This ballot is closed.")


class BallotNotOpen(Conflict):
    code = "ballot_not_open"
    default_message = _("This ballot is not open yet.")


class NotInElectorate(PermissionDenied):
    code = "not_in_electorate"
    default_message = _("You are not in the electorate of this ballot (present or represented when it opened).")


class NoProxy(PermissionDenied):
    code = "no_proxy"
    default_message = _("You do not hold this member's proxy for this ballot.")


class InvalidChoice(ValidationFailed):
    code = "invalid_choice"
    default_message = _("This choice is not valid for this ballot.")


class AlreadyVoted(Conflict):
    code = "already_voted"
    default_message = _("This vote has already been cast.")


class Forbidden(PermissionDenied):
    code = "forbidden"
    default_message = _("Only members of this assembly vote; partners and staff never vote.")


class CastFailed(DomainError):
    """An unexpected failure on one request of a batch: that request is refused, never the whole batch."""

    code = "cast_failed"
    status = 503
    default_message = _("This vote could not be recorded. Please try again.")


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


def _pk(value: Any, field: str = "on_behalf_of") -> int | None:
    """The primary key of VALUE (an object or a number); ValidationFailed on FIELD if it is neither."""
    if value is None:
        return None
    raw = value.pk if hasattr(value, "pk") else value
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise ValidationFailed(_("This identifier is not valid."), field=field)
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationFailed(_("This identifier is not valid."), field=field) from exc


def _pk_or_none(value: Any) -> int | None:
    """`_pk` for reading ahead: an invalid identifier is reported by `_decide`, per request."""
    try:
        return _pk(value)
    except ValidationFailed:
        return None


def _as_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationFailed(_("The vote id must be a UUID."), field="vote_id", code="invalid") from exc


def _announce(ballot: Ballot | cast_sql.BallotRow, version: int) -> None:
    broadcast_on_commit(
        f"sitting.{ballot.sitting_id}", {"type": "ballot.changed", "ballot": ballot.pk, "version": version}
    )


def _version(ballot_id: int, state_version: int) -> int:
    """A ballot's version: its state changes plus every vote row written (see cast_sql.vote_counts)."""
    return state_version + cast_sql.vote_counts([ballot_id]).get(ballot_id, 0)


# ---------------------------------------------------------------------------------------------
# Choice validation (shared by every path)
# ---------------------------------------------------------------------------------------------


def _int_option(value: Any, options: dict[int, str]) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidChoice()
    try:
        option = int(value)
    except ValueError as exc:
        raise InvalidChoice() from exc
    if option not in options:
        raise InvalidChoice(_("This option does not belong to this ballot."))
    return option


def normalise_choice(*, kind: str, max_choices: int, options: dict[int, str], choice: Any) -> Any:
    """The stored form of CHOICE for a ballot of KIND with OPTIONS {id: code}, or InvalidChoice."""
    if kind in ("yes_no", "single"):
        if isinstance(choice, list):
            if len(choice) != 1:
                raise InvalidChoice(_("Choose exactly one option."))
            choice = choice[0]
        return _int_option(choice, options)
    if kind in ("multiple", "ranking"):
        if not isinstance(choice, list) or not choice:
            raise InvalidChoice(_("Choose at least one option."))
        picked = [_int_option(c, options) for c in choice]
        if len(set(picked)) != len(picked):
            raise InvalidChoice(_("An option appears twice."))
        if kind == "multiple" and len(picked) > max_choices:
            raise InvalidChoice(_("Too many options chosen."))
        return sorted(picked) if kind == "multiple" else picked
    if kind == "candidates":
        if not isinstance(choice, dict):
            raise InvalidChoice(_("Answer yes, no or abstain for each candidate."))
        normal: dict[str, str] = {}
        for key, answer in choice.items():
            option = _int_option(key, options)
            if answer not in ("yes", "no", "abstain"):
                raise InvalidChoice(_("Answer yes, no or abstain for each candidate."))
            normal[str(option)] = answer
        if len(normal) != len(options):
            raise InvalidChoice(_("Answer for every candidate."))
        return normal
    raise InvalidChoice()


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
    users: dict[int, tuple[bool, bool]]  # user id -> (is_staff, is_active)
    pending: dict[uuid.UUID, tuple[Vote, CastResult]] = field(default_factory=dict)
    current: dict[int, Vote] = field(default_factory=dict)  # roll id -> vote written in this batch
    new_votes: list[Vote] = field(default_factory=list)
    supersede: set[int] = field(default_factory=set)  # roll ids whose stored current vote is replaced
    first_votes: dict[int, int] = field(default_factory=dict)  # roll id -> voter id


def _signed_by(ctx: _Context, roll: cast_sql.RollRow) -> int | None:
    """Who signed ROLL (voted for its member), counting the votes staged in this batch."""
    return ctx.first_votes.get(roll.pk, roll.voted_by_id if roll.has_voted else None)


def _replay(
    ctx: _Context, vote: cast_sql.StoredVote, ballot_id: int, voter_id: int, member_id: int
) -> CastResult | None:
    """The original result if VOTE (same vote_id) was cast by this voter for this member, else None."""
    if vote.ballot_id != ballot_id:
        return None
    roll = ctx.rolls.get((ballot_id, member_id))
    if roll is None:
        return None
    if vote.elector_id is not None and vote.elector_id != roll.pk:
        return None
    if vote.elector_id is None and _signed_by(ctx, roll) != voter_id:
        return None  # secret: the roll is the only witness
    if voter_id not in (roll.member_id, roll.holder_id):
        return None
    return CastResult(
        vote_id=vote.vote_id,
        ballot_id=ballot_id,
        member_id=member_id,
        proxy=voter_id != member_id,
        replayed=True,
        changed=False,
        version=0,
    )


def _decide(ctx: _Context, req: CastRequest) -> CastResult:
    """Validate REQ against CTX and stage its writes in CTX; raise a DomainError to refuse it."""
    vote_id = _as_uuid(req.vote_id)
    ballot_id = _pk(req.ballot, "ballot")
    ballot = ctx.ballots.get(ballot_id)
    if ballot is None:
        raise NotFound(_("This ballot does not exist."))
    if req.sitting is not None and ballot.sitting_id != req.sitting:
        raise NotFound(_("This ballot is not part of this sitting."))
    voter_id = _pk(req.voter, "voter")
    member_id = _pk(req.on_behalf_of, "on_behalf_of") or voter_id

    # A replay comes first: its answer must not depend on what happened since (e.g. the close).
    if vote_id in ctx.pending:
        vote, result = ctx.pending[vote_id]
        roll = ctx.rolls.get((ballot_id, member_id))
        if roll is not None and result.ballot_id == ballot_id and voter_id in (roll.member_id, roll.holder_id):
            if result.member_id == member_id:
                return replace(result, replayed=True, changed=False)
            if ballot.secret and _signed_by(ctx, roll) == voter_id:
                # What `_replay` answers once the batch is stored: a secret vote names no elector,
                # so the voter's signature on the roll is the only witness (same answer either way).
                return replace(result, member_id=member_id, proxy=voter_id != member_id, replayed=True, changed=False)
        raise ValidationFailed(_("This vote id was already used for another vote."), field="vote_id")
    if vote_id in ctx.existing:
        result = _replay(ctx, ctx.existing[vote_id], ballot_id, voter_id, member_id)
        if result is None:
            raise ValidationFailed(_("This vote id was already used for another vote."), field="vote_id")
        return result

    is_staff, is_active = ctx.users.get(voter_id, (False, False))
    assembly_id = ballot.assembly_id
    if is_staff or not is_active or (voter_id, assembly_id) not in ctx.members:
        raise Forbidden()
    if ballot.state == Ballot.State.DRAFT:
        raise BallotNotOpen()
    if ballot.state != Ballot.State.OPEN or ballot.time_up:
        raise BallotClosed()
    roll = ctx.rolls.get((ballot_id, member_id))
    if member_id != voter_id:
        if roll is None or roll.holder_id != voter_id:
            raise NoProxy()
        if (member_id, assembly_id) not in ctx.members:
            raise Forbidden(_("The member you represent no longer holds a mandate."))
    elif roll is None:
        raise NotInElectorate()
    elif roll.holder_id is not None:
        raise NotInElectorate(_("Your vote on this ballot is cast by your proxy holder."))
    choice = normalise_choice(
        kind=ballot.kind, max_choices=ballot.max_choices, options=ctx.options[ballot_id], choice=req.choice
    )
    changed = False
    if roll.has_voted or roll.pk in ctx.current:
        if not ballot.allow_change or ballot.secret:
            raise AlreadyVoted()
        changed = True
        previous = ctx.current.get(roll.pk)
        if previous is not None:
            previous.superseded = True
        else:
            ctx.supersede.add(roll.pk)
    else:
        ctx.first_votes[roll.pk] = voter_id
    vote = Vote(
        id=uuid.uuid4(),
        ballot_id=ballot_id,
        vote_id=vote_id,
        choice=choice,
        elector_id=None if ballot.secret else roll.pk,
        college=roll.college if (not ballot.secret or ballot.double_majority) else "",
    )
    ctx.new_votes.append(vote)
    ctx.current[roll.pk] = vote
    result = CastResult(
        vote_id=vote_id,
        ballot_id=ballot_id,
        member_id=member_id,
        proxy=member_id != voter_id,
        replayed=False,
        changed=changed,
        version=0,
    )
    ctx.pending[vote_id] = (vote, result)
    return result


def _load_context(requests: Sequence[CastRequest]) -> _Context:
    """Read what REQUESTS need (plain SQL, see votes.cast_sql), locking the electors' roll rows."""
    now = timezone.now()
    ballot_ids = {_pk_or_none(r.ballot) for r in requests} - {None}
    ballots = cast_sql.ballots(ballot_ids, now)
    vote_ids = set()
    for r in requests:
        with contextlib.suppress(DomainError):
            vote_ids.add(_as_uuid(r.vote_id))
    voter_ids = {_pk_or_none(r.voter) for r in requests} - {None}
    member_ids = voter_ids | ({_pk_or_none(r.on_behalf_of) for r in requests} - {None})
    # Lock the electors' roll rows (in id order, so that concurrent writers cannot deadlock):
    # this serialises two casts for the same elector without ever locking the ballot row.
    roll_rows = cast_sql.locked_rolls(ballots, member_ids)
    assembly_ids = {b.assembly_id for b in ballots.values()}
    # Mandates today in the ballots' assemblies, with each holder's flags. A voter with no such
    # mandate is refused whatever their flags, so the flags of mandate holders are enough.
    members: set[tuple[int, int]] = set()
    users: dict[int, tuple[bool, bool]] = {}
    for user_id, assembly_id, is_staff, is_active in (
        Mandate.objects.active_on(timezone.localdate())
        .filter(assembly_id__in=assembly_ids, user_id__in=member_ids)
        .values_list("user_id", "assembly_id", "user__is_staff", "user__is_active")
        .order_by()  # a set: no sort by the model's ordering
    ):
        members.add((user_id, assembly_id))
        users[user_id] = (is_staff, is_active)
    return _Context(
        now=now,
        ballots=ballots,
        options=cast_sql.options(ballots),
        existing=cast_sql.stored_votes(vote_ids),
        rolls={(r.ballot_id, r.member_id): r for r in roll_rows},
        rolls_by_id={r.pk: r for r in roll_rows},
        members=members,
        users=users,
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
    touched = {v.ballot_id for v in rows}
    counts = cast_sql.vote_counts(touched)
    versions = {}
    for ballot_id in touched:
        ballot = ctx.ballots[ballot_id]
        versions[ballot_id] = ballot.version + counts.get(ballot_id, 0)
        _announce(ballot, versions[ballot_id])
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
    final: list[CastResult | DomainError] = []
    for outcome in outcomes:
        if isinstance(outcome, CastResult):
            version = versions.get(outcome.ballot_id)
            if version is None:
                ballot = ctx.ballots[outcome.ballot_id]
                version = _version(ballot.pk, ballot.version)
            outcome = replace(outcome, version=version)
        final.append(outcome)
    return final


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
    _as_uuid(vote_id)
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
    results: list[CastResult | DomainError] = []
    for req in requests:
        try:
            results.append(
                vote_cast(
                    voter=req.voter,
                    ballot=req.ballot,
                    choice=req.choice,
                    vote_id=req.vote_id,
                    on_behalf_of=req.on_behalf_of,
                    sitting=req.sitting,
                )
            )
        except DomainError as exc:
            results.append(exc)
        except Exception:  # one failing request must never abort the others
            logger.exception("vote request failed when replayed alone")
            results.append(CastFailed())
    return results


# ---------------------------------------------------------------------------------------------
# Preparing ballots
# ---------------------------------------------------------------------------------------------

YES_NO_OPTIONS = (("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain")))


def ballot_create(
    *,
    by: User,
    sitting: Sitting,
    title: str,
    kind: str = Ballot.Kind.YES_NO,
    options: Sequence[str] = (),
    description: str = "",
    agenda_item: AgendaItem | None = None,
    proposal: Any = None,
    secret: bool = False,
    live_results: bool = False,
    allow_change: bool = False,
    max_choices: int = 1,
    majority: str = Ballot.Majority.SIMPLE,
    double_majority: bool = False,
    duration_seconds: int | None = None,
) -> Ballot:
    """Prepare a ballot (state "draft") on an agenda item or a proposal of SITTING."""
    _require(by, "votes.manage_ballot", sitting)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("A question is required."), field="title")
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
    if sitting.state == Sitting.State.CLOSED:
        raise Conflict(_("This sitting is closed."), code="sitting_closed")
    if agenda_item is not None and agenda_item.sitting_id != sitting.pk:
        raise ValidationFailed(_("This agenda item belongs to another sitting."), field="agenda_item")
    if proposal is not None and proposal.assembly_id != sitting.assembly_id:
        raise ValidationFailed(_("This proposal belongs to another assembly."), field="proposal")
    if duration_seconds is not None and not 10 <= duration_seconds <= 24 * 3600:
        raise ValidationFailed(_("The duration is between 10 seconds and 24 hours."), field="duration_seconds")
    labels = [o.strip()[:200] for o in options if o and o.strip()]
    if kind == Ballot.Kind.YES_NO:
        labels = []
    else:
        if len(labels) < (1 if kind == Ballot.Kind.CANDIDATES else 2):
            raise ValidationFailed(_("Give at least two options (one candidate)."), field="options")
        if len(set(labels)) != len(labels):
            raise ValidationFailed(_("Two options have the same label."), field="options")
        if len(labels) > 50:
            raise ValidationFailed(_("At most 50 options."), field="options")
    if kind == Ballot.Kind.MULTIPLE:
        if not 1 <= max_choices <= len(labels):
            raise ValidationFailed(_("The maximum number of choices must fit the options."), field="max_choices")
    else:
        max_choices = 1
    if double_majority and kind not in (Ballot.Kind.YES_NO, Ballot.Kind.CANDIDATES, Ballot.Kind.SINGLE):
        raise ValidationFailed(_("A double majority applies to yes/no, single-choice or candidate ballots."))
    with transaction.atomic():
        ballot = Ballot.objects.create(
            sitting=sitting,
            agenda_item=agenda_item,
            title=title[:300],
            description=description.strip(),
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
        if kind == Ballot.Kind.YES_NO:
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
            data={"kind": kind, "secret": secret, "majority": majority, "double_majority": double_majority},
        )
        _announce(ballot, ballot.version)
    return ballot


def _lock(ballot: Ballot | int) -> Ballot:
    # State changes lock the ballot row: two staff pressing "close" (or "open" and "cancel")
    # at once must produce one transition, one verdict, one record. Votes never take this lock.
    try:
        return Ballot.objects.select_for_update().select_related("sitting").get(pk=_pk(ballot, "ballot"))
    except Ballot.DoesNotExist as exc:
        raise NotFound(_("This ballot does not exist.")) from exc


def _insert_roll(ballot: Ballot, electors: list[meeting_selectors.Elector]) -> None:
    """The voter roll of BALLOT, one row per elector, in member order, as one prepared INSERT.

    The room waits for the opening: building 5,000 model instances and their SQL took 0.4 s
    of the 0.5 s an opening cost at that size; the same rows as parameters of one statement
    (sent as a pipeline by psycopg) take about half as long. The model's constraints apply as
    for any insert.
    """
    quote = connection.ops.quote_name
    columns = ("ballot_id", "member_id", "holder_id", "college", "gender", "departement", "has_voted")
    sql = (
        f"INSERT INTO {quote(VoterRoll._meta.db_table)} ({', '.join(quote(c) for c in columns)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(columns))})"
    )
    rows = [
        (ballot.pk, e.user_id, e.holder_id, e.college, e.gender, e.departement, False)
        for e in sorted(electors, key=lambda e: e.user_id)
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def ballot_open(*, by: User, ballot: Ballot, duration_seconds: int | None = None) -> Ballot:
    """Open BALLOT: snapshot the electorate (members present or represented now) and the quorum."""
    _require(by, "votes.manage_ballot", ballot)
    with transaction.atomic():
        ballot = _lock(ballot)
        if ballot.state != Ballot.State.DRAFT:
            raise Conflict(_("Only a prepared ballot can be opened."), code="ballot_not_draft")
        if ballot.sitting.state != Sitting.State.OPEN:
            raise Conflict(_("The sitting is not in session."), code="sitting_not_open")
        if duration_seconds is not None and not 10 <= duration_seconds <= 24 * 3600:
            raise ValidationFailed(_("The duration is between 10 seconds and 24 hours."), field="duration_seconds")
        electors = meeting_selectors.electorate(ballot.sitting)
        quorum = meeting_selectors.quorum(ballot.sitting)
        _insert_roll(ballot, electors)
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
        _announce(ballot, _version(ballot.pk, ballot.version))
        if connection.vendor == "postgresql":
            transaction.on_commit(_analyze_roll)  # after the announcement: phones first
    return ballot


def _analyze_roll() -> None:
    """Refresh PostgreSQL's statistics of the voter roll once a ballot's roll is written.

    A ballot just opened has no statistics: the planner then expects one roll row for it and
    reads the ballot's whole roll (5,000 rows: 2.5 ms) for every vote batch, instead of the
    few rows the batch names (0.1 ms). Autovacuum would fix it within a minute or so, when
    the vote is already over.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(VoterRoll._meta.db_table)}")


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def ballot_extend(*, by: User, ballot: Ballot, seconds: int) -> Ballot:
    """Give more time: the countdown ends SECONDS later than now or than planned, whichever is later."""
    _require(by, "votes.manage_ballot", ballot)
    if not isinstance(seconds, int) or not 10 <= seconds <= 3600:
        raise ValidationFailed(_("Extend by 10 seconds to one hour."), field="seconds")
    with transaction.atomic():
        ballot = _lock(ballot)
        if ballot.state != Ballot.State.OPEN:
            raise BallotClosed() if ballot.state != Ballot.State.DRAFT else BallotNotOpen()
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
        _announce(ballot, _version(ballot.pk, ballot.version))
    return ballot


def ballot_cancel(*, by: User, ballot: Ballot, reason: str = "") -> Ballot:
    """Cancel a prepared or open ballot; its votes are kept but never counted."""
    _require(by, "votes.manage_ballot", ballot)
    with transaction.atomic():
        ballot = _lock(ballot)
        if ballot.state not in (Ballot.State.DRAFT, Ballot.State.OPEN):
            raise Conflict(_("Only a prepared or open ballot can be cancelled."), code="ballot_not_cancellable")
        before = ballot.state
        ballot.state = Ballot.State.CANCELLED
        ballot.closed_at = timezone.now()
        ballot.version += 1
        ballot.save(update_fields=["state", "closed_at", "version"])
        audit.record(
            actor=by, action="votes.ballot_cancel", target=ballot, reason=reason.strip(), data={"before": before}
        )
        _announce(ballot, _version(ballot.pk, ballot.version))
    return ballot


def ballot_close(*, by: User | None, ballot: Ballot) -> Verdict:
    """Close BALLOT and store its verdict (quorum, counts, breakdowns, fingerprint).

    BY is None when the countdown closes it (`ballots_close_due`). A ballot on a proposal
    that is adopted is reported to `proposals.services.proposal_record_verdict`.
    """
    if by is not None:
        _require(by, "votes.manage_ballot", ballot)
    with transaction.atomic():
        ballot = _lock(ballot)
        if ballot.state != Ballot.State.OPEN:
            raise BallotClosed() if ballot.state != Ballot.State.DRAFT else BallotNotOpen()
        ballot.state = Ballot.State.CLOSED
        ballot.closed_at = timezone.now()
        ballot.version += 1
        ballot.save(update_fields=["state", "closed_at", "version"])
        verdict = _compute_verdict(ballot)
        audit.record(
            actor=by,
            action="votes.ballot_close",
            target=ballot,
            data={"outcome": verdict.outcome, "votes_cast": verdict.votes_cast, "fingerprint": verdict.fingerprint},
        )
        _report_to_proposal(by, ballot, verdict)
        _announce(ballot, _version(ballot.pk, ballot.version))
    return verdict


def ballots_close_due(*, now: dt.datetime | None = None) -> list[Verdict]:
    """Close every open ballot whose countdown is over (called periodically by the live transport)."""
    now = now or timezone.now()
    verdicts = []
    for ballot_id in Ballot.objects.filter(state=Ballot.State.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        try:
            verdicts.append(ballot_close(by=None, ballot=ballot_id))
        except DomainError:
            continue  # closed meanwhile by staff
    return verdicts


def _compute_verdict(ballot: Ballot) -> Verdict:
    # Local import: selectors import services' siblings only; kept here to avoid a cycle.
    from votes.selectors import current_votes, electorate_breakdown

    options = list(BallotOption.objects.filter(ballot=ballot).order_by("position").values_list("id", "code"))
    option_ids = [o for o, _code in options]
    codes = dict(options)
    rows = current_votes(ballot)
    choices = [r.choice for r in rows]
    counted = tally.tally(ballot.kind, option_ids, choices)
    by_college: dict[str, list] = defaultdict(list)
    for r in rows:
        by_college[r.college].append(r.choice)
    decision = tally.decide(
        kind=ballot.kind,
        rule=ballot.majority,
        double=ballot.double_majority,
        option_ids=option_ids,
        option_codes=codes,
        choices_by_college=by_college,
        max_choices=ballot.max_choices,
    )
    breakdown: dict[str, Any] = {"participation": electorate_breakdown(ballot)}
    breakdown["results_by_college"] = {
        k: tally.tally(ballot.kind, option_ids, v).as_dict() for k, v in sorted(by_college.items()) if k
    }
    if not ballot.secret:
        # Named ballots only: a breakdown of results by gender or département could reveal
        # a secret vote in a small group.
        for attr in ("gender", "departement"):
            groups: dict[str, list] = defaultdict(list)
            for r in rows:
                groups[getattr(r, attr)].append(r.choice)
            breakdown[f"results_by_{attr}"] = {
                k: tally.tally(ballot.kind, option_ids, v).as_dict() for k, v in sorted(groups.items())
            }
    if not ballot.quorum_reached:
        outcome = Verdict.Outcome.NO_QUORUM
    elif decision.adopted is None:
        outcome = Verdict.Outcome.DECIDED
    else:
        outcome = Verdict.Outcome.ADOPTED if decision.adopted else Verdict.Outcome.REJECTED
    lines = [(f"{r.member_id}:" if not ballot.secret else "") + tally.canonical(r.choice) for r in rows]
    return Verdict.objects.create(
        ballot=ballot,
        outcome=outcome,
        majority=ballot.majority,
        double_majority=ballot.double_majority,
        members_count=ballot.members_count,
        present_count=ballot.present_count,
        represented_count=ballot.represented_count,
        quorum_reached=ballot.quorum_reached,
        electorate=VoterRoll.objects.filter(ballot=ballot).count(),
        votes_cast=len(rows),
        counts=counted.as_dict(),
        results={"winners": decision.winners, **decision.detail},
        breakdown=breakdown,
        fingerprint=tally.fingerprint(lines),
    )


def _report_to_proposal(by: User | None, ballot: Ballot, verdict: Verdict) -> None:
    if ballot.proposal_id is None or ballot.kind != Ballot.Kind.YES_NO or verdict.outcome == Verdict.Outcome.NO_QUORUM:
        return
    try:
        # The verdict stands even if the proposal cannot move (e.g. withdrawn meanwhile).
        with transaction.atomic():
            proposal_services.proposal_record_verdict(
                by=by, proposal=ballot.proposal, adopted=verdict.adopted, ballot_ref=f"ballot:{ballot.pk}"
            )
    except DomainError as exc:
        logger.warning("ballot %s: proposal %s not updated (%s)", ballot.pk, ballot.proposal_id, exc.code)
