"""Bad input: a clear error (status, French field-level message) and nothing changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from proposals.models import Attachment, Comment, Proposal, Support
from tests import factories
from tests.shared.files import image, pdf_upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/proposals/"


def _error(response, field):
    body = response.json()["error"]
    return " ".join(body["fields"][field])


def _counts():
    return (Proposal.objects.count(), Comment.objects.count(), Support.objects.count(), AuditEvent.objects.count())


def test_overlong_title_is_refused_in_french(member_client, theme):
    before = _counts()
    response = member_client.post(
        LIST,
        {"title": "x" * 201, "body": "Texte", "themes": [theme.slug], "publish": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Le titre est trop long (200 caractères au plus)." in _error(response, "title")
    assert _counts() == before


def test_empty_body_is_refused_when_publishing(member_client, theme):
    before = _counts()
    response = member_client.post(
        LIST,
        {"title": "Un titre", "body": "   ", "themes": [theme.slug], "publish": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Veuillez rédiger le texte de la proposition." in _error(response, "body")
    assert _counts() == before


def test_unknown_theme_is_refused(member_client, theme):
    before = _counts()
    response = member_client.post(
        LIST,
        {"title": "Titre", "body": "Texte", "themes": ["licornes"], "publish": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Thème inconnu : licornes." in _error(response, "themes")
    assert _counts() == before


def test_another_members_draft_is_not_found(member_client, other_member, assembly):
    draft = factories.ProposalFactory(assembly=assembly, author=other_member, status=Proposal.Status.DRAFT)
    assert member_client.get(f"{LIST}{draft.pk}/").status_code == 404
    response = member_client.patch(f"{LIST}{draft.pk}/", {"title": "Volé"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Cette proposition n'existe pas."
    assert member_client.post(f"{LIST}{draft.pk}/publish/").status_code == 404
    draft.refresh_from_db()
    assert draft.title != "Volé" and draft.status == Proposal.Status.DRAFT
    assert member_client.get(f"{LIST}?q={draft.title}").json()["count"] == 0


def test_spoofed_author_field_is_ignored(member_client, member, other_member, theme):
    response = member_client.post(
        LIST,
        {"title": "Titre", "body": "Texte", "themes": [theme.slug], "publish": True, "author": other_member.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["author"]["id"] == member.pk
    assert not Proposal.objects.filter(author=other_member).exists()


def test_script_in_markdown_is_stripped(member_client, theme):
    response = member_client.post(
        LIST,
        {
            "title": "Titre",
            "body": "Bonjour <script>alert('x')</script> [lien](javascript:alert(1)) <img src=x onerror=alert(1)> **gras**",
            "themes": [theme.slug],
            "publish": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    html = response.json()["body_html"]
    assert "<script" not in html and "alert('x')" not in html
    assert "onerror" not in html and 'href="javascript' not in html
    assert "<strong>gras</strong>" in html


def test_renamed_executable_posing_as_pdf_is_refused(member_client, proposal):
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    response = member_client.post(f"{LIST}{proposal.pk}/attachments/", {"file": fake})
    assert response.status_code == 400
    assert "Seules les images (JPEG, PNG, WebP) et les documents PDF sont acceptés." in _error(response, "file")
    assert Attachment.objects.count() == 0


def test_fifty_megabyte_upload_is_too_large(member_client, proposal):
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), content_type="application/pdf")
    response = member_client.post(f"{LIST}{proposal.pk}/attachments/", {"file": big})
    assert response.status_code == 413
    assert "Le fichier est trop volumineux" in _error(response, "file")
    assert Attachment.objects.count() == 0


def test_service_refuses_large_upload_even_without_content_length(member, proposal, settings):
    from core.errors import TooLarge
    from proposals import services

    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    with pytest.raises(TooLarge):
        services.attachment_add(by=member, proposal=proposal, upload=upload)
    assert Attachment.objects.count() == 0


def test_image_is_accepted_resized_and_pdf_is_accepted(member_client, proposal):
    from PIL import Image

    photo = SimpleUploadedFile("photo.png", image("JPEG", (4000, 3000), "red"), content_type="image/png")
    response = member_client.post(f"{LIST}{proposal.pk}/attachments/", {"file": photo})
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert attachment.kind == "image" and attachment.content_type == "image/jpeg"
    with Image.open(attachment.file.path) as stored:
        assert max(stored.size) == 1600
    pdf = pdf_upload("note.pdf", "application/pdf")
    assert member_client.post(f"{LIST}{proposal.pk}/attachments/", {"file": pdf}).status_code == 201


def test_support_given_twice_is_a_conflict(other_member_client, proposal):
    assert other_member_client.post(f"{LIST}{proposal.pk}/support/").status_code == 204
    before = _counts()
    response = other_member_client.post(f"{LIST}{proposal.pk}/support/")
    assert response.status_code == 409
    assert "Vous soutenez déjà cette proposition." in _error(response, "support")
    assert _counts() == before
    proposal.refresh_from_db()
    assert proposal.support_count == 1


@pytest.mark.parametrize("state", ["hidden", "withdrawn"])
def test_comment_on_hidden_or_withdrawn_proposal_is_a_conflict(other_member_client, proposal, state):
    if state == "hidden":
        Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason="Hors sujet")
        message = "Cette proposition a été masquée par la modération : on ne peut plus y répondre."
    else:
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.WITHDRAWN)
        message = "Cette proposition est retirée : la discussion est close."
    before = _counts()
    response = other_member_client.post(
        f"{LIST}{proposal.pk}/comments/", {"body": "Je réagis"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert message in _error(response, "proposal")
    assert _counts() == before


def test_anonymous_cannot_write(anonymous_client, proposal):
    before = _counts()
    assert anonymous_client.post(LIST, {"title": "x"}, content_type="application/json").status_code == 403
    assert anonymous_client.post(f"{LIST}{proposal.pk}/support/").status_code == 403
    assert _counts() == before


def test_partner_cannot_submit_or_support(partner_client, proposal, theme):
    before = _counts()
    response = partner_client.post(
        LIST, {"title": "T", "body": "B", "themes": [theme.slug], "publish": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Seuls les membres peuvent rédiger des propositions."
    assert partner_client.post(f"{LIST}{proposal.pk}/support/").status_code == 403
    assert _counts() == before
