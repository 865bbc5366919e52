"""Every websocket message type × every role, on the live room of a sitting; and cross-site refusal.

The message types come from the consumer's own `handlers` table: a new type without an entry
in EXPECTED fails `test_every_message_type_has_an_entry`.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from realtime import hub as hub_module
from tests.realtime.conftest import communicator
from tests.security.matrix import ROLES
from tests.security.world import World
from votes.live.consumers import SittingConsumer

pytestmark = [pytest.mark.django_db(transaction=True)]

# What a role gets at connect: "open" (hello + snapshot) or the close code.
CONNECT = {
    "anonymous": 4401,
    "partner": "open",
    "member": "open",
    "former_member": 4403,
    "copresident": "open",
    "staff": "open",
    "admin": "open",
}
# For each message type, the reply type per connected role ("error:<code>" for a refusal).
STAFF_RUNS = {"partner": "error:forbidden", "member": "error:forbidden", "copresident": "error:forbidden"}
EXPECTED = {
    "ping": dict.fromkeys(ROLES, "pong"),
    "resync": dict.fromkeys(ROLES, "snapshot"),
    "vote.cast": {
        "partner": "error:forbidden",
        "member": "vote.ack",
        "copresident": "vote.ack",
        "staff": "error:forbidden",
        "admin": "error:forbidden",
    },
    # Staff record, at the desk, the checked-in member's vote; a member may not record another's.
    "vote.assist": {**STAFF_RUNS, "staff": "vote.ack", "admin": "vote.ack"},
    "ballot.open": {**STAFF_RUNS, "staff": "not:forbidden", "admin": "not:forbidden"},
    "ballot.close": {**STAFF_RUNS, "staff": "not:forbidden", "admin": "not:forbidden"},
    "ballot.extend": {**STAFF_RUNS, "staff": "not:forbidden", "admin": "not:forbidden"},
    "ballot.cancel": {**STAFF_RUNS, "staff": "not:forbidden", "admin": "not:forbidden"},
}


@pytest.fixture(autouse=True)
def _fresh_hub():
    hub_module.reset_hub()
    yield
    hub_module.reset_hub()


def test_every_message_type_has_an_entry():
    missing = sorted(set(SittingConsumer.handlers) - set(EXPECTED))
    assert not missing, f"websocket message types without an entry in {__file__}: {missing}"


def _message(kind: str, world: World) -> dict:
    ballot = world.ballot
    if kind == "vote.cast":
        return {
            "type": kind,
            "ballot": ballot.pk,
            "vote_id": str(uuid.uuid4()),
            "choice": ballot.options.get(code="yes").pk,
            "ref": "r1",
        }
    if kind == "vote.assist":
        return {
            "type": kind,
            "ballot": ballot.pk,
            "member": world.users["member"].pk,
            "vote_id": str(uuid.uuid4()),
            "choice": ballot.options.get(code="yes").pk,
            "ref": "r1",
        }
    if kind.startswith("ballot."):
        return {"type": kind, "ballot": world.draft_ballot.pk, "seconds": 30, "reason": "test", "ref": "r1"}
    return {"type": kind, "ref": "r1"}


async def _reply(comm: WebsocketCommunicator) -> dict:
    """The first message that answers ours (state pushes from the room are skipped)."""
    for _ in range(20):
        message = await comm.receive_json_from(timeout=5)
        if message.get("type") in ("state",):
            continue
        return message
    raise AssertionError("no reply")


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_gets_the_declared_answer_to_each_message_type(role):
    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    await sync_to_async(lambda: (world.ballot, world.draft_ballot))()
    path = f"/ws/v1/sittings/{sitting.pk}/"
    from backend.asgi import application

    wrong = []
    for kind, row in EXPECTED.items():
        comm = await communicator(application, path, user=world.users[role])
        connected, _ = await comm.connect(timeout=5)
        if CONNECT[role] != "open":
            # Refused: either at the handshake, or accepted then closed with the code.
            if connected:
                output = await comm.receive_output(timeout=5)
                while output["type"] == "websocket.send":
                    output = await comm.receive_output(timeout=5)
                assert output == {"type": "websocket.close", "code": CONNECT[role]}, (role, output)
            await comm.disconnect()
            break
        assert connected, role
        assert (await comm.receive_json_from(timeout=5))["type"] == "hello"
        assert (await comm.receive_json_from(timeout=5))["type"] == "snapshot"
        await comm.send_json_to(await sync_to_async(_message)(kind, world))
        reply = await _reply(comm)
        got = reply["type"] if reply["type"] != "error" else f"error:{reply['code']}"
        expected = row[role]
        ok = got != "error:forbidden" if expected == "not:forbidden" else got == expected
        if not ok:
            wrong.append(f"{kind} as {role}: expected {expected}, got {reply}")
        await comm.disconnect()
        await asyncio.sleep(0)
    assert not wrong, "\n".join(wrong)


async def test_cross_site_websocket_is_refused():
    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    from backend.asgi import application

    comm = await communicator(
        application, f"/ws/v1/sittings/{sitting.pk}/", user=world.users["member"], origin=b"https://evil.example"
    )
    connected, _code = await comm.connect(timeout=5)
    assert not connected
    await comm.disconnect()


async def test_a_member_cannot_vote_on_another_sittings_ballot_over_the_websocket():
    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    other = await sync_to_async(lambda: world.other_ballot)()
    option = await sync_to_async(lambda: other.options.get(code="yes").pk)()
    from backend.asgi import application

    comm = await communicator(application, f"/ws/v1/sittings/{sitting.pk}/", user=world.users["member"])
    connected, _ = await comm.connect(timeout=5)
    assert connected
    await comm.receive_json_from(timeout=5)
    await comm.receive_json_from(timeout=5)
    await comm.send_json_to(
        {"type": "vote.cast", "ballot": other.pk, "vote_id": str(uuid.uuid4()), "choice": option, "ref": "x"}
    )
    reply = await _reply(comm)
    assert reply["type"] == "error", reply
    assert await sync_to_async(other.votes.count)() == 0
    await comm.disconnect()
