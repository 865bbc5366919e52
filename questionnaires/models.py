"""Evaluation questionnaires: questions in sections, a respondent roll, and the answer sheets.

Anonymity, by construction (the same separation rule as secret ballots):
- `Respondent` is the roll: who started and who finished, plus their unfinished draft. It
  records THAT someone answered, never WHAT, once the answers are submitted.
- `AnswerSheet` holds the submitted answers. On an anonymous questionnaire it has no link to
  a person: random UUID primary key, no respondent, no timestamp, read in primary-key (random)
  order. Only the college and gender are kept, for the split results. Each new sheet's content
  is swapped with a random earlier sheet, so the physical row order is a random permutation
  too, and the journal line of an anonymous answer has no actor.
- Submitting flips the roll row (finished false → true, draft cleared) and writes the sheet in
  one transaction; the unique (questionnaire, user) roll row is what prevents answering twice.

The tables keep the names they had when questionnaires lived in the votes app (`votes_*`):
the models moved to this app without touching the database (migrations/0001_initial.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly.models import Assembly
from meetings.models import Meeting

SCALE_MIN = 1
SCALE_MAX = 5


class Questionnaire(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("assembly")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    anonymous = models.BooleanField(_("anonymous answers"), default=True)
    # Audience: every member of the assembly, or only the people registered to / present at one meeting.
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("only the participants of"),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("questionnaire", "created"), default=timezone.now)

    class Meta:
        db_table = "votes_questionnaire"
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["draft", "open", "closed"]), name="questionnaire_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="questionnaire_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.state == self.State.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class QuestionnaireSection(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        db_table = "votes_questionnairesection"
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="questionnaire_section_position"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        SCALE = "scale", _("scale from 1 to 5")
        RANKING = "ranking", _("ranking")
        TEXT = "text", _("free text")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        QuestionnaireSection, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        db_table = "votes_question"
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_unique_position"),
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "scale", "ranking", "text"]), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class QuestionChoice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=200)
    # Optional link to a proposals Theme, so ranking results can seed next year's priority themes.
    theme = models.ForeignKey(
        "proposals.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )

    class Meta:
        db_table = "votes_questionchoice"
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="question_choice_position"),
            models.UniqueConstraint(fields=["question", "label"], name="question_choice_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Respondent(models.Model):
    """The roll: one row per person who started a questionnaire; holds their draft until they finish."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished = models.BooleanField(default=False)
    # Answers saved to finish later; emptied when the answers are submitted.
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "votes_respondent"
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["questionnaire_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "user"], name="respondent_one_per_person"),
            models.CheckConstraint(condition=Q(finished=False) | Q(draft={}), name="respondent_finished_no_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.questionnaire_id}"


class AnswerSheet(models.Model):
    """Submitted answers. Anonymous questionnaires: no respondent, no time, random key (see module doc)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answer_sheets")
    # Only when the questionnaire is not anonymous.
    respondent = models.OneToOneField(
        Respondent, on_delete=models.CASCADE, null=True, blank=True, related_name="answer_sheet"
    )
    college = models.CharField(max_length=16, blank=True)
    gender = models.CharField(max_length=8, blank=True)
    answers = models.JSONField(default=dict)

    class Meta:
        db_table = "votes_answersheet"
        verbose_name = _("answer sheet")
        verbose_name_plural = _("answer sheets")
        ordering = ["questionnaire_id", "id"]

    def __str__(self) -> str:
        return str(self.id)
