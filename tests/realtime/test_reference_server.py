"""The live bench's reference server (bench/reference_server.py) speaks Agora's protocol with Agora's shapes.

Its figures are the yardstick of every live-bench ratio: if it sent less than Agora (no
`may_cast`, a thinner `vote.ack`) or skipped a check Agora makes without a database (the connect
ticket, the screen link, the Origin), the ratios would compare unlike things. The key sets
expected here are read from Agora's own code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

import pytest
import websockets
from django.core import signing
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from bench import reference_server as ref
from realtime import tickets
from votes.live import state as live_state
from votes.services import CastResult

SITTING, BALLOT, VOTERS = 7, 3, 5
PATH = f"/ws/v1/sittings/{SITTING}/"
YES = BALLOT * 10 + 1


@pytest.fixture
async def server():
    reference = ref.ReferenceServer(SITTING, BALLOT, VOTERS)
    async with serve(
        reference.handler, "127.0.0.1", 0, process_request=reference.check_handshake, max_size=ref.MAX_MESSAGE_BYTES
    ) as running:
        port = running.sockets[0].getsockname()[1]
        yield f"127.0.0.1:{port}"


async def _open(host: str, query: str = "", cookie: str = "", origin: str | None = None):
    headers = {"Origin": origin if origin is not None else f"http://{host}"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    return await connect(f"ws://{host}{PATH}{query}", additional_headers=headers, ping_interval=None)


async def _next(ws, kind: str) -> dict:
    async with asyncio.timeout(3):
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == kind:
                return message


def _ticket(user_id: int, session: str, grant: str = "phone") -> str:
    return tickets.issue(session_key=session, user_id=user_id, path=PATH, grant=grant)


def _agora_ballot_keys() -> set[str]:
    return {*live_state._PUBLIC_BALLOT_KEYS, "verdict"}


async def _staff(host: str):
    ws = await _open(host, f"?ticket={_ticket(99, 'k-staff', 'staff')}", "k-staff")
    hello = await _next(ws, "hello")
    assert hello["role"] == "staff" and hello["user"] == 99
    await _next(ws, "snapshot")
    return ws


async def test_a_phone_with_its_page_ticket_gets_agoras_hello_snapshot_and_ack(server):
    phone = await _open(server, f"?ticket={_ticket(42, 'k-42')}", "k-42")
    hello = await _next(phone, "hello")
    assert hello == {"type": "hello", "protocol": 1, "role": "phone", "user": 42, "sitting": SITTING}
    snapshot = await _next(phone, "snapshot")
    assert set(snapshot) == {"type", "sitting", "ballots", "may_cast", "present"}
    assert snapshot["ballots"] == [] and snapshot["may_cast"] == {}  # a prepared ballot is not shown
    assert set(snapshot["sitting"]) == {"id", "title", "state", "quorum"}
    assert set(snapshot["sitting"]["quorum"]) == {
        "members",
        "present",
        "represented",
        "counted",
        "required",
        "percent",
        "reached",
    }

    staff = await _staff(server)
    await staff.send(json.dumps({"type": "ballot.open", "ballot": BALLOT, "ref": "open"}))
    assert await _next(staff, "ok") == {"type": "ok", "ref": "open", "ballot": BALLOT, "action": "ballot.open"}
    opened = await _next(phone, "state")
    (ballot,) = opened["ballots"]
    assert set(ballot) == _agora_ballot_keys()
    assert ballot["state"] == "open" and ballot["counts"] is None  # no live results, as the bench's ballot

    await phone.send(json.dumps({"type": "resync", "ref": 1}))
    resynced = await _next(phone, "snapshot")
    assert resynced["ref"] == 1 and resynced["present"] is True
    assert resynced["may_cast"] == {str(BALLOT): [{"member": 42, "member_name": "", "proxy": False, "cast": False}]}

    vote_id = str(uuid.uuid4()).upper()
    cast = {"type": "vote.cast", "vote_id": vote_id, "ballot": BALLOT, "choice": YES}
    await phone.send(json.dumps(cast))
    ack = await _next(phone, "vote.ack")
    assert set(ack) == {"type", "ref", *CastResult(uuid.uuid4(), 0, 0, False, False, False, 0).as_dict()}
    assert ack["vote_id"] == vote_id.lower() and ack["ref"] == vote_id
    assert (ack["ballot"], ack["member"], ack["proxy"], ack["replayed"], ack["changed"]) == (
        BALLOT,
        42,
        False,
        False,
        False,
    )
    assert ack["version"] == 2  # opened, then one vote

    await phone.send(json.dumps(cast))  # the same vote again: the same answer, replayed
    replay = await _next(phone, "vote.ack")
    assert replay == {**ack, "replayed": True}
    await phone.send(json.dumps({**cast, "vote_id": str(uuid.uuid4())}))
    assert (await _next(phone, "error"))["code"] == "already_voted"

    staff_state = await _next(staff, "state")
    assert set(staff_state["ballots"][0]) == _agora_ballot_keys() | {"non_voters", "non_voters_count"}
    for ws in (phone, staff):
        await ws.close()


async def test_the_refusals_have_agoras_codes_and_fields(server):
    phone = await _open(server, "", "m5")  # no ticket: the reference's fake cookie
    await _next(phone, "snapshot")
    await phone.send(json.dumps({"type": "vote.cast", "vote_id": "x", "ballot": BALLOT, "choice": YES}))
    error = await _next(phone, "error")
    assert (error["code"], error["field"], error["ref"]) == ("invalid", "vote_id", "x")
    vote = {"type": "vote.cast", "vote_id": str(uuid.uuid4()), "ballot": BALLOT, "choice": YES}
    await phone.send(json.dumps(vote))
    assert (await _next(phone, "error"))["code"] == "ballot_not_open"
    await phone.send(json.dumps({"type": "ballot.open", "ballot": BALLOT, "ref": "r"}))
    assert (await _next(phone, "error")) == {
        "type": "error",
        "code": "forbidden",
        "message": "Only the staff run ballots.",
        "ref": "r",
    }
    await phone.send(json.dumps({"type": "nope"}))
    assert (await _next(phone, "error"))["code"] == "unknown_type"
    await phone.send("{")
    assert (await _next(phone, "error"))["code"] == "bad_json"
    staff = await _staff(server)
    await staff.send(json.dumps({"type": "ballot.open", "ballot": BALLOT, "duration_seconds": 5}))
    error = await _next(staff, "error")
    assert (error["code"], error["field"]) == ("invalid", "duration_seconds")
    await staff.send(json.dumps({"type": "ballot.close", "ballot": BALLOT}))
    assert (await _next(staff, "error"))["code"] == "ballot_not_open"
    await staff.send(json.dumps({"type": "ballot.open", "ballot": BALLOT}))
    await _next(staff, "ok")
    await phone.send(json.dumps({**vote, "choice": 999}))
    assert (await _next(phone, "error"))["code"] == "invalid_choice"
    await staff.send(json.dumps({"type": "ballot.close", "ballot": BALLOT}))
    await _next(staff, "ok")
    closed = await _next(phone, "state")
    assert closed["ballots"][0]["verdict"]["outcome"] == "rejected"
    assert closed["ballots"][0]["counts"] == {"votes": 0, "options": {str(YES): 0, str(YES + 1): 0, str(YES + 2): 0}}
    await phone.send(json.dumps(vote))
    assert (await _next(phone, "error"))["code"] == "ballot_closed"
    for ws in (phone, staff):
        await ws.close()


async def _refused_with(server, **kwargs) -> int:
    ws = await _open(server, **kwargs)
    error = await _next(ws, "error")
    assert error["code"] == "unauthenticated"
    with contextlib.suppress(websockets.ConnectionClosed):
        await ws.recv()
    return ws.close_code


async def test_tickets_and_screen_links_are_checked_by_signature(server):
    other_session = _ticket(42, "k-42")
    assert await _refused_with(server, query=f"?ticket={other_session}", cookie="k-other") == 4401
    forged = _ticket(42, "k-42")[:-3] + "AAA"
    assert await _refused_with(server, query=f"?ticket={forged}", cookie="k-42") == 4401
    assert await _refused_with(server, query="?screen=1") == 4401
    other_sitting = signing.dumps({"s": SITTING + 1}, salt=ref.SCREEN_SALT, compress=True)
    assert await _refused_with(server, query=f"?screen={other_sitting}") == 4401

    screen = await _open(server, f"?screen={signing.dumps({'s': SITTING}, salt=ref.SCREEN_SALT, compress=True)}")
    hello = await _next(screen, "hello")
    assert (hello["role"], hello["user"]) == ("screen", None)
    await screen.send(json.dumps({"type": "vote.cast"}))
    assert (await _next(screen, "error"))["code"] == "forbidden"  # read-only
    await screen.close()


async def test_a_foreign_origin_is_refused_at_the_handshake(server):
    with pytest.raises(websockets.InvalidStatus) as refused:
        await _open(server, cookie="m5", origin="https://elsewhere.example")
    assert refused.value.response.status_code == 403
