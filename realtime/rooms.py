"""Rooms: the local sockets of one topic, with coalesced state updates.

A room listens to one hub topic (for example `sitting.12`). A notification only marks the
room dirty; the room then recomputes its small state from the database once (in a worker
thread), serialises it once per audience and sends the same frame to every local socket of
that audience. Each audience has its own maximum rate (the projector about 10 Hz, phones a few
Hz), so a burst of 2,000 votes produces a bounded number of frames per second, not one frame
per vote per socket (which would be N²).

Throttling is leading-edge + trailing-edge: after a quiet period the first notification is
sent at once (a ballot that opens reaches phones without waiting for a tick), the following
ones within the interval are folded into one trailing update that carries the final state.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any, Protocol

from asgiref.sync import sync_to_async

from realtime.frames import text_frame
from realtime.hub import RESYNC, get_hub

logger = logging.getLogger(__name__)

StateFunction = Callable[[list[str] | None, frozenset[str]], dict[str, Any]]
"""Computes {audience: message or None} from the notifications received since the last call
(None: recompute everything — first call, bus re-established, periodic refresh) for the
audiences that have sockets here; runs in a worker thread and may query the database."""


class Socket(Protocol):
    # A socket may also have `write_frame(frame: bytes) -> bool` (realtime.frames): the room
    # then serialises the frame once and writes it directly; a False answer means "use send_text".
    async def send_text(self, text: str) -> None: ...


def dumps(message: Any) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


class Room:
    def __init__(
        self,
        topic: str,
        state: StateFunction,
        *,
        rates: dict[str, float],
        frame_budget: float | None = None,
        refresh_every: float = 10.0,
    ) -> None:
        self.topic = topic
        self.state_function = state
        self.intervals = {audience: 1.0 / rate for audience, rate in rates.items()}
        self.frame_budget = frame_budget
        self.refresh_every = refresh_every
        self.members: dict[str, set[Socket]] = {audience: set() for audience in rates}
        self.dirty_seq = 0
        self.pending: list[str] | None = None  # notifications since the last computation
        self.state_seq = -1
        self.state: dict[str, Any] = {}
        self.last_text: dict[str, str] = {}
        self.last_flush: dict[str, float] = dict.fromkeys(rates, 0.0)
        self.scheduled: dict[str, asyncio.TimerHandle | asyncio.Task | None] = dict.fromkeys(rates)
        self._computing: asyncio.Future | None = None
        self._refresher: asyncio.Task | None = None
        self.frames_sent = 0
        self.frames_written = 0  # of which written directly, serialised once (realtime.frames)
        self.computations = 0

    # --- membership ---------------------------------------------------------------------

    def join(self, socket: Socket, audience: str) -> None:
        self.members[audience].add(socket)
        if self._refresher is None and self.refresh_every:
            self._refresher = asyncio.get_running_loop().create_task(self._refresh_loop())

    def leave(self, socket: Socket) -> None:
        for sockets in self.members.values():
            sockets.discard(socket)

    @property
    def size(self) -> int:
        return sum(len(s) for s in self.members.values())

    def close(self) -> None:
        for handle in self.scheduled.values():
            if handle is not None:
                handle.cancel()
        if self._refresher is not None:
            self._refresher.cancel()

    # --- notifications ------------------------------------------------------------------

    def notify(self, topic: str = "", payload: str = "") -> None:
        """Hub listener: something changed (or the bus came back, RESYNC); schedule flushes."""
        del topic
        self.touch(None if payload == RESYNC else payload)

    def touch(self, payload: str | None = None) -> None:
        """Mark the state stale (PAYLOAD None: stale as a whole) and schedule the flushes."""
        if payload is None:
            self.pending = None
        elif self.pending is not None:
            self.pending.append(payload)
        self.dirty_seq += 1
        loop = asyncio.get_running_loop()
        now = loop.time()
        for audience in self.intervals:
            if not self.members[audience] or self.scheduled[audience] is not None:
                continue
            interval = self.interval(audience)
            delay = max(0.0, self.last_flush[audience] + interval - now)
            if delay == 0:
                self.scheduled[audience] = loop.create_task(self._flush(audience))
            else:
                self.scheduled[audience] = loop.call_later(delay, self._start_flush, audience)

    def interval(self, audience: str) -> float:
        """Seconds between two frames to AUDIENCE: its rate, slowed so that this process sends
        at most `frame_budget` frames a second to it however many sockets it holds."""
        interval = self.intervals[audience]
        if self.frame_budget:
            interval = max(interval, len(self.members[audience]) / self.frame_budget)
        return interval

    def _start_flush(self, audience: str) -> None:
        self.scheduled[audience] = asyncio.get_running_loop().create_task(self._flush(audience))

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_every)
            if self.size:
                self.touch(None)

    # --- state and flushes ------------------------------------------------------------------

    async def current_state(self) -> dict[str, Any]:
        """The state, recomputed if a notification arrived before this call; one computation at a time.

        Notifications that arrive during the computation are left to the next flush: under a
        steady stream of votes, waiting for a quiet moment would keep a caller waiting for ever.
        """
        target = self.dirty_seq
        while self.state_seq < target:
            if self._computing is not None:
                await asyncio.shield(self._computing)
                continue
            seq = self.dirty_seq
            changes = self.pending
            self.pending = []
            self._computing = asyncio.get_running_loop().create_future()
            try:
                audiences = frozenset(a for a, sockets in self.members.items() if sockets)
                state = await sync_to_async(self.state_function, thread_sensitive=True)(changes, audiences)
                self.computations += 1
                self.state, self.state_seq = state, seq
            except Exception:
                logger.exception("realtime: state of %s failed", self.topic)
                self.state_seq = seq
                self.pending = None
            finally:
                self._computing.set_result(None)
                self._computing = None
        return self.state

    async def _flush(self, audience: str) -> None:
        try:
            self.last_flush[audience] = asyncio.get_running_loop().time()
            state = await self.current_state()
            message = state.get(audience)
            if message is None:
                return
            text = dumps(message)
            if text == self.last_text.get(audience):
                return
            self.last_text[audience] = text
            await self.fan_out(audience, text)
        finally:
            self.last_flush[audience] = asyncio.get_running_loop().time()
            self.scheduled[audience] = None
            if self.state_seq < self.dirty_seq and self.members[audience]:
                self.touch_audience(audience)

    def touch_audience(self, audience: str) -> None:
        loop = asyncio.get_running_loop()
        if self.scheduled[audience] is None:
            delay = max(0.0, self.last_flush[audience] + self.interval(audience) - loop.time())
            self.scheduled[audience] = loop.call_later(delay, self._start_flush, audience)

    FAN_OUT_SLICE = 200
    """Sockets served before the fan-out yields to the event loop: a frame to 2,000 phones is
    ~50 ms of sends, which would otherwise hold back every vote acknowledgement meanwhile."""

    async def fan_out(self, audience: str, text: str) -> None:
        """Send one serialised message to every local socket of AUDIENCE, directly.

        The websocket frame is built once and written as is to the sockets that allow it
        (realtime.frames); the others, and any socket that cannot take it right now, get the
        text through their ASGI send.
        """
        frame: bytes | None = None
        for index, socket in enumerate(tuple(self.members[audience]), 1):
            try:
                write = getattr(socket, "write_frame", None)
                if write is not None:
                    if frame is None:
                        frame = text_frame(text)
                    if write(frame):
                        self.frames_sent += 1
                        self.frames_written += 1
                        continue
                await socket.send_text(text)
                self.frames_sent += 1
            except Exception:  # noqa: BLE001 - a dead socket leaves; the others still get the frame
                self.leave(socket)
            if index % self.FAN_OUT_SLICE == 0:
                await asyncio.sleep(0)


class RoomRegistry:
    """The rooms of this process, created on first join, dropped when the last socket leaves."""

    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    def _attach(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop = loop
            self.rooms = {}

    def peek(self, topic: str) -> Room | None:
        """The room of TOPIC on this loop, if one is live (nothing is created)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return self.rooms.get(topic) if self.loop is loop else None

    def join(self, topic: str, socket: Socket, audience: str, factory: Callable[[], Room]) -> Room:
        self._attach()
        room = self.rooms.get(topic)
        if room is None:
            room = factory()
            self.rooms[topic] = room
            get_hub().subscribe(topic, room.notify)
        room.join(socket, audience)
        return room

    def leave(self, topic: str, socket: Socket) -> None:
        room = self.rooms.get(topic)
        if room is None:
            return
        room.leave(socket)
        if room.size == 0:
            room.close()
            del self.rooms[topic]
            get_hub().unsubscribe(topic, room.notify)


rooms = RoomRegistry()
