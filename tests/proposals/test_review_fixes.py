"""Rules the review found missing: territory of the assembly, edit page access, one-transaction create,
theme and report conflicts, co-signature withdrawal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from core.errors import Conflict, ValidationFailed
from proposals import services
from proposals.models import Attachment, Cosignature, Proposal, Report, Theme
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


# -- 10: territory --------------------------------------------------------------------------------


def test_create_refuses_a_territory_outside_the_assembly(member, theme):
    elsewhere = factories.TerritoryFactory(name="Territoire d'une autre région")
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_create(by=member, title="Bus", body="Texte", themes=[theme], territory=elsewhere)
    assert caught.value.field == "territory"
    assert not Proposal.objects.exists()


def test_update_refuses_a_territory_outside_the_assembly(member, proposal):
    elsewhere = factories.TerritoryFactory(name="Territoire d'une autre région")
    before = proposal.territory_id
    with pytest.raises(ValidationFailed):
        services.proposal_update(by=member, proposal=proposal, territory=elsewhere)
    proposal.refresh_from_db()
    assert proposal.territory_id == before


def test_a_territory_of_the_assembly_is_accepted(member, assembly, theme):
    territory = factories.TerritoryFactory(name="Pays Cœur d'Hérault")
    assembly.territories.add(territory)
    proposal = services.proposal_create(by=member, title="Bus", body="T", themes=[theme], territory=territory)
    assert proposal.territory == territory


def test_the_page_shows_the_territory_error(member_client, member, theme):
    elsewhere = factories.TerritoryFactory(name="Territoire d'une autre région")
    response = member_client.post(
        "/propositions/nouvelle/", {"kind": "proposal", "title": "Bus", "territory": elsewhere.pk, "save": "1"}
    )
    assert response.status_code == 400
    assert "Ce territoire ne fait pas partie de l&#x27;assemblée." in response.content.decode()
    assert not Proposal.objects.exists()


# -- 14: edit page ---------------------------------------------------------------------------------


def test_another_member_cannot_open_the_edit_page_of_a_published_proposal(other_member_client, proposal):
    assert other_member_client.get(f"/propositions/{proposal.pk}/modifier/").status_code == 404
    response = other_member_client.post(
        f"/propositions/{proposal.pk}/modifier/", {"kind": "proposal", "title": "Pris", "body": "x"}
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.title != "Pris"


def test_the_author_edits_without_the_staff_reason_field(member_client, proposal):
    page = member_client.get(f"/propositions/{proposal.pk}/modifier/")
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()


def test_staff_edit_shows_the_reason_field(staff_client, proposal):
    page = staff_client.get(f"/propositions/{proposal.pk}/modifier/")
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()


# -- 22: one transaction from the page -----------------------------------------------------------


def test_a_refused_file_leaves_no_draft_behind(member_client, member, theme):
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = member_client.post(
        "/propositions/nouvelle/",
        {
            "kind": "proposal",
            "title": "Navettes",
            "body": "Texte",
            "themes": [theme.slug],
            "publish": "1",
            "file": fake,
        },
    )
    assert response.status_code == 400
    assert "Seules les images (JPEG, PNG, WebP) et les documents PDF sont acceptés." in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_create_attach_and_publish_happen_together(member_client, member, theme):
    response = member_client.post(
        "/propositions/nouvelle/",
        {
            "kind": "proposal",
            "title": "Navettes",
            "body": "Texte",
            "themes": [theme.slug],
            "publish": "1",
            "file": SimpleUploadedFile("plan.pdf", PDF),
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(author=member)
    assert proposal.status == Proposal.Status.PUBLISHED and proposal.attachments.count() == 1


def test_a_refused_publication_removes_the_file_already_written(member, theme, settings):
    from pathlib import Path

    draft = services.proposal_create(by=member, title="Navettes")
    with pytest.raises(ValidationFailed):
        # The file is accepted, then publishing fails (no text): the whole change is undone.
        services.proposal_update(by=member, proposal=draft, upload=SimpleUploadedFile("p.pdf", PDF), publish=True)
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []


# -- 26: conflicts held by the database ------------------------------------------------------------


def test_theme_created_twice_at_once_is_a_conflict_not_a_500(staff, monkeypatch):
    services.theme_create(by=staff, name="Santé")
    # The other request checked before this one inserted: the unique slug must still answer.
    monkeypatch.setattr(
        Theme.objects, "filter", lambda **kw: Theme.objects.none() if "slug" in kw else Theme.objects.all()
    )
    with pytest.raises(Conflict):
        services.theme_create(by=staff, name="Santé")
    assert Theme.objects.count() == 1


def test_a_second_open_report_by_the_same_person_is_a_conflict(other_member, proposal):
    services.report_file(by=other_member, proposal=proposal, reason="Hors sujet")
    with pytest.raises(Conflict):
        services.report_file(by=other_member, proposal=proposal, reason="Hors sujet, encore")
    assert Report.objects.count() == 1


def test_the_database_refuses_two_open_reports_on_one_comment(other_member, proposal):
    comment = factories.CommentFactory(proposal=proposal)
    Report.objects.create(comment=comment, reporter=other_member, reason="a")
    with pytest.raises(IntegrityError):
        Report.objects.create(comment=comment, reporter=other_member, reason="b")


def test_a_new_report_is_possible_once_the_first_is_dismissed(other_member, staff, proposal):
    report = services.report_file(by=other_member, proposal=proposal, reason="Hors sujet")
    services.report_dismiss(by=staff, report=report, reason="Rien à signaler")
    services.report_file(by=other_member, proposal=proposal, reason="Toujours hors sujet")
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 1


def test_attachment_limit_is_counted_under_the_lock(member, proposal, monkeypatch):
    from proposals.services import attachments

    monkeypatch.setattr(attachments, "MAX_ATTACHMENTS", 1)
    services.attachment_add(by=member, proposal=proposal, upload=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationFailed):
        services.attachment_add(by=member, proposal=proposal, upload=SimpleUploadedFile("b.pdf", PDF))
    assert proposal.attachments.count() == 1


# -- 28: co-signature withdrawal -----------------------------------------------------------------


def test_a_cosigner_withdraws_while_the_proposal_is_open(other_member, proposal):
    services.proposal_cosign(by=other_member, proposal=proposal)
    services.proposal_uncosign(by=other_member, proposal=proposal)
    assert not Cosignature.objects.exists()


def test_a_cosignature_of_an_adopted_proposal_stays(other_member, staff, proposal):
    services.proposal_cosign(by=other_member, proposal=proposal)
    services.proposal_adopt(by=staff, proposal=proposal, reason="Adoptée en plénière")
    with pytest.raises(Conflict):
        services.proposal_uncosign(by=other_member, proposal=proposal)
    assert Cosignature.objects.filter(user=other_member).exists()


def test_withdrawing_a_cosignature_never_given_is_a_conflict(other_member, proposal):
    with pytest.raises(Conflict):
        services.proposal_uncosign(by=other_member, proposal=proposal)


# -- 24: emails after commit ----------------------------------------------------------------------


def test_a_failing_mail_server_does_not_break_a_comment(other_member_client, proposal, settings, caplog):
    import logging

    from django.test import TestCase

    from proposals.models import Comment

    settings.EMAIL_BACKEND = "tests.shared.mail.FailingBackend"
    with caplog.at_level(logging.ERROR, logger="agora.emails"), TestCase.captureOnCommitCallbacks(execute=True):
        response = other_member_client.post(f"/propositions/{proposal.pk}/comment/", {"body": "Bonne idée"})
    assert response.status_code == 302
    assert Comment.objects.filter(proposal=proposal).count() == 1
    assert "Email not sent" in caplog.text
