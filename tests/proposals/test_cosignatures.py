"""Co-signatures: other members co-sign once, never the author, and withdraw while the proposal is open."""

import pytest

from core.errors import Conflict, PermissionDenied
from proposals import services
from proposals.models import Cosignature

pytestmark = pytest.mark.django_db


def test_cosign_once_and_not_by_author(proposal, member, other_member):
    with pytest.raises(PermissionDenied):
        services.proposal_cosign(by=member, proposal=proposal)
    services.proposal_cosign(by=other_member, proposal=proposal)
    with pytest.raises(Conflict):
        services.proposal_cosign(by=other_member, proposal=proposal)


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
