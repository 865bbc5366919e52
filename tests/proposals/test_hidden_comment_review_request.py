"""The review-request form under a hidden comment follows the rule `proposals.request_review`,
asked by the view for each comment (replies included), not worked out in the template."""

from __future__ import annotations

import pytest
import rules

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_comment(proposal, other_member):
    return factories.CommentFactory(proposal=proposal, author=other_member, is_hidden=True, hidden_reason="Hors sujet")


@pytest.fixture
def hidden_reply(proposal, other_member, member):
    parent = factories.CommentFactory(proposal=proposal, author=member)
    return factories.CommentFactory(
        proposal=proposal, parent=parent, author=other_member, is_hidden=True, hidden_reason="Hors sujet"
    )


def _html(client, proposal) -> str:
    response = client.get(f"/propositions/{proposal.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_author_of_a_hidden_comment_and_reply_is_offered_a_review(
    other_member_client, proposal, hidden_comment, hidden_reply
):
    html = _html(other_member_client, proposal)
    assert f"review-{hidden_comment.pk}" in html
    assert f"review-{hidden_reply.pk}" in html


def test_others_are_not_offered_a_review(member_client, staff_client, proposal, hidden_comment, hidden_reply):
    for client in (member_client, staff_client):
        html = _html(client, proposal)
        assert f"review-{hidden_comment.pk}" not in html
        assert f"review-{hidden_reply.pk}" not in html


def test_the_review_request_form_follows_the_rule(other_member_client, proposal, hidden_comment):
    original = rules.permissions.permissions["proposals.request_review"]
    rules.set_perm("proposals.request_review", rules.always_deny)
    try:
        html = _html(other_member_client, proposal)
    finally:
        rules.set_perm("proposals.request_review", original)
    assert f"review-{hidden_comment.pk}" not in html


def test_once_asked_the_author_sees_the_request_was_sent(other_member, other_member_client, proposal, hidden_comment):
    from proposals.services.moderation import review_request

    review_request(by=other_member, comment=hidden_comment, text="Ce n’était pas hors sujet.")
    html = _html(other_member_client, proposal)
    assert f"review-{hidden_comment.pk}" not in html
    assert "Votre demande de réexamen a été envoyée." in html
