"""Websocket routing helpers: Origin and session checks around the app routes, and a catch-all."""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import WebsocketConsumer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import re_path

# Close code for an unknown websocket path (see docs/realtime-protocol.md).
CLOSE_UNKNOWN_ROUTE = 4404


class RefuseConsumer(WebsocketConsumer):
    """Catch-all: refuses any websocket path no app declared."""

    def connect(self) -> None:
        self.close(code=CLOSE_UNKNOWN_ROUTE)


def websocket_application(routes: list):
    return AllowedHostsOriginValidator(
        AuthMiddlewareStack(URLRouter([*routes, re_path(r"", RefuseConsumer.as_asgi())]))
    )
