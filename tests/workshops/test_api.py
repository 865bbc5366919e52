"""The calendar and tables API: happy paths, rules, and bad input (clear French error, nothing changed)."""

from __future__ import annotations

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import MeetingDocument, Registration, TableContribution, WorkshopTable
from meetings.services import calendar as cal
from meetings.services import tables as tab
from proposals.models import Proposal
from tests import factories
from tests.shared.files import odt
from tests.workshops.conftest import make_sitting_with_present
from votes.models import Ballot


def _error(response) -> dict:
    return response.json()["error"]


# --- calendar ----------------------------------------------------------------------------------
def test_member_lists_registers_and_unregisters(member_client, member, future_meeting, past_meeting):
    listing = member_client.get("/api/v1/meetings/?when=upcoming").json()
    assert [m["id"] for m in listing] == [future_meeting.pk]
    response = member_client.post(f"/api/v1/meetings/{future_meeting.pk}/registration/")
    assert response.status_code == 201
    assert response.json()["registered"] is True and response.json()["registered_count"] == 1
    assert member_client.get(f"/api/v1/meetings/{future_meeting.pk}/").json()["registered"] is True
    assert member_client.delete(f"/api/v1/meetings/{future_meeting.pk}/registration/").status_code == 204
    assert not Registration.objects.exists()


def test_anonymous_sees_only_past_meetings(anonymous_client, future_meeting, past_meeting):
    assert [m["id"] for m in anonymous_client.get("/api/v1/meetings/").json()] == [past_meeting.pk]
    assert anonymous_client.get(f"/api/v1/meetings/{future_meeting.pk}/").status_code == 404


def test_registering_for_a_full_meeting_is_refused_in_french(staff, member_client, assembly, future_meeting):
    cal.meeting_details_set(by=staff, meeting=future_meeting, capacity=1)
    cal.registration_register(by=factories.MandateFactory(assembly=assembly).user, meeting=future_meeting)
    response = member_client.post(f"/api/v1/meetings/{future_meeting.pk}/registration/")
    assert response.status_code == 409
    assert _error(response) == {"code": "meeting_full", "message": "Cette réunion est complète."}
    assert Registration.objects.count() == 1


def test_registering_for_a_past_meeting_is_refused_in_french(member_client, past_meeting):
    response = member_client.post(f"/api/v1/meetings/{past_meeting.pk}/registration/")
    assert response.status_code == 409
    assert _error(response)["message"] == "Cette réunion a déjà eu lieu."
    assert not Registration.objects.exists()


def test_partner_cannot_register(partner_client, future_meeting):
    assert partner_client.post(f"/api/v1/meetings/{future_meeting.pk}/registration/").status_code == 403
    assert not Registration.objects.exists()


def test_staff_uploads_a_document_and_members_list_it(staff_client, member_client, future_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(
        f"/api/v1/meetings/{future_meeting.pk}/documents/",
        {"file": SimpleUploadedFile("cr.odt", odt()), "kind": "minutes", "title": "Compte rendu"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/vnd.oasis.opendocument.text"
    listed = member_client.get(f"/api/v1/meetings/{future_meeting.pk}/documents/").json()
    assert [d["title"] for d in listed] == ["Compte rendu"]
    doc = MeetingDocument.objects.get()
    assert member_client.delete(f"/api/v1/meetings/{future_meeting.pk}/documents/{doc.pk}/").status_code == 403
    assert staff_client.delete(f"/api/v1/meetings/{future_meeting.pk}/documents/{doc.pk}/").status_code == 204
    assert not MeetingDocument.objects.exists()


def test_a_document_of_a_forbidden_type_is_refused_on_its_field(staff_client, future_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(
        f"/api/v1/meetings/{future_meeting.pk}/documents/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\0" * 200), "kind": "slides"},
    )
    assert response.status_code == 400
    assert _error(response)["fields"] == {"file": ["Seuls les fichiers PDF et OpenDocument (ODT, ODP) sont acceptés."]}
    assert not MeetingDocument.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_member_cannot_upload_a_document(member_client, future_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = member_client.post(
        f"/api/v1/meetings/{future_meeting.pk}/documents/",
        {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"), "kind": "programme"},
    )
    assert response.status_code == 403
    assert not MeetingDocument.objects.exists()


def test_staff_list_and_csv_of_registrations(staff_client, member_client, member, future_meeting):
    cal.registration_register(by=member, meeting=future_meeting)
    rows = staff_client.get(f"/api/v1/meetings/{future_meeting.pk}/registrations/").json()
    assert [r["user"] for r in rows] == [member.pk]
    csv = staff_client.get(f"/api/v1/meetings/{future_meeting.pk}/registrations.csv")
    assert csv["Content-Type"].startswith("text/csv") and member.last_name in csv.content.decode("utf-8-sig")
    assert member_client.get(f"/api/v1/meetings/{future_meeting.pk}/registrations/").status_code == 403
    assert member_client.get(f"/api/v1/meetings/{future_meeting.pk}/registrations.csv").status_code == 403


# --- tables ------------------------------------------------------------------------------------
def test_staff_split_then_rapporteur_captures_a_priority(staff_client, client, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 20)
    response = staff_client.post(f"/api/v1/sittings/{sitting.pk}/tables/", {"seed": 4}, content_type="application/json")
    assert response.status_code == 201
    tables = response.json()
    assert len(tables) == 2 and sum(len(t["members"]) for t in tables) == 20
    table = WorkshopTable.objects.get(pk=tables[0]["id"])
    client.force_login(table.rapporteur)
    response = client.post(
        f"/api/v1/tables/{table.pk}/contributions/",
        {"kind": "priority", "title": "Des navettes", "body": "Entre les bourgs.", "theme": themes[0].slug},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get(pk=response.json()["proposal"])
    assert proposal.author == table.rapporteur and proposal.workshop_table.table == table
    listed = client.get(f"/api/v1/sittings/{sitting.pk}/tables/").json()
    assert listed[0]["contributions"][0]["title"] == "Des navettes"


def test_another_member_cannot_capture_for_a_table(staff, client, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 20)
    tables = tab.tables_split(by=staff, sitting=sitting)
    outsider = tables[1].seats.exclude(user=tables[1].rapporteur).first().user
    client.force_login(outsider)
    response = client.post(
        f"/api/v1/tables/{tables[0].pk}/contributions/",
        {"kind": "proposal", "title": "x", "body": "y", "theme": themes[0].slug},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not TableContribution.objects.exists()


def test_member_cannot_split_and_a_bad_table_count_is_a_field_error(member_client, staff_client, assembly):
    sitting, _users = make_sitting_with_present(assembly, 20)
    assert (
        member_client.post(f"/api/v1/sittings/{sitting.pk}/tables/", {}, content_type="application/json").status_code
        == 403
    )
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/tables/", {"tables": 5}, content_type="application/json"
    )
    assert response.status_code == 400 and "tables" in _error(response)["fields"]
    assert not WorkshopTable.objects.exists()


def test_staff_changes_the_rapporteur(staff_client, staff, assembly):
    sitting, _users = make_sitting_with_present(assembly, 10)
    table = tab.tables_split(by=staff, sitting=sitting)[0]
    other = table.seats.exclude(user=table.rapporteur).first().user
    response = staff_client.post(
        f"/api/v1/tables/{table.pk}/rapporteur/", {"user": other.pk}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["rapporteur"]["id"] == other.pk


def test_staff_opens_the_priorities_ballot_from_the_api(staff_client, member_client, staff, assembly, themes):
    sitting, _users = make_sitting_with_present(assembly, 20)
    tables = tab.tables_split(by=staff, sitting=sitting)
    assert (
        member_client.post(
            f"/api/v1/sittings/{sitting.pk}/priorities-ballot/", {}, content_type="application/json"
        ).status_code
        == 403
    )
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/priorities-ballot/", {}, content_type="application/json"
    )
    assert response.status_code == 400  # no priority yet
    for table, theme in zip(tables, themes, strict=False):
        tab.table_contribute(by=table.rapporteur, table=table, kind="priority", title="P", body="B", theme=theme)
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/priorities-ballot/", {}, content_type="application/json"
    )
    assert response.status_code == 201
    ballot = Ballot.objects.get(pk=response.json()["ballot"])
    assert ballot.kind == Ballot.Kind.RANKING and ballot.state == "open"


def test_schema_documents_the_workshop_endpoints(anonymous_client):
    schema = yaml.safe_load(anonymous_client.get("/api/schema/").content)
    paths = schema["paths"]
    for path in (
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/registration/",
        "/api/v1/meetings/{id}/documents/",
        "/api/v1/meetings/{id}/registrations/",
        "/api/v1/sittings/{id}/tables/",
        "/api/v1/tables/{id}/contributions/",
        "/api/v1/questionnaires/",
        "/api/v1/questionnaires/{id}/submit/",
        "/api/v1/questionnaires/{id}/results/",
        "/api/v1/sittings/{id}/priorities-ballot/",
    ):
        assert path in paths, path
    register = paths["/api/v1/meetings/{id}/registration/"]["post"]
    assert register["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "multipart/form-data" in paths["/api/v1/meetings/{id}/documents/"]["post"]["requestBody"]["content"]


pytestmark = pytest.mark.django_db
