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


# --- Bad input over the socket: each message gets its documented refusal, before anything is queued ------

ABSURD = 10**20
LONG_REF = "r" * 65


def _vote(world: World, **fields) -> dict:
    ballot = world.ballot
    return {
        "type": "vote.cast",
        "ballot": ballot.pk,
        "vote_id": "8d3b5a52-3c1e-4c43-9a7e-1f3f7c1d2b10",
        "choice": ballot.options.get(code="yes").pk,
        **fields,
    }


# (case, role, message built from the world, expected error code, its field, the answer's ref)
BAD_INPUT = [
    ("ballot past 64 bits", "member", lambda w: _vote(w, ballot=ABSURD), "invalid", "ballot", "vote_id"),
    ("ballot 2⁶³", "member", lambda w: _vote(w, ballot=2**63), "invalid", "ballot", "vote_id"),
    (
        "on_behalf_of past 64 bits",
        "member",
        lambda w: _vote(w, on_behalf_of=ABSURD),
        "invalid",
        "on_behalf_of",
        "vote_id",
    ),
    ("on_behalf_of zero", "member", lambda w: _vote(w, on_behalf_of=0), "invalid", "on_behalf_of", "vote_id"),
    ("vote with a ref over 64", "member", lambda w: _vote(w, ref=LONG_REF), "invalid", "ref", "vote_id"),
    ("ping with a ref over 64", "member", lambda w: {"type": "ping", "ref": LONG_REF}, "invalid", "ref", None),
    ("resync with a ref as an object", "member", lambda w: {"type": "resync", "ref": {"a": 1}}, "invalid", "ref", None),
    ("ping with a boolean ref", "member", lambda w: {"type": "ping", "ref": True}, "invalid", "ref", None),
    (
        "assisted vote for a member past 64 bits",
        "staff",
        lambda w: {**_vote(w, member=ABSURD), "type": "vote.assist"},
        "invalid",
        "member",
        "vote_id",
    ),
    (
        "ballot action on a ballot past 64 bits",
        "staff",
        lambda w: {"type": "ballot.close", "ballot": ABSURD, "ref": "c1"},
        "not_found",
        None,
        "c1",
    ),
]


@pytest.mark.parametrize(("case", "role", "build", "code", "field", "ref"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
async def test_bad_input_gets_its_documented_refusal_and_queues_nothing(case, role, build, code, field, ref):
    from backend.asgi import application
    from votes.live import runtime
    from votes.models import Vote

    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    message = await sync_to_async(build)(world)
    queued = runtime.writer.stats()["items"]
    comm = await communicator(application, f"/ws/v1/sittings/{sitting.pk}/", user=world.users[role])
    connected, _ = await comm.connect(timeout=5)
    assert connected
    await comm.receive_json_from(timeout=5)
    await comm.receive_json_from(timeout=5)
    await comm.send_json_to(message)
    reply = await _reply(comm)
    assert reply["type"] == "error" and reply["code"] == code, reply
    assert reply.get("field") == field, reply
    assert reply.get("ref") == (message["vote_id"] if ref == "vote_id" else ref), reply
    assert runtime.writer.stats()["items"] == queued, "refused before the batch writer"
    assert await sync_to_async(Vote.objects.count)() == 0
    # The socket stays open and answers the next message.
    await comm.send_json_to({"type": "ping", "ref": "p"})
    assert (await _reply(comm)) == {"type": "pong", "ref": "p"}
    await comm.disconnect()


async def test_a_vote_id_reused_with_another_choice_is_refused_and_the_first_vote_stands():
    from backend.asgi import application
    from votes.models import Vote

    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    first = await sync_to_async(_vote)(world)
    no = await sync_to_async(lambda: world.ballot.options.get(code="no").pk)()
    comm = await communicator(application, f"/ws/v1/sittings/{sitting.pk}/", user=world.users["member"])
    assert (await comm.connect(timeout=5))[0]
    await comm.receive_json_from(timeout=5)
    await comm.receive_json_from(timeout=5)
    await comm.send_json_to(first)
    assert (await _reply(comm))["type"] == "vote.ack"
    await comm.send_json_to(first)
    replay = await _reply(comm)
    assert replay["type"] == "vote.ack" and replay["replayed"] is True
    await comm.send_json_to({**first, "choice": no})
    reused = await _reply(comm)
    assert reused["type"] == "error" and reused["code"] == "vote_id_reused" and reused["ref"] == first["vote_id"]
    choices = await sync_to_async(lambda: list(Vote.objects.values_list("choice", flat=True)))()
    assert choices == [first["choice"]]
    await comm.disconnect()


@pytest.mark.parametrize(
    ("scheme", "origin", "accepted"),
    [
        ("ws", b"http://testserver", True),
        ("ws", b"https://testserver", False),
        ("wss", b"https://testserver", True),
        ("wss", b"http://testserver", False),
    ],
)
async def test_the_origin_must_have_the_sockets_scheme(scheme, origin, accepted):
    from backend.asgi import application

    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    comm = await communicator(application, f"/ws/v1/sittings/{sitting.pk}/", user=world.users["member"], origin=origin)
    comm.scope["scheme"] = scheme
    connected, _ = await comm.connect(timeout=5)
    assert connected is accepted, (scheme, origin)
    await comm.disconnect()


async def test_behind_a_proxy_the_forwarded_scheme_decides(settings):
    from backend.asgi import application

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    world = await sync_to_async(World)()
    sitting = await sync_to_async(lambda: world.sitting)()
    results = {}
    for forwarded, origin in [
        (b"https", b"https://testserver"),
        (b"https", b"http://testserver"),
        (b"http", b"https://testserver"),
    ]:
        comm = await communicator(
            application, f"/ws/v1/sittings/{sitting.pk}/", user=world.users["member"], origin=origin
        )
        comm.scope["headers"] = [*comm.scope["headers"], (b"x-forwarded-proto", forwarded)]
        results[(forwarded, origin)], _ = await comm.connect(timeout=5)
        await comm.disconnect()
    assert results == {
        (b"https", b"https://testserver"): True,
        (b"https", b"http://testserver"): False,
        (b"http", b"https://testserver"): False,
    }
