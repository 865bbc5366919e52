"""Connect tickets (realtime.tickets): a live page's pass for its socket, and every way it can be wrong."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest
import time_machine
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assembly.models import Mandate
from backend.asgi import application
from realtime import consumers as rc
from realtime import sessions, tickets
from tests import factories
from tests.realtime.conftest import ORIGIN, live_room
from votes import services
from votes.models import Vote

PATH = "/ws/v1/sittings/7/"


# --- the token itself --------------------------------------------------------------------------


def test_a_ticket_is_redeemed_for_its_session_and_path_only():
    ticket = tickets.issue(session_key="k" * 32, user_id=12, path=PATH, grant="phone")
    assert tickets.redeem(ticket, session_key="k" * 32, path=PATH) == tickets.Pass(12, "phone")
    assert tickets.redeem(ticket, session_key="x" * 32, path=PATH) is None  # another session
    assert tickets.redeem(ticket, session_key=None, path=PATH) is None  # no cookie
    assert tickets.redeem(ticket, session_key="k" * 32, path="/ws/v1/sittings/8/") is None  # another room
    assert "k" * 32 not in ticket  # only a hash of the session key travels


def test_a_tampered_expired_or_oversized_ticket_is_refused():
    ticket = tickets.issue(session_key="k" * 32, user_id=12, path=PATH, grant="phone")
    forged = tickets.issue(session_key="k" * 32, user_id=12, path=PATH, grant="staff")
    # The payload of the staff ticket with the signature of the phone one.
    spliced = forged.split(":")[0] + ":" + ":".join(ticket.split(":")[1:])
    assert spliced != ticket
    assert tickets.redeem(spliced, session_key="k" * 32, path=PATH) is None
    assert tickets.redeem(ticket[:-2] + "AA", session_key="k" * 32, path=PATH) is None
    assert tickets.redeem("x" * 600, session_key="k" * 32, path=PATH) is None
    assert tickets.redeem("", session_key="k" * 32, path=PATH) is None
    later = timezone.now() + dt.timedelta(seconds=tickets.TICKET_MAX_AGE + 1)
    with time_machine.travel(later):
        assert tickets.redeem(ticket, session_key="k" * 32, path=PATH) is None


def test_no_session_no_ticket():
    assert tickets.issue(session_key=None, user_id=12, path=PATH, grant="phone") == ""


# --- tickets on the live room ------------------------------------------------------------------


@pytest.fixture
def room(assembly, staff):
    """The live room, with its ballot open."""
    room = live_room(assembly, staff)
    services.ballot_open(by=staff, ballot=room["ballot"])
    return room


def _signed_in(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def _socket(sitting, session_key: str | None, ticket: str = "") -> WebsocketCommunicator:
    headers = [(b"host", b"testserver"), (b"origin", ORIGIN)]
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    query = f"?ticket={ticket}" if ticket else ""
    ws = WebsocketCommunicator(application, f"/ws/v1/sittings/{sitting.pk}/{query}", headers=headers)
    connected, _ = await ws.connect()
    assert connected
    return ws


def _ticket(room, user, key: str, grant: str = "phone") -> str:
    return tickets.issue(session_key=key, user_id=user.pk, path=f"/ws/v1/sittings/{room['sitting'].pk}/", grant=grant)


async def _socket_from_page(room, user, page_name: str) -> WebsocketCommunicator:
    """Sign USER in, load the live page PAGE_NAME, connect with the ticket it rendered."""
    client = Client()
    await sync_to_async(client.force_login)(user)
    page = await sync_to_async(client.get)(reverse(page_name, args=[room["sitting"].pk]))
    ticket = html.unescape(re.search(r'data-ws-ticket="([^"]+)"', page.content.decode()).group(1))
    return await _socket(room["sitting"], client.cookies[settings.SESSION_COOKIE_NAME].value, ticket)


def _yes(ballot) -> int:
    return ballot.options.get(code="yes").pk


@pytest.mark.django_db(transaction=True)
async def test_the_live_page_ticket_opens_the_socket_and_the_vote_is_checked_in_full(room, monkeypatch):
    def no_session_read(scope):
        raise AssertionError("a valid ticket needs no session read at connect")

    monkeypatch.setattr(rc, "user_from_scope", no_session_read)
    ws = await _socket_from_page(room, room["member"], "votes:live_phone")
    hello = await ws.receive_json_from()
    snapshot = await ws.receive_json_from()
    assert hello["role"] == "phone" and hello["user"] == room["member"].pk
    assert snapshot["may_cast"][str(room["ballot"].pk)][0]["member"] == room["member"].pk
    vote_id = str(uuid.uuid4())
    await ws.send_json_to(
        {
            "type": "vote.cast",
            "vote_id": vote_id,
            "ballot": room["ballot"].pk,
            "choice": await sync_to_async(_yes)(room["ballot"]),
        }
    )
    while (message := await ws.receive_json_from(timeout=3))["type"] != "vote.ack":
        pass
    assert message["vote_id"] == vote_id and message["member"] == room["member"].pk
    assert await sync_to_async(Vote.objects.filter(ballot=room["ballot"]).count)() == 1
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_signed_out_session_is_refused_even_with_a_fresh_ticket(room):
    key = await sync_to_async(_signed_in)(room["member"])
    ticket = _ticket(room, room["member"], key)
    await sync_to_async(Session.objects.filter(session_key=key).delete)()
    ws = await _socket(room["sitting"], key, ticket)
    assert (await ws.receive_json_from())["code"] == "unauthenticated"
    assert (await ws.receive_output())["code"] == rc.CLOSE_UNAUTHENTICATED


@pytest.mark.django_db(transaction=True)
async def test_another_persons_ticket_is_ignored_and_the_session_decides(room, assembly):
    other = await sync_to_async(lambda: factories.MandateFactory(assembly=assembly).user)()
    member_key = await sync_to_async(_signed_in)(room["member"])
    other_key = await sync_to_async(_signed_in)(other)
    # The member's ticket (even a staff grant for them) sent with the other person's cookie.
    ws = await _socket(room["sitting"], other_key, _ticket(room, room["member"], member_key, grant="staff"))
    hello = await ws.receive_json_from()
    assert hello["user"] == other.pk and hello["role"] == "phone"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_expired_ticket_falls_back_to_the_full_check(room):
    key = await sync_to_async(_signed_in)(room["member"])
    ticket = _ticket(room, room["member"], key)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    await sync_to_async(lambda: Mandate.objects.filter(user=room["member"]).update(end_date=yesterday))()
    later = timezone.now() + dt.timedelta(seconds=tickets.TICKET_MAX_AGE + 5)
    with time_machine.travel(later):
        ws = await _socket(room["sitting"], key, ticket)
        # The full check sees the mandate has ended: no longer a member, refused.
        assert (await ws.receive_json_from())["code"] == "forbidden"
        assert (await ws.receive_output())["code"] == rc.CLOSE_FORBIDDEN


@pytest.mark.django_db(transaction=True)
async def test_a_reconnecting_phone_may_send_its_ticket_again_within_its_validity(room, monkeypatch):
    """A ticket is not single-use: within its 120 seconds it stands for every connection of its session."""
    key = await sync_to_async(_signed_in)(room["member"])
    ticket = _ticket(room, room["member"], key)
    first = await _socket(room["sitting"], key, ticket)
    assert (await first.receive_json_from())["type"] == "hello"
    await first.disconnect()

    def no_session_read(scope):
        raise AssertionError("the ticket, sent again, should stand for the connect-time checks")

    monkeypatch.setattr(rc, "user_from_scope", no_session_read)
    later = timezone.now() + dt.timedelta(seconds=tickets.TICKET_MAX_AGE - 10)
    with time_machine.travel(later):
        again = await _socket(room["sitting"], key, ticket)
        hello = await again.receive_json_from()
    assert hello["role"] == "phone" and hello["user"] == room["member"].pk
    await again.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_reconnect_after_the_ticket_expired_connects_on_the_session_cookie(room):
    key = await sync_to_async(_signed_in)(room["member"])
    ticket = _ticket(room, room["member"], key)
    later = timezone.now() + dt.timedelta(seconds=tickets.TICKET_MAX_AGE + 60)
    with time_machine.travel(later):
        with_old_ticket = await _socket(room["sitting"], key, ticket)
        hello = await with_old_ticket.receive_json_from()
        assert hello["role"] == "phone" and hello["user"] == room["member"].pk
        await with_old_ticket.disconnect()
        without_ticket = await _socket(room["sitting"], key)
        assert (await without_ticket.receive_json_from())["user"] == room["member"].pk
        await without_ticket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_rights_lost_after_the_ticket_stop_the_first_vote_and_message(room):
    key = await sync_to_async(_signed_in)(room["member"])
    ticket = _ticket(room, room["member"], key)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    await sync_to_async(lambda: Mandate.objects.filter(user=room["member"]).update(end_date=yesterday))()
    ws = await _socket(room["sitting"], key, ticket)  # within the ticket's life: connects
    assert (await ws.receive_json_from())["type"] == "hello"
    await ws.receive_json_from()
    choice = await sync_to_async(_yes)(room["ballot"])
    await ws.send_json_to(
        {"type": "vote.cast", "vote_id": str(uuid.uuid4()), "ballot": room["ballot"].pk, "choice": choice}
    )
    while (message := await ws.receive_json_from(timeout=3))["type"] != "error":
        pass
    assert message["code"] == "forbidden"
    assert await sync_to_async(Vote.objects.count)() == 0
    await ws.send_json_to({"type": "resync"})
    while (message := await ws.receive_json_from(timeout=3))["type"] != "error":
        pass
    assert message["code"] == "forbidden"
    assert (await ws.receive_output())["code"] == rc.CLOSE_FORBIDDEN


@pytest.mark.django_db(transaction=True)
async def test_the_control_page_ticket_gives_the_staff_view(room):
    ws = await _socket_from_page(room, room["staff"], "votes:live_control")
    hello = await ws.receive_json_from()
    assert hello["role"] == "staff" and hello["user"] == room["staff"].pk
    snapshot = await ws.receive_json_from()
    assert snapshot["ballots"][0]["non_voters"] == [{"member": room["member"].pk, "name": room["member"].display_name}]
    await ws.disconnect()


def _change_password(user) -> None:
    user.set_password("a new passphrase for this test")
    user.save(update_fields=["password"])


def _deactivate(user) -> None:
    type(user).objects.filter(pk=user.pk).update(is_active=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", [_change_password, _deactivate], ids=["password changed", "account deactivated"])
async def test_a_session_voided_after_the_page_is_refused_even_with_a_fresh_ticket(room, change):
    key = await sync_to_async(_signed_in)(room["member"])
    ticket = _ticket(room, room["member"], key)
    await sync_to_async(change)(room["member"])
    ws = await _socket(room["sitting"], key, ticket)
    assert (await ws.receive_json_from())["code"] == "unauthenticated"
    assert (await ws.receive_output())["code"] == rc.CLOSE_UNAUTHENTICATED


def test_the_ticket_session_check_reads_what_django_auth_reads(room):
    key = _signed_in(room["member"])
    assert sessions.ticket_session_valid(key, room["member"].pk)
    assert not sessions.ticket_session_valid(key, room["staff"].pk)  # the session of someone else
    assert not sessions.ticket_session_valid("no-such-session", room["member"].pk)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert not sessions.ticket_session_valid(key, room["member"].pk)
