"""Bad identifiers in a cast are that request's validation error; a batch never fails as a whole."""

from __future__ import annotations

import uuid

import pytest

from core.errors import ValidationFailed
from tests.votes.conftest import option
from votes import services
from votes.models import Vote
from votes.services import choices


@pytest.mark.parametrize("bad", ["abc", "1.5", [3], {"pk": 1}, True])
def test_vote_cast_with_non_numeric_on_behalf_of_is_a_validation_error(open_ballot, present_members, bad):
    ballot = open_ballot()
    with pytest.raises(ValidationFailed) as err:
        services.vote_cast(
            voter=present_members[0],
            ballot=ballot,
            choice=option(ballot, "yes"),
            vote_id=uuid.uuid4(),
            on_behalf_of=bad,
        )
    assert err.value.field == "on_behalf_of"
    assert not Vote.objects.exists()


def test_batch_answers_a_bad_identifier_per_request_and_stores_the_others(open_ballot, present_members):
    ballot = open_ballot()
    yes = option(ballot, "yes")
    requests = [
        services.CastRequest(voter=present_members[0], ballot=ballot, choice=yes, vote_id=uuid.uuid4()),
        services.CastRequest(
            voter=present_members[1], ballot=ballot, choice=yes, vote_id=uuid.uuid4(), on_behalf_of="x"
        ),
        services.CastRequest(voter=present_members[2], ballot="not-a-ballot", choice=yes, vote_id=uuid.uuid4()),
        services.CastRequest(voter=present_members[3], ballot=ballot, choice=yes, vote_id=uuid.uuid4()),
    ]
    results = services.votes_cast_batch(requests)
    assert isinstance(results[0], services.CastResult) and isinstance(results[3], services.CastResult)
    assert isinstance(results[1], ValidationFailed) and results[1].field == "on_behalf_of"
    assert isinstance(results[2], ValidationFailed) and results[2].field == "ballot"
    assert Vote.objects.filter(ballot=ballot).count() == 2


def test_an_unexpected_error_on_one_request_refuses_that_request_only(open_ballot, present_members, monkeypatch):
    ballot = open_ballot()
    yes, no = option(ballot, "yes"), option(ballot, "no")
    real = choices.normalise_choice

    def broken(*, kind, max_choices, options, choice):
        if choice == no:
            raise RuntimeError("bug")
        return real(kind=kind, max_choices=max_choices, options=options, choice=choice)

    monkeypatch.setattr(choices, "normalise_choice", broken)
    requests = [
        services.CastRequest(voter=present_members[0], ballot=ballot, choice=yes, vote_id=uuid.uuid4()),
        services.CastRequest(voter=present_members[1], ballot=ballot, choice=no, vote_id=uuid.uuid4()),
        services.CastRequest(voter=present_members[2], ballot=ballot, choice=yes, vote_id=uuid.uuid4()),
    ]
    results = services.votes_cast_batch(requests)
    assert isinstance(results[0], services.CastResult) and isinstance(results[2], services.CastResult)
    assert isinstance(results[1], services.CastFailed) and results[1].code == "cast_failed"
    assert Vote.objects.filter(ballot=ballot).count() == 2
