"""The live bench's yardstick: the live-room protocol on plain asyncio `websockets`, in memory.

Each figure of the real server is reported as a ratio to this one (bench/live.py), so it does
what a phone, the projector and the staff page need of Agora, with the same messages, and only
what the database and the framework add is left out:

- the same wire protocol (docs/realtime-protocol.md, version 1), with the same message shapes:
  `hello`; `snapshot` with the sitting and its quorum, the shown ballots, `may_cast` and
  `present`; `state`; `vote.ack` with `vote_id` (canonical), `ballot`, `member`, `proxy`,
  `replayed`, `changed`, `version` and `ref` (the `vote_id` as sent); `ok` with `action`;
  `pong`; `error` with the same codes, for the same mistakes (`invalid` with its `field`,
  `invalid_choice`, `already_voted`, `ballot_not_open`, `ballot_closed`, `not_found`,
  `forbidden`, `bad_json`, `bad_message`, `unknown_type`, `rate_limited`, `unauthenticated`);
- the same connect checks that need no database: Origin against Host (a foreign one is refused
  at the handshake), the connect ticket of the live page (`?ticket=`, checked by
  `realtime.tickets.redeem` itself: signature, 120-second age, path, session binding), the
  projector's screen link (`?screen=`, signature and 24-hour age, as `votes.live.access`);
- the same limits: messages of at most 4,096 bytes, 20 messages a second per socket (token
  bucket), text frames only;
- the same coalescing of `state` frames (rates per audience and frame budget of
  `votes.live.runtime`), one serialisation per audience and flush, and the staff's list of
  who has not voted refreshed at most once a second;
- the staff actions `ballot.open`, `ballot.extend`, `ballot.close`, `ballot.cancel` with the
  same limits and answers, and the countdown closing the ballot when it ends.

What it does not do, by design:

- **no durable write**: a vote lives in this process's memory only and is acknowledged as soon
  as it is counted there; nothing is written to disk or to a database, and a restart loses
  every vote. Agora acknowledges a vote only after the transaction of its batch committed
  (`votes.services.votes_cast_batch`);
- no session read: a socket without a valid ticket is identified by a fake cookie
  (`<cookie name>=m<user id>` is a member, `=staff` is staff), where Agora reads the session,
  the user and the roles from the database; so with `bench.live --no-ticket` the ratios measure
  Agora's full session check against nothing;
- no rights re-read on each message and no per-vote checks against the database (mandate
  today, the electorate's roll, proxies): every phone is an elector of the one ballot, present,
  and holds no proxy;
- one sitting and one yes/no named ballot without live results; no verdict breakdowns, no
  fingerprint, no journal, no announcements to other processes (no Redis: one process), no
  signing out of open sockets, no HTTP pages and no HTTP fallback.

    REFERENCE_SECRET_KEY=<Agora's SECRET_KEY> .venv/bin/python -m bench.reference_server \\
        --port 8765 --sitting 1 --ballot 1 --voters 2000

Without REFERENCE_SECRET_KEY no ticket or screen link is valid: use the fake cookies.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import secrets
import time
import uuid
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlparse

import websockets
from django.conf import settings
from django.core import signing
from websockets.asyncio.server import ServerConnection, broadcast, serve

from realtime import tickets

PROTOCOL_VERSION = 1
RATES = {"phone": 2.0, "screen": 10.0, "staff": 2.0}  # votes.live.runtime.RATES
FRAME_BUDGET = 10_000.0  # votes.live.runtime.FRAME_BUDGET: frames a second to one audience at most
MAX_MESSAGE_BYTES = 4096  # settings.WEBSOCKET_MAX_MESSAGE_BYTES
MAX_MESSAGES_PER_SECOND = 20.0  # settings.WEBSOCKET_MAX_MESSAGES_PER_SECOND
SCREEN_SALT, SCREEN_LINK_MAX_AGE = "votes.screen", 24 * 3600  # votes.live.access
NON_VOTERS_EVERY, NON_VOTERS_SHOWN = 1.0, 200  # votes.live.state.SittingState
DURATION_SECONDS = (10, 24 * 3600)  # votes.services.ballots
EXTEND_SECONDS, EXTEND_SECONDS_DEFAULT = (10, 3600), 60
CANCEL_REASON_MAX_LENGTH = 1000
QUORUM_PERCENT = 50
CLOSE_UNSUPPORTED_DATA, CLOSE_UNAUTHENTICATED, CLOSE_NOT_FOUND, CLOSE_RATE_LIMITED = 1003, 4401, 4404, 4429
SITTING_PATH = re.compile(r"^/ws/v1/sittings/[0-9]{1,12}/$")  # votes.routing
READ_ONLY = {"resync", "ping"}
ACTIONS = {"ballot.open", "ballot.extend", "ballot.close", "ballot.cancel"}


def dumps(message: object) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _iso(moment: float | None) -> str | None:
    return None if moment is None else dt.datetime.fromtimestamp(moment, dt.UTC).isoformat()


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Refused(Exception):
    """A message refused with an `error` (the socket stays open)."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


class Ballot:
    """One named yes/no ballot without live results, every phone of the room in its electorate."""

    def __init__(self, ballot_id: int, voters: int) -> None:
        self.id = ballot_id
        self.state = "draft"
        self.version = 0
        self.electorate = voters
        self.opened_at: float | None = None
        self.closes_at: float | None = None
        self.closed_at: float | None = None
        self.options = [
            {"id": ballot_id * 10 + 1, "label": "Pour", "code": "yes"},
            {"id": ballot_id * 10 + 2, "label": "Contre", "code": "no"},
            {"id": ballot_id * 10 + 3, "label": "Abstention", "code": "abstain"},
        ]
        self.option_ids = {o["id"] for o in self.options}
        self.acks: dict[uuid.UUID, dict] = {}  # vote id → the answer it got
        self.voters: set[int] = set()
        self.counts: dict[int, int] = {o["id"]: 0 for o in self.options}
        self.verdict: dict | None = None
        self.timer: asyncio.TimerHandle | None = None

    def tally(self) -> dict:
        return {"votes": len(self.voters), "options": {str(k): v for k, v in sorted(self.counts.items())}}

    def public(self) -> dict:
        return {
            "id": self.id,
            "title": "Adopter la proposition ?",
            "description": "",
            "kind": "yes_no",
            "secret": False,
            "live_results": False,
            "allow_change": False,
            "max_choices": 1,
            "majority": "simple",
            "double_majority": False,
            "options": self.options,
            "state": self.state,
            "version": self.version,
            "opened_at": _iso(self.opened_at),
            "closes_at": _iso(self.closes_at),
            "closed_at": _iso(self.closed_at),
            "participation": {"voted": len(self.voters), "electorate": self.electorate},
            "counts": self.tally() if self.state == "closed" else None,
            "agenda_item": None,
            "verdict": self.verdict,
        }

    def close(self) -> None:
        yes, no = (self.counts[o["id"]] for o in self.options[:2])
        self.state, self.closed_at, self.version = "closed", time.time(), self.version + 1
        self.verdict = {
            "outcome": "adopted" if yes > no else "rejected",
            "majority": "simple",
            "quorum_reached": True,
            "electorate": self.electorate,
            "votes_cast": len(self.voters),
            "counts": self.tally(),
            "results": {"winners": [], "by_college": {}},
        }


class Socket:
    """What the server knows of one socket: who, for which audience, and its message budget."""

    def __init__(self, ws: ServerConnection, audience: str, user: int | None) -> None:
        self.ws, self.audience, self.user = ws, audience, user
        self.bucket, self.bucket_at = MAX_MESSAGES_PER_SECOND, time.monotonic()

    def take_token(self) -> bool:
        now = time.monotonic()
        self.bucket = min(MAX_MESSAGES_PER_SECOND, self.bucket + (now - self.bucket_at) * MAX_MESSAGES_PER_SECOND)
        self.bucket_at = now
        if self.bucket < 1:
            return False
        self.bucket -= 1
        return True


class ReferenceServer:
    def __init__(self, sitting: int, ballot: int, voters: int, cookie_name: str = "sessionid") -> None:
        self.sitting = sitting
        self.path = f"/ws/v1/sittings/{sitting}/"
        self.cookie_name = cookie_name
        self.ballot = Ballot(ballot, voters)
        self.sitting_public = {
            "id": sitting,
            "title": "Séance (bench)",
            "state": "open",
            "quorum": {
                "members": voters,
                "present": voters,
                "represented": 0,
                "counted": voters,
                "required": voters * QUORUM_PERCENT // 100 + 1,
                "percent": QUORUM_PERCENT,
                "reached": voters > 0,
            },
        }
        self.phones: set[int] = set()  # members who have connected: the non-voters the staff see
        self.sockets: dict[str, set[ServerConnection]] = {a: set() for a in RATES}
        self.last_flush = dict.fromkeys(RATES, 0.0)
        self.scheduled: dict[str, asyncio.TimerHandle | None] = dict.fromkeys(RATES)
        self.last_text: dict[str, str] = {}
        self.non_voters: list[dict] | None = None
        self.non_voters_count: int | None = None
        self.non_voters_at = 0.0

    # --- state ----------------------------------------------------------------------------------

    def _shown(self) -> list[dict]:
        return [] if self.ballot.state == "draft" else [self.ballot.public()]

    def _staff_ballots(self) -> list[dict]:
        ballot = self.ballot
        if ballot.state != "open":
            self.non_voters = self.non_voters_count = None
        elif time.monotonic() - self.non_voters_at >= NON_VOTERS_EVERY:
            self.non_voters_at = time.monotonic()
            waiting = sorted(self.phones - ballot.voters)
            self.non_voters = [{"member": m, "name": f"V{m}"} for m in waiting[:NON_VOTERS_SHOWN]]
            self.non_voters_count = ballot.electorate - len(ballot.voters)
        return [{**b, "non_voters": self.non_voters, "non_voters_count": self.non_voters_count} for b in self._shown()]

    def state(self, audience: str) -> dict:
        ballots = self._staff_ballots() if audience == "staff" else self._shown()
        return {"type": "state", "sitting": self.sitting_public, "ballots": ballots}

    def snapshot(self, sock: Socket, ref: Any = None) -> dict:
        may_cast: dict[str, list] = {}
        ballot = self.ballot
        if sock.audience == "phone" and ballot.state == "open":
            cast = sock.user in ballot.voters
            may_cast[str(ballot.id)] = [{"member": sock.user, "member_name": "", "proxy": False, "cast": cast}]
        body = {**self.state(sock.audience), "type": "snapshot", "may_cast": may_cast}
        body["present"] = sock.audience == "phone"
        if ref is not None:
            body["ref"] = ref
        return body

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

    # --- connecting -----------------------------------------------------------------------------

    def check_handshake(self, connection: ServerConnection, request: Any) -> Any:
        """Refuse an unknown path, or a foreign or missing Origin, at the handshake (HTTP 403), as Agora does."""
        origin = urlparse(request.headers.get("Origin", ""))
        if (
            not SITTING_PATH.match(urlparse(request.path).path)
            or origin.scheme not in {"http", "https"}
            or origin.netloc.lower() != request.headers.get("Host", "").lower()
        ):
            return connection.respond(HTTPStatus.FORBIDDEN, "Forbidden\n")
        return None

    def identify(self, ws: ServerConnection) -> tuple[str, int | None] | None:
        url = urlparse(ws.request.path)
        query = parse_qs(url.query)
        screen = (query.get("screen") or [""])[0]
        if screen:
            try:
                data = signing.loads(screen, salt=SCREEN_SALT, max_age=SCREEN_LINK_MAX_AGE)
            except signing.BadSignature:
                return None
            return ("screen", None) if isinstance(data, dict) and data.get("s") == self.sitting else None
        cookie = SimpleCookie(ws.request.headers.get("Cookie", ""))
        session = cookie[self.cookie_name].value if self.cookie_name in cookie else ""
        granted = tickets.redeem((query.get("ticket") or [""])[0], session_key=session, path=url.path)
        if granted is not None and granted.grant in {"phone", "staff"}:
            return granted.grant, granted.user_id
        if session == "staff":
            return "staff", 0
        if session.startswith("m") and session[1:].isdigit():
            return "phone", int(session[1:])
        return None

    async def handler(self, ws: ServerConnection) -> None:
        if urlparse(ws.request.path).path != self.path:
            await ws.send(dumps({"type": "error", "code": "not_found", "message": "This sitting does not exist."}))
            await ws.close(CLOSE_NOT_FOUND)
            return
        who = self.identify(ws)
        if who is None:
            await ws.send(dumps({"type": "error", "code": "unauthenticated", "message": "Please sign in again."}))
            await ws.close(CLOSE_UNAUTHENTICATED)
            return
        sock = Socket(ws, *who)
        await ws.send(
            dumps(
                {
                    "type": "hello",
                    "protocol": PROTOCOL_VERSION,
                    "role": sock.audience,
                    "user": sock.user,
                    "sitting": self.sitting,
                }
            )
        )
        await ws.send(dumps(self.snapshot(sock)))
        self.sockets[sock.audience].add(ws)
        if sock.audience == "phone":
            self.phones.add(sock.user)
        try:
            async for text in ws:
                if not await self.receive(sock, text):
                    break
        except websockets.ConnectionClosed:
            pass
        finally:
            self.sockets[sock.audience].discard(ws)

    # --- receiving ------------------------------------------------------------------------------

    async def error(self, sock: Socket, code: str, message: str, *, field: str | None = None, ref: Any = None) -> None:
        body: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if field:
            body["field"] = field
        if ref is not None:
            body["ref"] = ref
        await sock.ws.send(dumps(body))

    async def receive(self, sock: Socket, text: str | bytes) -> bool:
        """Answer one message; False once the socket is closed."""
        if isinstance(text, bytes):
            await self.error(sock, "binary_not_supported", "Send text frames.")
            await sock.ws.close(CLOSE_UNSUPPORTED_DATA)
            return False
        if not sock.take_token():
            await self.error(sock, "rate_limited", "Too many messages. Please wait a moment.")
            await sock.ws.close(CLOSE_RATE_LIMITED)
            return False
        try:
            message = json.loads(text)
        except ValueError:
            await self.error(sock, "bad_json", "This message is not valid JSON.")
            return True
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.error(sock, "bad_message", 'A message is an object with a "type".')
            return True
        ref = message.get("ref")
        if ref is not None and (not isinstance(ref, str | int) or len(str(ref)) > 64):
            ref = None
        try:
            await self.dispatch(sock, message["type"], message)
        except Refused as refused:
            await self.error(sock, refused.code, refused.message, field=refused.field, ref=ref)
        return True

    async def dispatch(self, sock: Socket, kind: str, message: dict) -> None:
        """Answer a well-formed message; Refused (answered with the message's checked `ref`) if it may not be."""
        if kind not in READ_ONLY and kind != "vote.cast" and kind not in ACTIONS:
            raise Refused("unknown_type", "Unknown message type.")
        if sock.audience == "screen" and kind not in READ_ONLY:
            raise Refused("forbidden", "A screen link is read-only.")
        if kind in ACTIONS and sock.audience != "staff":
            raise Refused("forbidden", "Only the staff run ballots.")
        if kind == "ping":
            await sock.ws.send(dumps({"type": "pong", "ref": message.get("ref")}))
        elif kind == "resync":
            await sock.ws.send(dumps(self.snapshot(sock, message.get("ref"))))
        elif kind == "vote.cast":
            vote_id = message.get("vote_id")
            if not (isinstance(vote_id, str) and 1 <= len(vote_id) <= 64):  # no UUID: answered with the message's `ref`
                raise Refused("invalid", "The vote id must be a UUID.", "vote_id")
            try:
                await sock.ws.send(dumps({**self.cast(sock, message), "ref": vote_id}))
            except Refused as refused:
                await self.error(sock, refused.code, refused.message, field=refused.field, ref=vote_id)
        else:
            try:
                self.act(kind, message)
            except Refused as refused:
                await self.error(sock, refused.code, refused.message, field=refused.field, ref=message.get("ref"))
            else:
                ok = {"type": "ok", "ref": message.get("ref"), "ballot": self.ballot.id, "action": kind}
                await sock.ws.send(dumps(ok))

    @staticmethod
    def _vote_request(message: dict) -> tuple[uuid.UUID, int | None]:
        """The vote id and `on_behalf_of` of a `vote.cast`, checked as `votes.live.commands.vote_request` does."""
        try:
            vote_id = uuid.UUID(str(message.get("vote_id")))
        except ValueError:
            raise Refused("invalid", "The vote id must be a UUID.", "vote_id") from None
        if not _is_id(message.get("ballot")):
            raise Refused("invalid", "Name the ballot.", "ballot")
        behalf = message.get("on_behalf_of")
        if behalf is not None and not _is_id(behalf):
            raise Refused("invalid", "Name the member you represent.", "on_behalf_of")
        return vote_id, behalf

    def _check_open(self) -> None:
        ballot = self.ballot
        if ballot.state == "draft":
            raise Refused("ballot_not_open", "This ballot is not open yet.")
        if ballot.state != "open" or (ballot.closes_at is not None and ballot.closes_at <= time.time()):
            raise Refused("ballot_closed", "This ballot is closed.")

    def cast(self, sock: Socket, message: dict) -> dict:
        """The `vote.ack` of MESSAGE (without its `ref`), or Refused, with the checks Agora makes in the same order."""
        vote_id, behalf = self._vote_request(message)
        ballot = self.ballot
        if message["ballot"] != ballot.id:
            raise Refused("not_found", "This ballot is not part of this sitting.")
        if sock.audience != "phone":
            raise Refused("forbidden", "Only members of this assembly vote; partners and staff never vote.")
        done = ballot.acks.get(vote_id)
        if done is not None:
            if done["member"] != sock.user:
                raise Refused("invalid", "This vote id was already used for another vote.", "vote_id")
            return {**done, "replayed": True, "version": ballot.version}
        self._check_open()
        if behalf is not None:
            raise Refused("no_proxy", "You do not hold this member's proxy for this ballot.")
        if sock.user in ballot.voters:
            raise Refused("already_voted", "This vote has already been cast.")
        choice = message.get("choice")
        if not _is_id(choice) or choice not in ballot.option_ids:
            raise Refused("invalid_choice", "This choice is not valid for this ballot.")
        ballot.voters.add(sock.user)
        ballot.counts[choice] += 1
        ballot.version += 1
        ack = {
            "type": "vote.ack",
            "vote_id": str(vote_id),
            "ballot": ballot.id,
            "member": sock.user,
            "proxy": False,
            "replayed": False,
            "changed": False,
            "version": ballot.version,
        }
        ballot.acks[vote_id] = ack
        self.touch()
        return ack

    def act(self, kind: str, message: dict) -> None:
        """A staff action on the ballot, with the limits and refusals of `votes.services.ballots`."""
        ballot = self.ballot
        if message.get("ballot") != ballot.id:
            raise Refused("not_found", "This ballot is not part of this sitting.")
        now = time.time()
        if kind == "ballot.open":
            seconds = message.get("duration_seconds")
            if ballot.state != "draft":
                raise Refused("ballot_not_draft", "Only a prepared ballot can be opened.")
            if seconds is not None and not (_is_id(seconds) and DURATION_SECONDS[0] <= seconds <= DURATION_SECONDS[1]):
                raise Refused("invalid", "The duration is between 10 seconds and 24 hours.", "duration_seconds")
            ballot.state, ballot.opened_at = "open", now
            ballot.closes_at = now + seconds if seconds else None
        elif kind == "ballot.extend":
            seconds = message.get("seconds")
            seconds = EXTEND_SECONDS_DEFAULT if seconds is None else seconds
            if not (_is_id(seconds) and EXTEND_SECONDS[0] <= seconds <= EXTEND_SECONDS[1]):
                raise Refused("invalid", "Extend by 10 seconds to one hour.", "seconds")
            self._refuse_unless_open()
            ballot.closes_at = max(now, ballot.closes_at or now) + seconds
        elif kind == "ballot.close":
            self._refuse_unless_open()
            ballot.close()
        else:
            reason = message.get("reason")
            if reason is not None and not isinstance(reason, str):
                raise Refused("invalid", "Give the reason as text.", "reason")
            if len((reason or "").strip()) > CANCEL_REASON_MAX_LENGTH:
                raise Refused("invalid", "At most 1,000 characters.", "reason")
            if ballot.state not in {"draft", "open"}:
                raise Refused("ballot_not_cancellable", "Only a prepared or open ballot can be cancelled.")
            ballot.state, ballot.closed_at = "cancelled", now
        if kind in {"ballot.open", "ballot.extend"}:
            self._schedule_countdown()
        ballot.version += 1
        self.touch()

    def _refuse_unless_open(self) -> None:
        if self.ballot.state == "draft":
            raise Refused("ballot_not_open", "This ballot is not open yet.")
        if self.ballot.state != "open":
            raise Refused("ballot_closed", "This ballot is closed.")

    def _schedule_countdown(self) -> None:
        """Close the ballot when its countdown ends (Agora: the periodic job of each server process)."""
        ballot = self.ballot
        if ballot.timer is not None:
            ballot.timer.cancel()
            ballot.timer = None
        if ballot.closes_at is None:
            return

        def close_if_due() -> None:
            ballot.timer = None
            if ballot.state == "open" and ballot.closes_at is not None and ballot.closes_at <= time.time():
                ballot.close()
                self.touch()

        ballot.timer = asyncio.get_running_loop().call_later(max(0.0, ballot.closes_at - time.time()), close_if_due)


def configure_signing(secret_key: str | None) -> None:
    """Tickets and screen links are checked with Agora's SECRET_KEY (no other setting is used)."""
    if not settings.configured:
        settings.configure(SECRET_KEY=secret_key or secrets.token_urlsafe(50))


async def main(
    port: int, sitting: int, ballot: int, voters: int, host: str = "127.0.0.1", cookie_name: str = "sessionid"
) -> None:
    configure_signing(os.environ.get("REFERENCE_SECRET_KEY"))
    server = ReferenceServer(sitting, ballot, voters, cookie_name)
    async with serve(
        server.handler,
        host,
        port,
        process_request=server.check_handshake,
        backlog=4096,
        max_size=MAX_MESSAGE_BYTES,
        ping_interval=None,
        compression=None,
    ):
        print(f"reference server on ws://{host}:{port}/", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--sitting", type=int, default=1)
    parser.add_argument("--ballot", type=int, default=1)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--cookie-name", default="sessionid", help="the session cookie's name (SESSION_COOKIE_NAME)")
    args = parser.parse_args()
    asyncio.run(main(args.port, args.sitting, args.ballot, args.voters, args.host, args.cookie_name))
