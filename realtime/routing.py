"""Websocket routing helpers: the app routes, and a catch-all.

Origin is checked by each consumer (`realtime.consumers.origin_allowed`) so that the refusal
has a documented close code. No Channels middleware: the consumer reads the session cookie and
resolves the user itself, in the same single database round trip as the rest of its
connect-time checks. (Channels' AuthMiddleware would add one more round trip per socket, and
its SessionMiddleware wraps every frame sent, which is what limits a connection storm and a
fan-out.)
"""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.urls import re_path

from realtime.consumers import CLOSE_NOT_FOUND

# Kept for callers that import it from here.
CLOSE_UNKNOWN_ROUTE = CLOSE_NOT_FOUND


class RefuseConsumer(AsyncWebsocketConsumer):
    """Catch-all: refuses (at the handshake) any websocket path no app declared."""

    channel_layer_alias = "__no_channel_layer__"

    async def connect(self) -> None:
        await self.close(code=CLOSE_UNKNOWN_ROUTE)


def websocket_application(routes: list):
    return URLRouter([*routes, re_path(r"", RefuseConsumer.as_asgi())])
