"""The two plain statements of a websocket's connect (a storm of connects reads sessions thousands
of times a second). Pinned to their ORM equivalents by tests/realtime/test_sessions_sql.py."""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.db import connection
from django.utils import timezone


def live_session_data(model: Any, session_key: str) -> str | None:
    """The encoded data of the unexpired session SESSION_KEY of MODEL's table (None if none)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
            [session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def session_and_password(session_model: Any, session_key: str, user_id: int) -> tuple[str, str] | None:
    """The encoded data of the unexpired session SESSION_KEY and the password hash of the active user
    USER_ID, in one read; None if either is missing."""
    sessions = connection.ops.quote_name(session_model._meta.db_table)
    users = connection.ops.quote_name(auth.get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.session_data, u.password FROM {sessions} s, {users} u "  # noqa: S608
            "WHERE s.session_key = %s AND s.expire_date > %s AND u.id = %s AND u.is_active",
            [session_key, connection.ops.adapt_datetimefield_value(timezone.now()), user_id],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])
