"""A ballot is created from its agenda item and decides the item's proposal, with no manual step.

The item's proposal is inherited; an item of another sitting, or a proposal no ballot may decide,
is refused and nothing is created. The proposal is put to the vote when the ballot opens and
moves to adopted / not adopted when it closes (actor: the staff who closed, or nobody — the
system — when the countdown closes it); a cancelled ballot moves nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import ValidationFailed
from core.models import AuditEvent
from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from proposals.models import Proposal
from tests import factories
from tests.votes.conftest import cast, option
from votes import services
from votes.models import Ballot

S = Proposal.Status


@pytest.fixture
def proposal(assembly):
    return factories.ProposalFactory(assembly=assembly, status=S.UNDER_STUDY)


@pytest.fixture
def item(staff, sitting, proposal):
    return agenda_services.agenda_item_add(
        by=staff, sitting=sitting, title="Cars express", kind="vote", planned_minutes=15, proposal=proposal
    )


def _from_item(staff, item, **kwargs):
    return services.ballot_create(
        by=staff, sitting=item.sitting, agenda_item=item, title="Adoptez-vous la proposition ?", **kwargs
    )


def test_the_ballot_inherits_the_items_proposal(staff, item, proposal):
    ballot = _from_item(staff, item)
    assert (ballot.agenda_item_id, ballot.proposal_id) == (item.pk, proposal.pk)
    event = AuditEvent.objects.get(action="votes.ballot_create", target_id=str(ballot.pk))
    assert event.data["proposal"] == proposal.pk
    assert Proposal.objects.get(pk=proposal.pk).status == S.UNDER_STUDY  # nothing moves before it opens


def test_a_ballot_on_an_item_of_another_sitting_is_refused(staff, item, assembly):
    other = factories.SittingFactory(meeting__assembly=assembly)
    with pytest.raises(ValidationFailed) as caught:
        services.ballot_create(by=staff, sitting=other, agenda_item=item, title="Q ?")
    assert (caught.value.code, caught.value.field) == ("agenda_item_other_sitting", "agenda_item")
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.ADOPTED, S.NOT_ADOPTED])
def test_a_proposal_that_cannot_go_to_a_vote_is_refused(staff, sitting, assembly, status):
    proposal = factories.ProposalFactory(assembly=assembly, status=status)
    with pytest.raises(ValidationFailed) as caught:
        services.ballot_create(by=staff, sitting=sitting, proposal=proposal, title="Q ?")
    assert (caught.value.code, caught.value.field) == ("proposal_not_votable", "proposal")
    assert not Ballot.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == status


def test_an_item_cannot_take_a_proposal_that_cannot_go_to_a_vote(staff, sitting, assembly):
    proposal = factories.ProposalFactory(assembly=assembly, status=S.ADOPTED)
    with pytest.raises(ValidationFailed) as caught:
        agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Déjà adoptée", proposal=proposal)
    assert caught.value.code == "proposal_not_votable"
    assert not sitting.agenda_items.exists()


def test_a_ballot_on_an_item_cannot_name_another_proposal(staff, item, assembly):
    other = factories.ProposalFactory(assembly=assembly)
    with pytest.raises(ValidationFailed) as caught:
        _from_item(staff, item, proposal=other)
    assert caught.value.field == "proposal"
    assert not Ballot.objects.exists()


def test_opening_puts_the_proposal_to_the_vote_through_its_service(staff, item, proposal, present_members):
    ballot = services.ballot_open(by=staff, ballot=_from_item(staff, item))
    assert Proposal.objects.get(pk=proposal.pk).status == S.PUT_TO_VOTE
    event = AuditEvent.objects.get(action="proposals.proposal_put_to_vote", target_id=str(proposal.pk))
    assert event.actor_id == staff.pk
    assert ballot.state == "open"


def test_opening_is_refused_if_the_proposal_was_withdrawn_meanwhile(staff, item, proposal, present_members):
    ballot = _from_item(staff, item)
    Proposal.objects.filter(pk=proposal.pk).update(status=S.WITHDRAWN)
    with pytest.raises(ValidationFailed):
        services.ballot_open(by=staff, ballot=ballot)
    assert Ballot.objects.get(pk=ballot.pk).state == "draft"


def test_an_adopting_close_adopts_the_proposal_audited_with_the_staff(staff, item, proposal, present_members):
    ballot = services.ballot_open(by=staff, ballot=_from_item(staff, item))
    for person in present_members:
        cast(person, ballot, option(ballot, "yes"))
    services.ballot_close(by=staff, ballot=ballot)
    adopted = Proposal.objects.get(pk=proposal.pk)
    assert (adopted.status, adopted.ballot_ref) == (S.ADOPTED, f"ballot:{ballot.pk}")
    event = AuditEvent.objects.get(action="proposals.proposal_adopted", target_id=str(proposal.pk))
    assert event.actor_id == staff.pk


def test_a_rejecting_close_by_the_countdown_is_recorded_by_the_system(staff, item, proposal, present_members):
    ballot = services.ballot_open(by=staff, ballot=_from_item(staff, item, duration_seconds=60))
    for person in present_members:
        cast(person, ballot, option(ballot, "no"))
    services.ballots_close_due(now=timezone.now() + dt.timedelta(minutes=2))
    assert Proposal.objects.get(pk=proposal.pk).status == S.NOT_ADOPTED
    event = AuditEvent.objects.get(action="proposals.proposal_not_adopted", target_id=str(proposal.pk))
    assert event.actor_id is None


def test_a_cancelled_ballot_moves_nothing(staff, item, proposal, present_members):
    ballot = services.ballot_open(by=staff, ballot=_from_item(staff, item))
    cast(present_members[0], ballot, option(ballot, "yes"))
    services.ballot_cancel(by=staff, ballot=ballot, reason="Erreur de question")
    assert Proposal.objects.get(pk=proposal.pk).status == S.PUT_TO_VOTE
    assert not AuditEvent.objects.filter(action="proposals.proposal_adopted").exists()


def test_the_votable_statuses_follow_the_life_cycle():
    from proposals.models import VOTABLE_STATUSES
    from proposals.services import TRANSITIONS

    assert {S.PUT_TO_VOTE} | {s for s, to in TRANSITIONS.items() if S.PUT_TO_VOTE in to} == VOTABLE_STATUSES


def test_a_ranking_on_an_item_with_a_proposal_is_refused(staff, item):
    with pytest.raises(ValidationFailed) as caught:
        _from_item(staff, item, kind="ranking", options=["A", "B"])
    assert (caught.value.code, caught.value.field) == ("proposal_needs_yes_no", "kind")
    assert not Ballot.objects.exists()


def test_opening_takes_up_the_ballots_item_and_ends_the_one_in_progress(staff, sitting, item, present_members):
    other = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Accueil")
    agenda_services.agenda_item_make_current(by=staff, item=other)
    services.ballot_open(by=staff, ballot=_from_item(staff, item))
    assert AgendaItem.objects.get(pk=item.pk).state == AgendaItem.State.CURRENT
    assert AgendaItem.objects.get(pk=other.pk).state == AgendaItem.State.DONE


def test_a_refused_opening_leaves_the_agenda_as_it_was(staff, item, proposal, present_members):
    ballot = _from_item(staff, item)
    Proposal.objects.filter(pk=proposal.pk).update(status=S.WITHDRAWN)
    with pytest.raises(ValidationFailed):
        services.ballot_open(by=staff, ballot=ballot)
    assert AgendaItem.objects.get(pk=item.pk).state == AgendaItem.State.UPCOMING
