"""The live room follows the agenda: its state carries the item in progress, and staff take items
up and close them from the desk ("Prendre ce point", "Clore ce point")."""

from __future__ import annotations

from django.urls import reverse

from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from votes.live.access import PHONE, SCREEN, STAFF
from votes.live.state import SittingState


def _items(staff, sitting):
    return [
        agenda_services.agenda_item_add(
            by=staff, sitting=sitting, title="Accueil", kind="information", planned_minutes=5
        ),
        agenda_services.agenda_item_add(
            by=staff, sitting=sitting, title="Mobilités rurales", kind="vote", planned_minutes=20
        ),
    ]


def test_the_state_carries_the_item_in_progress(staff, sitting):
    _first, second = _items(staff, sitting)
    state = SittingState(sitting.pk)
    assert state(None)[PHONE]["sitting"]["agenda_item"] is None
    agenda_services.agenda_item_make_current(by=staff, item=second)
    after = state(None)
    item = after[SCREEN]["sitting"]["agenda_item"]
    assert {k: item[k] for k in ("id", "position", "title", "kind", "planned_minutes")} == {
        "id": second.pk,
        "position": 2,
        "title": "Mobilités rurales",
        "kind": "vote",
        "planned_minutes": 20,
    }
    assert item["started_at"]
    staff_item = after[STAFF]["sitting"]["agenda_item"]
    assert {k: v for k, v in staff_item.items() if k != "floor"} == {k: v for k, v in item.items() if k != "floor"}
    # The staff's floor is the public one, with the waiting list by name and parity.
    assert staff_item["floor"].items() >= item["floor"].items()
    assert "queue" in staff_item["floor"] and "queue" not in item["floor"]
    agenda_services.agenda_item_finish(by=staff, item=second)
    assert state(None)[PHONE]["sitting"]["agenda_item"] is None


def test_the_desk_takes_an_item_up_and_closes_it(staff_client, staff, sitting):
    first, _second = _items(staff, sitting)
    desk = reverse("votes:live_control", args=[sitting.pk])
    html = staff_client.get(desk).content.decode()
    assert "Prendre ce point" in html and "Mobilités rurales" in html and "20 minutes" in html
    action = reverse("meetings:manage_agenda_item", args=[first.pk])
    response = staff_client.post(action, {"action": "make_current", "next": desk})
    assert response.status_code == 302 and response["Location"] == desk
    assert AgendaItem.objects.get(pk=first.pk).state == "current"
    html = staff_client.get(desk).content.decode()
    assert "Clore ce point" in html and "Le point 1 est en cours." in html
    staff_client.post(action, {"action": "finish", "next": desk})
    assert AgendaItem.objects.get(pk=first.pk).state == "done"


def test_the_desk_refuses_a_foreign_return_address(staff_client, staff, sitting):
    first, _second = _items(staff, sitting)
    action = reverse("meetings:manage_agenda_item", args=[first.pk])
    response = staff_client.post(action, {"action": "make_current", "next": "https://example.org/"})
    assert response["Location"] == reverse("meetings:manage_sitting", args=[sitting.pk])


def test_closing_an_item_not_in_progress_is_a_clear_message_and_changes_nothing(staff_client, staff, sitting):
    first, _second = _items(staff, sitting)
    action = reverse("meetings:manage_agenda_item", args=[first.pk])
    response = staff_client.post(action, {"action": "finish"}, follow=True)
    assert "Ce point n’est pas en cours" in response.content.decode() or "pas en cours" in response.content.decode()
    assert AgendaItem.objects.get(pk=first.pk).state == "upcoming"


def test_a_member_cannot_take_an_item_up(member_client, staff, sitting):
    first, _second = _items(staff, sitting)
    response = member_client.post(reverse("meetings:manage_agenda_item", args=[first.pk]), {"action": "make_current"})
    assert response.status_code == 403
    assert AgendaItem.objects.get(pk=first.pk).state == "upcoming"


def test_phones_and_the_projector_have_a_place_for_the_item_in_progress(member_client, sitting, staff):
    html = member_client.get(reverse("votes:live_phone", args=[sitting.pk])).content.decode()
    assert "data-current-item" in html and "Point {position} en cours\u202f: {title}" in html
