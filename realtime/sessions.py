"""Who is connecting: the session and connect-ticket checks a socket runs at connect.

Sync functions, for the database thread: the session key from the cookie header, the user of
that session as Django's auth resolves it (through a lean session store for database
sessions), the shorter check a connect ticket allows (`ticket_session_valid`), and the small
pool of threads that runs these checks in a connection storm on a database server.
"""

from __future__ import annotations

import concurrent.futures
import threading
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.db import connections
from django.http import parse_cookie
from django.utils.crypto import constant_time_compare

from realtime.sessions_sql import live_session_data, session_and_password


def session_key_from_scope(scope: dict[str, Any]) -> str | None:
    """The session key named by the scope's cookie header (None without one)."""
    for name, value in scope.get("headers") or ():
        if name == b"cookie":
            key = parse_cookie(value.decode("latin-1")).get(settings.SESSION_COOKIE_NAME)
            if key:
                return key
    return None


_DB_SESSIONS = "django.contrib.sessions.backends.db"
_session_store: Any = None


def _session_store_class() -> Any:
    """The configured SessionStore; for database sessions, one that reads its row with a plain SELECT.

    Building the ORM query costs more than running it (a quarter of a millisecond per socket,
    against 0.06 ms for the prepared statement): it adds up in a connection storm.
    """
    base = import_module(settings.SESSION_ENGINE).SessionStore
    if settings.SESSION_ENGINE != _DB_SESSIONS:
        return base

    class LeanSessionStore(base):  # type: ignore[valid-type, misc]  # the engine's class, known at run time
        # The signing salt is named after the class: keep the engine's, or nothing decodes.
        key_salt = "django.contrib.sessions." + base.__qualname__

        def load(self) -> dict:
            data = live_session_data(self.model, self.session_key)
            if data is None:
                self._session_key = None
                return {}
            return self.decode(data)

    return LeanSessionStore


def user_from_scope(scope: dict[str, Any]):
    """The user of the scope's session (AnonymousUser if none), as Django's auth resolves it.

    Sync: call it from the database thread. The cookie is read here, and the session is
    loaded through the configured SESSION_ENGINE (one read), then the user (one read) with
    Django's own checks (backend still configured, active, session hash of the password).
    No Channels session middleware: it would wrap every frame sent on the socket.
    """
    global _session_store
    key = session_key_from_scope(scope)
    if not key or len(key) > 64:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    if _session_store is None:
        _session_store = _session_store_class()
    return auth.get_user(SimpleNamespace(session=_session_store(session_key=key)))  # type: ignore[arg-type]  # it reads only .session


def ticket_session_valid(session_key: str, user_id: int) -> bool:
    """Is SESSION_KEY an unexpired session of USER_ID (active), signed in with their current password?

    What Django's auth checks of a session, minus loading the whole user: the session names
    this user, and its hash of the password is the hash of the password stored now (a password
    changed elsewhere voids the sessions opened before). For database sessions it is one plain
    SELECT; a session that fails is left to the full check, which refuses it. Sync: database thread.
    """
    engine = import_module(settings.SESSION_ENGINE)
    user_model = auth.get_user_model()
    if settings.SESSION_ENGINE == _DB_SESSIONS:
        row = session_and_password(engine.SessionStore.get_model_class(), session_key, user_id)
        if row is None:
            return False
        data, password = engine.SessionStore().decode(row[0]), row[1]
    else:
        data = engine.SessionStore(session_key=session_key).load()
        stored = user_model.objects.filter(pk=user_id, is_active=True).values_list("password", flat=True).first()
        if stored is None:
            return False
        password = stored
    if str(data.get(auth.SESSION_KEY)) != str(user_id):
        return False
    current = user_model(pk=user_id, password=password).get_session_auth_hash()
    return constant_time_compare(str(data.get(auth.HASH_SESSION_KEY, "")), current)


CONNECT_THREADS = 4
_connect_executor: concurrent.futures.ThreadPoolExecutor | None = None


def parallel_connects() -> bool:
    """Run connect-time checks on a small pool of threads (each with its own connection)?

    With a database server the checks of a connection storm wait mostly on round trips, which
    threads overlap; SQLite is in-process (the work is CPU under the GIL) and keeps its one
    thread.
    """
    return connections["default"].vendor != "sqlite"


def connect_executor() -> concurrent.futures.ThreadPoolExecutor:
    global _connect_executor
    if _connect_executor is None:
        _connect_executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=CONNECT_THREADS, thread_name_prefix="realtime-connect"
        )
    return _connect_executor


def close_connect_connections() -> None:
    """Close the database connections of the connect threads (tests, before dropping the database)."""
    if _connect_executor is None:
        return
    barrier = threading.Barrier(CONNECT_THREADS)

    def close() -> None:
        barrier.wait(timeout=5)  # one call per thread: every thread closes its own connection
        connections.close_all()

    for future in [_connect_executor.submit(close) for _thread in range(CONNECT_THREADS)]:
        future.result()
