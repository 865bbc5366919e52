import pytest

from proposals import services
from proposals.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db


def test_full_life_cycle_through_services(member, staff):
    theme = factories.ThemeFactory()
    proposal = services.proposal_create(by=member, title="Bus", body="Un *bus*", themes=[theme], publish=True)
    assert proposal.status == Proposal.Status.PUBLISHED
    services.proposal_study(by=staff, proposal=proposal)
    services.proposal_put_to_vote(by=staff, proposal=proposal)
    proposal = services.proposal_record_verdict(by=staff, proposal=proposal, adopted=True, ballot_ref="ballot:1")
    assert proposal.status == Proposal.Status.ADOPTED
