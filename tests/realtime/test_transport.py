"""The websocket transport: Origin and session checks, limits, one message shape, fan-out."""

from __future__ import annotations

import asyncio
import itertools
import json

import pytest
from django.db import transaction

from realtime import consumers as rc
from realtime.broadcast import broadcast_on_commit
from tests.realtime import echo
from tests.realtime.conftest import communicator

pytestmark = pytest.mark.django_db(transaction=True)


async def _open(user, **kwargs):
    ws = await communicator(echo.application, "/ws/echo/", user=user, **kwargs)
    connected, code = await ws.connect()
    return ws, connected, code


async def _hello(ws) -> dict:
    hello = await ws.receive_json_from()
    assert hello == {"type": "hello", "protocol": rc.PROTOCOL_VERSION}
    return hello


async def test_connect_without_session_is_closed_with_4401(db):
    ws, connected, _ = await _open(None)
    assert connected
    error = await ws.receive_json_from()
    assert error["type"] == "error" and error["code"] == "unauthenticated"
    assert (await ws.receive_output())["code"] == rc.CLOSE_UNAUTHENTICATED


async def test_cross_site_origin_is_refused_at_handshake(member):
    _ws, connected, code = await _open(member, origin=b"https://evil.example")
    assert not connected
    assert code == rc.CLOSE_FORBIDDEN


@pytest.mark.parametrize(
    "origin",
    [
        b"http://localhost",  # another host the site answers to (ALLOWED_HOSTS), not this socket's
        b"http://testserver:8001",  # the same host on another port
    ],
)
async def test_an_origin_other_than_the_sockets_own_host_and_port_is_refused(member, settings, origin):
    assert "localhost" in settings.ALLOWED_HOSTS
    _ws, connected, code = await _open(member, origin=origin)
    assert not connected and code == rc.CLOSE_FORBIDDEN


async def test_missing_origin_is_refused(member):
    _ws, connected, code = await _open(member, origin=None)
    assert not connected and code == rc.CLOSE_FORBIDDEN


async def test_unknown_path_is_refused(member):
    ws = await communicator(echo.application, "/ws/nowhere/", user=member)
    connected, code = await ws.connect()
    assert not connected and code == rc.CLOSE_NOT_FOUND


async def test_signed_in_member_gets_hello_and_echo(member):
    ws, connected, _ = await _open(member)
    assert connected
    await _hello(ws)
    await ws.send_json_to({"type": "echo", "ref": "r1", "data": [1, "é"]})
    reply = await ws.receive_json_from()
    assert reply == {"type": "echo", "ref": "r1", "data": [1, "é"]}
    await ws.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('{"no_type": 1}', "bad_message"),
        ('{"type": 3}', "bad_message"),
        ('{"type": "launch.missiles", "ref": "x"}', "unknown_type"),
    ],
)
async def test_bad_messages_get_a_documented_error_and_keep_the_socket(member, frame, code):
    ws, _, _ = await _open(member)
    await _hello(ws)
    await ws.send_to(text_data=frame)
    error = await ws.receive_json_from()
    assert error["type"] == "error" and error["code"] == code and error["message"]
    # Still usable afterwards.
    await ws.send_json_to({"type": "echo", "data": 1})
    assert (await ws.receive_json_from())["type"] == "echo"
    await ws.disconnect()


async def test_oversize_frame_closes_with_1009(member, settings):
    settings.WEBSOCKET_MAX_MESSAGE_BYTES = 256
    ws, _, _ = await _open(member)
    await _hello(ws)
    await ws.send_to(text_data=json.dumps({"type": "echo", "data": "x" * 300}))
    error = await ws.receive_json_from()
    assert error["code"] == "too_large"
    assert (await ws.receive_output())["code"] == rc.CLOSE_TOO_BIG


async def test_the_size_limit_counts_bytes_not_characters(member, settings):
    settings.WEBSOCKET_MAX_MESSAGE_BYTES = 256
    frame = json.dumps({"type": "echo", "data": "é" * 200}, ensure_ascii=False)
    assert len(frame) < 256 < len(frame.encode("utf-8"))
    ws, _, _ = await _open(member)
    await _hello(ws)
    await ws.send_to(text_data=frame)
    assert (await ws.receive_json_from())["code"] == "too_large"
    assert (await ws.receive_output())["code"] == rc.CLOSE_TOO_BIG


async def test_binary_frame_closes_with_1003(member):
    ws, _, _ = await _open(member)
    await _hello(ws)
    await ws.send_to(bytes_data=b"\x00\x01")
    assert (await ws.receive_json_from())["code"] == "binary_not_supported"
    assert (await ws.receive_output())["code"] == rc.CLOSE_UNSUPPORTED_DATA


async def test_flood_closes_with_4429(member, settings):
    settings.WEBSOCKET_MAX_MESSAGES_PER_SECOND = 5
    ws, _, _ = await _open(member)
    await _hello(ws)
    for i in range(20):
        await ws.send_json_to({"type": "echo", "data": i})
    codes = []
    while True:
        output = await ws.receive_output()
        if output["type"] == "websocket.close":
            break
        codes.append(json.loads(output["text"]).get("code") or "echo")
    assert output["code"] == rc.CLOSE_RATE_LIMITED
    assert codes.count("echo") <= 5 and codes[-1] == "rate_limited"


async def test_handler_refusal_sends_error_then_closes(member):
    ws, _, _ = await _open(member)
    await _hello(ws)
    await ws.send_json_to({"type": "forbidden", "ref": 7})
    assert await ws.receive_json_from() == {"type": "error", "code": "forbidden", "message": "no", "ref": 7}
    assert (await ws.receive_output())["code"] == rc.CLOSE_FORBIDDEN


async def test_broadcast_reaches_room_only_after_commit(member):
    echo.STATE["value"] = 0
    ws, _, _ = await _open(member)
    await _hello(ws)

    def rolled_back():
        with transaction.atomic():
            echo.STATE["value"] = 99
            broadcast_on_commit("echo", {"type": "changed"})
            transaction.set_rollback(True)
        echo.STATE["value"] = 0

    from asgiref.sync import sync_to_async

    await sync_to_async(rolled_back)()
    assert await ws.receive_nothing(timeout=0.3)

    def committed():
        with transaction.atomic():
            echo.STATE["value"] = 1
            broadcast_on_commit("echo", {"type": "changed", "n": 1})

    await sync_to_async(committed)()
    assert await ws.receive_json_from(timeout=2) == {"type": "state", "value": 1}
    await ws.disconnect()


async def test_burst_of_notifications_is_coalesced(member):
    from realtime.hub import get_hub

    echo.STATE["value"] = 0
    sockets = []
    for _ in range(3):
        ws, _, _ = await _open(member)
        await _hello(ws)
        sockets.append(ws)
    for i in range(200):
        echo.STATE["value"] = i
        get_hub().publish("echo", "{}")
    await asyncio.sleep(0.3)
    for ws in sockets:
        frames = []
        while not await ws.receive_nothing(timeout=0.1):
            frames.append(await ws.receive_json_from())
        assert frames[-1] == {"type": "state", "value": 199}
        assert len(frames) <= 5
        await ws.disconnect()


async def _refused(ws) -> None:
    connected, _ = await ws.connect()
    assert connected
    error = await ws.receive_json_from()
    assert error["type"] == "error" and error["code"] == "unauthenticated"
    assert (await ws.receive_output())["code"] == rc.CLOSE_UNAUTHENTICATED


async def test_expired_session_is_closed_with_4401(member):
    from asgiref.sync import sync_to_async
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ws = await communicator(echo.application, "/ws/echo/", user=member)
    await sync_to_async(Session.objects.update)(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    await _refused(ws)


async def test_session_from_before_a_password_change_is_closed_with_4401(member):
    from asgiref.sync import sync_to_async

    ws = await communicator(echo.application, "/ws/echo/", user=member)

    def change_password() -> None:
        member.set_password("a-new-long-password-2026")
        member.save()

    await sync_to_async(change_password)()
    await _refused(ws)


async def test_forged_session_cookie_is_closed_with_4401(member):
    ws = await communicator(echo.application, "/ws/echo/", user=None)
    ws.scope["headers"].append((b"cookie", b"sessionid=" + b"x" * 32))
    await _refused(ws)


async def test_a_large_audience_gets_fewer_frames_within_the_budget():
    """A room never sends more than `frame_budget` frames a second to one audience."""
    from realtime.rooms import Room

    class Phone:
        def __init__(self) -> None:
            self.frames: list[tuple[float, str]] = []

        async def send_text(self, text: str) -> None:
            self.frames.append((asyncio.get_running_loop().time(), text))

    value = {"n": 0}
    room = Room("budget", lambda changes, audiences: {"all": {"n": value["n"]}}, rates={"all": 50}, frame_budget=100)
    phones = [Phone() for _ in range(20)]
    for phone in phones:
        room.join(phone, "all")
    assert room.interval("all") == pytest.approx(20 / 100)  # 20 sockets, 100 frames/s: 5 Hz, not 50
    for step in range(60):  # a change every 10 ms for 0.6 s
        value["n"] = step
        room.touch("{}")
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)
    room.close()
    for phone in phones:
        times = [t for t, _ in phone.frames]
        assert phone.frames[-1][1] == '{"n":59}'  # the final state always arrives
        assert len(times) < 20  # 60 changes, coalesced
        assert all(b - a >= 0.19 for a, b in itertools.pairwise(times))
