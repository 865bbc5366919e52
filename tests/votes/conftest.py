"""Helpers to open ballots in the sitting of the root conftest, with its members in the room."""

from __future__ import annotations

import uuid

import pytest

from tests import factories
from votes import services


@pytest.fixture
def open_ballot(staff, sitting, present_members):
    """Open a ballot built by BallotFactory(**kwargs) in the sitting."""

    def make(**kwargs):
        ballot = factories.BallotFactory(sitting=sitting, **kwargs)
        return services.ballot_open(by=staff, ballot=ballot)

    return make


def cast(voter, ballot, choice, vote_id=None, **kwargs):
    """VOTER's vote through the service, under a fresh vote id unless VOTE_ID is given."""
    return services.vote_cast(voter=voter, ballot=ballot, choice=choice, vote_id=vote_id or uuid.uuid4(), **kwargs)


def option(ballot, code_or_label):
    for o in ballot.options.all():
        if code_or_label in (o.code, o.label):
            return o.pk
    raise KeyError(code_or_label)


def new_id() -> uuid.UUID:
    return uuid.uuid4()
