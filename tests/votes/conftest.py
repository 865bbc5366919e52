"""A sitting in session with members in the room, and helpers to open ballots in it."""

from __future__ import annotations

import uuid

import pytest

from assembly.models import College, Gender
from meetings.services import attendance as attendance_services
from tests import factories
from votes import services


@pytest.fixture
def sitting(assembly):
    return factories.SittingFactory(meeting__assembly=assembly)


@pytest.fixture
def present_members(assembly, sitting, staff):
    """Four members checked in: two elected (woman, man) and two citizens (woman, man)."""
    people = []
    for college in (College.ELECTED, College.CITIZEN):
        for gender in (Gender.WOMAN, Gender.MAN):
            user = factories.MandateFactory(assembly=assembly, college=college, gender=gender).user
            attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
            people.append(user)
    return people


@pytest.fixture
def open_ballot(staff, sitting, present_members):
    """Open a ballot built by BallotFactory(**kwargs) in the sitting."""

    def make(**kwargs):
        ballot = factories.BallotFactory(sitting=sitting, **kwargs)
        return services.ballot_open(by=staff, ballot=ballot)

    return make


def option(ballot, code_or_label):
    for o in ballot.options.all():
        if code_or_label in (o.code, o.label):
            return o.pk
    raise KeyError(code_or_label)


def new_id() -> uuid.UUID:
    return uuid.uuid4()
