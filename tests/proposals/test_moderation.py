"""Reports (one open report per person and object), the staff queue, hiding with a public reason, review requests."""

import pytest
from django.core import mail
from django.db import IntegrityError

from core.errors import Conflict, PermissionDenied, ValidationFailed
from proposals import services
from proposals.models import Report
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_reported_proposal_hidden_by_staff_may_be_put_up_for_review_once_by_its_author(
    proposal, member, other_member, staff, staff_client, django_capture_on_commit_callbacks
):
    services.report_file(by=other_member, proposal=proposal, reason="Propos injurieux")
    page = staff_client.get("/propositions/moderation/")
    assert page.status_code == 200 and "Propos injurieux" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_hide(by=staff, proposal=proposal, reason="Contraire à la charte")
    assert Report.objects.get().status == Report.Status.HIDDEN
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Contraire à la charte" in mail.outbox[0].body
    proposal.refresh_from_db()
    assert proposal.is_hidden and proposal.title  # kept for the audit
    with pytest.raises(PermissionDenied):
        services.review_request(by=other_member, proposal=proposal, text="Je conteste")
    services.review_request(by=member, proposal=proposal, text="Je reformule volontiers")
    with pytest.raises(Conflict):
        services.review_request(by=member, proposal=proposal, text="Encore")
    assert "Je reformule volontiers" in staff_client.get("/propositions/moderation/").content.decode()


def test_hidden_proposal_is_out_of_public_view_but_seen_by_author_and_staff(
    proposal, staff, anonymous_client, member_client, other_member_client, staff_client
):
    services.proposal_hide(by=staff, proposal=proposal, reason="Hors sujet")
    assert anonymous_client.get(f"/propositions/{proposal.pk}/").status_code == 404
    assert other_member_client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert anonymous_client.get("/api/v1/proposals/").json()["count"] == 0
    author_page = member_client.get(f"/propositions/{proposal.pk}/").content.decode()
    assert "Hors sujet" in author_page and "Demander un réexamen" in author_page
    assert staff_client.get(f"/api/v1/proposals/{proposal.pk}/").json()["is_hidden"] is True


def test_hidden_comment_keeps_its_text_for_audit_but_not_in_public(proposal, other_member, staff, anonymous_client):
    comment = services.comment_post(by=other_member, proposal=proposal, body="Texte problématique")
    services.comment_hide(by=staff, comment=comment, reason="Attaque personnelle")
    comment.refresh_from_db()
    assert comment.body == "Texte problématique"
    data = anonymous_client.get(f"/api/v1/proposals/{proposal.pk}/comments/").json()
    assert data[0]["is_hidden"] and data[0]["body_html"] == "" and data[0]["hidden_reason"] == "Attaque personnelle"
    assert "Texte problématique" not in anonymous_client.get(f"/propositions/{proposal.pk}/").content.decode()
    proposal.refresh_from_db()
    assert proposal.comment_count == 0


def test_only_staff_hide_and_a_reason_is_required(proposal, member, staff):
    with pytest.raises(PermissionDenied):
        services.proposal_hide(by=member, proposal=proposal, reason="x")
    with pytest.raises(ValidationFailed):
        services.proposal_hide(by=staff, proposal=proposal, reason="  ")
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_report_needs_a_reason_and_a_signed_in_user(proposal, member_client, anonymous_client):
    response = member_client.post(
        f"/api/v1/proposals/{proposal.pk}/report/", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    assert anonymous_client.post(f"/api/v1/proposals/{proposal.pk}/report/", {"reason": "x"}).status_code == 403
    assert not Report.objects.exists()


def test_staff_dismiss_a_report(proposal, other_member, staff_client):
    report = services.report_file(by=other_member, proposal=proposal, reason="Doublon")
    assert staff_client.get("/api/v1/proposals/reports/").json()["count"] == 1
    assert staff_client.post(f"/api/v1/proposals/reports/{report.pk}/dismiss/").status_code == 200
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED


def test_members_cannot_see_the_queue(member_client):
    assert member_client.get("/api/v1/proposals/reports/").status_code == 403
    assert member_client.get("/propositions/moderation/").status_code == 404


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
