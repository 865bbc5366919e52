"""Broadcast after commit: the one way a service announces a change to live clients.

A service calls `broadcast_on_commit(topic, message)` inside its transaction; the message
leaves only if and when the transaction commits (never from `save()` or a signal), so no
client hears of a change that was rolled back. Messages are notifications ("ballot 12 is
at version 57"); clients fetch the truth from a snapshot.

The message goes to the per-process hub (`realtime.hub`), which hands it to the local rooms
and, in scale-out, to the other processes through one Redis pub/sub channel.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from realtime import hub


def broadcast_on_commit(topic: str, message: dict[str, Any]) -> None:
    """Publish MESSAGE on TOPIC once the current transaction commits (at once outside one)."""
    # Serialise now: fails inside the service (where it can be fixed) if the message is not
    # JSON, and freezes the values as they were at the time of the change.
    payload = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    transaction.on_commit(lambda: hub.publish(topic, payload))
