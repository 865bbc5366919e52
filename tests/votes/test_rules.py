"""The named rules of the votes app, across roles; each one is asked by a page, the API, the socket or a vote."""

from __future__ import annotations

import pytest

from tests import factories
from tests.shared.people import person_of

ROLES = ["anonymous", "partner", "member", "copresident", "former_member", "staff", "admin_user"]

# rule -> roles that hold it on a ballot of their assembly
EXPECTED = {
    "votes.view_ballot": {"partner", "member", "copresident", "staff", "admin_user"},
    "votes.cast_ballot": {"member", "copresident"},
    "votes.manage_ballot": {"staff", "admin_user"},
    "votes.assist_vote": {"staff", "admin_user"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_across_roles(sitting, rule, role, request):
    person = person_of(request, role)
    ballot = factories.BallotFactory(sitting=sitting)
    assert person.has_perm(rule, ballot) is (role in EXPECTED[rule])


def test_staff_who_hold_a_mandate_never_vote(sitting, assembly):
    person = factories.MandateFactory(assembly=assembly, user__is_staff=True).user
    assert not person.has_perm("votes.cast_ballot", factories.BallotFactory(sitting=sitting))


def test_a_member_votes_only_in_their_own_assembly(member):
    other = factories.AssemblyFactory(slug="pmer", short_name="PMer", name="Parlement de la Mer")
    ballot = factories.BallotFactory(sitting=factories.SittingFactory(meeting__assembly=other))
    assert not member.has_perm("votes.cast_ballot", ballot)
