"""A secret ballot never shows results live: refused by the service, the database and the snapshot."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from core.errors import ValidationFailed
from tests import factories
from tests.votes.conftest import option
from votes import selectors, services
from votes.models import Ballot


def test_ballot_create_refuses_secret_with_live_results(staff, sitting):
    with pytest.raises(ValidationFailed) as err:
        services.ballot_create(by=staff, sitting=sitting, title="Q ?", secret=True, live_results=True)
    assert err.value.field == "live_results"
    assert not Ballot.objects.exists()


def test_api_refuses_secret_with_live_results(staff, sitting):
    client = Client()
    client.force_login(staff)
    response = client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Q ?", "kind": "yes_no", "secret": True, "live_results": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "live_results" in response.json()["error"]["fields"]
    assert not Ballot.objects.exists()


def test_database_refuses_secret_with_live_results(sitting):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.BallotFactory(sitting=sitting, secret=True, live_results=True)


def test_secret_ballot_snapshot_shows_counts_only_after_close(open_ballot, present_members, staff):
    ballot = open_ballot(secret=True)
    services.vote_cast(voter=present_members[0], ballot=ballot, choice=option(ballot, "yes"), vote_id=uuid.uuid4())
    # Even if the flag were set (a row older than the constraint), an open secret ballot shows no counts.
    ballot.live_results = True
    snapshot = selectors.ballot_snapshot(ballot=ballot, viewer=staff)
    assert snapshot["counts"] is None
    assert snapshot["participation"] == {"voted": 1, "electorate": 4}
    services.ballot_close(by=staff, ballot=ballot)
    closed = selectors.ballot_snapshot(ballot=Ballot.objects.get(pk=ballot.pk), viewer=staff)
    assert closed["counts"]["votes"] == 1


def test_named_ballot_with_live_results_shows_counts_while_open(open_ballot, present_members, staff):
    ballot = open_ballot(live_results=True)
    services.vote_cast(voter=present_members[0], ballot=ballot, choice=option(ballot, "yes"), vote_id=uuid.uuid4())
    assert selectors.ballot_snapshot(ballot=ballot, viewer=staff)["counts"]["votes"] == 1
