"""Helpers for websocket tests: a signed-in communicator, and clean hub state per test."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from meetings.services import attendance as attendance_services
from realtime import hub as hub_module
from realtime import sessions
from tests import factories

ORIGIN = b"http://testserver"


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def communicator(application, path: str, *, user=None, origin: bytes | None = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    return WebsocketCommunicator(application, path, headers=headers)


def live_room(assembly, staff) -> dict:
    """An open sitting with a member present and a prepared yes/no ballot."""
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    member = factories.MandateFactory(assembly=assembly).user
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    ballot = factories.BallotFactory(sitting=sitting)
    return {"sitting": sitting, "member": member, "ballot": ballot, "staff": staff}


@pytest.fixture(autouse=True)
def _fresh_hub(settings):
    """Each test gets its own hub (and Redis channel name, when REDIS_URL is set)."""
    hub_module.reset_hub()
    yield
    hub_module.reset_hub()


@pytest.fixture(autouse=True, scope="session")
def _close_worker_connections(django_db_setup, django_db_blocker):
    """Close the database connections of the worker threads, so the test database can be dropped."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    from votes.live.runtime import writer

    writer.close_connections()
    sessions.close_connect_connections()
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture(autouse=True)
def _forget_sittings():
    """Sitting ids are reused from one test to the next: no connect-time cache carries over."""
    from votes.live.runtime import forget_sittings

    forget_sittings()
    yield
    forget_sittings()
