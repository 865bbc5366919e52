"""A vote id sent again with another choice is refused `vote_id_reused`: the stored vote stands.
The same vote id with the same choice stays an idempotent replay."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tests.votes.conftest import cast, option
from votes import services
from votes.models import Vote


def test_the_same_vote_id_and_choice_is_a_replay(open_ballot, present_members):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    again = cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    assert again.replayed is True
    assert Vote.objects.filter(ballot=ballot).count() == 1


@pytest.mark.parametrize("other", ["no", "not-an-option"])
def test_the_same_vote_id_with_another_choice_is_refused_and_changes_nothing(open_ballot, present_members, other):
    ballot = open_ballot(allow_change=True)
    vote_id = uuid.uuid4()
    cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    choice = option(ballot, other) if other == "no" else 999_999
    with pytest.raises(services.VoteIdReused) as err:
        cast(present_members[0], ballot, choice, vote_id)
    assert err.value.code == "vote_id_reused" and err.value.status == 409
    assert list(Vote.objects.filter(ballot=ballot).values_list("choice", "superseded")) == [
        (option(ballot, "yes"), False)
    ]


def test_a_ranking_replay_compares_the_stored_order(open_ballot, present_members):
    ballot = open_ballot(kind="ranking", options=["A", "B", "C"])
    a, b, c = option(ballot, "A"), option(ballot, "B"), option(ballot, "C")
    vote_id = uuid.uuid4()
    cast(present_members[0], ballot, [a, b, c], vote_id)
    assert cast(present_members[0], ballot, [a, b, c], vote_id).replayed is True
    with pytest.raises(services.VoteIdReused):
        cast(present_members[0], ballot, [c, b, a], vote_id)


def test_in_one_batch_a_reused_vote_id_with_another_choice_is_refused(open_ballot, present_members):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    member = present_members[0]
    yes, no = option(ballot, "yes"), option(ballot, "no")
    results = services.votes_cast_batch(
        [
            services.CastRequest(voter=member, ballot=ballot, choice=yes, vote_id=vote_id),
            services.CastRequest(voter=member, ballot=ballot, choice=yes, vote_id=vote_id),
            services.CastRequest(voter=member, ballot=ballot, choice=no, vote_id=vote_id),
        ]
    )
    assert isinstance(results[0], services.CastResult) and results[0].replayed is False
    assert isinstance(results[1], services.CastResult) and results[1].replayed is True
    assert isinstance(results[2], services.VoteIdReused)
    assert list(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)) == [yes]


def test_a_secret_ballot_compares_the_choice_too(open_ballot, present_members):
    ballot = open_ballot(secret=True)
    vote_id = uuid.uuid4()
    cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    assert cast(present_members[0], ballot, option(ballot, "yes"), vote_id).replayed is True
    with pytest.raises(services.VoteIdReused):
        cast(present_members[0], ballot, option(ballot, "no"), vote_id)


def test_rest_answers_409_vote_id_reused(open_ballot, present_members):
    ballot = open_ballot()
    client = Client()
    client.force_login(present_members[0])
    url = f"/api/v1/ballots/{ballot.pk}/votes/"
    body = {"vote_id": str(uuid.uuid4()), "choice": option(ballot, "yes")}
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert client.post(url, body, content_type="application/json").status_code == 200
    other = client.post(url, {**body, "choice": option(ballot, "no")}, content_type="application/json")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "vote_id_reused"
    assert Vote.objects.filter(ballot=ballot).count() == 1
