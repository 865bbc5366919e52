"""The pages: list, detail, editor (drafts kept), actions through the services, home panel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from proposals.models import Attachment, Comment, Proposal, Support
from tests import factories
from tests.shared.files import pdf_upload

pytestmark = pytest.mark.django_db


def test_member_writes_saves_a_draft_and_publishes_from_the_page(member_client, member, theme):
    response = member_client.post(
        "/propositions/nouvelle/", {"kind": "proposal", "title": "Navettes", "body": "", "save": "1"}
    )
    draft = Proposal.objects.get(author=member)
    assert response.status_code == 302 and draft.status == Proposal.Status.DRAFT
    assert draft.territory == member.mandates.first().territory
    assert "Navettes" in member_client.get("/propositions/brouillons/").content.decode()
    response = member_client.post(
        f"/propositions/{draft.pk}/modifier/",
        {"kind": "proposal", "title": "Navettes", "body": "Vers la gare", "themes": [theme.slug], "publish": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.PUBLISHED


def test_publishing_an_empty_body_from_the_page_shows_the_french_error(member_client, member, theme):
    response = member_client.post(
        "/propositions/nouvelle/",
        {"kind": "proposal", "title": "T", "body": " ", "themes": [theme.slug], "publish": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Veuillez rédiger le texte de la proposition." in page
    # One transaction: a refused publication creates nothing (so a second try cannot duplicate
    # a draft); what was typed is still in the form.
    assert not Proposal.objects.filter(author=member).exists()
    assert 'value="T"' in page


def test_the_new_proposal_page_shows_the_territory_error_and_creates_nothing(member_client, member, theme):
    elsewhere = factories.TerritoryFactory(name="Territoire d'une autre région")
    response = member_client.post(
        "/propositions/nouvelle/", {"kind": "proposal", "title": "Bus", "territory": elsewhere.pk, "save": "1"}
    )
    assert response.status_code == 400
    assert "Ce territoire ne fait pas partie de l&#x27;assemblée." in response.content.decode()
    assert not Proposal.objects.exists()


def _publish_with_a_file(client, theme, file):
    """Write, attach FILE and publish in one post of the new-proposal page."""
    fields = {"kind": "proposal", "title": "Navettes", "body": "Texte", "themes": [theme.slug], "publish": "1"}
    return client.post("/propositions/nouvelle/", {**fields, "file": file})


def test_a_refused_file_on_the_new_proposal_page_leaves_no_draft_behind(member_client, member, theme):
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = _publish_with_a_file(member_client, theme, fake)
    assert response.status_code == 400
    assert "Seules les images (JPEG, PNG, WebP) et les documents PDF sont acceptés." in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_the_new_proposal_page_creates_attaches_and_publishes_in_one_go(member_client, member, theme):
    response = _publish_with_a_file(member_client, theme, pdf_upload("plan.pdf"))
    assert response.status_code == 302
    proposal = Proposal.objects.get(author=member)
    assert proposal.status == Proposal.Status.PUBLISHED and proposal.attachments.count() == 1


def test_editor_page_carries_the_autosave_script_and_no_inline_script(member_client):
    page = member_client.get("/propositions/nouvelle/").content.decode()
    assert "js/proposals_draft.js" in page and 'data-api="/api/v1/proposals/"' in page
    assert "<script>" not in page and 'style="' not in page
    assert 'aria-live="polite"' in page


def test_autosave_api_creates_then_patches_the_draft(member_client, member):
    created = member_client.post("/api/v1/proposals/", {"title": "Brou", "body": ""}, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    patched = member_client.patch(
        f"/api/v1/proposals/{pk}/", {"body": "Texte tapé dans le train"}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert Proposal.objects.get(pk=pk).body == "Texte tapé dans le train"
    assert [row["id"] for row in member_client.get("/api/v1/proposals/drafts/").json()["results"]] == [pk]


def test_detail_page_support_comment_and_reply(other_member_client, other_member, proposal):
    assert other_member_client.post(f"/propositions/{proposal.pk}/support/").status_code == 302
    assert Support.objects.filter(user=other_member, proposal=proposal).exists()
    other_member_client.post(f"/propositions/{proposal.pk}/comment/", {"body": "Premier"})
    top = Comment.objects.get()
    other_member_client.post(f"/propositions/{proposal.pk}/comment/", {"body": "Suite", "parent": top.pk})
    assert Comment.objects.get(body="Suite").parent == top
    page = other_member_client.get(f"/propositions/{proposal.pk}/").content.decode()
    assert "Premier" in page and "Suite" in page and "1 soutien" in page


def test_detail_page_shows_opinions_apart(proposal, partner, partner_client):
    partner_client.post(f"/propositions/{proposal.pk}/opinion/", {"body": "Avis favorable du conseil"})
    page = partner_client.get(f"/propositions/{proposal.pk}/").content.decode()
    assert "Avis des partenaires" in page and "Avis favorable du conseil" in page
    proposal.refresh_from_db()
    assert proposal.support_count == 0 and proposal.opinion_count == 1


def test_page_action_errors_are_shown_not_raised(other_member_client, proposal):
    other_member_client.post(f"/propositions/{proposal.pk}/support/")
    response = other_member_client.post(f"/propositions/{proposal.pk}/support/", follow=True)
    assert "Vous soutenez déjà cette proposition." in response.content.decode()
    assert Support.objects.count() == 1


def test_staff_moves_the_life_cycle_from_the_page(staff_client, proposal):
    staff_client.post(f"/propositions/{proposal.pk}/study/", {"reason": "Atelier"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.UNDER_STUDY


def test_another_members_draft_page_is_not_found(other_member_client, member, assembly):
    draft = factories.ProposalFactory(assembly=assembly, author=member, status=Proposal.Status.DRAFT)
    assert other_member_client.get(f"/propositions/{draft.pk}/").status_code == 404
    assert other_member_client.get(f"/propositions/{draft.pk}/modifier/").status_code == 404


def test_another_member_cannot_open_the_edit_page_of_a_published_proposal(other_member_client, proposal):
    assert other_member_client.get(f"/propositions/{proposal.pk}/modifier/").status_code == 404
    response = other_member_client.post(
        f"/propositions/{proposal.pk}/modifier/", {"kind": "proposal", "title": "Pris", "body": "x"}
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.title != "Pris"


def test_the_author_s_edit_page_has_no_staff_reason_field(member_client, proposal):
    page = member_client.get(f"/propositions/{proposal.pk}/modifier/")
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()


def test_the_staff_edit_page_asks_for_a_reason(staff_client, proposal):
    page = staff_client.get(f"/propositions/{proposal.pk}/modifier/")
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()


def test_home_page_shows_recent_proposals(anonymous_client, proposal):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from core.home import panels_for

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    panels = {panel.name: context for panel, context in panels_for(request)}
    assert [p.pk for p in panels["proposals.recent"]["recent_proposals"]] == [proposal.pk]


def test_preferences_page_sets_the_digest(member_client, member):
    from proposals.models import NotificationSetting

    member_client.post("/propositions/preferences/", {"frequency": "daily"})
    assert NotificationSetting.objects.get(user=member).frequency == "daily"
