"""Helpers for the questionnaire tests: an open questionnaire with one question of each kind."""

from __future__ import annotations

import pytest

from questionnaires import services as qs


def questionnaire_open_to_members(staff, assembly, **kwargs):
    """An open questionnaire with one question of each kind (scale required, in a section)."""
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
