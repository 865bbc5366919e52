"""Ballots and their options.

Version: `Ballot.version` counts state changes (open, extend, close, cancel) and is bumped
under the ballot row lock; the version clients see (`votes.selectors.ballot_version`) is
`Ballot.version + number of Vote rows` (superseded rows included), which grows with every
change without locking the ballot row per vote.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import AgendaItem, Sitting


class Ballot(models.Model):
    """One question put to the vote during a sitting."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("yes / no / abstain")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        RANKING = "ranking", _("ranking")
        CANDIDATES = "candidates", _("candidate validation")
        ELECTION = "election", _("election of people")

    class State(models.TextChoices):
        # In their own context: a bare "closed" is another app's (and Django's) "close".
        DRAFT = "draft", pgettext_lazy("ballot state", "Prepared")
        OPEN = "open", pgettext_lazy("ballot state", "Open")
        CLOSED = "closed", pgettext_lazy("ballot state", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("ballot state", "Cancelled")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("simple majority (more yes than no)")
        ABSOLUTE = "absolute", _("absolute majority (more than half of votes cast)")
        TWO_THIRDS = "two_thirds", _("two-thirds majority (of yes and no)")

    TITLE_MAX_LENGTH = 300

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("sitting"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("agenda item"),
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("proposal"),
    )
    title = models.CharField(_("question"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.YES_NO)
    secret = models.BooleanField(_("secret ballot"), default=False)
    live_results = models.BooleanField(_("results shown live"), default=False)
    allow_change = models.BooleanField(_("voters may change their vote until close"), default=False)
    max_choices = models.PositiveSmallIntegerField(_("maximum number of choices"), default=1)
    majority = models.CharField(_("majority rule"), max_length=16, choices=Majority.choices, default=Majority.SIMPLE)
    double_majority = models.BooleanField(_("double majority (each college)"), default=False)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Snapshot at open: the quorum is measured when the electorate is fixed.
    members_count = models.PositiveIntegerField(_("members"), default=0)
    present_count = models.PositiveIntegerField(_("present"), default=0)
    represented_count = models.PositiveIntegerField(_("represented"), default=0)
    quorum_reached = models.BooleanField(_("quorum reached"), default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["sitting_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["draft", "open", "closed", "cancelled"]), name="ballot_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["yes_no", "single", "multiple", "ranking", "candidates", "election"]),
                name="ballot_kind_valid",
            ),
            # Changing a secret vote would need a link between the voter and the vote.
            models.CheckConstraint(condition=~(Q(secret=True) & Q(allow_change=True)), name="ballot_secret_no_change"),
            # Live counts of a secret ballot can be read off the screen in a quiet room.
            models.CheckConstraint(condition=~(Q(secret=True) & Q(live_results=True)), name="ballot_secret_no_live"),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="ballot_max_choices_positive"),
        ]
        indexes = [models.Index(fields=["sitting", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def assembly_id(self) -> int:
        return self.sitting.assembly_id


class BallotOption(models.Model):
    """An answer that can be chosen (or ranked, or a candidate to validate or to elect)."""

    LABEL_MAX_LENGTH = 200

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options", verbose_name=_("ballot"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=LABEL_MAX_LENGTH)
    # For yes/no/abstain ballots: "yes", "no" or "abstain"; for an election, the candidate's
    # college ("elected", "citizen"), which the choice check and the tally read; blank otherwise.
    code = models.CharField(_("code"), max_length=16, blank=True)
    # For an election: the member who stands (a member of the sitting's assembly when prepared).
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("candidate"),
    )

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["ballot_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="option_unique_position"),
            models.UniqueConstraint(
                fields=["ballot", "candidate"], condition=Q(candidate__isnull=False), name="option_unique_candidate"
            ),
        ]

    def __str__(self) -> str:
        return self.label
