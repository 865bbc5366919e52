"""Helpers for the workshops, calendar and questionnaire tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting, Sitting
from proposals.models import Theme
from tests import factories


@pytest.fixture
def future_meeting(assembly):
    return Meeting.objects.create(
        assembly=assembly,
        kind=Meeting.Kind.FIELD,
        title="Atelier territorial mobilités",
        date=timezone.localdate() + dt.timedelta(days=10),
        place="Salle des fêtes",
        address="1 place de la Mairie\n34150 Gignac",
    )


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


def questionnaire_open_to_members(staff, assembly, **kwargs):
    """An open questionnaire with one question of each kind (scale required, in a section)."""
    from votes import services_questionnaires as qs

    q = qs.questionnaire_create(
        by=staff,
        assembly=assembly,
        title="Évaluation 2026",
        sections=["Général"],
        questions=[
            {"kind": "scale", "text": "Satisfaction", "required": True, "section": 0},
            {"kind": "single", "text": "Format", "choices": ["Plénière", "Atelier"]},
            {"kind": "multiple", "text": "Thèmes suivis", "choices": ["A", "B", "C"]},
            {"kind": "ranking", "text": "Priorités", "choices": ["Mobilités", "Santé", "Énergie"]},
            {"kind": "text", "text": "Remarques"},
        ],
        **kwargs,
    )
    return qs.questionnaire_open(by=staff, questionnaire=q)


def question_keys(q):
    """Question ids (as text) in order, and the choice ids of each."""
    questions = list(q.questions.order_by("position"))
    return [str(x.pk) for x in questions], [
        list(x.choices.order_by("position").values_list("pk", flat=True)) for x in questions
    ]


@pytest.fixture
def questionnaire(staff, assembly):
    return questionnaire_open_to_members(staff, assembly)
