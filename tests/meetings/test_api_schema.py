"""The meetings calendar API answers within its published schema, and never with a server error on odd ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import Meeting, MeetingDetails, MeetingDocument
from tests.assembly.openapi import assert_conforms

pytestmark = pytest.mark.django_db

# Past the 64-bit integer range of the databases: SQLite raised OverflowError on it (a 500).
OUT_OF_RANGE = 2**64


@pytest.fixture
def meeting(assembly):
    meeting = Meeting.objects.create(
        assembly=assembly,
        kind=Meeting.Kind.FIELD,
        title="Atelier territorial mobilités",
        date=timezone.localdate() - dt.timedelta(days=2),
        place="Salle des fêtes",
        address="1 place de la Mairie\n34150 Gignac",
    )
    MeetingDetails.objects.create(meeting=meeting, start_time=dt.time(9, 30), end_time=dt.time(16, 30))
    return meeting


@pytest.fixture
def document(meeting, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return MeetingDocument.objects.create(
        meeting=meeting,
        kind=MeetingDocument.Kind.MINUTES,
        title="Compte rendu",
        file=ContentFile(b"%PDF-1.4\n", name="cr.pdf"),
        content_type="application/pdf",
        size=9,
        uploaded_by=staff,
    )


@pytest.mark.parametrize("client_name", ["staff_client", "member_client"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/meetings/{big}/documents/{doc}/",
        "/api/v1/meetings/{meeting}/documents/{big}/",
        "/api/v1/meetings/{big}/documents/{big}/",
    ],
)
def test_deleting_a_document_with_an_out_of_range_id_is_a_not_found(request, client_name, url, meeting, document):
    client = request.getfixturevalue(client_name)
    response = client.delete(url.format(big=OUT_OF_RANGE, meeting=meeting.pk, doc=document.pk))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert_conforms(response, "/api/v1/meetings/{id}/documents/{document_pk}/", "delete")
    assert MeetingDocument.objects.filter(pk=document.pk).exists()


def test_a_document_cannot_be_deleted_through_another_meetings_address(staff_client, assembly, meeting, document):
    other = Meeting.objects.create(assembly=assembly, kind=Meeting.Kind.PLENARY, title="Plénière", date=meeting.date)
    response = staff_client.delete(f"/api/v1/meetings/{other.pk}/documents/{document.pk}/")
    assert response.status_code == 404
    assert MeetingDocument.objects.filter(pk=document.pk).exists()
    assert staff_client.delete(f"/api/v1/meetings/{meeting.pk}/documents/{document.pk}/").status_code == 204
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()


def test_meeting_list_and_detail_match_their_published_schema(anonymous_client, member_client, meeting, document):
    for client in (anonymous_client, member_client):
        listing = client.get("/api/v1/meetings/")
        assert [m["start_time"] for m in listing.json()] == ["09:30:00"]
        assert_conforms(listing, "/api/v1/meetings/")
        detail = client.get(f"/api/v1/meetings/{meeting.pk}/")
        assert detail.json()["end_time"] == "16:30:00"
        assert_conforms(detail, "/api/v1/meetings/{id}/")
