"""A room of members' phones as plain websocket clients, for rehearsals next to real browsers.

Each member keeps one socket open (as a phone does through a sitting), reads every frame the
server sends, and votes when told: one vote id per vote, acknowledged only after commit
(docs/realtime-protocol.md). The sockets live in a background thread with its own event loop, so
a test driving browsers with Playwright's sync API can call `vote()` between two page checks.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import uuid
from dataclasses import dataclass, field


@dataclass
class Member:
    id: int
    session: str
    proxy_for: int | None = None
    ws: object | None = None
    snapshot: asyncio.Event | None = None
    waiting: dict[str, asyncio.Future] = field(default_factory=dict)
    frames: int = 0


class Crowd:
    def __init__(self, *, ws_url: str, origin: str, sitting: int, people: list[dict]) -> None:
        self.url = f"{ws_url}/ws/v1/sittings/{sitting}/"
        self.origin = origin
        self.members = [
            Member(id=p["id"], session=p["session"], proxy_for=(p.get("proxy_for") or {}).get("id")) for p in people
        ]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="crowd", daemon=True)
        self.readers: list[asyncio.Task] = []

    # --- from the test's thread ---------------------------------------------------------------
    def start(self, timeout: float = 60) -> None:
        self.thread.start()
        self._run(self._connect_all(), timeout)

    def vote(self, ballot: int, pick, *, only=None, spread: float = 2.0, timeout: float = 60) -> list[dict]:
        """Every member (or those ONLY(member) keeps) votes on BALLOT, and for the member they
        represent: PICK(member id) → choice. Votes leave over SPREAD seconds, as in a room;
        returns the acknowledgements."""
        members = [m for m in self.members if only is None or only(m)]
        return self._run(self._vote_all(members, ballot, pick, spread), timeout)

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        try:
            self._run(self._close_all(), 15)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    # --- in the crowd's loop ------------------------------------------------------------------
    async def _connect_all(self) -> None:
        import websockets

        async def connect(member: Member) -> None:
            member.snapshot = asyncio.Event()
            member.ws = await websockets.connect(
                self.url,
                additional_headers={"Cookie": f"sessionid={member.session}"},
                origin=self.origin,
                open_timeout=20,
                close_timeout=1,
                max_queue=None,
            )
            self.readers.append(asyncio.ensure_future(self._read(member)))
            await member.snapshot.wait()

        # A room fills in a few seconds, not in one instant.
        for start in range(0, len(self.members), 20):
            await asyncio.gather(*(connect(m) for m in self.members[start : start + 20]))

    async def _read(self, member: Member) -> None:
        async for raw in member.ws:
            message = json.loads(raw)
            member.frames += 1
            if message.get("type") == "snapshot":
                member.snapshot.set()
            ref = message.get("ref")
            if message.get("type") in ("vote.ack", "error") and ref in member.waiting:
                future = member.waiting.pop(ref)
                if not future.done():
                    future.set_result(message)

    async def _cast(self, member: Member, ballot: int, choice, on_behalf_of: int | None, delay: float) -> dict:
        await asyncio.sleep(delay)
        vote_id = str(uuid.uuid4())
        future = asyncio.get_running_loop().create_future()
        member.waiting[vote_id] = future
        message = {"type": "vote.cast", "vote_id": vote_id, "ballot": ballot, "choice": choice}
        message["on_behalf_of"] = on_behalf_of
        await member.ws.send(json.dumps(message))
        answer = await asyncio.wait_for(future, 30)
        if answer.get("type") != "vote.ack":
            raise AssertionError(f"member {member.id} on ballot {ballot}: {answer}")
        return answer

    async def _vote_all(self, members: list[Member], ballot: int, pick, spread: float) -> list[dict]:
        rng = random.Random(ballot)
        casts = []
        for member in members:
            casts.append(self._cast(member, ballot, pick(member.id), None, rng.uniform(0, spread)))
            if member.proxy_for:
                casts.append(
                    self._cast(member, ballot, pick(member.proxy_for), member.proxy_for, rng.uniform(0, spread))
                )
        return list(await asyncio.gather(*casts))

    async def _close_all(self) -> None:
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*(m.ws.close() for m in self.members if m.ws is not None), return_exceptions=True)
