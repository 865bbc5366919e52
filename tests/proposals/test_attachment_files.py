"""Attachment files: stored under random names, served only to those who may see the proposal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ValidationFailed
from proposals import services
from proposals.models import Attachment, Proposal
from tests import factories
from tests.shared.files import PDF, image, pdf_upload

pytestmark = pytest.mark.django_db


def _attach(proposal: Proposal, name="Compte rendu IMG_1234.pdf", data=PDF) -> Attachment:
    return services.attachment_add(by=proposal.author, proposal=proposal, upload=SimpleUploadedFile(name, data))


def _url(attachment: Attachment) -> str:
    return f"/propositions/fichiers/{attachment.pk}/"


def test_stored_name_is_random_and_the_original_name_is_only_shown(proposal):
    attachment = _attach(proposal)
    assert attachment.original_name == "Compte rendu IMG_1234.pdf"
    assert "IMG_1234" not in attachment.file.name and "Compte" not in attachment.file.name
    assert attachment.file.name.startswith("proposals/attachments/") and attachment.file.name.endswith(".pdf")
    assert _attach(proposal).file.name != attachment.file.name


def test_published_pdf_is_served_as_a_download_with_its_type_and_name(proposal, anonymous_client):
    attachment = _attach(proposal)
    response = anonymous_client.get(_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "IMG_1234.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_published_image_is_shown_inline(proposal, anonymous_client):
    attachment = _attach(proposal, name="photo.jpg", data=image())
    response = anonymous_client.get(_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_members_draft_attachment_is_not_found(assembly, member, theme, other_member_client, member_client):
    draft = factories.ProposalFactory(assembly=assembly, author=member, status=Proposal.Status.DRAFT, themes=[theme])
    attachment = _attach(draft)
    assert other_member_client.get(_url(attachment)).status_code == 404
    assert member_client.get(_url(attachment)).status_code == 200


def test_hidden_proposal_attachment_is_not_found_for_the_public(proposal, staff, anonymous_client, staff_client):
    attachment = _attach(proposal)
    services.proposal_hide(by=staff, proposal=proposal, reason="Propos injurieux")
    assert anonymous_client.get(_url(attachment)).status_code == 404
    assert staff_client.get(_url(attachment)).status_code == 200


def test_unknown_attachment_is_not_found(anonymous_client, db):
    assert anonymous_client.get("/propositions/fichiers/999999/").status_code == 404


def test_detail_page_and_api_never_link_the_storage_path(proposal, anonymous_client):
    attachment = _attach(proposal)
    page = anonymous_client.get(f"/propositions/{proposal.pk}/").content.decode()
    assert _url(attachment) in page and attachment.file.name not in page
    data = anonymous_client.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert data["attachments"][0]["url"] == _url(attachment)


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(proposal, anonymous_client, settings):
    settings.MEDIA_ACCEL_REDIRECT = True
    attachment = _attach(proposal)
    response = anonymous_client.get(_url(attachment))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/media/{attachment.file.name}"
    assert response["Content-Disposition"].startswith("attachment;")


def test_nginx_never_serves_proposal_files_directly():
    from pathlib import Path

    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    block = conf.split("location ^~ /media/proposals/", 1)[1].split("}", 1)[0]
    assert "internal;" in block


def test_a_refused_publication_removes_the_file_already_written(member, theme, settings):
    from pathlib import Path

    draft = services.proposal_create(by=member, title="Navettes")
    with pytest.raises(ValidationFailed):
        # The file is accepted, then publishing fails (no text): the whole change is undone.
        services.proposal_update(by=member, proposal=draft, upload=pdf_upload("p.pdf"), publish=True)
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []


def test_attachment_limit_is_counted_under_the_lock(member, proposal, monkeypatch):
    from proposals.services import attachments

    monkeypatch.setattr(attachments, "MAX_ATTACHMENTS", 1)
    services.attachment_add(by=member, proposal=proposal, upload=pdf_upload("a.pdf"))
    with pytest.raises(ValidationFailed):
        services.attachment_add(by=member, proposal=proposal, upload=pdf_upload("b.pdf"))
    assert proposal.attachments.count() == 1
