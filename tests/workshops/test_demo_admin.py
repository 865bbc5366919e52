"""Demo content of the calendar, the meetings admin, and the workshop factories."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from assembly import demo as assembly_demo
from meetings import demo as meetings_demo
from meetings.demo import PAST_TITLE, UPCOMING_TITLE
from meetings.models import Meeting, MeetingDocument, Registration
from proposals import demo as proposals_demo
from tests import factories
from votes import demo as votes_demo

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    for module in (assembly_demo, proposals_demo, meetings_demo, votes_demo):
        module.seed(stdout=out)


def test_demo_has_ateliers_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _seed()
    past = Meeting.objects.get(title=PAST_TITLE)
    assert past.details.summary and MeetingDocument.objects.filter(meeting=past).count() == 2
    upcoming = Meeting.objects.get(title=UPCOMING_TITLE)
    assert Registration.objects.filter(meeting=upcoming).count() == 12
    counts = (Meeting.objects.count(), MeetingDocument.objects.count(), Registration.objects.count())
    _seed()
    assert (Meeting.objects.count(), MeetingDocument.objects.count(), Registration.objects.count()) == counts


@pytest.mark.parametrize(
    "model",
    [
        "meeting",
        "meetingdetails",
        "sitting",
        "agendaitem",
        "attendance",
        "proxy",
        "registration",
        "meetingdocument",
        "calendarfeedtoken",
        "workshoptable",
        "tableseat",
        "tablecontribution",
    ],
)
def test_staff_open_every_meetings_admin_list(staff_client, admin_client, member_client, model):
    url = reverse(f"admin:meetings_{model}_changelist")
    assert staff_client.get(url).status_code == 200
    assert admin_client.get(url).status_code == 200
    assert member_client.get(url).status_code == 302


def test_staff_open_a_meeting_in_the_admin(staff_client, future_meeting):
    assert staff_client.get(reverse("admin:meetings_meeting_change", args=[future_meeting.pk])).status_code == 200


def test_workshop_factories_build_consistent_rows():
    seat = factories.TableSeatFactory()
    assert seat.sitting == seat.table.sitting
    registration = factories.RegistrationFactory()
    assert registration.user.mandates.get().assembly == registration.meeting.assembly
    assert factories.MeetingDetailsFactory().meeting.kind == "field"
