"""The agenda drives the sitting: items have a kind and a planned duration; staff take them up one at a time."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from core.models import AuditEvent
from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from tests import factories
from tests.shared.errors import code_of


@pytest.fixture
def open_sitting(sitting):
    assert sitting.state == "open"
    return sitting


def _items(sitting, staff, count=3):
    kinds = ["information", "debate", "vote", "election"]
    return [
        agenda_services.agenda_item_add(
            by=staff, sitting=sitting, title=f"Point {n}", kind=kinds[n % 4], planned_minutes=10 + n
        )
        for n in range(count)
    ]


def test_items_keep_kind_duration_and_start_upcoming(open_sitting, staff):
    first, second, _third = _items(open_sitting, staff)
    assert (first.kind, first.planned_minutes, first.state) == ("information", 10, "upcoming")
    assert (second.kind, second.position) == ("debate", 2)


def test_making_an_item_current_ends_the_previous_one(open_sitting, staff):
    first, second, _third = _items(open_sitting, staff)
    agenda_services.agenda_item_make_current(by=staff, item=first)
    agenda_services.agenda_item_make_current(by=staff, item=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("done", "current")
    assert first.started_at <= first.ended_at <= second.started_at
    assert AuditEvent.objects.filter(action="meetings.agenda_item_make_current").count() == 2
    agenda_services.agenda_item_finish(by=staff, item=second)
    assert not AgendaItem.objects.filter(sitting=open_sitting, state="current").exists()


def test_a_done_item_can_be_resumed_and_keeps_its_first_start(open_sitting, staff):
    first, second, _third = _items(open_sitting, staff)
    agenda_services.agenda_item_make_current(by=staff, item=first)
    started = AgendaItem.objects.get(pk=first.pk).started_at
    agenda_services.agenda_item_make_current(by=staff, item=second)
    agenda_services.agenda_item_make_current(by=staff, item=first)
    first.refresh_from_db()
    assert first.state == "current" and first.started_at == started and first.ended_at is None


def test_two_current_items_are_refused_by_the_database(open_sitting, staff):
    first, second, _third = _items(open_sitting, staff)
    agenda_services.agenda_item_make_current(by=staff, item=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=second.pk).update(state="current")
    assert list(AgendaItem.objects.filter(state="current").values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"title": "   "}, "invalid"),
        ({"title": "x" * 201}, "invalid"),
        ({"kind": "party"}, "invalid"),
        ({"planned_minutes": 0}, "invalid"),
        ({"planned_minutes": 601}, "invalid"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_added(open_sitting, staff, change, code):
    arguments = {"by": staff, "sitting": open_sitting, "title": "Point", **change}
    assert code_of(lambda: agenda_services.agenda_item_add(**arguments)) == code
    assert not AgendaItem.objects.exists()


def test_refusals_change_nothing(open_sitting, staff, member):
    first, second, _third = _items(open_sitting, staff)
    agenda_services.agenda_item_make_current(by=staff, item=first)
    assert code_of(lambda: agenda_services.agenda_item_make_current(by=staff, item=first)) == (
        "agenda_item_already_current"
    )
    assert code_of(lambda: agenda_services.agenda_item_finish(by=staff, item=second)) == "agenda_item_not_current"
    assert code_of(lambda: agenda_services.agenda_item_make_current(by=member, item=second)) == "forbidden"
    assert code_of(lambda: agenda_services.agenda_item_remove(by=staff, item=first)) == "agenda_item_started"
    assert list(AgendaItem.objects.filter(state="current").values_list("pk", flat=True)) == [first.pk]


def test_an_item_is_taken_up_only_while_the_sitting_is_in_session(assembly, staff):
    sitting = factories.SittingFactory(meeting__assembly=assembly, state="planned", opened_at=None)
    item = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Point")
    assert code_of(lambda: agenda_services.agenda_item_make_current(by=staff, item=item)) == "sitting_not_open"
    item.refresh_from_db()
    assert item.state == "upcoming"
