"""Broadcast frames (realtime.frames): serialised once, written directly under uvicorn, ASGI elsewhere."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket

import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.protocol import State
from websockets.server import ServerProtocol

from realtime.frames import raw_writer, text_frame
from realtime.rooms import Room


def _open_server_protocol() -> ServerProtocol:
    """A websockets server connection after its handshake, with no extension."""
    protocol = ServerProtocol()
    protocol.state = State.OPEN
    return protocol


@pytest.mark.parametrize("text", ["", '{"type":"state"}', "é" * 70, "x" * 126, "y" * 70_000])
def test_a_frame_serialised_once_is_the_frame_the_library_would_send(text):
    # Three length encodings: up to 125 bytes, up to 65,535, and beyond.
    protocol = _open_server_protocol()
    protocol.send_text(text.encode())
    assert text_frame(text) == b"".join(protocol.data_to_send())


@pytest.fixture(autouse=True)
def _direct_frames_on(settings):
    """These tests exercise the direct write, which the project keeps off by default."""
    settings.REALTIME_DIRECT_FRAMES = True


def test_anything_but_uvicorn_sansio_keeps_the_asgi_send():
    async def send(message):  # the test communicator: a plain callable
        return None

    assert raw_writer(send) is None
    assert raw_writer(None) is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _serve(app, **options) -> tuple[uvicorn.Server, asyncio.Task, int]:
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, ws="websockets-sansio", lifespan="off", log_level="warning", **options
    )
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, port


async def _stop(server: uvicorn.Server, task: asyncio.Task) -> None:
    server.should_exit = True
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 10)


async def test_under_uvicorn_the_frame_is_written_directly_and_refused_once_the_socket_closes():
    seen: dict = {}

    async def app(scope, receive, send):
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        write = raw_writer(send)
        seen["writer"] = write is not None
        seen["written"] = write(text_frame(json.dumps({"type": "state", "v": "é"})))
        await send({"type": "websocket.send", "text": "through ASGI"})
        await receive()  # the client's next message
        await send({"type": "websocket.close", "code": 1000})
        seen["after_close"] = write(text_frame("too late"))

    server, task, port = await _serve(app, ws_per_message_deflate=False)
    try:
        async with connect(f"ws://127.0.0.1:{port}/", compression=None) as ws:
            assert json.loads(await ws.recv()) == {"type": "state", "v": "é"}
            assert await ws.recv() == "through ASGI"
            await ws.send("bye")
            with contextlib.suppress(Exception):
                await ws.recv()
    finally:
        await _stop(server, task)
    assert seen == {"writer": True, "written": True, "after_close": False}


async def _writer_of_a_socket(*, deflate: bool) -> dict:
    """What `raw_writer` makes of a socket's ASGI send under uvicorn, with permessage-deflate
    offered by the client and accepted by the server (DEFLATE), or neither."""
    seen: dict = {}

    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        seen["writer"] = raw_writer(send)
        await send({"type": "websocket.close", "code": 1000})

    server, task, port = await _serve(app, ws_per_message_deflate=deflate)
    try:
        async with connect(f"ws://127.0.0.1:{port}/", compression="deflate" if deflate else None) as ws:
            with contextlib.suppress(Exception):
                await ws.recv()
    finally:
        await _stop(server, task)
    return seen


async def test_a_compressed_socket_keeps_the_asgi_send():
    assert await _writer_of_a_socket(deflate=True) == {"writer": None}


async def test_a_room_writes_the_frame_once_serialised_and_falls_back_when_refused():
    class Direct:
        def __init__(self, accept: bool) -> None:
            self.accept = accept
            self.frames: list[bytes] = []
            self.texts: list[str] = []

        def write_frame(self, frame: bytes) -> bool:
            if self.accept:
                self.frames.append(frame)
            return self.accept

        async def send_text(self, text: str) -> None:
            self.texts.append(text)

    class Plain:
        def __init__(self) -> None:
            self.texts: list[str] = []

        async def send_text(self, text: str) -> None:
            self.texts.append(text)

    room = Room("frames", lambda changes, audiences: {"all": {"n": 1}}, rates={"all": 50})
    taking, refusing, plain = Direct(True), Direct(False), Plain()
    for sock in (taking, refusing, plain):
        room.join(sock, "all")
    room.touch()
    await asyncio.sleep(0.1)
    room.close()
    assert taking.frames == [text_frame('{"n":1}')] and taking.texts == []
    assert refusing.frames == [] and refusing.texts == ['{"n":1}']
    assert plain.texts == ['{"n":1}']
    assert room.frames_sent == 3 and room.frames_written == 1


async def test_with_the_setting_off_every_socket_keeps_the_asgi_send_even_under_uvicorn(settings):
    settings.REALTIME_DIRECT_FRAMES = False
    assert await _writer_of_a_socket(deflate=False) == {"writer": None}


def test_a_server_upgrade_that_renames_a_private_attribute_falls_back_to_the_asgi_send(caplog):
    """The direct write reads uvicorn's private attributes: if they are gone, the socket keeps the ASGI send."""
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

    # uvicorn's protocol as an upgrade might leave it: the same class and `send`, none of the attributes read.
    protocol = WebSocketsSansIOProtocol.__new__(WebSocketsSansIOProtocol)
    assert not hasattr(protocol, "conn")
    assert raw_writer(protocol.send) is None
    assert "using the ASGI send" in caplog.text
