"""Ballots, their electorate and sign-in sheet, the votes themselves, and verdicts.

Secrecy, by construction:
- `VoterRoll` is the sign-in sheet ("émargement") and the electorate snapshot at once: one row
  per elector, all created when the ballot opens (in member order), later only flipped to
  `has_voted`. It records THAT someone voted, never WHAT, and carries no time.
- `Vote` is the ballot paper. On a secret ballot it has no link to a person: random UUID
  primary key, no elector, no timestamp, rows read in primary-key (random) order. The only
  attribute kept is the college, when a double majority needs it.
- The roll row and the vote row are written in one transaction; the roll's compare-and-set
  (`has_voted` false → true) and the unique `vote_id` are what prevent double counting.
- Secret ballots never allow changing one's vote (a change would need the link we refuse
  to keep): enforced by the `ballot_secret_no_change` constraint.
- Secret ballots never show results live (in a quiet room, a count that moves after one
  vote reveals it): enforced by the `ballot_secret_no_live` constraint; counts of a secret
  ballot are shown only once it is closed.

Version: `Ballot.version` counts state changes (open, extend, close, cancel) and is bumped
under the ballot row lock; the version clients see (`selectors.ballot_version`) is
`Ballot.version + number of Vote rows` (superseded rows included), which grows with every
change without locking the ballot row per vote.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Sitting

# ---------------------------------------------------------------------------------------------
# Ballots
# ---------------------------------------------------------------------------------------------


class Ballot(models.Model):
    """One question put to the vote during a sitting."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("yes / no / abstain")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        RANKING = "ranking", _("ranking")
        CANDIDATES = "candidates", _("candidate validation")

    class State(models.TextChoices):
        DRAFT = "draft", _("prepared")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("simple majority (more yes than no)")
        ABSOLUTE = "absolute", _("absolute majority (more than half of votes cast)")
        TWO_THIRDS = "two_thirds", _("two-thirds majority (of yes and no)")

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
    title = models.CharField(_("question"), max_length=300)
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
                condition=Q(kind__in=["yes_no", "single", "multiple", "ranking", "candidates"]),
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
    """An answer that can be chosen (or ranked, or a candidate to validate)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options", verbose_name=_("ballot"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=200)
    # For yes/no/abstain ballots: "yes", "no" or "abstain"; blank otherwise.
    code = models.CharField(_("code"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["ballot_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="option_unique_position"),
        ]

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------------------------------------
# Electorate and sign-in sheet
# ---------------------------------------------------------------------------------------------


class VoterRoll(models.Model):
    """One elector of a ballot: the electorate snapshot at open and the sign-in sheet ("émargement").

    `holder` is the member who holds the elector's proxy at open (None: the elector votes in
    person). `has_voted` is flipped once, by compare-and-set, in the transaction that stores
    the vote. No timestamp on purpose (see the module docstring).
    """

    # No index of its own: `roll_one_per_member` (ballot, member) serves every lookup by ballot
    # (one index less to fill for each elector when a ballot opens).
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="roll", verbose_name=_("ballot"), db_index=False
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proxy holder"),
    )
    college = models.CharField(_("college"), max_length=16)
    gender = models.CharField(_("gender"), max_length=8)
    departement = models.CharField(_("département"), max_length=3)
    has_voted = models.BooleanField(_("has voted"), default=False)
    voted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("voter roll")
        ordering = ["ballot_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="roll_one_per_member"),
            models.CheckConstraint(condition=~Q(holder=models.F("member")), name="roll_holder_not_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.ballot_id}"


# ---------------------------------------------------------------------------------------------
# Votes
# ---------------------------------------------------------------------------------------------


class Vote(models.Model):
    """One ballot paper.

    `vote_id` is generated by the client and unique: a replay of the same id is recognised
    and never counted twice. On a named ballot `elector` says whose vote it is; on a secret
    ballot it is NULL and nothing else links the row to a person. A changed vote (named
    ballots that allow it) keeps its old row, marked `superseded`, so that a late replay of
    the old vote_id is still recognised; only current rows are counted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes", verbose_name=_("ballot"))
    vote_id = models.UUIDField(_("client vote id"), unique=True)
    choice = models.JSONField(_("choice"))
    elector = models.ForeignKey(
        VoterRoll,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("elector (named ballots only)"),
    )
    # Kept on secret ballots only when a double majority needs it.
    college = models.CharField(_("college"), max_length=16, blank=True)
    superseded = models.BooleanField(_("superseded"), default=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        # Random order: reading a secret ballot's rows never reveals the order of casting.
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "elector"],
                condition=Q(elector__isnull=False, superseded=False),
                name="vote_one_current_per_elector",
            ),
        ]
        indexes = [models.Index(fields=["ballot", "superseded"])]

    def __str__(self) -> str:
        return str(self.id)


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


class Verdict(models.Model):
    """The result of a closed ballot, computed once at close and never changed."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("rejected")
        DECIDED = "decided", _("decided")
        NO_QUORUM = "no_quorum", _("quorum not reached")

    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="verdict", verbose_name=_("ballot"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    majority = models.CharField(_("majority rule"), max_length=16)
    double_majority = models.BooleanField(_("double majority"), default=False)
    members_count = models.PositiveIntegerField(_("members"))
    present_count = models.PositiveIntegerField(_("present"))
    represented_count = models.PositiveIntegerField(_("represented"))
    quorum_reached = models.BooleanField(_("quorum reached"))
    electorate = models.PositiveIntegerField(_("electorate"))
    votes_cast = models.PositiveIntegerField(_("votes cast"))
    counts = models.JSONField(_("counts"), default=dict)
    results = models.JSONField(_("results"), default=dict)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self) -> str:
        return f"{self.ballot}: {self.outcome}"

    @property
    def adopted(self) -> bool:
        return self.outcome == self.Outcome.ADOPTED
