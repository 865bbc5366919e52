"""Database connections of the realtime worker threads (connect pool, batch writer).

Django checks a connection's health once per request (`close_old_connections()`, then a
`SELECT 1` before the first query when CONN_HEALTH_CHECKS is on). These threads have no
requests: a check per websocket connect or per vote batch would be one more round trip to
the database server each time, in the paths that a connection storm and a vote burst make
hot. They check at most every HEALTH_CHECK_EVERY seconds instead, and after any database
error the failed connection is dropped so that the next call opens a fresh one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, close_old_connections, connections

HEALTH_CHECK_EVERY = 5.0  # seconds

R = TypeVar("R")
_state = threading.local()


def with_connection(function: Callable[[], R]) -> R:
    """Run FUNCTION on this thread's connections, checked at most every HEALTH_CHECK_EVERY seconds."""
    now = time.monotonic()
    if now - getattr(_state, "checked_at", float("-inf")) >= HEALTH_CHECK_EVERY:
        close_old_connections()
        _state.checked_at = now
    try:
        return function()
    except DatabaseError:
        # The connection may be the cause (a restarted server): drop it, check on the next call.
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None and not connection.is_usable():
                connection.close()
        _state.checked_at = float("-inf")
        raise
