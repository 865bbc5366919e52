"""The live room over websockets: phones, the projector and the staff control page of a sitting.

Protocol: docs/realtime-protocol.md (version 1). One socket per page, on
`/ws/v1/sittings/<sitting id>/`; members and staff are identified by their session, the
projector by a staff-issued screen link (`?screen=<signed token>`, read-only).

Thin: the connect checks, then each message is parsed, handed to `commands` and answered.
- On connect (and on `resync`) the client gets `hello` then a `snapshot`: the sitting's live
  state plus what this viewer may cast (their own vote, the proxies they hold) — `state`.
- Every change announced by a service (`sitting.<id>` topic) marks the sitting's room dirty;
  the room recomputes the public state once per process and sends it, coalesced, to every
  local socket of each audience (`screen` ~10 Hz, `phone` 2 Hz, `staff` 2 Hz) as `state`.
- `vote.cast` is checked by `commands.vote_request`, then goes through the process's batch
  writer (`runtime.writer`, group commit); `vote.ack` is sent only after the batch committed;
  a replay of the same `vote_id` gets the same answer. The service checks the voter's rights
  with fresh data (mandate today, staff flag, electorate, proxy) for every vote.
- `vote.assist` (staff): the vote of a present member without a phone, recorded at the desk;
  checked by `commands.assist_request`, written at once (not batched: a handful per sitting)
  by `commands.assist`, answered `vote.ack` (with `"assisted": true`) after commit.
- Every other message re-checks the named rules with fresh roles before it is handled.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from django.utils.translation import gettext as _

from assembly.models import User
from assembly.selectors import roles_of
from core.errors import DomainError, ValidationFailed
from meetings.models import Sitting
from realtime import tickets
from realtime.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    PROTOCOL_VERSION,
    JsonSocketConsumer,
    ProtocolError,
)
from realtime.rooms import Room, rooms
from votes.live import commands, runtime, state
from votes.live.access import PHONE, SCREEN, STAFF, audience_of, sitting_id_from_screen_token

logger = logging.getLogger(__name__)

_READ_ONLY = {"resync", "ping"}


def _vote_ref(message: dict) -> str | None:
    """The `ref` of every answer to a vote: its vote id, when it can be a `ref` (text of 1 to 64 characters)."""
    vote_id = message.get("vote_id")
    return vote_id if isinstance(vote_id, str) and 1 <= len(vote_id) <= 64 else None


def _present_ids(room: Room) -> frozenset[int]:
    """Who the sitting's room knows to be checked in: its state function is a `state.SittingState`
    (`runtime.room_factory`)."""
    sitting_state = room.state_function
    assert isinstance(sitting_state, state.SittingState)
    return sitting_state.present_ids


class SittingConsumer(JsonSocketConsumer):
    user: User | None  # None for the projector: a screen link signs nobody in

    handlers = {
        "resync": "handle_resync",
        "ping": "handle_ping",
        "vote.cast": "handle_vote_cast",
        "vote.assist": "handle_vote_assist",
        "ballot.open": "handle_ballot_action",
        "ballot.close": "handle_ballot_action",
        "ballot.extend": "handle_ballot_action",
        "ballot.cancel": "handle_ballot_action",
    }

    # --- connect ---------------------------------------------------------------------------

    async def authenticate(self) -> bool:
        self.sitting_id = int(self.scope["url_route"]["kwargs"]["sitting_id"])
        self.user = None
        self.audience = None
        self.personal: state.Personal | None = None
        self._known: tuple[tuple[int, ...], frozenset[int]] | None = None
        token = self.query_param("screen")
        if token:
            if sitting_id_from_screen_token(token) != self.sitting_id:
                return False
            self.audience = SCREEN
            return await sync_to_async(runtime.cached_sitting)(self.sitting_id) is not None
        # What the room of this process knows (open ballots, who is present), so that the
        # personal part of the snapshot costs at most one small query in the same round trip.
        # A stale room is brought up to date first: one computation shared by every socket of
        # a storm, instead of three queries per socket.
        room = rooms.peek(runtime.topic(self.sitting_id))
        if room is not None:
            current = await room.current_state()
            if current:  # not a room whose first computation failed
                self._known = (state.open_ballot_ids(current), _present_ids(room))
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

    def _signed_in(self) -> User:
        """The user of a phone's or the staff's socket. Only a screen link's socket has none, and it
        sends only read-only messages (`check_rights`), which never ask for one."""
        assert self.user is not None, "a screen link's socket has no user"
        return self.user

    def _existing_sitting(self) -> Sitting:
        sitting = runtime.cached_sitting(self.sitting_id)
        if sitting is None:
            raise ProtocolError("not_found", _("This sitting does not exist."), close=CLOSE_NOT_FOUND)
        return sitting

    def _prepare_personal(self) -> None:
        if self.audience != PHONE:
            return
        if self._known is not None:
            open_ids, present_ids = self._known
            self.personal = state.personal(viewer=self._signed_in(), open_ids=open_ids, present_ids=present_ids)
        else:
            self.personal = state.personal_from_db(sitting_id=self.sitting_id, viewer=self._signed_in())

    async def websocket_connect(self, message: dict) -> None:
        # ProtocolError from authenticate() → accept, explain, close with its code.
        try:
            await super().websocket_connect(message)
        except ProtocolError as error:
            await self.accept()
            await self.send_error(error.code, error.message, close=error.close)

    async def on_open(self) -> None:
        assert self.audience is not None  # set by the connect that succeeded
        self.room = rooms.join(
            runtime.topic(self.sitting_id), self, self.audience, runtime.room_factory(self.sitting_id)
        )
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
        rooms.leave(runtime.topic(self.sitting_id), self)

    async def send_snapshot(self, ref: Any = None) -> None:
        assert self.audience is not None  # set by the connect that succeeded
        current = await self.room.current_state()
        mine = state.NOBODY
        if self.audience == PHONE:
            open_ids = state.open_ballot_ids(current)
            prepared, self.personal = self.personal, None  # fresh on the next resync
            if prepared is None or prepared.ballots != frozenset(open_ids):
                # Resync, or the open ballots changed since connect: the viewer's rolls of the
                # open ballots in one query (none when no ballot is open); presence from the room.
                present_ids = _present_ids(self.room)
                if open_ids:
                    mine = await sync_to_async(state.personal)(
                        viewer=self._signed_in(), open_ids=open_ids, present_ids=present_ids
                    )
                else:
                    mine = state.personal(viewer=self._signed_in(), open_ids=open_ids, present_ids=present_ids)
            else:
                mine = prepared
        await self.send_json(state.snapshot_message(current.get(self.audience), mine, ref))

    def answer_ref(self, message: dict) -> Any:
        """Every answer to a vote has its vote id as `ref` (docs/realtime-protocol.md), a refusal of its `ref` too."""
        return _vote_ref(message) if message.get("type") in ("vote.cast", "vote.assist") else None

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
        user = self._signed_in()
        user.refresh_from_db(fields=["is_active", "is_staff", "is_superuser"])
        roles_of(user, fresh=True)
        sitting = runtime.cached_sitting(self.sitting_id)
        if sitting is None:
            raise ProtocolError("not_found", _("This sitting does not exist."), close=CLOSE_NOT_FOUND)
        if not user.is_active:
            raise ProtocolError("unauthenticated", _("Please sign in again."), close=CLOSE_UNAUTHENTICATED)
        if not user.has_perm("votes.view_ballot", sitting):
            raise ProtocolError("forbidden", _("You cannot follow this sitting."), close=CLOSE_FORBIDDEN)
        if kind.startswith("ballot.") and not user.has_perm("votes.manage_ballot", sitting):
            raise ProtocolError("forbidden", _("Only the staff run ballots."))
        if kind == "vote.assist" and not user.has_perm("votes.assist_vote", sitting):
            raise ProtocolError("forbidden", _("Only the staff record a vote at the desk."))

    # --- handlers ---------------------------------------------------------------------------

    async def send_domain_error(self, error: DomainError, ref: Any) -> None:
        body = error.as_dict()
        await self.send_error(body["code"], body["message"], field=body.get("field"), ref=ref)

    async def handle_ping(self, message: dict) -> None:
        await self.send_json({"type": "pong", "ref": message.get("ref")})

    async def handle_resync(self, message: dict) -> None:
        await self.send_snapshot(ref=message.get("ref"))

    async def handle_vote_cast(self, message: dict) -> None:
        ref = _vote_ref(message)
        try:
            request = commands.vote_request(voter=self._signed_in(), message=message, sitting_id=self.sitting_id)
        except ValidationFailed as error:
            if ref is None:  # no vote id to answer with: the error carries the message's own `ref`
                raise ProtocolError(error.code, error.message, field=error.field) from None
            await self.send_domain_error(error, ref)
            return
        try:
            outcome = await runtime.writer.submit(request)
        except Exception:
            logger.exception("votes: a batch failed")
            await self.send_error(
                "unavailable", _("Your vote could not be recorded yet. It will be sent again."), ref=ref
            )
            return
        if isinstance(outcome, DomainError):
            await self.send_domain_error(outcome, ref)
            return
        await self.send_json({"type": "vote.ack", **outcome.as_dict(), "ref": ref})

    async def handle_vote_assist(self, message: dict) -> None:
        ref = _vote_ref(message)
        try:
            request = commands.assist_request(by=self._signed_in(), message=message, sitting_id=self.sitting_id)
        except ValidationFailed as error:
            if ref is None:  # no vote id to answer with: the error carries the message's own `ref`
                raise ProtocolError(error.code, error.message, field=error.field) from None
            await self.send_domain_error(error, ref)
            return
        try:
            outcome = await sync_to_async(commands.assist)(request)
        except DomainError as error:
            await self.send_domain_error(error, ref)
            return
        except DatabaseError:
            logger.exception("votes: an assisted vote failed")
            await self.send_error("unavailable", _("This vote could not be recorded yet. Send it again."), ref=ref)
            return
        await self.send_json({"type": "vote.ack", **outcome.as_dict(), "ref": ref})

    async def handle_ballot_action(self, message: dict) -> None:
        ref = message.get("ref")
        action = message["type"].removeprefix("ballot.")
        try:
            ballot = await sync_to_async(commands.ballot_action)(
                by=self._signed_in(),
                action=action,
                ballot=message.get("ballot"),
                sitting_id=self.sitting_id,
                arguments=message,
            )
        except DomainError as error:
            await self.send_domain_error(error, ref)
            return
        await self.send_json({"type": "ok", "ref": ref, "ballot": ballot.pk, "action": message["type"]})
