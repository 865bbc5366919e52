"""Anonymous questionnaires: nothing stored links an answer sheet to the person who wrote it."""

from __future__ import annotations

import pytest
from django.db import models

from core.models import AuditEvent
from questionnaires import services as qs
from questionnaires.models import AnswerSheet, Respondent
from questionnaires.services import answering
from tests import factories

pytestmark = pytest.mark.django_db


def _open(staff, assembly, *, anonymous=True):
    q = qs.questionnaire_create(
        by=staff,
        assembly=assembly,
        title="Évaluation",
        anonymous=anonymous,
        questions=[{"kind": "scale", "text": "Satisfaction", "required": True}, {"kind": "text", "text": "Remarques"}],
    )
    q = qs.questionnaire_open(by=staff, questionnaire=q)
    keys = [str(pk) for pk in q.questions.order_by("position").values_list("pk", flat=True)]
    return q, keys


def test_anonymous_answers_leave_no_actor_no_time_and_no_link_in_the_stored_rows(staff, assembly):
    q, keys = _open(staff, assembly)
    people = [factories.MandateFactory(assembly=assembly).user for _ in range(3)]
    qs.answers_save(by=people[0], questionnaire=q, answers={keys[0]: 2})
    for n, person in enumerate(people, start=1):
        qs.answers_submit(by=person, questionnaire=q, answers={keys[0]: n, keys[1]: f"avis {n}"})

    sheets = list(AnswerSheet.objects.filter(questionnaire=q).values())
    assert sorted(s["answers"][keys[0]] for s in sheets) == [1, 2, 3]
    assert all(s["respondent_id"] is None for s in sheets)
    # No time and no person on the sheet, and a random key.
    fields = AnswerSheet._meta.get_fields()
    assert not any(isinstance(f, (models.DateTimeField, models.DateField)) for f in fields)
    assert {f.related_model for f in fields if f.is_relation} <= {q.__class__, Respondent}
    assert isinstance(AnswerSheet._meta.pk, models.UUIDField)

    events = AuditEvent.objects.filter(target_id=str(q.pk), action__startswith="questionnaires.questionnaire_")
    answer_events = events.filter(
        action__in=["questionnaires.questionnaire_answer", "questionnaires.questionnaire_draft_save"]
    )
    assert answer_events.count() == 4  # one draft save, three answers
    for event in answer_events:
        assert event.actor_id is None
        assert event.data == {}
    person_ids = {p.pk for p in people}
    assert not events.filter(actor_id__in=person_ids).exists()


def test_each_anonymous_sheet_is_swapped_with_a_random_earlier_one(staff, assembly, monkeypatch):
    q, keys = _open(staff, assembly)
    first, second = (factories.MandateFactory(assembly=assembly).user for _ in range(2))
    qs.answers_submit(by=first, questionnaire=q, answers={keys[0]: 1})
    first_row = AnswerSheet.objects.get().pk
    monkeypatch.setattr(answering, "_pick", lambda count: 0)  # swap with the only earlier row
    qs.answers_submit(by=second, questionnaire=q, answers={keys[0]: 5})
    # The row written first now holds the second person's answers: row order tells nothing.
    assert AnswerSheet.objects.get(pk=first_row).answers == {keys[0]: 5}
    assert sorted(s.answers[keys[0]] for s in AnswerSheet.objects.all()) == [1, 5]


def test_named_questionnaire_keeps_the_respondent_and_journals_the_actor(staff, member, assembly):
    q, keys = _open(staff, assembly, anonymous=False)
    qs.answers_save(by=member, questionnaire=q, answers={keys[0]: 3})
    qs.answers_submit(by=member, questionnaire=q)
    sheet = AnswerSheet.objects.get()
    assert sheet.respondent.user == member and sheet.answers == {keys[0]: 3}
    draft = AuditEvent.objects.get(action="questionnaires.questionnaire_draft_save")
    assert draft.actor == member and draft.data == {"answered": 1}
    assert AuditEvent.objects.get(action="questionnaires.questionnaire_answer").actor == member
