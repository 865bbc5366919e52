"""Writes of evaluation questionnaires: build, open, close, save a draft, submit, seed themes.

Anonymity: see `questionnaires/models.py`. Submitting flips the roll row and writes the
answer sheet in one transaction; on an anonymous questionnaire the sheet carries no link to the
person (no foreign key, no time, random key), its content is swapped with a randomly chosen
earlier sheet (so the physical order of rows says nothing about who answered when), and the
audit record has no actor and no data: it says that someone answered, never who.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, Mandate, User
from core.audit import record
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import clean_text, require
from meetings.models import Meeting
from proposals import services as proposal_services
from proposals.models import Theme
from questionnaires.models import (
    SCALE_MAX,
    SCALE_MIN,
    AnswerSheet,
    Question,
    QuestionChoice,
    Questionnaire,
    QuestionnaireSection,
    Respondent,
)
from questionnaires.selectors import in_audience, ranking_scores
from realtime.broadcast import broadcast_on_commit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_MAX_LENGTH = 4000
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING)


def _announce(questionnaire: Questionnaire) -> None:
    broadcast_on_commit(
        f"questionnaire.{questionnaire.pk}", {"type": "questionnaire.changed", "questionnaire": questionnaire.pk}
    )


# --- Building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _QuestionSpec:
    """One question of `questionnaire_create`, checked and ready to store."""

    kind: str
    text: str
    required: bool
    labels: list[str]
    section: int | None
    help_text: str
    themes: list[Any]


def _bounded(value: str, max_length: int, message: StrOrPromise, *, field: str, n: int) -> str:
    """VALUE unless it is longer than MAX_LENGTH: then ValidationFailed on FIELD (never cut)."""
    if len(value) > max_length:
        raise ValidationFailed(message % {"n": n, "max": max_length}, field=field)
    return value


def _clean_choices(index: int, kind: str, spec: Mapping[str, Any]) -> list[str]:
    """The choice labels of question INDEX: two or more, all different, for a choice kind; none otherwise."""
    labels = [str(c).strip() for c in spec.get("choices") or [] if str(c).strip()]
    if kind not in CHOICE_KINDS:
        return []
    too_long = _("Question %(n)s: a choice is too long (%(max)s characters at most).")
    labels = [_bounded(label, 200, too_long, field="questions", n=index) for label in labels]
    if len(labels) < 2:
        raise ValidationFailed(_("Question %(n)s: give at least two choices.") % {"n": index}, field="questions")
    if len(set(labels)) != len(labels):
        raise ValidationFailed(_("Question %(n)s: two choices are the same.") % {"n": index}, field="questions")
    return labels


def _clean_question(index: int, spec: Mapping[str, Any], *, section_count: int) -> _QuestionSpec:
    """Question INDEX (from 1) as given to `questionnaire_create`, checked; ValidationFailed otherwise."""
    kind = spec.get("kind")
    text = str(spec.get("text") or "").strip()
    if kind not in Question.Kind.values:
        raise ValidationFailed(_("Question %(n)s: unknown kind.") % {"n": index}, field="questions")
    if not text:
        raise ValidationFailed(_("Question %(n)s: the text is required.") % {"n": index}, field="questions")
    labels = _clean_choices(index, kind, spec)
    section = spec.get("section")
    if section is not None and not (isinstance(section, int) and 0 <= section < section_count):
        raise ValidationFailed(_("Question %(n)s: unknown section.") % {"n": index}, field="questions")
    text = _bounded(
        text, 500, _("Question %(n)s: the text is too long (%(max)s characters at most)."), field="questions", n=index
    )
    help_text = _bounded(
        str(spec.get("help_text") or "").strip(),
        300,
        _("Question %(n)s: the help text is too long (%(max)s characters at most)."),
        field="questions",
        n=index,
    )
    return _QuestionSpec(
        kind=kind,
        text=text,
        required=bool(spec.get("required")),
        labels=labels,
        section=section,
        help_text=help_text,
        themes=list(spec.get("themes") or []),
    )


def _choice_theme(themes: list[Any], position: int) -> Theme | None:
    """The theme given for the choice at POSITION (from 1), if any."""
    theme = themes[position - 1] if position - 1 < len(themes) else None
    return theme if isinstance(theme, Theme) else None


def _question_store(
    questionnaire: Questionnaire, *, position: int, spec: _QuestionSpec, section: QuestionnaireSection | None
) -> Question:
    question = Question.objects.create(
        questionnaire=questionnaire,
        section=section,
        position=position,
        kind=spec.kind,
        text=spec.text,
        required=spec.required,
        help_text=spec.help_text,
    )
    QuestionChoice.objects.bulk_create(
        QuestionChoice(question=question, position=i, label=label, theme=_choice_theme(spec.themes, i))
        for i, label in enumerate(spec.labels, start=1)
    )
    return question


def questionnaire_create(
    *,
    by: User,
    assembly: Assembly,
    title: str,
    description: str = "",
    anonymous: bool = True,
    meeting: Meeting | None = None,
    sections: Sequence[str] = (),
    questions: Sequence[Mapping[str, Any]] = (),
) -> Questionnaire:
    """A questionnaire in preparation, with its SECTIONS (titles) and QUESTIONS.

    Each question: {"kind", "text", "required" (bool), "choices" (labels, for choice kinds),
    "section" (index into SECTIONS, optional), "help_text", "themes" (Theme per choice, optional)}.
    """
    require(by, "questionnaires.manage_questionnaire", assembly)
    title = clean_text(title, field="title", max_length=200, required=True, required_message=_("A title is required."))
    section_titles = [
        _bounded(
            str(t).strip(),
            200,
            _("Section %(n)s: the title is too long (%(max)s characters at most)."),
            field="sections",
            n=n,
        )
        for n, t in enumerate(sections, start=1)
    ]
    if meeting is not None and meeting.assembly_id != assembly.pk:
        raise ValidationFailed(_("This meeting belongs to another assembly."), field="meeting")
    if not questions:
        raise ValidationFailed(_("Add at least one question."), field="questions")
    cleaned = [
        _clean_question(index, spec, section_count=len(sections)) for index, spec in enumerate(questions, start=1)
    ]
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            assembly=assembly,
            title=title,
            description=(description or "").strip(),
            anonymous=anonymous,
            meeting=meeting,
            created_by=by,
        )
        section_rows = [
            QuestionnaireSection.objects.create(questionnaire=questionnaire, position=i, title=t)
            for i, t in enumerate(section_titles, start=1)
        ]
        for position, spec in enumerate(cleaned, start=1):
            section = section_rows[spec.section] if spec.section is not None else None
            _question_store(questionnaire, position=position, spec=spec, section=section)
        record(
            actor=by,
            action="questionnaires.questionnaire_create",
            target=questionnaire,
            data={"questions": len(cleaned), "anonymous": anonymous, "meeting": meeting.pk if meeting else None},
        )
    return questionnaire


def _lock(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def questionnaire_open(
    *, by: User, questionnaire: Questionnaire, opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None
) -> Questionnaire:
    """Open QUESTIONNAIRE to its audience, from OPENS_AT (now) until CLOSES_AT (no end)."""
    require(by, "questionnaires.manage_questionnaire", questionnaire)
    opens_at = opens_at or timezone.now()
    if closes_at is not None and closes_at <= opens_at:
        raise ValidationFailed(_("The questionnaire must close after it opens."), field="closes_at")
    with transaction.atomic():
        # The lock makes the state change a compare-and-set against a concurrent close.
        questionnaire = _lock(questionnaire)
        if questionnaire.state != Questionnaire.State.DRAFT:
            raise Conflict(_("Only a questionnaire in preparation can be opened."), code="questionnaire_not_draft")
        questionnaire.state = Questionnaire.State.OPEN
        questionnaire.opens_at, questionnaire.closes_at = opens_at, closes_at
        questionnaire.save(update_fields=["state", "opens_at", "closes_at"])
        record(actor=by, action="questionnaires.questionnaire_open", target=questionnaire)
        _announce(questionnaire)
    return questionnaire


def questionnaire_close(*, by: User, questionnaire: Questionnaire) -> Questionnaire:
    require(by, "questionnaires.manage_questionnaire", questionnaire)
    with transaction.atomic():
        questionnaire = _lock(questionnaire)
        if questionnaire.state != Questionnaire.State.OPEN:
            raise Conflict(_("This questionnaire is not open."), code="questionnaire_not_open")
        questionnaire.state = Questionnaire.State.CLOSED
        questionnaire.closes_at = min(questionnaire.closes_at or timezone.now(), timezone.now())
        if questionnaire.opens_at and questionnaire.closes_at <= questionnaire.opens_at:
            questionnaire.opens_at = None
        questionnaire.save(update_fields=["state", "closes_at", "opens_at"])
        record(actor=by, action="questionnaires.questionnaire_close", target=questionnaire)
        _announce(questionnaire)
    return questionnaire


# --- Answering --------------------------------------------------------------------------------


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


# --- Next year's themes -------------------------------------------------------------------------


def themes_seed_from_ranking(*, by: User, question: Question, top: int = 5) -> list[Theme]:
    """Make the TOP choices of a closed questionnaire's ranking question next year's priority themes.

    A choice linked to an existing theme is reused; others become new themes (through the
    proposals service). Returns the themes, best ranked first.
    """
    require(by, "questionnaires.manage_questionnaire", question.questionnaire)
    if question.kind != Question.Kind.RANKING:
        raise ValidationFailed(_("Only a ranking question can seed themes."), field="question")
    if question.questionnaire.state != Questionnaire.State.CLOSED:
        raise Conflict(_("Close the questionnaire first."), code="questionnaire_not_closed")
    if not 1 <= top <= 20:
        raise ValidationFailed(_("Choose between 1 and 20 themes."), field="top")
    ranked = ranking_scores(question)[:top]
    themes = []
    with transaction.atomic():
        for row in ranked:
            choice = row["choice"]
            theme = choice.theme if choice.theme_id else Theme.objects.filter(name__iexact=choice.label).first()
            if theme is None:
                themes.append(proposal_services.theme_create(by=by, name=choice.label, is_priority=True))
            else:
                themes.append(proposal_services.theme_set_priority(by=by, theme=theme, is_priority=True))
        record(
            actor=by,
            action="questionnaires.questionnaire_seed_themes",
            target=question.questionnaire,
            data={"question": question.pk, "themes": [t.pk for t in themes]},
        )
    return themes
