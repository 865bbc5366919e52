"""Calendar and tables services: rules and bad input (clear error, nothing changed)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from icalendar import Calendar

from core.errors import Conflict, PermissionDenied, TooLarge, ValidationFailed
from meetings.ical import build_feed
from meetings.models import MeetingDocument, Registration, TableContribution, WorkshopTable
from meetings.services import calendar as cal
from meetings.services import tables as tab
from tests import factories
from tests.shared.files import odt
from tests.workshops.conftest import make_sitting_with_present


def test_member_registers_and_unregisters(member, future_meeting):
    cal.registration_register(by=member, meeting=future_meeting)
    assert Registration.objects.filter(meeting=future_meeting, user=member).exists()
    cal.registration_cancel(by=member, meeting=future_meeting)
    assert not Registration.objects.exists()


def test_full_meeting_is_refused(staff, member, assembly, future_meeting):
    cal.meeting_details_set(by=staff, meeting=future_meeting, capacity=1)
    other = factories.MandateFactory(assembly=assembly).user
    cal.registration_register(by=other, meeting=future_meeting)
    with pytest.raises(Conflict) as err:
        cal.registration_register(by=member, meeting=future_meeting)
    assert err.value.code == "meeting_full"
    assert Registration.objects.count() == 1


def test_past_meeting_and_double_registration_are_refused(member, past_meeting, future_meeting):
    with pytest.raises(Conflict):
        cal.registration_register(by=member, meeting=past_meeting)
    cal.registration_register(by=member, meeting=future_meeting)
    with pytest.raises(Conflict):
        cal.registration_register(by=member, meeting=future_meeting)
    assert Registration.objects.count() == 1


def test_partner_cannot_register(partner, future_meeting):
    with pytest.raises(PermissionDenied):
        cal.registration_register(by=partner, meeting=future_meeting)


def test_documents_are_checked_by_content_and_size(staff, future_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cal.document_add(
        by=staff, meeting=future_meeting, kind="programme", upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    cal.document_add(by=staff, meeting=future_meeting, kind="minutes", upload=SimpleUploadedFile("m.odt", odt()))
    with pytest.raises(ValidationFailed):
        cal.document_add(
            by=staff,
            meeting=future_meeting,
            kind="slides",
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\0" * 200),
        )
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(TooLarge):
        cal.document_add(
            by=staff,
            meeting=future_meeting,
            kind="slides",
            upload=SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2000),
        )
    assert MeetingDocument.objects.count() == 2


def test_a_document_whose_row_is_rolled_back_leaves_no_file(staff, future_meeting, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def failing_record(**kwargs):
        raise RuntimeError("journal unavailable")

    monkeypatch.setattr(cal, "record", failing_record)
    with pytest.raises(RuntimeError):
        cal.document_add(
            by=staff, meeting=future_meeting, kind="programme", upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n")
        )
    assert not MeetingDocument.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_ical_feed_parses_with_icalendar(future_meeting):
    data = build_feed([future_meeting], name="Agora", site_url="http://testserver")
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["summary"]) == future_meeting.title
    assert "Gignac" in str(events[0]["location"])
    assert events[0].decoded("dtstart").date() == future_meeting.date


def test_reminders_are_sent_once(member, assembly, mailoutbox):
    import datetime as dt

    from django.utils import timezone

    from meetings.models import Meeting

    meeting = Meeting.objects.create(
        assembly=assembly, title="Plénière de demain", date=timezone.localdate() + dt.timedelta(days=1)
    )
    cal.registration_register(by=member, meeting=meeting)
    call_command("send_meeting_reminders")
    call_command("send_meeting_reminders")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]


def test_tables_split_and_contribution_become_proposals(staff, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 40)
    tables = tab.tables_split(by=staff, sitting=sitting)
    assert len(tables) == 4
    assert sum(t.seats.count() for t in tables) == 40
    table = tables[0]
    rapporteur = table.rapporteur
    contribution = tab.table_contribute(
        by=rapporteur, table=table, kind="priority", title="Des navettes", body="Entre les bourgs.", theme=themes[0]
    )
    assert contribution.proposal.author == rapporteur
    assert contribution.proposal.themes.get() == themes[0]
    other_member = tables[1].seats.exclude(user=tables[1].rapporteur).first().user
    with pytest.raises(PermissionDenied):
        tab.table_contribute(by=other_member, table=table, kind="priority", title="x", body="y", theme=themes[0])
    with pytest.raises(Conflict):
        tab.tables_split(by=staff, sitting=sitting)
    assert TableContribution.objects.count() == 1
    assert WorkshopTable.objects.filter(sitting=sitting).count() == 4


def test_member_cannot_split_tables(member, assembly):
    sitting, _ = make_sitting_with_present(assembly, 10)
    with pytest.raises(PermissionDenied):
        tab.tables_split(by=member, sitting=sitting)
