"""The named rules across roles and states (the pages, the API and the services use the same)."""

import pytest

from proposals.models import Proposal
from tests.shared.people import person_of

pytestmark = pytest.mark.django_db
S = Proposal.Status


def _people(request):
    names = ["member", "other_member", "partner", "staff", "former_member", "anonymous"]
    return {name: person_of(request, name) for name in names}


def _allowed(people, perm, obj=None):
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


def test_only_current_members_submit(request):
    assert _allowed(_people(request), "proposals.submit_proposal") == {"member", "other_member"}


def test_only_the_author_sees_a_draft(request, proposal):
    people = _people(request)
    Proposal.objects.filter(pk=proposal.pk).update(status=S.DRAFT, published_at=None)
    proposal.refresh_from_db()
    assert _allowed(people, "proposals.view_proposal", proposal) == {"member"}


def test_everyone_sees_a_published_proposal(request, proposal):
    assert _allowed(_people(request), "proposals.view_proposal", proposal) == {
        "member",
        "other_member",
        "partner",
        "staff",
        "former_member",
        "anonymous",
    }


def test_only_other_members_support_a_proposal(request, proposal):
    assert _allowed(_people(request), "proposals.support_proposal", proposal) == {"other_member"}


def test_members_partners_and_staff_comment(request, proposal):
    assert _allowed(_people(request), "proposals.comment_proposal", proposal) == {
        "member",
        "other_member",
        "partner",
        "staff",
    }


def test_only_partners_post_an_opinion(request, proposal):
    assert _allowed(_people(request), "proposals.post_opinion", proposal) == {"partner"}


def test_only_staff_change_the_status_and_moderate(request, proposal):
    people = _people(request)
    assert _allowed(people, "proposals.change_status", proposal) == {"staff"}
    assert _allowed(people, "proposals.moderate", proposal) == {"staff"}


def test_the_author_edits_until_the_first_reaction_then_only_staff(request, proposal):
    people = _people(request)
    assert _allowed(people, "proposals.edit_proposal", proposal) == {"member"}
    proposal.support_count = 1
    assert _allowed(people, "proposals.edit_proposal", proposal) == set()
    assert _allowed(people, "proposals.staff_edit_proposal", proposal) == {"staff"}


def test_anyone_signed_in_may_report(request, proposal):
    assert _allowed(_people(request), "proposals.report_content", proposal) == {
        "member",
        "other_member",
        "partner",
        "staff",
        "former_member",
    }
