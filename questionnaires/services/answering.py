"""Answering a questionnaire: a draft saved to finish later, then the answers submitted once.

Anonymity: see `questionnaires/models.py`. Submitting flips the roll row and writes the
answer sheet in one transaction; on an anonymous questionnaire the sheet carries no link to the
person (no foreign key, no time, random key), its content is swapped with a randomly chosen
earlier sheet (so the physical order of rows says nothing about who answered when), and the
audit record has no actor and no data: it says that someone answered, never who.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from assembly.models import Mandate, User
from core.audit import record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import require
from questionnaires.models import SCALE_MAX, SCALE_MIN, AnswerSheet, Question, Questionnaire, Respondent
from questionnaires.selectors import in_audience
from questionnaires.services.building import _announce

TEXT_MAX_LENGTH = 4000


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def clean_answer(question: Question, value: Any, choice_ids: set[int]) -> Any:
    """The normalised answer to QUESTION, or ValidationFailed. None means "not answered"."""
    field = f"q{question.pk}"
    if value is None or value == "" or value == []:
        return None
    kind = question.kind
    if kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationFailed(
                _("The answer is too long (%(max)s characters at most).") % {"max": TEXT_MAX_LENGTH}, field=field
            )
        return text or None
    if kind == Question.Kind.SCALE:
        number = _int(value)
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise ValidationFailed(
                _("Give a number from %(min)s to %(max)s.") % {"min": SCALE_MIN, "max": SCALE_MAX}, field=field
            )
        return number
    if kind == Question.Kind.SINGLE:
        number = _int(value)
        if number not in choice_ids:
            raise ValidationFailed(_("Unknown choice."), field=field)
        return number
    values = value if isinstance(value, (list, tuple)) else [value]
    numbers = [_int(v) for v in values]
    if any(n not in choice_ids for n in numbers):
        raise ValidationFailed(_("Unknown choice."), field=field)
    if len(set(numbers)) != len(numbers):
        raise ValidationFailed(_("The same choice appears twice."), field=field)
    if kind == Question.Kind.RANKING and len(numbers) != len(choice_ids):
        raise ValidationFailed(_("Rank every choice, each once."), field=field)
    return numbers


def clean_answers(questions: Sequence[Question], answers: Mapping[str, Any], *, complete: bool) -> dict[str, Any]:
    """Normalised answers keyed by question id (as text). COMPLETE requires every required question."""
    if not isinstance(answers, Mapping):
        raise ValidationFailed(_("The answers are not in the expected form."))
    known = {str(q.pk): q for q in questions}
    unknown = [key for key in answers if str(key) not in known]
    if unknown:
        raise ValidationFailed(_("Unknown question."), field="answers")
    # Keyed by question id as text; an answer keyed by the number (question.pk) is read too, the text first.
    by_number: Mapping[Any, Any] = answers
    cleaned: dict[str, Any] = {}
    for key, question in known.items():
        value = clean_answer(
            question, answers.get(key, by_number.get(int(key))), {c.pk for c in question.choices.all()}
        )
        if value is None:
            if complete and question.required:
                raise ValidationFailed(_("This question requires an answer."), field=f"q{question.pk}")
            continue
        cleaned[key] = value
    return cleaned


def _questions(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.prefetch_related("choices").order_by("position"))


def _check_can_answer(by: User, questionnaire: Questionnaire) -> None:
    require(by, "questionnaires.answer_questionnaire", questionnaire)
    if not questionnaire.is_accepting():
        raise Conflict(_("This questionnaire is not open for answers."), code="questionnaire_closed")
    if not in_audience(by, questionnaire):
        raise PermissionDenied(_("This questionnaire is for other people."))


def answers_save(*, by: User, questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Respondent:
    """Save BY's answers so far, to finish later (incomplete answers are accepted, invalid ones are not)."""
    _check_can_answer(by, questionnaire)
    cleaned = clean_answers(_questions(questionnaire), answers, complete=False)
    with transaction.atomic():
        respondent, _created = Respondent.objects.select_for_update().get_or_create(
            questionnaire=questionnaire, user=by
        )
        if respondent.finished:
            raise Conflict(_("You have already answered this questionnaire."), code="already_answered")
        respondent.draft = cleaned
        respondent.save(update_fields=["draft"])
        # Anonymous questionnaires: no actor, so the journal never says who was answering when.
        record(
            actor=None if questionnaire.anonymous else by,
            action="questionnaires.questionnaire_draft_save",
            target=questionnaire,
            data={} if questionnaire.anonymous else {"answered": len(cleaned)},
        )
    return respondent


def answers_submit(*, by: User, questionnaire: Questionnaire, answers: Mapping[str, Any] | None = None) -> None:
    """Submit BY's answers (ANSWERS, or the saved draft). Once only; anonymous unless the questionnaire says so."""
    _check_can_answer(by, questionnaire)
    questions = _questions(questionnaire)
    mandate = Mandate.objects.active_on().filter(user=by, assembly_id=questionnaire.assembly_id).first()
    with transaction.atomic():
        try:
            with transaction.atomic():
                respondent, _created = Respondent.objects.select_for_update().get_or_create(
                    questionnaire=questionnaire, user=by
                )
        except IntegrityError as exc:  # a concurrent first save by the same person
            raise Conflict(_("You have already answered this questionnaire."), code="already_answered") from exc
        if respondent.finished:
            raise Conflict(_("You have already answered this questionnaire."), code="already_answered")
        cleaned = clean_answers(questions, respondent.draft if answers is None else answers, complete=True)
        # Compare-and-set on the roll: the second of two concurrent submissions updates no row.
        flipped = Respondent.objects.filter(pk=respondent.pk, finished=False).update(finished=True, draft={})
        if not flipped:
            raise Conflict(_("You have already answered this questionnaire."), code="already_answered")
        sheet = AnswerSheet(
            questionnaire=questionnaire,
            respondent=None if questionnaire.anonymous else respondent,
            college=mandate.college if mandate else "",
            gender=mandate.gender if mandate else "",
            answers=cleaned,
        )
        if questionnaire.anonymous:
            _store_shuffled(sheet)
            # No actor and no data: the journal's time cannot be joined to a person.
            record(actor=None, action="questionnaires.questionnaire_answer", target=questionnaire)
        else:
            sheet.save(force_insert=True)
            record(actor=by, action="questionnaires.questionnaire_answer", target=questionnaire)
        _announce(questionnaire)


def _pick(count: int) -> int:
    """A uniformly random index in 0..COUNT (COUNT: keep the new sheet where it is)."""
    return secrets.randbelow(count + 1)


def _store_shuffled(sheet: AnswerSheet) -> None:
    """Insert an anonymous SHEET, then swap its content with a random earlier sheet (or none).

    This is the "inside-out" Fisher-Yates shuffle: after every insert, the contents are a
    uniformly random permutation of the rows, so neither the row order (SQLite rowid,
    PostgreSQL heap) nor the insertion order tells which content was submitted when.
    """
    earlier = AnswerSheet.objects.filter(questionnaire_id=sheet.questionnaire_id)
    count = earlier.count()
    index = _pick(count)
    other = None
    if index < count:
        # Locked: two concurrent submissions must not swap with the same row at once.
        other = earlier.select_for_update().order_by("pk")[index : index + 1].first()
    if other is None:
        sheet.save(force_insert=True)
        return
    mine = (sheet.college, sheet.gender, sheet.answers)
    sheet.college, sheet.gender, sheet.answers = other.college, other.gender, other.answers
    sheet.save(force_insert=True)
    other.college, other.gender, other.answers = mine
    other.save(update_fields=["college", "gender", "answers"])
