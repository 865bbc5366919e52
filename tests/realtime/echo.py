"""A minimal consumer on the realtime base, to test the transport without the domain."""

from __future__ import annotations

from django.urls import re_path

from realtime.consumers import CLOSE_FORBIDDEN, JsonSocketConsumer, ProtocolError
from realtime.rooms import Room, rooms
from realtime.routing import websocket_application

STATE = {"value": 0}


class EchoConsumer(JsonSocketConsumer):
    handlers = {"echo": "handle_echo", "forbidden": "handle_forbidden"}

    async def on_open(self) -> None:
        await super().on_open()
        rooms.join(
            "echo",
            self,
            "all",
            lambda: Room("echo", lambda changes, audiences: {"all": {"type": "state", **STATE}}, rates={"all": 50}),
        )

    async def on_close(self) -> None:
        rooms.leave("echo", self)

    async def handle_echo(self, message: dict) -> None:
        await self.send_json({"type": "echo", "ref": message.get("ref"), "data": message.get("data")})

    async def handle_forbidden(self, message: dict) -> None:
        raise ProtocolError("forbidden", "no", close=CLOSE_FORBIDDEN)


application = websocket_application([re_path(r"^ws/echo/$", EchoConsumer.as_asgi())])
