"""A meeting and its sitting are created together or not at all."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict, ValidationFailed
from core.models import AuditEvent
from meetings.models import Meeting, Sitting
from meetings.services import sittings as services

pytestmark = pytest.mark.django_db


def _create(staff, assembly, **kwargs):
    return services.meeting_with_sitting_create(
        by=staff, assembly=assembly, kind="plenary", title="Plénière", date=dt.date(2027, 3, 12), **kwargs
    )


def _post_plenary(client, assembly):
    """The staff page's form for a new plenary and its sitting, as a browser posts it."""
    return client.post(
        "/reunions/gestion/",
        {
            "assembly": assembly.pk,
            "kind": "plenary",
            "title": "Plénière",
            "date": "2027-03-12",
            "quorum_percent": 50,
            "max_proxies_per_holder": 1,
        },
    )


def test_meeting_and_sitting_are_created_together(staff, assembly):
    sitting = _create(staff, assembly, quorum_percent=40, max_proxies_per_holder=2)
    assert sitting.meeting.title == "Plénière" and (sitting.quorum_percent, sitting.max_proxies_per_holder) == (40, 2)
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "meetings.meeting_create",
        "meetings.sitting_create",
    }


def test_a_refused_sitting_leaves_no_orphan_meeting(staff, assembly):
    with pytest.raises(ValidationFailed):
        _create(staff, assembly, max_proxies_per_holder=9)
    assert not Meeting.objects.exists() and not AuditEvent.objects.exists()


def test_a_sitting_failing_after_the_meeting_insert_rolls_the_meeting_back(staff, assembly, monkeypatch):
    def refuse(**kwargs):
        raise Conflict("refused")

    monkeypatch.setattr(services, "sitting_create", refuse)
    with pytest.raises(Conflict):
        _create(staff, assembly)
    assert not Meeting.objects.exists() and not Sitting.objects.exists()
    assert not AuditEvent.objects.filter(action="meetings.meeting_create").exists()


def test_the_staff_page_leaves_no_orphan_meeting_when_the_sitting_is_refused(staff_client, assembly, monkeypatch):
    def refuse(**kwargs):
        raise Conflict("refused")

    monkeypatch.setattr(services, "sitting_create", refuse)
    response = _post_plenary(staff_client, assembly)
    assert response.status_code == 200 and b"refused" in response.content
    assert not Meeting.objects.exists()


def test_staff_create_sitting_and_manage_it(staff_client, assembly):
    response = _post_plenary(staff_client, assembly)
    sitting = Sitting.objects.get()
    assert response.status_code == 302
    page = staff_client.get(f"/reunions/gestion/seances/{sitting.pk}/")
    assert page.status_code == 200 and b"emargement" in page.content
