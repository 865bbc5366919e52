"""Questionnaire services: answering (anonymous, once, validated), audiences, closing, and next year's themes.

Bad input gets a clear error and stores nothing.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from core.errors import Conflict, PermissionDenied, ValidationFailed
from meetings.services import calendar as cal
from proposals.models import Theme
from questionnaires import services as qs
from questionnaires.models import AnswerSheet, Questionnaire, Respondent
from questionnaires.selectors import results
from tests.questionnaires.conftest import question_keys, questionnaire_open_to_members

pytestmark = pytest.mark.django_db


def test_member_saves_then_submits_anonymously_and_cannot_answer_twice(staff, member, assembly):
    q = questionnaire_open_to_members(staff, assembly)
    keys, choices = question_keys(q)
    qs.answers_save(by=member, questionnaire=q, answers={keys[1]: choices[1][0]})
    qs.answers_submit(
        by=member, questionnaire=q, answers={keys[0]: 4, keys[3]: list(reversed(choices[3])), keys[4]: "Bien"}
    )
    sheet = AnswerSheet.objects.get()
    assert sheet.respondent is None and sheet.answers[keys[0]] == 4
    assert Respondent.objects.get().finished and Respondent.objects.get().draft == {}
    assert not any(f.name in ("user", "created_at", "submitted_at") for f in AnswerSheet._meta.fields)
    with pytest.raises(Conflict):
        qs.answers_submit(by=member, questionnaire=q, answers={keys[0]: 3})
    assert AnswerSheet.objects.count() == 1
    result = results(q)
    assert result["questions"][0]["rows"][3]["counts"]["all"] == 1
    assert result["questions"][4]["texts"] == ["Bien"]
    assert result["questions"][3]["ranking"][0]["choice"].label == "Énergie"


@pytest.mark.parametrize(
    "bad",
    [
        lambda k, c: {k[0]: 7},
        lambda k, c: {k[0]: 3, k[3]: [c[3][0], c[3][0], c[3][1]]},
        lambda k, c: {k[0]: 3, k[1]: 999999},
        lambda k, c: {k[1]: c[1][0]},  # required scale missing
    ],
    ids=["scale-7", "ranking-duplicates", "unknown-choice", "required-missing"],
)
def test_bad_answers_are_refused_and_nothing_is_stored(staff, member, assembly, bad):
    q = questionnaire_open_to_members(staff, assembly)
    keys, choices = question_keys(q)
    with pytest.raises(ValidationFailed):
        qs.answers_submit(by=member, questionnaire=q, answers=bad(keys, choices))
    assert not AnswerSheet.objects.exists()
    assert not Respondent.objects.filter(finished=True).exists()


def test_closed_questionnaire_refuses_answers(staff, member, assembly):
    q = questionnaire_open_to_members(staff, assembly)
    keys, _ = question_keys(q)
    qs.questionnaire_close(by=staff, questionnaire=q)
    with pytest.raises(Conflict):
        qs.answers_submit(by=member, questionnaire=Questionnaire.objects.get(pk=q.pk), answers={keys[0]: 3})
    assert not AnswerSheet.objects.exists()


def test_meeting_questionnaire_is_for_its_participants_only(staff, member, assembly, future_meeting):
    q = questionnaire_open_to_members(staff, assembly, meeting=future_meeting)
    keys, _ = question_keys(q)
    with pytest.raises(PermissionDenied):
        qs.answers_submit(by=member, questionnaire=q, answers={keys[0]: 3})
    cal.registration_register(by=member, meeting=future_meeting)
    qs.answers_submit(by=member, questionnaire=q, answers={keys[0]: 3})
    assert AnswerSheet.objects.count() == 1


def test_ranking_seeds_next_years_themes(staff, member, assembly):
    q = questionnaire_open_to_members(staff, assembly)
    keys, choices = question_keys(q)
    qs.answers_submit(by=member, questionnaire=q, answers={keys[0]: 5, keys[3]: choices[3]})
    q = qs.questionnaire_close(by=staff, questionnaire=q)
    ranking = q.questions.get(kind="ranking")
    themes = qs.themes_seed_from_ranking(by=staff, question=ranking, top=2)
    assert [t.name for t in themes] == ["Mobilités", "Santé"]
    # Next year's priority themes are marked as such, in the database.
    assert all(t.is_priority for t in Theme.objects.filter(pk__in=[t.pk for t in themes]))
    assert not Theme.objects.exclude(pk__in=[t.pk for t in themes]).filter(is_priority=True).exists()


def test_ranking_marks_an_existing_theme_as_a_priority_through_the_proposals_service(staff, member, assembly):
    from core.models import AuditEvent

    existing = Theme.objects.create(name="Mobilités", slug="mobilites-existant", is_priority=False)
    q = questionnaire_open_to_members(staff, assembly)
    keys, choices = question_keys(q)
    qs.answers_submit(by=member, questionnaire=q, answers={keys[0]: 5, keys[3]: choices[3]})
    q = qs.questionnaire_close(by=staff, questionnaire=q)
    themes = qs.themes_seed_from_ranking(by=staff, question=q.questions.get(kind="ranking"), top=2)
    assert themes[0].pk == existing.pk
    existing.refresh_from_db()
    assert existing.is_priority
    assert AuditEvent.objects.filter(action="proposals.theme_set_priority", target_id=str(existing.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "T" * 201}, "title"),
        ({"sections": ["S" * 201]}, "sections"),
        ({"questions": [{"kind": "text", "text": "Q" * 501}]}, "questions"),
        ({"questions": [{"kind": "text", "text": "Q", "help_text": "H" * 301}]}, "questions"),
        ({"questions": [{"kind": "single", "text": "Q", "choices": ["A" * 201, "B"]}]}, "questions"),
    ],
    ids=["title", "section title", "question text", "help text", "choice label"],
)
def test_a_questionnaire_with_a_text_too_long_is_refused_on_its_field_and_nothing_is_cut(
    staff, assembly, change, field
):
    given = {"title": "Évaluation", "sections": [], "questions": [{"kind": "text", "text": "Votre avis ?"}]} | change
    with translation.override("fr"), pytest.raises(ValidationFailed) as refused:
        qs.questionnaire_create(by=staff, assembly=assembly, **given)
    assert refused.value.field == field
    assert "caractères au plus" in str(refused.value.message)
    assert not Questionnaire.objects.exists()
