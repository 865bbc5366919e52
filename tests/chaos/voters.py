"""Simulated phones for chaos runs: each voter keeps ONE vote id and resends it until acknowledged.

This is the client contract of docs/realtime-protocol.md: a vote counts once whatever the number
of sends, and an ack is sent only after commit. Connection failures (server killed, restarting)
are retried with a short backoff until a deadline.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from dataclasses import dataclass, field


@dataclass
class Voter:
    session: str
    choice: int
    vote_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # Seconds a member reads the ballot before voting, as in a room: connected phones are
    # still deciding when a disruption hits, so it cuts live connections, whatever the server's speed.
    think: float = field(default_factory=lambda: random.uniform(0.5, 3.0))
    acked: bool = False
    replayed: bool = False
    refused: str | None = None
    sends: int = 0
    connects: int = 0
    errors: list[str] = field(default_factory=list)


async def vote_until_acked(voter: Voter, *, ws_url: str, origin: str, ballot: int, deadline: float) -> None:
    import websockets

    loop = asyncio.get_running_loop()
    while not voter.acked and not voter.refused and loop.time() < deadline:
        try:
            async with websockets.connect(
                ws_url,
                additional_headers={"Cookie": f"sessionid={voter.session}"},
                origin=origin,
                open_timeout=10,
                close_timeout=1,
            ) as ws:
                voter.connects += 1
                await _exchange(voter, ws, ballot, loop, deadline)
        except (TimeoutError, OSError, websockets.exceptions.WebSocketException) as exc:
            voter.errors.append(type(exc).__name__)
        if not voter.acked and not voter.refused:
            await asyncio.sleep(0.2 + random.random() * 0.5)


async def _exchange(voter: Voter, ws, ballot: int, loop, deadline: float) -> None:
    # hello, then snapshot: the vote is sent once the room knows us.
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        if message.get("type") == "snapshot":
            break
    if not voter.connects > 1:
        await asyncio.sleep(voter.think)
    await ws.send(json.dumps({"type": "vote.cast", "ballot": ballot, "vote_id": voter.vote_id, "choice": voter.choice}))
    voter.sends += 1
    while loop.time() < deadline:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
        if message.get("type") == "vote.ack" and message.get("ref") == voter.vote_id:
            voter.acked = True
            voter.replayed = bool(message.get("replayed"))
            return
        if message.get("type") == "error" and message.get("ref") == voter.vote_id:
            if message.get("code") == "unavailable":
                return  # the server asks us to send again
            voter.refused = str(message.get("code"))
            return
