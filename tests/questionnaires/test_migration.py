"""A database made before questionnaires left the votes app keeps every questionnaire row.

The move is state-only (questionnaires/migrations/0001_initial.py, votes/migrations/0006): the
tables keep their names. Here the database goes back to the state before the move (votes at its
last migration before it, no questionnaires app), rows are written through that state's
historical models, the database goes forward to the latest state, and every row is read back
through the questionnaires models, unchanged. The content types of the moved models follow
them (questionnaires/migrations/0002), with the permissions that point to them.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from proposals.models import Theme
from questionnaires.models import AnswerSheet, Question, QuestionChoice, Questionnaire, QuestionnaireSection, Respondent
from tests import factories

BEFORE_THE_MOVE = [("votes", "0005_roll_ballot_index_in_unique"), ("questionnaires", None)]
MOVED = ["questionnaire", "questionnairesection", "question", "questionchoice", "respondent", "answersheet"]

# A transactional test: migrations cannot run inside the test's wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    """Migrate the test database to TARGETS; the project state it is then in (its historical models)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor = MigrationExecutor(connection)  # reloaded: what is applied now
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _write_old_rows(old_apps, *, assembly, staff, member, other, meeting, theme) -> dict:
    """Questionnaire rows as the previous release stored them, through its (votes) models."""
    OldQuestionnaire = old_apps.get_model("votes", "Questionnaire")
    OldSection = old_apps.get_model("votes", "QuestionnaireSection")
    OldQuestion = old_apps.get_model("votes", "Question")
    OldChoice = old_apps.get_model("votes", "QuestionChoice")
    OldRespondent = old_apps.get_model("votes", "Respondent")
    OldSheet = old_apps.get_model("votes", "AnswerSheet")
    opens = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
    questionnaire = OldQuestionnaire.objects.create(
        assembly_id=assembly.pk,
        title="Évaluation 2026",
        description="Ce qui a marché, ce qui doit changer.",
        anonymous=False,
        meeting_id=meeting.pk,
        state="closed",
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=14),
        created_by_id=staff.pk,
        created_at=opens - dt.timedelta(days=1),
    )
    general = OldSection.objects.create(questionnaire=questionnaire, position=1, title="Général")
    priorities = OldSection.objects.create(questionnaire=questionnaire, position=2, title="Priorités")
    scale = OldQuestion.objects.create(
        questionnaire=questionnaire, section=general, position=1, kind="scale", text="Satisfaction", required=True
    )
    ranking = OldQuestion.objects.create(
        questionnaire=questionnaire, section=priorities, position=2, kind="ranking", text="Classez", help_text="Aide"
    )
    remark = OldQuestion.objects.create(questionnaire=questionnaire, section=None, position=3, kind="text", text="Avis")
    first = OldChoice.objects.create(question=ranking, position=1, label="Mobilités", theme_id=theme.pk)
    second = OldChoice.objects.create(question=ranking, position=2, label="Santé", theme_id=None)
    finished = OldRespondent.objects.create(questionnaire=questionnaire, user_id=member.pk, finished=True, draft={})
    drafting = OldRespondent.objects.create(
        questionnaire=questionnaire, user_id=other.pk, finished=False, draft={str(scale.pk): 3}
    )
    answers = {str(scale.pk): 4, str(ranking.pk): [second.pk, first.pk], str(remark.pk): "Très utile"}
    named = OldSheet.objects.create(
        id=uuid.uuid4(),
        questionnaire=questionnaire,
        respondent=finished,
        college="citizen",
        gender="woman",
        answers=answers,
    )
    anonymous = OldSheet.objects.create(
        id=uuid.uuid4(), questionnaire=questionnaire, respondent=None, college="", gender="", answers={str(scale.pk): 2}
    )
    return {
        "questionnaire": questionnaire.pk,
        "sections": [general.pk, priorities.pk],
        "questions": [scale.pk, ranking.pk, remark.pk],
        "choices": [first.pk, second.pk],
        "respondents": [finished.pk, drafting.pk],
        "sheets": [named.pk, anonymous.pk],
        "answers": answers,
        "opens": opens,
    }


def _check_rows(ids, *, assembly, staff, member, other, meeting, theme) -> None:
    q = Questionnaire.objects.get(pk=ids["questionnaire"])
    assert (q.assembly_id, q.title, q.description, q.anonymous, q.meeting_id, q.state) == (
        assembly.pk,
        "Évaluation 2026",
        "Ce qui a marché, ce qui doit changer.",
        False,
        meeting.pk,
        "closed",
    )
    assert (q.opens_at, q.closes_at, q.created_at, q.created_by_id) == (
        ids["opens"],
        ids["opens"] + dt.timedelta(days=14),
        ids["opens"] - dt.timedelta(days=1),
        staff.pk,
    )
    assert [(s.pk, s.position, s.title) for s in q.sections.order_by("position")] == [
        (ids["sections"][0], 1, "Général"),
        (ids["sections"][1], 2, "Priorités"),
    ]
    assert [(x.pk, x.section_id, x.position, x.kind, x.text, x.help_text, x.required) for x in q.questions.all()] == [
        (ids["questions"][0], ids["sections"][0], 1, "scale", "Satisfaction", "", True),
        (ids["questions"][1], ids["sections"][1], 2, "ranking", "Classez", "Aide", False),
        (ids["questions"][2], None, 3, "text", "Avis", "", False),
    ]
    ranking = Question.objects.get(pk=ids["questions"][1])
    assert [(c.pk, c.position, c.label, c.theme_id) for c in ranking.choices.all()] == [
        (ids["choices"][0], 1, "Mobilités", theme.pk),
        (ids["choices"][1], 2, "Santé", None),
    ]
    assert [(r.pk, r.user_id, r.finished, r.draft) for r in q.respondents.all()] == [
        (ids["respondents"][0], member.pk, True, {}),
        (ids["respondents"][1], other.pk, False, {str(ids["questions"][0]): 3}),
    ]
    named = AnswerSheet.objects.get(pk=ids["sheets"][0])
    assert (named.questionnaire_id, named.college, named.gender, named.answers) == (
        q.pk,
        "citizen",
        "woman",
        ids["answers"],
    )
    assert (
        named.respondent.user_id == member.pk and Respondent.objects.get(pk=ids["respondents"][0]).answer_sheet == named
    )
    anonymous = AnswerSheet.objects.get(pk=ids["sheets"][1])
    assert (anonymous.respondent_id, anonymous.answers) == (None, {str(ids["questions"][0]): 2})
    # Nothing more, nothing less.
    counts = [m.objects.count() for m in (Questionnaire, QuestionnaireSection, Question, QuestionChoice, Respondent)]
    assert counts == [1, 2, 3, 2, 2] and AnswerSheet.objects.count() == 2


def test_questionnaire_rows_of_the_previous_release_are_read_by_the_questionnaires_app():
    assembly = factories.AssemblyFactory()
    staff = factories.UserFactory(is_staff=True)
    member, other = (factories.MandateFactory(assembly=assembly).user for _ in range(2))
    meeting = factories.MeetingFactory(assembly=assembly)
    theme = Theme.objects.create(name="Mobilités", slug="mobilites")
    people = {
        "assembly": assembly,
        "staff": staff,
        "member": member,
        "other": other,
        "meeting": meeting,
        "theme": theme,
    }
    permission = Permission.objects.get(content_type__app_label="questionnaires", codename="change_questionnaire")
    latest = _latest()
    try:
        old_apps = _migrate(BEFORE_THE_MOVE)
        # The previous release's content types were the votes app's.
        old_type = ContentType.objects.get(pk=permission.content_type_id)
        assert (old_type.app_label, old_type.model) == ("votes", "questionnaire")
        ids = _write_old_rows(old_apps, **people)
    finally:
        _migrate(latest)
        ContentType.objects.clear_cache()
    _check_rows(ids, **people)
    # The content types and their permissions followed the models: same rows, new app label.
    assert sorted(ContentType.objects.filter(app_label="questionnaires").values_list("model", flat=True)) == sorted(
        MOVED
    )
    assert not ContentType.objects.filter(app_label="votes", model__in=MOVED).exists()
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "questionnaires"
