"""When a sign-in ends, its sockets close (close code 4401) within a second: sign-out closes that
session's sockets, a new password, a deactivated account or an ended mandate every socket of the
person. Nothing else a person's record goes through closes them."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assembly import services as assembly_services
from backend.asgi import application
from meetings.services import attendance as attendance_services
from realtime import consumers as rc
from tests import factories
from tests.realtime.conftest import ORIGIN
from votes import services

pytestmark = pytest.mark.django_db(transaction=True)

WITHIN = 1  # second: the time a closed sign-in may still hold its sockets


@pytest.fixture
def room(assembly, staff):
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    mandate = factories.MandateFactory(assembly=assembly)
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=mandate.user)
    services.ballot_open(by=staff, ballot=factories.BallotFactory(sitting=sitting))
    return {"sitting": sitting, "member": mandate.user, "mandate": mandate, "staff": staff}


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def _socket(room, client: Client) -> WebsocketCommunicator:
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    headers = [(b"host", b"testserver"), (b"origin", ORIGIN), (b"cookie", cookie)]
    ws = WebsocketCommunicator(application, f"/ws/v1/sittings/{room['sitting'].pk}/", headers=headers)
    connected, _ = await ws.connect()
    assert connected
    assert (await ws.receive_json_from())["type"] == "hello"
    assert (await ws.receive_json_from())["type"] == "snapshot"
    return ws


async def _assert_closed_for_sign_in(ws: WebsocketCommunicator) -> None:
    error = await ws.receive_json_from(timeout=WITHIN)
    assert error["type"] == "error" and error["code"] == "signed_out"
    assert (await ws.receive_output(timeout=WITHIN))["code"] == rc.CLOSE_UNAUTHENTICATED


async def _assert_still_open(ws: WebsocketCommunicator) -> None:
    await ws.send_json_to({"type": "resync"})
    assert (await ws.receive_json_from(timeout=3))["type"] == "snapshot"


async def test_signing_out_closes_that_sessions_sockets_and_not_the_persons_other_sessions(room):
    phone = await sync_to_async(_signed_in_client)(room["member"])
    laptop = await sync_to_async(_signed_in_client)(room["member"])
    on_phone, on_laptop = await _socket(room, phone), await _socket(room, laptop)
    response = await sync_to_async(phone.post)(reverse("assembly:sign_out"))
    assert response.status_code == 302
    await _assert_closed_for_sign_in(on_phone)
    await _assert_still_open(on_laptop)
    await on_laptop.disconnect()


def _new_password(user) -> None:
    user.set_password("un nouveau mot de passe")
    user.save()


def _deactivated(user) -> None:
    user.is_active = False
    user.save()


@pytest.mark.parametrize("change", [_new_password, _deactivated], ids=["new password", "account deactivated"])
async def test_a_new_password_or_a_deactivated_account_closes_every_socket_of_the_person(room, change):
    sockets = [await _socket(room, await sync_to_async(_signed_in_client)(room["member"])) for _ in range(2)]
    await sync_to_async(change)(room["member"])
    for ws in sockets:
        await _assert_closed_for_sign_in(ws)


async def test_staff_deactivating_an_account_in_the_admin_closes_its_sockets(room, admin_user):
    ws = await _socket(room, await sync_to_async(_signed_in_client)(room["member"]))
    admin = await sync_to_async(_signed_in_client)(admin_user)
    member = room["member"]
    form = {"email": member.email, "first_name": member.first_name, "last_name": member.last_name, "language": "fr"}
    form |= {"mandates-TOTAL_FORMS": "0", "mandates-INITIAL_FORMS": "0"}  # is_active left unticked
    response = await sync_to_async(admin.post)(f"/admin/assembly/user/{member.pk}/change/", form)
    assert response.status_code == 302
    await _assert_closed_for_sign_in(ws)


async def test_ending_a_mandate_closes_the_persons_sockets(room):
    ws = await _socket(room, await sync_to_async(_signed_in_client)(room["member"]))
    await sync_to_async(assembly_services.mandate_end)(by=room["staff"], mandate=room["mandate"])
    await _assert_closed_for_sign_in(ws)


async def test_other_changes_to_the_person_and_other_people_leave_the_socket_open(room, assembly):
    ws = await _socket(room, await sync_to_async(_signed_in_client)(room["member"]))
    member = room["member"]

    def unrelated_changes() -> None:
        member.first_name = "Renommée"
        member.save()
        other = factories.MandateFactory(assembly=assembly).user
        _new_password(other)
        # Signing in elsewhere records last_login (update_fields): not the end of a sign-in.
        Client().force_login(member)

    await sync_to_async(unrelated_changes)()
    await _assert_still_open(ws)
    await ws.disconnect()


async def test_a_change_rolled_back_closes_nothing(room):
    ws = await _socket(room, await sync_to_async(_signed_in_client)(room["member"]))

    def rolled_back() -> None:
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            _new_password(room["member"])
            raise RuntimeError("the change fails after the save")

    await sync_to_async(rolled_back)()
    await _assert_still_open(ws)
    await ws.disconnect()
