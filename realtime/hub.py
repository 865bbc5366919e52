"""Per-process fan-out of notifications, and the bridge between processes.

Placeholder transport: hands the payload to the channel layer. Replaced by the per-process
hub (one subscription per process, serialise once, loop over local sockets).
"""

from __future__ import annotations

import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

_GROUP_SAFE = re.compile(r"[^a-zA-Z0-9_.-]")


def group_name(topic: str) -> str:
    return _GROUP_SAFE.sub("_", topic)[:99]


def publish(topic: str, payload: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group_name(topic), {"type": "hub.message", "payload": payload})
