"""Helpers for the workshops and calendar tests (the upcoming meeting is in tests/conftest.py: questionnaires use it too)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting, Sitting
from proposals.models import Theme
from tests import factories


@pytest.fixture
def past_meeting(assembly):
    return Meeting.objects.create(
        assembly=assembly, kind=Meeting.Kind.PLENARY, title="Plénière", date=timezone.localdate() - dt.timedelta(days=3)
    )


@pytest.fixture
def themes(db):
    return [
        Theme.objects.create(name=name, slug=f"t{i}", position=i)
        for i, name in enumerate(["Mobilités", "Santé", "Alimentation", "Énergie"])
    ]


def make_sitting_with_present(assembly, n: int, *, territories: int = 0):
    """A workshop sitting where N members are present (parity 2×2 per territory of 4)."""
    meeting = Meeting.objects.create(
        assembly=assembly, kind=Meeting.Kind.WORKSHOP, title="Atelier", date=timezone.localdate()
    )
    sitting = Sitting.objects.create(
        meeting=meeting, assembly=assembly, title="Séance", starts_at=timezone.now(), state=Sitting.State.OPEN
    )
    territories = territories or max(1, n // 4)
    terr = [factories.TerritoryFactory() for _ in range(territories)]
    users = []
    for i in range(n):
        mandate = factories.MandateFactory(
            assembly=assembly,
            territory=terr[i % territories],
            college="elected" if (i // 2) % 2 == 0 else "citizen",
            gender="woman" if i % 2 == 0 else "man",
        )
        Attendance.objects.create(sitting=sitting, user=mandate.user, method="staff", checked_in_at=timezone.now())
        users.append(mandate.user)
    return sitting, users
