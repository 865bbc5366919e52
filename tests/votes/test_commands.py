"""The live room's command layer (votes/live/commands.py): its input checks, whatever the path."""

from __future__ import annotations

import uuid

import pytest

from core.errors import NotFound, ValidationFailed
from tests import factories
from votes.live import commands
from votes.models import Ballot


@pytest.fixture
def ballot(sitting):
    return factories.BallotFactory(sitting=sitting)


def test_an_unknown_action_is_refused_and_changes_nothing(staff, ballot):
    with pytest.raises(ValidationFailed) as error:
        commands.ballot_action(by=staff, action="reopen", ballot=ballot)
    assert error.value.field == "action"
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.DRAFT


@pytest.mark.parametrize("named", ["12", True, None, 1.0])
def test_a_ballot_that_is_not_an_id_is_not_found(staff, named):
    with pytest.raises(NotFound):
        commands.ballot_action(by=staff, action="open", ballot=named)


def test_a_ballot_of_another_sitting_is_not_found(staff, ballot, assembly):
    other = factories.SittingFactory(meeting__assembly=assembly)
    for named in (ballot, ballot.pk):
        with pytest.raises(NotFound):
            commands.ballot_action(by=staff, action="open", ballot=named, sitting_id=other.pk)
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.DRAFT


@pytest.mark.parametrize("duration", [0, 9, 24 * 3600 + 1, "60", True])
def test_a_countdown_at_opening_outside_10_seconds_to_24_hours_is_refused(staff, ballot, present_members, duration):
    with pytest.raises(ValidationFailed) as error:
        commands.ballot_action(by=staff, action="open", ballot=ballot, arguments={"duration_seconds": duration})
    assert error.value.field == "duration_seconds"
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.DRAFT


def test_opening_without_a_countdown_keeps_the_ballots_own(staff, sitting, present_members):
    ballot = factories.BallotFactory(sitting=sitting, duration_seconds=90)
    opened = commands.ballot_action(by=staff, action="open", ballot=ballot.pk, arguments={"duration_seconds": None})
    assert (opened.closes_at - opened.opened_at).total_seconds() == 90


@pytest.mark.parametrize("reason", [12, ["x"], {"why": "x"}])
def test_a_cancel_reason_that_is_not_text_is_refused(staff, ballot, reason):
    with pytest.raises(ValidationFailed) as error:
        commands.ballot_action(by=staff, action="cancel", ballot=ballot, arguments={"reason": reason})
    assert error.value.field == "reason"
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.DRAFT


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"vote_id": None}, "vote_id"),
        ({"vote_id": 12}, "vote_id"),
        ({"vote_id": "nope", "ballot": "x"}, "vote_id"),
        ({"ballot": None}, "ballot"),
        ({"ballot": "12"}, "ballot"),
        ({"ballot": False}, "ballot"),
        ({"on_behalf_of": "12"}, "on_behalf_of"),
        ({"on_behalf_of": 1.5}, "on_behalf_of"),
    ],
)
def test_a_malformed_vote_is_refused_on_its_first_bad_field(member, message, field):
    vote = {"vote_id": str(uuid.uuid4()), "ballot": 1, "choice": 1}
    with pytest.raises(ValidationFailed) as error:
        commands.vote_request(voter=member, message={**vote, **message})
    assert error.value.field == field


def test_a_vote_names_its_ballot_in_the_message_or_in_the_path(member):
    vote_id = uuid.uuid4()
    from_message = commands.vote_request(voter=member, message={"vote_id": str(vote_id), "ballot": 7}, sitting_id=3)
    from_path = commands.vote_request(voter=member, message={"vote_id": vote_id, "ballot": "ignored"}, ballot=7)
    assert (from_message.ballot, from_message.vote_id, from_message.sitting) == (7, vote_id, 3)
    assert (from_path.ballot, from_path.vote_id, from_path.sitting) == (7, vote_id, None)


def test_the_staff_page_shows_an_unknown_action_as_an_error(staff_client, ballot):
    response = staff_client.post(f"/votes/gestion/scrutins/{ballot.pk}/", {"action": "reopen"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.DRAFT


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"vote_id": None}, "vote_id"),
        ({"vote_id": "nope", "member": "x"}, "vote_id"),
        ({"ballot": "12"}, "ballot"),
        ({"member": None}, "member"),
        ({"member": "12"}, "member"),
        ({"member": True}, "member"),
        ({"member": 1.5}, "member"),
    ],
)
def test_a_malformed_assisted_vote_is_refused_on_its_first_bad_field(staff, message, field):
    vote = {"vote_id": str(uuid.uuid4()), "ballot": 1, "member": 2, "choice": 1}
    with pytest.raises(ValidationFailed) as error:
        commands.assist_request(by=staff, message={**vote, **message})
    assert error.value.field == field


def test_an_assisted_vote_names_the_member_and_its_recorder(staff):
    vote_id = uuid.uuid4()
    request = commands.assist_request(
        by=staff, message={"vote_id": str(vote_id), "ballot": 7, "member": 9}, sitting_id=3
    )
    assert (request.voter, request.on_behalf_of, request.assisted) == (staff, 9, True)
    assert (request.ballot, request.vote_id, request.sitting) == (7, vote_id, 3)
