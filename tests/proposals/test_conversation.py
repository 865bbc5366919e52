"""Comments, replies, supports, partners' opinions, follows and email notifications (a mail server down breaks
nothing)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core.errors import Conflict, PermissionDenied
from proposals import services
from proposals.models import Comment, NotificationSetting, PendingNotification, Proposal, Support

pytestmark = pytest.mark.django_db


def test_replies_stay_one_level_deep(proposal, other_member, member):
    top = services.comment_post(by=other_member, proposal=proposal, body="Question ?")
    reply = services.comment_post(by=member, proposal=proposal, body="Réponse", parent=top)
    deeper = services.comment_post(by=other_member, proposal=proposal, body="Merci", parent=reply)
    assert reply.parent == top and deeper.parent == top
    proposal.refresh_from_db()
    assert proposal.comment_count == 3


def test_comment_editable_only_for_a_while(proposal, other_member, member, settings):
    settings.PROPOSALS_COMMENT_EDIT_MINUTES = 10
    comment = services.comment_post(by=other_member, proposal=proposal, body="Premier jet")
    with pytest.raises(PermissionDenied):
        services.comment_edit(by=member, comment=comment, body="Pas à moi")
    assert services.comment_edit(by=other_member, comment=comment, body="Corrigé").body == "Corrigé"
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)), pytest.raises(Conflict):
        services.comment_edit(by=other_member, comment=comment, body="Trop tard")
    comment.refresh_from_db()
    assert comment.body == "Corrigé"


def test_support_is_withdrawable_and_unique(proposal, other_member):
    services.support_give(by=other_member, proposal=proposal)
    with pytest.raises(Conflict):
        services.support_give(by=other_member, proposal=proposal)
    services.support_withdraw(by=other_member, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 0 and not Support.objects.exists()
    with pytest.raises(Conflict):
        services.support_withdraw(by=other_member, proposal=proposal)


def test_database_refuses_a_second_support_row(proposal, other_member):
    from django.db import IntegrityError, transaction

    Support.objects.create(proposal=proposal, user=other_member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=other_member)


def test_partner_opinion_is_apart_and_never_a_support(proposal, partner, member):
    opinion = services.opinion_post(by=partner, proposal=proposal, body="Avis favorable.")
    proposal.refresh_from_db()
    assert proposal.opinion_count == 1 and proposal.support_count == 0
    assert opinion.organisation == partner.representations.first().organisation
    with pytest.raises(Conflict):
        services.opinion_post(by=partner, proposal=proposal, body="Encore")
    with pytest.raises(PermissionDenied):
        services.opinion_post(by=member, proposal=proposal, body="Je ne suis pas partenaire")


def test_partner_may_comment_but_not_support(proposal, partner):
    services.comment_post(by=partner, proposal=proposal, body="Nous pouvons aider.")
    with pytest.raises(PermissionDenied):
        services.support_give(by=partner, proposal=proposal)


def test_followers_get_email_at_once_or_in_the_daily_digest(
    proposal, member, other_member, staff, django_capture_on_commit_callbacks
):
    services.proposal_follow(by=other_member, proposal=proposal)
    services.notification_setting_set(by=other_member, frequency=NotificationSetting.Frequency.DAILY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(by=staff, proposal=proposal, body="Nous l'inscrivons à l'ordre du jour.")
    # The author (immediate by default) hears at once; the follower waits for the digest.
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Nouveau commentaire" in mail.outbox[0].body
    assert PendingNotification.objects.filter(user=other_member, sent_at__isnull=True).count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[other_member.email]]
    assert "récapitulatif" in mail.outbox[0].subject
    assert not PendingNotification.objects.filter(sent_at__isnull=True).exists()


def test_nobody_is_told_of_their_own_action(proposal, member, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(by=member, proposal=proposal, body="Je précise.")
    assert mail.outbox == []


def test_never_means_no_email(proposal, member, other_member, django_capture_on_commit_callbacks):
    services.notification_setting_set(by=member, frequency=NotificationSetting.Frequency.NEVER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(by=other_member, proposal=proposal, body="Idée")
    assert mail.outbox == []


def test_no_conversation_on_decided_proposal(proposal, other_member):
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ADOPTED)
    with pytest.raises(Conflict):
        services.comment_post(by=other_member, proposal=proposal, body="Trop tard")
    with pytest.raises(Conflict):
        services.support_give(by=other_member, proposal=proposal)
    assert not Comment.objects.exists()


def test_a_failing_mail_server_does_not_break_a_comment(other_member_client, proposal, mail_server_down, caplog):
    import logging

    from django.test import TestCase

    with caplog.at_level(logging.ERROR, logger="agora.emails"), TestCase.captureOnCommitCallbacks(execute=True):
        response = other_member_client.post(f"/propositions/{proposal.pk}/comment/", {"body": "Bonne idée"})
    assert response.status_code == 302
    assert Comment.objects.filter(proposal=proposal).count() == 1
    assert "Email not sent" in caplog.text
