"""Calendar pages and feeds: one visibility rule (upcoming meetings for signed-in people), registration, feeds."""

from html import escape

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from icalendar import Calendar

from core.models import AuditEvent
from meetings.models import CalendarFeedToken, MeetingDetails
from meetings.services import calendar as cal
from tests import factories

pytestmark = pytest.mark.django_db


def _fr(msgid: str) -> str:
    with override("fr"):
        return escape(gettext(msgid))


def test_member_registers_from_the_page(member_client, member, future_meeting):
    response = member_client.post(f"/reunions/calendrier/{future_meeting.pk}/inscription/", follow=True)
    assert response.status_code == 200
    assert future_meeting.registrations.filter(user=member).exists()
    assert _fr("You are registered.") in response.content.decode()


def test_full_meeting_shows_an_error_and_registers_nobody(member_client, member, staff, assembly, future_meeting):
    cal.meeting_details_set(by=staff, meeting=future_meeting, capacity=1)
    cal.registration_register(by=factories.MandateFactory(assembly=assembly).user, meeting=future_meeting)
    response = member_client.post(f"/reunions/calendrier/{future_meeting.pk}/inscription/", follow=True)
    assert response.status_code == 200
    assert _fr("This meeting is full.") in response.content.decode()
    assert not future_meeting.registrations.filter(user=member).exists()
    assert future_meeting.registrations.count() == 1


def test_public_feed_lists_past_meetings_only_and_member_feed_lists_registrations(
    anonymous_client, member, future_meeting, past_meeting
):
    cal.registration_register(by=member, meeting=future_meeting)
    public = anonymous_client.get(reverse("meetings:calendar_feed_public"))
    events = Calendar.from_ical(public.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [past_meeting.title]
    token = cal.calendar_feed_token(user=member)
    personal = anonymous_client.get(reverse("meetings:calendar_feed_member", args=[token]))
    assert personal.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(personal.content).walk("VEVENT")] == [future_meeting.title]
    assert anonymous_client.get("/reunions/calendrier/flux/wrong.ics").status_code == 404


def test_list_page_shows_upcoming_meetings_to_signed_in_people_only(anonymous_client, partner_client, future_meeting):
    url = reverse("meetings:calendar_list")
    assert escape(future_meeting.title) not in anonymous_client.get(url).content.decode()
    assert escape(future_meeting.title) in partner_client.get(url).content.decode()


def test_upcoming_meeting_page_and_api_are_for_signed_in_people(anonymous_client, member_client, future_meeting):
    page = anonymous_client.get(reverse("meetings:calendar_detail", args=[future_meeting.pk]))
    assert page.status_code == 302 and reverse("assembly:sign_in") in page["Location"]
    assert anonymous_client.get(f"/api/v1/meetings/{future_meeting.pk}/").status_code == 404
    assert member_client.get(reverse("meetings:calendar_detail", args=[future_meeting.pk])).status_code == 200


def test_staff_export_csv_and_sign_in_sheet_pdf(staff_client, member, future_meeting):
    cal.registration_register(by=member, meeting=future_meeting)
    csv = staff_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.csv")
    assert member.last_name in csv.content.decode("utf-8")
    pdf = staff_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_member_cannot_export_registrations(member_client, future_meeting):
    assert member_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.csv").status_code == 404


def test_past_meeting_page_is_public_with_its_summary_and_no_register_button(anonymous_client, past_meeting):
    MeetingDetails.objects.create(meeting=past_meeting, summary="Compte rendu : trois priorités retenues.")
    response = anonymous_client.get(reverse("meetings:calendar_detail", args=[past_meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(past_meeting.title) in html and escape("Compte rendu : trois priorités retenues.") in html
    assert reverse("meetings:calendar_register", args=[past_meeting.pk]) not in html


def test_unpublished_meeting_is_hidden(anonymous_client, member_client, past_meeting):
    MeetingDetails.objects.create(meeting=past_meeting, published=False)
    assert anonymous_client.get(reverse("meetings:calendar_detail", args=[past_meeting.pk])).status_code == 404
    assert member_client.get(reverse("meetings:calendar_detail", args=[past_meeting.pk])).status_code == 404
    assert escape(past_meeting.title) not in member_client.get(reverse("meetings:calendar_list")).content.decode()


def test_register_button_shows_for_members_of_the_meetings_assembly_only(client, member, future_meeting):
    register = reverse("meetings:calendar_register", args=[future_meeting.pk])
    client.force_login(member)
    assert register in client.get(reverse("meetings:calendar_detail", args=[future_meeting.pk])).content.decode()
    other = factories.AssemblyFactory(slug="autre", name="Autre assemblée", short_name="AA")
    elsewhere = factories.MandateFactory(assembly=other).user  # a member of another assembly only
    client.force_login(elsewhere)
    assert register not in client.get(reverse("meetings:calendar_detail", args=[future_meeting.pk])).content.decode()


def test_feed_address_page_writes_nothing_on_get_and_creates_or_renews_on_post(member_client, member):
    url = reverse("meetings:calendar_feed_address")
    page = member_client.get(url)
    assert page.status_code == 200
    assert not CalendarFeedToken.objects.exists() and not AuditEvent.objects.exists()
    member_client.post(url)
    token = CalendarFeedToken.objects.get(user=member).token
    page = member_client.get(url).content.decode()
    assert reverse("meetings:calendar_feed_member", args=[token]) in page
    assert AuditEvent.objects.filter(action="meetings.calendar_feed_renew").count() == 1
    member_client.post(url)
    assert CalendarFeedToken.objects.get(user=member).token != token
