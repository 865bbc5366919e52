"""The live room over websockets: phones, the projector and the staff control page of a sitting.

Protocol: docs/realtime-protocol.md (version 1). One socket per page, on
`/ws/v1/sittings/<sitting id>/`; members and staff are identified by their session, the
projector by a staff-issued screen link (`?screen=<signed token>`, read-only).

- On connect (and on `resync`) the client gets `hello` then a `snapshot`: the sitting's live
  state plus what this viewer may cast (their own vote, the proxies they hold).
- Every change announced by a service (`sitting.<id>` topic) marks the sitting's room dirty;
  the room recomputes the public state once per process and sends it, coalesced, to every
  local socket of each audience (`screen` ~10 Hz, `phone` 2 Hz, `staff` 2 Hz) as `state`.
- `vote.cast` goes through the process's batch writer into `votes.services.votes_cast_batch`
  (group commit); `vote.ack` is sent only after the batch committed; a replay of the same
  `vote_id` gets the same answer. The service checks the voter's rights with fresh data
  (mandate today, staff flag, electorate, proxy) for every vote.
- Every other message re-checks the named rules with fresh roles before it is handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from types import SimpleNamespace
from typing import Any, NamedTuple

from asgiref.sync import sync_to_async
from django.utils.translation import gettext as _

from assembly.models import User
from assembly.selectors import roles_of
from core.errors import DomainError, NotFound
from meetings.models import Sitting
from meetings.selectors import sittings as meeting_selectors
from realtime import tickets
from realtime.batching import BatchWriter
from realtime.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    PROTOCOL_VERSION,
    JsonSocketConsumer,
    ProtocolError,
)
from realtime.rooms import Room, rooms
from votes import selectors, services
from votes.live import PHONE, SCREEN, STAFF, audience_of, sitting_id_from_screen_token
from votes.models import Ballot

logger = logging.getLogger(__name__)
_display_name = User.display_name.fget

RATES = {"screen": 10.0, "phone": 2.0, "staff": 2.0}
# Frames a second one process sends to one audience at most: up to 5,000 phones on a process
# get 2 updates a second; 10,000 get 1 (a fan-out costs ~30 µs a socket on the event loop,
# which also carries every vote and its acknowledgement).
FRAME_BUDGET = 10_000.0

# ---------------------------------------------------------------------------------------------
# The public state of a sitting, computed once per process per update
# ---------------------------------------------------------------------------------------------

_PUBLIC_BALLOT_KEYS = (
    "id",
    "title",
    "description",
    "kind",
    "secret",
    "live_results",
    "allow_change",
    "max_choices",
    "majority",
    "options",
    "state",
    "version",
    "opened_at",
    "closes_at",
    "closed_at",
    "participation",
    "counts",
    "agenda_item",
)


def _public_ballot(snapshot: dict) -> dict:
    data = {key: snapshot.get(key) for key in _PUBLIC_BALLOT_KEYS}
    verdict = snapshot.get("verdict")
    if verdict:
        data["verdict"] = {
            key: verdict.get(key)
            for key in ("outcome", "majority", "quorum_reached", "electorate", "votes_cast", "counts", "results")
        }
    else:
        data["verdict"] = None
    return data


class SittingState:
    """The room's state function: recomputes only the ballots named by the notifications."""

    NON_VOTERS_EVERY = 1.0  # seconds: the staff list of who has not voted is the costly part
    NON_VOTERS_SHOWN = 200  # names sent to the staff; beyond, a count (nobody reads 20,000 names)

    def __init__(self, sitting_id: int) -> None:
        self.sitting_id = sitting_id
        self.sitting: dict[str, Any] | None = None
        self.ballots: dict[int, dict] = {}
        self.non_voters: dict[int, list[dict]] = {}
        self.non_voters_count: dict[int, int] = {}
        self.non_voters_at: dict[int, float] = {}
        self.stale_non_voters: set[int] = set()
        self.present_ids: frozenset[int] = frozenset()  # members checked in (phones' `present`)

    def __call__(self, changes: list[str] | None, audiences: frozenset[str] = frozenset({STAFF})) -> dict[str, Any]:
        sitting = Sitting.objects.select_related("meeting").get(pk=self.sitting_id)
        touched: set[int] | None = set()
        for payload in changes or ():
            try:
                note = json.loads(payload)
            except ValueError:
                touched = None
                break
            if note.get("type") == "ballot.changed" and isinstance(note.get("ballot"), int):
                touched.add(note["ballot"])
            else:  # attendance, proxies, agenda: the sitting part changes too
                touched = None
                break
        if changes is None or touched is None or self.sitting is None:
            summary = meeting_selectors.sitting_summary(sitting)
            self.sitting = {
                "id": sitting.pk,
                "title": sitting.title,
                "state": sitting.state,
                "quorum": summary["quorum"],
            }
            self.present_ids = frozenset(meeting_selectors.present_user_ids(sitting))
            touched = None
        shown = self._shown_ballots(sitting)
        for ballot in shown:
            if touched is None or ballot.pk in touched or ballot.pk not in self.ballots:
                self.ballots[ballot.pk] = _public_ballot(selectors.ballot_snapshot(ballot=ballot, viewer=None))
                self.stale_non_voters.add(ballot.pk)
            if STAFF in audiences and ballot.pk in self.stale_non_voters:
                self._refresh_non_voters(ballot)
        ids = [b.pk for b in shown]
        self.ballots = {pk: self.ballots[pk] for pk in ids}
        public = {"type": "state", "sitting": self.sitting, "ballots": [self.ballots[pk] for pk in ids]}
        staff = {
            **public,
            "ballots": [
                {
                    **self.ballots[pk],
                    "non_voters": self.non_voters.get(pk),
                    "non_voters_count": self.non_voters_count.get(pk),
                }
                for pk in ids
            ],
        }
        return {PHONE: public, SCREEN: public, STAFF: staff}

    def _refresh_non_voters(self, ballot: Ballot) -> None:
        """Who has not voted yet (named ballots), for the staff: at most once a second, the first
        NON_VOTERS_SHOWN names in alphabetical order and how many there are in all."""
        now = time.monotonic()
        if now - self.non_voters_at.get(ballot.pk, 0.0) < self.NON_VOTERS_EVERY:
            return
        self.non_voters_at[ballot.pk] = now
        self.stale_non_voters.discard(ballot.pk)
        if ballot.state == Ballot.State.OPEN and not ballot.secret:
            # Plain rows, not model instances, on the thread the phones' state waits for. The
            # name is the User's own `display_name` rule, applied to the row.
            waiting = selectors.non_voters(ballot)
            rows = list(
                waiting.values_list(
                    "member_id", "member__first_name", "member__last_name", "member__email", "member__erased_at"
                )[: self.NON_VOTERS_SHOWN]
            )
            self.non_voters_count[ballot.pk] = len(rows) if len(rows) < self.NON_VOTERS_SHOWN else waiting.count()
            self.non_voters[ballot.pk] = [
                {
                    "member": member_id,
                    "name": _display_name(
                        SimpleNamespace(first_name=first, last_name=last, email=email, erased_at=erased)
                    ),
                }
                for member_id, first, last, email, erased in rows
            ]
        else:
            self.non_voters.pop(ballot.pk, None)
            self.non_voters_count.pop(ballot.pk, None)

    def _shown_ballots(self, sitting: Sitting) -> list[Ballot]:
        """Open ballots, plus the last closed or cancelled one (its verdict stays on screen)."""
        ballots = list(selectors.sitting_ballots(sitting))
        shown = [b for b in ballots if b.state == Ballot.State.OPEN]
        ended = [b for b in ballots if b.state in (Ballot.State.CLOSED, Ballot.State.CANCELLED) and b.closed_at]
        if ended:
            shown.append(max(ended, key=lambda b: (b.closed_at, b.pk)))
        return shown


# Sittings by id, for the connect-time checks of every phone of a room (their assembly does not
# change; a sitting is never deleted while its room is live). Only hits are kept, briefly.
SITTING_CACHE_SECONDS = 30.0
_sittings: dict[int, tuple[float, Sitting]] = {}


def _sitting(sitting_id: int) -> Sitting | None:
    """The sitting (pk, assembly, title, state), from a 30-second process cache. Database thread."""
    now = time.monotonic()
    hit = _sittings.get(sitting_id)
    if hit is not None and now - hit[0] < SITTING_CACHE_SECONDS:
        return hit[1]
    sitting = Sitting.objects.filter(pk=sitting_id).only("pk", "assembly_id", "meeting_id", "title", "state").first()
    if sitting is None:
        _sittings.pop(sitting_id, None)
        return None
    _sittings[sitting_id] = (now, sitting)
    return sitting


def forget_sittings() -> None:
    """Empty the sitting cache (tests: ids are reused from one test database to the next)."""
    _sittings.clear()


def _open_ballot_ids(state: dict[str, Any]) -> tuple[int, ...]:
    public = state.get(PHONE) or {}
    return tuple(b["id"] for b in public.get("ballots", ()) if b.get("state") == Ballot.State.OPEN)


def _room_factory(sitting_id: int):
    topic = f"sitting.{sitting_id}"
    return lambda: Room(topic, SittingState(sitting_id), rates=RATES, frame_budget=FRAME_BUDGET)


# ---------------------------------------------------------------------------------------------
# The batch writer of this process
# ---------------------------------------------------------------------------------------------


def _cast_batch(items: list[tuple[int, Any, dict]]) -> list:
    """(sitting id, voter, vote.cast message) → CastResult or DomainError, one per item."""
    return services.votes_cast_batch(
        [
            services.CastRequest(
                voter=voter,
                ballot=int(message["ballot"]),
                choice=message.get("choice"),
                vote_id=message["vote_id"],
                on_behalf_of=message.get("on_behalf_of"),
                sitting=sitting_id,
            )
            for sitting_id, voter, message in items
        ]
    )


# A 10 ms linger groups the votes of a burst: at a few hundred votes a second per process it
# cut the server's CPU during the vote by a quarter (docs/performance-live.md).
writer: BatchWriter = BatchWriter(_cast_batch, max_batch=500, linger=0.01, name="votes")

# ---------------------------------------------------------------------------------------------
# Countdown: ballots whose time is up are closed by the live process
# ---------------------------------------------------------------------------------------------

_closer: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}


def _ensure_closer() -> None:
    loop = asyncio.get_running_loop()
    if loop in _closer:
        return
    for old in list(_closer):
        if old.is_closed():
            del _closer[old]

    async def tick() -> None:
        while True:
            await asyncio.sleep(1.0)
            if not rooms.rooms:
                continue
            with contextlib.suppress(Exception):
                await sync_to_async(services.ballots_close_due, thread_sensitive=True)()

    _closer[loop] = loop.create_task(tick(), name="votes-close-due")


# ---------------------------------------------------------------------------------------------
# The consumer
# ---------------------------------------------------------------------------------------------

_READ_ONLY = {"resync", "ping"}


class Personal(NamedTuple):
    """The personal part of a phone's snapshot, and the open ballots it covers."""

    ballots: frozenset[int]
    may_cast: dict[str, list]
    present: bool


class SittingConsumer(JsonSocketConsumer):
    handlers = {
        "resync": "handle_resync",
        "ping": "handle_ping",
        "vote.cast": "handle_vote_cast",
        "ballot.open": "handle_ballot_control",
        "ballot.close": "handle_ballot_control",
        "ballot.extend": "handle_ballot_control",
        "ballot.cancel": "handle_ballot_control",
    }

    # --- connect ---------------------------------------------------------------------------

    async def authenticate(self) -> bool:
        self.sitting_id = int(self.scope["url_route"]["kwargs"]["sitting_id"])
        self.user = None
        self.audience = None
        self.personal: Personal | None = None
        self._known: tuple[tuple[int, ...], frozenset[int]] | None = None
        token = self.query_param("screen")
        if token:
            if sitting_id_from_screen_token(token) != self.sitting_id:
                return False
            self.audience = SCREEN
            return await sync_to_async(_sitting)(self.sitting_id) is not None
        # What the room of this process knows (open ballots, who is present), so that the
        # personal part of the snapshot costs at most one small query in the same round trip.
        # A stale room is brought up to date first: one computation shared by every socket of
        # a storm, instead of three queries per socket.
        room = rooms.peek(f"sitting.{self.sitting_id}")
        if room is not None:
            state = await room.current_state()
            if state:  # not a room whose first computation failed
                self._known = (_open_ballot_ids(state), room.state_function.present_ids)
        # One database round trip: session → user → (cached) sitting → fresh roles → rules →
        # the personal part.
        return await super().authenticate()

    def authorize(self) -> bool:
        sitting = self._existing_sitting()
        self.audience = audience_of(self.user, sitting)
        if self.audience is None:
            raise ProtocolError("forbidden", _("You cannot follow this sitting."), close=CLOSE_FORBIDDEN)
        self._prepare_personal()
        return True

    def accepts_ticket(self, granted: tickets.Pass) -> bool:
        return granted.grant in (PHONE, STAFF)

    def authorize_ticket(self, granted: tickets.Pass) -> bool:
        """The live page that issued the ticket ran `audience_of` for this user seconds ago."""
        self._existing_sitting()
        self.audience = granted.grant
        if self.audience == STAFF:
            # The staff page shows names: its user is read in full (a handful of sockets).
            self.user = User.objects.filter(pk=granted.user_id, is_active=True).first()
            if self.user is None:
                return False
        self._prepare_personal()
        return True

    def _existing_sitting(self) -> Sitting:
        sitting = _sitting(self.sitting_id)
        if sitting is None:
            raise ProtocolError("not_found", _("This sitting does not exist."), close=CLOSE_NOT_FOUND)
        return sitting

    def _prepare_personal(self) -> None:
        if self.audience == PHONE:
            self.personal = self._personal(*self._known) if self._known is not None else self._personal_from_db()

    async def websocket_connect(self, message: dict) -> None:
        # ProtocolError from authenticate() → accept, explain, close with its code.
        try:
            await super().websocket_connect(message)
        except ProtocolError as error:
            await self.accept()
            await self.send_error(error.code, error.message, close=error.close)

    async def on_open(self) -> None:
        _ensure_closer()
        self.room = rooms.join(f"sitting.{self.sitting_id}", self, self.audience, _room_factory(self.sitting_id))
        await self.send_json(
            {
                "type": "hello",
                "protocol": PROTOCOL_VERSION,
                "role": self.audience,
                "user": self.user.pk if self.user is not None else None,
                "sitting": self.sitting_id,
            }
        )
        await self.send_snapshot()

    async def on_close(self) -> None:
        rooms.leave(f"sitting.{self.sitting_id}", self)

    async def send_snapshot(self, ref: Any = None) -> None:
        state = await self.room.current_state()
        public = state.get(self.audience) or {"sitting": None, "ballots": []}
        may_cast: dict[str, list] = {}
        present = False
        if self.audience == PHONE:
            open_ids = _open_ballot_ids(state)
            personal, self.personal = self.personal, None  # fresh on the next resync
            if personal is None or personal.ballots != frozenset(open_ids):
                # Resync, or the open ballots changed since connect: the viewer's rolls of the
                # open ballots in one query (none when no ballot is open); presence from the room.
                present_ids = self.room.state_function.present_ids
                if open_ids:
                    personal = await sync_to_async(self._personal)(open_ids, present_ids)
                else:
                    personal = Personal(frozenset(), {}, self.user.pk in present_ids)
            may_cast, present = personal.may_cast, personal.present
        body = {**public, "type": "snapshot", "may_cast": may_cast, "present": present}
        if ref is not None:
            body["ref"] = ref
        await self.send_json(body)

    def _personal(self, open_ids: tuple[int, ...], present_ids: frozenset[int]) -> Personal:
        """What this member may cast on each open ballot (own vote, proxies held): 0 or 1 query."""
        casts = selectors.may_cast_on_ballots(ballot_ids=list(open_ids), viewer=self.user)
        may_cast = {str(pk): rows for pk, rows in casts.items()}
        return Personal(frozenset(open_ids), may_cast, self.user.pk in present_ids)

    def _personal_from_db(self) -> Personal:
        """The same, when this process has no fresh state of the room yet (first socket)."""
        open_ids = tuple(
            Ballot.objects.filter(sitting_id=self.sitting_id, state=Ballot.State.OPEN).values_list("pk", flat=True)
        )
        casts = selectors.may_cast_on_ballots(ballot_ids=list(open_ids), viewer=self.user)
        present = meeting_selectors.is_present(sitting=Sitting(pk=self.sitting_id), user=self.user)
        return Personal(frozenset(open_ids), {str(pk): rows for pk, rows in casts.items()}, present)

    # --- rights, on every message -----------------------------------------------------------

    async def check_rights(self, message: dict) -> None:
        kind = message["type"]
        if self.audience == SCREEN:
            if kind not in _READ_ONLY:
                raise ProtocolError("forbidden", _("A screen link is read-only."))
            return
        if kind == "vote.cast":
            # Checked by votes_cast_batch for every vote, in bulk and with fresh data: a mandate
            # today, not staff, active, in the electorate, holder of the proxy.
            return
        await sync_to_async(self._check_rights)(kind)

    def _check_rights(self, kind: str) -> None:
        self.user.refresh_from_db(fields=["is_active", "is_staff", "is_superuser"])
        roles_of(self.user, fresh=True)
        sitting = _sitting(self.sitting_id)
        if sitting is None:
            raise ProtocolError("not_found", _("This sitting does not exist."), close=CLOSE_NOT_FOUND)
        if not self.user.is_active:
            raise ProtocolError("unauthenticated", _("Please sign in again."), close=CLOSE_UNAUTHENTICATED)
        if not self.user.has_perm("votes.view_ballot", sitting):
            raise ProtocolError("forbidden", _("You cannot follow this sitting."), close=CLOSE_FORBIDDEN)
        if kind.startswith("ballot.") and not self.user.has_perm("votes.manage_ballot", sitting):
            raise ProtocolError("forbidden", _("Only the staff run ballots."))

    # --- handlers ---------------------------------------------------------------------------

    async def handle_ping(self, message: dict) -> None:
        await self.send_json({"type": "pong", "ref": message.get("ref")})

    async def handle_resync(self, message: dict) -> None:
        await self.send_snapshot(ref=message.get("ref"))

    async def handle_vote_cast(self, message: dict) -> None:
        vote_id = message.get("vote_id")
        if not isinstance(vote_id, str) or not 1 <= len(vote_id) <= 64:
            raise ProtocolError("invalid", _("The vote id must be a UUID."), field="vote_id")
        ballot = message.get("ballot")
        if isinstance(ballot, bool) or not isinstance(ballot, int):
            await self.send_error("invalid", _("Name the ballot."), field="ballot", ref=vote_id)
            return
        behalf = message.get("on_behalf_of")
        if behalf is not None and (isinstance(behalf, bool) or not isinstance(behalf, int)):
            await self.send_error("invalid", _("Name the member you represent."), field="on_behalf_of", ref=vote_id)
            return
        try:
            outcome = await writer.submit((self.sitting_id, self.user, message))
        except Exception:
            logger.exception("votes: a batch failed")
            await self.send_error(
                "unavailable", _("Your vote could not be recorded yet. It will be sent again."), ref=vote_id
            )
            return
        if isinstance(outcome, DomainError):
            body = outcome.as_dict()
            await self.send_error(body["code"], body["message"], field=body.get("field"), ref=vote_id)
            return
        await self.send_json({"type": "vote.ack", **outcome.as_dict(), "ref": vote_id})

    async def handle_ballot_control(self, message: dict) -> None:
        ref = message.get("ref")
        try:
            result = await sync_to_async(self._control)(message)
        except DomainError as error:
            body = error.as_dict()
            await self.send_error(body["code"], body["message"], field=body.get("field"), ref=ref)
            return
        await self.send_json({"type": "ok", "ref": ref, **result})

    def _control(self, message: dict) -> dict:
        ballot_id = message.get("ballot")
        if isinstance(ballot_id, bool) or not isinstance(ballot_id, int):
            raise NotFound(_("This ballot does not exist."))
        ballot = Ballot.objects.select_related("sitting").filter(pk=ballot_id, sitting_id=self.sitting_id).first()
        if ballot is None:
            raise NotFound(_("This ballot is not part of this sitting."))
        kind = message["type"]
        if kind == "ballot.open":
            duration = message.get("duration_seconds")
            services.ballot_open(by=self.user, ballot=ballot, duration_seconds=duration if duration else None)
        elif kind == "ballot.close":
            services.ballot_close(by=self.user, ballot=ballot)
        elif kind == "ballot.extend":
            services.ballot_extend(by=self.user, ballot=ballot, seconds=message.get("seconds"))
        else:
            reason = message.get("reason") or ""
            services.ballot_cancel(by=self.user, ballot=ballot, reason=str(reason)[:500])
        return {"ballot": ballot.pk, "action": kind}
