"""Compile finds by itself the ballot that adopted each proposal (votes.Ballot.proposal)."""

from __future__ import annotations

import uuid

import pytest

from core.errors import ValidationFailed
from proposals.models import Proposal
from recommendations import selectors, services
from recommendations.models import Recommendation
from tests import factories
from votes import services as vote_services


def _vote_on(proposal, *, sitting, staff, voters, answers):
    """Put PROPOSAL to a real ballot: open it, cast ANSWERS (option codes), close it."""
    ballot = vote_services.ballot_open(by=staff, ballot=factories.BallotFactory(sitting=sitting, proposal=proposal))
    codes = {o.code: o.pk for o in ballot.options.all()}
    for voter, answer in zip(voters, answers, strict=True):
        vote_services.vote_cast(voter=voter, ballot=ballot, choice=codes[answer], vote_id=uuid.uuid4())
    vote_services.ballot_close(by=staff, ballot=ballot)
    ballot.refresh_from_db()
    return ballot


def test_compile_finds_the_closed_ballot_that_adopted_the_proposal(assembly, sitting, staff, present_members):
    proposal = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED, title="Cars express")
    neighbour = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED)
    other_vote = _vote_on(
        neighbour, sitting=sitting, staff=staff, voters=present_members, answers=["yes", "yes", "yes", "yes"]
    )
    won = _vote_on(proposal, sitting=sitting, staff=staff, voters=present_members, answers=["yes", "yes", "yes", "no"])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED  # the votes app reported the verdict

    recommendation = services.recommendation_compile(
        by=staff, assembly=assembly, title="Relier les villes", text="Des cars.", proposals=[proposal]
    )

    assert recommendation.sources.get().ballot == won != other_vote
    entry = selectors.recommendation_entry(recommendation)
    assert len(entry.ballots) == 1
    assert entry.ballots[0].total.yes == 3 and entry.ballots[0].total.no == 1
    assert {t.label for t in entry.ballots[0].by_college} == {"Collège des élus", "Collège des citoyens"}


def test_an_explicit_ballot_overrides_the_lookup(assembly, sitting, staff, present_members):
    proposal = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED)
    _vote_on(proposal, sitting=sitting, staff=staff, voters=present_members, answers=["yes", "yes", "yes", "yes"])
    proposal.refresh_from_db()
    chosen = factories.closed_ballot(sitting=sitting, yes=20, no=1, title="Vote à main levée")
    recommendation = services.recommendation_compile(
        by=staff, assembly=assembly, title="T", text="X", proposals=[proposal], ballots={proposal.pk: chosen}
    )
    assert recommendation.sources.get().ballot == chosen


def test_a_proposal_adopted_without_a_linked_ballot_has_none(staff, assembly):
    proposal = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED)
    recommendation = services.recommendation_compile(
        by=staff, assembly=assembly, title="T", text="X", proposals=[proposal]
    )
    assert recommendation.sources.get().ballot is None


def test_an_explicit_ballot_about_another_proposal_or_rejected_is_refused(assembly, sitting, staff, present_members):
    proposal = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.ADOPTED)
    other = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.PUBLISHED)
    about_other = _vote_on(
        other, sitting=sitting, staff=staff, voters=present_members, answers=["yes", "yes", "yes", "no"]
    )
    rejected = factories.closed_ballot(sitting=sitting, yes=1, no=20)
    for ballot in (about_other, rejected):
        with pytest.raises(ValidationFailed) as info:
            services.recommendation_compile(
                by=staff, assembly=assembly, title="T", text="X", proposals=[proposal], ballots={proposal.pk: ballot}
            )
        assert info.value.field == "ballots"
    assert not Recommendation.objects.exists()
