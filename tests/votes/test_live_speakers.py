"""The speakers list in the live room: the phone asks to speak and withdraws, the desk orders the
list and gives the floor, through one endpoint (JSON with the CSRF token, or the desk's form)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from meetings.models import SpeakerRequest
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from tests.shared.people import signed_in
from votes.live.access import PHONE, SCREEN, STAFF
from votes.live.state import SittingState


@pytest.fixture
def debate(staff, sitting):
    item = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Mobilités rurales", kind="debate")
    agenda_services.agenda_item_make_current(by=staff, item=item)
    return item


def _post(client, sitting, body):
    return client.post(
        reverse("votes:live_speakers", args=[sitting.pk]), data=json.dumps(body), content_type="application/json"
    )


def test_a_present_member_asks_to_speak_from_the_phone_and_withdraws(staff, sitting, debate, member):
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    client = signed_in(member)
    response = _post(client, sitting, {"action": "request"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "speaker.ok" and body["state"] == "waiting"
    assert body["message"] == "Votre demande de parole est enregistrée."
    assert SpeakerRequest.objects.get(person=member).state == "waiting"
    response = _post(client, sitting, {"action": "withdraw"})
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


def test_an_absent_member_gets_a_clear_error(sitting, debate, member):
    response = _post(signed_in(member), sitting, {"action": "request"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_present"
    assert "Émargez" in response.json()["message"]
    assert not SpeakerRequest.objects.exists()


def test_a_member_cannot_give_the_floor(staff, sitting, debate, member):
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    client = signed_in(member)
    request_id = _post(client, sitting, {"action": "request"}).json()["request"]
    response = _post(client, sitting, {"action": "give_floor", "request": request_id})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert SpeakerRequest.objects.get(pk=request_id).state == "waiting"


def test_bad_messages_are_refused(staff, sitting, debate):
    client = signed_in(staff)
    assert _post(client, sitting, {"action": "dance"}).json()["field"] == "action"
    assert _post(client, sitting, {"action": "give_floor", "request": "x"}).json()["field"] == "request"
    assert _post(client, sitting, {"action": "give_floor", "request": 99999}).status_code == 404
    response = client.post(
        reverse("votes:live_speakers", args=[sitting.pk]), data="[1]", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_message"


def test_the_endpoint_needs_the_csrf_token(staff, sitting, debate, member):
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    response = _post(signed_in(member, enforce_csrf_checks=True), sitting, {"action": "request"})
    assert response.status_code == 403
    assert not SpeakerRequest.objects.exists()


def test_the_desk_gives_the_floor_and_the_state_carries_it(staff, sitting, debate, present_members):
    for person in present_members[:2]:
        _post(signed_in(person), sitting, {"action": "request"})
    first = SpeakerRequest.objects.get(person=present_members[0])
    client = signed_in(staff)
    response = _post(client, sitting, {"action": "give_floor", "request": first.pk, "seconds": 120})
    assert response.json()["message"] == f"{present_members[0].display_name} a la parole."
    state = SittingState(sitting.pk)(None)
    floor = state[SCREEN]["sitting"]["agenda_item"]["floor"]
    assert floor["speaker"]["name"] == present_members[0].display_name
    assert floor["speaker"]["seconds"] == 120
    assert floor["waiting"] == [present_members[1].pk] and floor["queue_length"] == 1
    assert state[PHONE]["sitting"]["agenda_item"]["floor"] == floor
    staff_floor = state[STAFF]["sitting"]["agenda_item"]["floor"]
    assert [r["name"] for r in staff_floor["queue"]] == [present_members[1].display_name]
    assert staff_floor["parity"]["by_college"]["elected"] >= 0
    assert _post(client, sitting, {"action": "end"}).status_code == 200
    assert SittingState(sitting.pk)(None)[SCREEN]["sitting"]["agenda_item"]["floor"]["speaker"] is None


def test_the_desk_form_reorders_and_configures(staff, sitting, debate, present_members, partner):
    for person in present_members[:2]:
        _post(signed_in(person), sitting, {"action": "request"})
    second = SpeakerRequest.objects.get(person=present_members[1])
    client = signed_in(staff)
    url = reverse("votes:live_speakers", args=[sitting.pk])
    response = client.post(url, {"action": "move", "request": second.pk, "direction": "up"})
    assert response.status_code == 302 and response["Location"] == reverse("votes:live_control", args=[sitting.pk])
    second.refresh_from_db()
    assert second.position == 1
    client.post(url, {"action": "configure", "partners_may_speak": "on", "seconds": "240"})
    sitting.refresh_from_db()
    assert (sitting.partners_may_speak, sitting.speaking_seconds) == (True, 240)
    response = client.post(url, {"action": "configure", "seconds": "5"}, follow=True)
    assert "Le temps de parole est compris entre 10 secondes et 60 minutes." in response.content.decode()
    sitting.refresh_from_db()
    assert (sitting.partners_may_speak, sitting.speaking_seconds) == (True, 240)


def test_the_pages_carry_the_floor(staff, sitting, debate, member):
    phone = signed_in(member).get(reverse("votes:live_phone", args=[sitting.pk])).content.decode()
    assert "Demander la parole" in phone and "Retirer ma demande" in phone and "floor.js" in phone
    desk = signed_in(staff).get(reverse("votes:live_control", args=[sitting.pk])).content.decode()
    assert "Fin d’intervention" in desk and "Femmes" in desk and "Élus" in desk
    assert reverse("votes:live_speakers", args=[sitting.pk]) in desk


def test_a_stranger_to_the_sitting_gets_404(sitting, debate, former_member):
    assert _post(signed_in(former_member), sitting, {"action": "request"}).status_code == 404
