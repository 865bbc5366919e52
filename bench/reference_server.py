"""A minimal reference server for the live bench: plain asyncio `websockets`, no Django, no database.

It speaks the same wire protocol as the real server (docs/realtime-protocol.md) for what the
bench uses — hello, snapshot, state, vote.cast → vote.ack, ballot.open / ballot.close,
resync, ping — with the same coalescing rates, and keeps everything in memory. It is the
yardstick: each figure of the real server is reported as a ratio to this one.

Identity is faked: the cookie `sessionid=m<user id>` is a member, `sessionid=staff` is staff,
`?screen=<anything>` is the projector.

    .venv/bin/python -m bench.reference_server --port 8765 --sitting 1 --ballot 1 --voters 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlparse

import websockets
from websockets.asyncio.server import ServerConnection, broadcast, serve

PROTOCOL_VERSION = 1
RATES = {"phone": 2.0, "screen": 10.0, "staff": 2.0}  # votes.live.runtime.RATES
FRAME_BUDGET = 10_000.0  # votes.live.runtime.FRAME_BUDGET: frames a second to one audience at most


def dumps(message: object) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


class Ballot:
    def __init__(self, ballot_id: int, voters: int) -> None:
        self.id = ballot_id
        self.state = "draft"
        self.version = 0
        self.electorate = voters
        self.options = [
            {"id": ballot_id * 10 + 1, "label": "Pour", "code": "yes"},
            {"id": ballot_id * 10 + 2, "label": "Contre", "code": "no"},
            {"id": ballot_id * 10 + 3, "label": "Abstention", "code": "abstain"},
        ]
        self.acks: dict[str, dict] = {}
        self.voters: set[int] = set()
        self.counts: dict[int, int] = {o["id"]: 0 for o in self.options}

    def public(self, audience: str) -> dict:
        entry = {
            "id": self.id,
            "title": "Question",
            "kind": "yes_no",
            "state": self.state,
            "version": self.version,
            "max_choices": 1,
            "options": self.options,
            "participation": {"voted": len(self.voters), "electorate": self.electorate},
            "closes_at": None,
        }
        if audience in {"screen", "staff"}:
            entry["counts"] = {str(k): v for k, v in self.counts.items()}
        return entry


class ReferenceServer:
    def __init__(self, sitting: int, ballot: int, voters: int) -> None:
        self.sitting = sitting
        self.ballot = Ballot(ballot, voters)
        self.sockets: dict[str, set[ServerConnection]] = {a: set() for a in RATES}
        self.last_flush = dict.fromkeys(RATES, 0.0)
        self.scheduled: dict[str, asyncio.TimerHandle | None] = dict.fromkeys(RATES)
        self.last_text: dict[str, str] = {}

    def state(self, audience: str) -> dict:
        return {"type": "state", "sitting": self.sitting, "ballots": [self.ballot.public(audience)]}

    def touch(self) -> None:
        loop = asyncio.get_running_loop()
        for audience, rate in RATES.items():
            if self.scheduled[audience] is not None or not self.sockets[audience]:
                continue
            interval = max(1 / rate, len(self.sockets[audience]) / FRAME_BUDGET)
            delay = max(0.0, self.last_flush[audience] + interval - loop.time())
            self.scheduled[audience] = loop.call_later(delay, self.flush, audience)

    def flush(self, audience: str) -> None:
        self.scheduled[audience] = None
        self.last_flush[audience] = asyncio.get_running_loop().time()
        text = dumps(self.state(audience))
        if text != self.last_text.get(audience):
            self.last_text[audience] = text
            broadcast(self.sockets[audience], text)

    async def handler(self, ws: ServerConnection) -> None:
        url = urlparse(ws.request.path)
        query = parse_qs(url.query)
        cookie = SimpleCookie(ws.request.headers.get("Cookie", ""))
        session = cookie["sessionid"].value if "sessionid" in cookie else ""
        if "screen" in query:
            audience, user = "screen", None
        elif session == "staff":
            audience, user = "staff", 0
        elif session.startswith("m"):
            audience, user = "phone", int(session[1:])
        else:
            await ws.send(dumps({"type": "error", "code": "unauthenticated", "message": "sign in"}))
            await ws.close(4401)
            return
        await ws.send(dumps({"type": "hello", "protocol": PROTOCOL_VERSION, "role": audience, "user": user}))
        await ws.send(dumps({"type": "snapshot", "server_time": time.time(), **self.state(audience)}))
        self.sockets[audience].add(ws)
        try:
            async for text in ws:
                message = json.loads(text)
                kind = message.get("type")
                if kind == "vote.cast":
                    await ws.send(dumps(self.cast(user, message)))
                elif kind in {"ballot.open", "ballot.close"} and audience == "staff":
                    self.ballot.state = "open" if kind == "ballot.open" else "closed"
                    self.ballot.version += 1
                    self.touch()
                    await ws.send(dumps({"type": "ok", "ref": message.get("ref"), "ballot": self.ballot.id}))
                elif kind == "resync":
                    await ws.send(dumps({"type": "snapshot", "server_time": time.time(), **self.state(audience)}))
                elif kind == "ping":
                    await ws.send(dumps({"type": "pong", "ref": message.get("ref")}))
                else:
                    await ws.send(dumps({"type": "error", "code": "unknown_type", "message": "?"}))
        except websockets.ConnectionClosed:
            pass
        finally:
            self.sockets[audience].discard(ws)

    def cast(self, user: int | None, message: dict) -> dict:
        ballot = self.ballot
        vote_id = str(message.get("vote_id"))
        if vote_id in ballot.acks:
            return {**ballot.acks[vote_id], "replayed": True}
        if ballot.state != "open":
            return {"type": "error", "code": "ballot_not_open", "message": "closed", "ref": vote_id}
        if user is None or user in ballot.voters:
            return {"type": "error", "code": "already_voted", "message": "already", "ref": vote_id}
        ballot.voters.add(user)
        ballot.counts[message["choice"]] = ballot.counts.get(message["choice"], 0) + 1
        ballot.version += 1
        ack = {"type": "vote.ack", "vote_id": vote_id, "ballot": ballot.id, "ref": vote_id, "replayed": False}
        ballot.acks[vote_id] = ack
        self.touch()
        return ack


async def main(port: int, sitting: int, ballot: int, voters: int, host: str = "127.0.0.1") -> None:
    server = ReferenceServer(sitting, ballot, voters)
    async with serve(server.handler, host, port, backlog=4096, max_size=4096, ping_interval=None, compression=None):
        print(f"reference server on ws://{host}:{port}/", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--sitting", type=int, default=1)
    parser.add_argument("--ballot", type=int, default=1)
    parser.add_argument("--voters", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.sitting, args.ballot, args.voters, args.host))
