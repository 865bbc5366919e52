"""What a proposal's page links to from the recommendations app: only what the viewer may see."""

from __future__ import annotations

import pytest

from core.links import links_for
from recommendations.models import Recommendation, RecommendationSource
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_draft_recommendation_is_linked_for_staff_only(assembly, member, staff):
    proposal = factories.ProposalFactory(assembly=assembly)
    draft = factories.RecommendationFactory(assembly=assembly, status=Recommendation.Status.DRAFT)
    RecommendationSource.objects.create(recommendation=draft, proposal=proposal)
    assert [link.text for link in links_for(proposal, staff) if link.url.endswith(f"/{draft.pk}/")] == [str(draft)]
    assert not [link for link in links_for(proposal, member) if f"/{draft.pk}/" in link.url]
    assert not [link for link in links_for(proposal, None) if f"/{draft.pk}/" in link.url]


def test_a_ballot_of_a_sitting_still_open_is_not_linked_for_the_public(assembly, member):
    proposal = factories.ProposalFactory(assembly=assembly)
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    ballot = factories.closed_ballot(sitting=sitting)
    ballot.proposal = proposal
    ballot.save(update_fields=["proposal"])
    assert [link.url for link in links_for(proposal, member)] == [
        f"/votes/resultats/seances/{sitting.pk}/#ballot-{ballot.pk}"
    ]
    assert links_for(proposal, None) == []
