"""Demo content of questionnaires (the yearly evaluation, answered by the demo members), and the factories."""

from __future__ import annotations

import io

import pytest

from assembly import demo as assembly_demo
from proposals import demo as proposals_demo
from questionnaires import demo as questionnaires_demo
from questionnaires.demo import TITLE
from questionnaires.models import AnswerSheet, Questionnaire, Respondent
from tests import factories

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    for module in (assembly_demo, proposals_demo, questionnaires_demo):
        module.seed(stdout=out)


def test_demo_has_an_answered_questionnaire_and_is_idempotent():
    _seed()
    questionnaire = Questionnaire.objects.get(title=TITLE)
    assert questionnaire.is_accepting() and questionnaire.sections.count() == 2
    answers = AnswerSheet.objects.filter(questionnaire=questionnaire).count()
    assert answers == 36 and Respondent.objects.filter(questionnaire=questionnaire, finished=False).count() == 4
    _seed()
    assert AnswerSheet.objects.count() == answers


def test_question_factory_builds_its_choices():
    question = factories.QuestionFactory(kind="ranking", choices=["A", "B"])
    assert list(question.choices.values_list("label", flat=True)) == ["A", "B"]
