"""The admin never writes around the services: settings freeze once a ballot/sitting/meeting has started."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from meetings.models import MeetingDetails, Registration, Sitting
from tests import factories
from votes.models import Ballot

pytestmark = pytest.mark.django_db


def _form(client, name, pk):
    response = client.get(reverse(f"admin:{name}_change", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_ballot_settings_are_editable_while_prepared_only(staff_client):
    draft = factories.BallotFactory()
    opened = factories.BallotFactory(state=Ballot.State.OPEN)
    html = _form(staff_client, "votes_ballot", draft.pk)
    for field in ("kind", "secret", "allow_change", "live_results", "options-0-label"):
        assert f'name="{field}"' in html
    html = _form(staff_client, "votes_ballot", opened.pk)
    for field in ("kind", "secret", "allow_change", "live_results", "majority", "title", "options-0-label"):
        assert f'name="{field}"' not in html


def test_open_ballot_post_changes_nothing_and_nobody_deletes_or_adds_ballots(staff_client, admin_client):
    ballot = factories.BallotFactory(state=Ballot.State.OPEN)
    staff_client.post(reverse("admin:votes_ballot_change", args=[ballot.pk]), {"kind": "ranking", "secret": "on"})
    ballot.refresh_from_db()
    assert ballot.kind == Ballot.Kind.YES_NO and not ballot.secret
    for client in (staff_client, admin_client):
        assert client.get(reverse("admin:votes_ballot_delete", args=[ballot.pk])).status_code == 403
        assert client.get(reverse("admin:votes_ballot_add")).status_code == 403
    assert Ballot.objects.filter(pk=ballot.pk).exists()


def test_sitting_quorum_and_proxies_freeze_once_open(staff_client):
    planned = factories.SittingFactory(state=Sitting.State.PLANNED, opened_at=None)
    opened = factories.SittingFactory()
    factories.AgendaItemFactory(sitting=opened)
    html = _form(staff_client, "meetings_sitting", planned.pk)
    assert 'name="quorum_percent"' in html and 'name="max_proxies_per_holder"' in html
    html = _form(staff_client, "meetings_sitting", opened.pk)
    assert 'name="quorum_percent"' not in html and 'name="max_proxies_per_holder"' not in html
    assert 'name="agenda_items-0-title"' not in html
    assert staff_client.get(reverse("admin:meetings_sitting_delete", args=[opened.pk])).status_code == 403


def test_sitting_quorum_change_in_the_admin_goes_through_the_service_and_is_journaled(staff, rf):
    from django.contrib import admin

    planned = factories.SittingFactory(state=Sitting.State.PLANNED, opened_at=None)
    model_admin = admin.site._registry[Sitting]
    request = rf.post("/")
    request.user = staff
    form_class = model_admin.get_form(request, planned)
    data = {f: getattr(planned, f) for f in form_class.base_fields}
    data.update(
        quorum_percent=60,
        quorum_counts_proxies=True,
        max_proxies_per_holder=2,
        starts_at_0=planned.starts_at.date(),
        starts_at_1=planned.starts_at.time(),
        created_at_0=planned.created_at.date(),
        created_at_1=planned.created_at.time(),
    )
    form = form_class(data, instance=planned)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    planned.refresh_from_db()
    assert (planned.quorum_percent, planned.max_proxies_per_holder) == (60, 2)
    event = AuditEvent.objects.get(action="meetings.sitting_configure", target_id=str(planned.pk))
    assert event.actor == staff and event.data["before"]["quorum_percent"] == 50


def test_capacity_is_frozen_on_the_meeting_day_and_never_below_registrations(staff_client, assembly):
    upcoming = factories.MeetingFactory(assembly=assembly, date=timezone.localdate() + dt.timedelta(days=5))
    today = factories.MeetingFactory(assembly=assembly)
    MeetingDetails.objects.create(meeting=upcoming, capacity=10)
    MeetingDetails.objects.create(meeting=today, capacity=10)
    for _ in range(2):
        Registration.objects.create(meeting=upcoming, user=factories.MandateFactory(assembly=assembly).user)
    assert 'name="capacity"' not in _form(staff_client, "meetings_meetingdetails", today.pk)
    assert 'name="capacity"' in _form(staff_client, "meetings_meetingdetails", upcoming.pk)
    response = staff_client.post(
        reverse("admin:meetings_meetingdetails_change", args=[upcoming.pk]),
        {"capacity": 1, "programme": "", "published": "on", "summary": ""},
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    assert MeetingDetails.objects.get(meeting=upcoming).capacity == 10


def test_registrations_are_read_only_in_the_admin(staff_client, admin_client, future_meeting, member):
    registration = Registration.objects.create(meeting=future_meeting, user=member)
    assert 'name="user"' not in _form(staff_client, "meetings_registration", registration.pk)
    for client in (staff_client, admin_client):
        assert client.get(reverse("admin:meetings_registration_delete", args=[registration.pk])).status_code == 403
