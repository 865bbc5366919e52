"""The named rules across roles and states (the pages, the API and the services use the same)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from proposals.models import Proposal

pytestmark = pytest.mark.django_db
S = Proposal.Status


def _people(request):
    names = ["member", "other_member", "partner", "staff", "former_member"]
    people = {name: request.getfixturevalue(name) for name in names}
    people["anonymous"] = AnonymousUser()
    return people


def _allowed(people, perm, obj=None):
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


def test_submit_is_for_current_members_only(request):
    assert _allowed(_people(request), "proposals.submit_proposal") == {"member", "other_member"}


def test_view_draft_only_author(request, proposal):
    people = _people(request)
    Proposal.objects.filter(pk=proposal.pk).update(status=S.DRAFT, published_at=None)
    proposal.refresh_from_db()
    assert _allowed(people, "proposals.view_proposal", proposal) == {"member"}


def test_view_published_by_everyone(request, proposal):
    assert _allowed(_people(request), "proposals.view_proposal", proposal) == {
        "member",
        "other_member",
        "partner",
        "staff",
        "former_member",
        "anonymous",
    }


def test_support_by_other_members_only(request, proposal):
    assert _allowed(_people(request), "proposals.support_proposal", proposal) == {"other_member"}


def test_comment_by_members_partners_and_staff(request, proposal):
    assert _allowed(_people(request), "proposals.comment_proposal", proposal) == {
        "member",
        "other_member",
        "partner",
        "staff",
    }


def test_opinion_by_partners_only(request, proposal):
    assert _allowed(_people(request), "proposals.post_opinion", proposal) == {"partner"}


def test_status_and_moderation_by_staff_only(request, proposal):
    people = _people(request)
    assert _allowed(people, "proposals.change_status", proposal) == {"staff"}
    assert _allowed(people, "proposals.moderate", proposal) == {"staff"}


def test_author_edit_until_reactions(request, proposal):
    people = _people(request)
    assert _allowed(people, "proposals.edit_proposal", proposal) == {"member"}
    proposal.support_count = 1
    assert _allowed(people, "proposals.edit_proposal", proposal) == set()
    assert _allowed(people, "proposals.staff_edit_proposal", proposal) == {"staff"}


def test_report_by_anyone_signed_in(request, proposal):
    assert _allowed(_people(request), "proposals.report_content", proposal) == {
        "member",
        "other_member",
        "partner",
        "staff",
        "former_member",
    }
