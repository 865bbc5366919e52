"""Calendar pages and feeds."""

from icalendar import Calendar

from meetings import services_calendar as cal


def test_member_registers_from_the_page_and_full_meeting_shows_an_error(member_client, member, staff, future_meeting):
    cal.meeting_details_set(by=staff, meeting=future_meeting, capacity=1)
    response = member_client.post(f"/reunions/calendrier/{future_meeting.pk}/inscription/", follow=True)
    assert response.status_code == 200
    assert future_meeting.registrations.filter(user=member).exists()


def test_public_feed_and_member_feed_parse(anonymous_client, member, future_meeting):
    cal.registration_register(by=member, meeting=future_meeting)
    public = anonymous_client.get("/reunions/calendrier/flux.ics")
    assert len(Calendar.from_ical(public.content).walk("VEVENT")) == 1
    token = cal.calendar_feed_token(user=member)
    personal = anonymous_client.get(f"/reunions/calendrier/flux/{token}.ics")
    assert personal.status_code == 200
    assert len(Calendar.from_ical(personal.content).walk("VEVENT")) == 1
    assert anonymous_client.get("/reunions/calendrier/flux/wrong.ics").status_code == 404


def test_staff_export_csv_and_sign_in_sheet_pdf(staff_client, member, future_meeting):
    cal.registration_register(by=member, meeting=future_meeting)
    csv = staff_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.csv")
    assert member.last_name in csv.content.decode("utf-8")
    pdf = staff_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_member_cannot_export_registrations(member_client, future_meeting):
    assert member_client.get(f"/reunions/calendrier/{future_meeting.pk}/inscrits.csv").status_code == 404


def test_past_meeting_page_is_public(anonymous_client, past_meeting):
    assert anonymous_client.get(f"/reunions/calendrier/{past_meeting.pk}/").status_code == 200
