"""Broadcast frames: a websocket frame serialised once, written as is to every socket of a room.

A room sends the same text to thousands of sockets. Through ASGI, each send encodes the text,
builds and serialises a frame in Python and writes it: about 29 µs a socket under uvicorn,
most of a phone fan-out's cost on the event loop that also carries every vote and its
acknowledgement (docs/performance-live.md). A server frame is never masked, and without an
extension (the server runs without permessage-deflate) its bytes depend only on the text: they
can be serialised once and written to each socket's transport.

`raw_writer()` gives that direct write for the one server that exposes what it needs, uvicorn's
sans-I/O websockets protocol (the `serve` command's default), and None for anything else
(uvicorn's legacy websockets protocol, the test communicator), where sockets keep the ASGI
send. It reads private attributes of uvicorn's protocol, so it is off unless
`REALTIME_DIRECT_FRAMES` is set, and any attribute an upgrade renamed or removed makes it answer
None (the ASGI send), never fail a connect. The direct write refuses (returns False) whenever
the ASGI send would not write at once (closing or closed socket, handshake not done, write
buffer full): the caller then takes the ASGI path, which waits or raises as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from websockets.frames import Frame, Opcode
from websockets.protocol import State

FrameWriter = Callable[[bytes], bool]

logger = logging.getLogger("agora.realtime")


def text_frame(text: str) -> bytes:
    """The bytes of a final, unmasked, uncompressed websocket text frame carrying TEXT."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def raw_writer(send: Any) -> FrameWriter | None:
    """A writer of serialised frames to the socket behind the ASGI SEND, or None if unsupported.

    Call it after the handshake: the extensions are known by then. None unless the setting
    `REALTIME_DIRECT_FRAMES` is on.
    """
    if not settings.REALTIME_DIRECT_FRAMES:
        return None
    try:
        return _raw_writer(send)
    except AttributeError:  # a server upgrade changed the private attributes read below
        logger.warning("REALTIME_DIRECT_FRAMES: this server's websocket protocol changed; using the ASGI send")
        return None


def _raw_writer(send: Any) -> FrameWriter | None:
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    except ImportError:  # pragma: no cover - uvicorn is a dependency
        return None
    protocol = getattr(send, "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol) or getattr(send, "__func__", None) is not type(protocol).send:
        return None
    connection = protocol.conn
    if connection.extensions or not protocol.handshake_complete:
        return None  # a compressed socket needs its own frame
    transport, writable = protocol.transport, protocol.writable

    def write(frame: bytes) -> bool:
        if (
            protocol.close_sent
            or protocol.disconnected
            or not writable.is_set()
            or connection.state is not State.OPEN
            or connection.expect_continuation_frame
            or transport.is_closing()
        ):
            return False
        transport.write(frame)
        return True

    return write
