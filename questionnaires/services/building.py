"""A questionnaire's making: built with its sections and questions, opened to its audience, closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, User
from core.audit import record
from core.errors import Conflict, ValidationFailed
from core.services import clean_text, has_visible_character, normalise_text, require
from meetings.models import Meeting
from proposals.models import Theme
from questionnaires.models import Question, QuestionChoice, Questionnaire, QuestionnaireSection
from realtime.broadcast import broadcast_on_commit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING)


def _announce(questionnaire: Questionnaire) -> None:
    broadcast_on_commit(
        f"questionnaire.{questionnaire.pk}", {"type": "questionnaire.changed", "questionnaire": questionnaire.pk}
    )


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
    """VALUE normalised (`core.services.normalise_text`) unless it shows no visible character or is
    longer than MAX_LENGTH: then ValidationFailed on FIELD (never cut)."""
    given = bool(value.strip())
    value = normalise_text(value)
    if given and not has_visible_character(value):
        raise ValidationFailed(
            _("Question or section %(n)s: this text has no visible character.") % {"n": n}, field=field
        )
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
    description = clean_text(description, field="description", max_length=5000)
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
            description=description,
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
