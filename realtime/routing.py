"""Websocket routing helpers: the session stack around the app routes, and a catch-all.

Origin is checked by each consumer (`realtime.consumers.origin_allowed`) so that the refusal
has a documented close code. Only the session stack of Channels is used (cookie + lazy
session): the consumer resolves the user itself, in the same single database round trip as
the rest of its connect-time checks (Channels' AuthMiddleware would add one more per socket,
which is what limits a connection storm).
"""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from channels.sessions import SessionMiddlewareStack
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
    return SessionMiddlewareStack(URLRouter([*routes, re_path(r"", RefuseConsumer.as_asgi())]))
