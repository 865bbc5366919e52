"""The verdict of a closed ballot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from votes.models.ballots import Ballot


class Verdict(models.Model):
    """The result of a closed ballot, computed once at close and never changed."""

    class Outcome(models.TextChoices):
        # The subject is the text put to the vote (« le texte est adopté »), whatever the
        # catalogue of another app says of a proposal (« adoptée »): hence the context.
        ADOPTED = "adopted", pgettext_lazy("ballot outcome", "adopted")
        REJECTED = "rejected", pgettext_lazy("ballot outcome", "rejected")
        DECIDED = "decided", pgettext_lazy("ballot outcome", "decided")
        NO_QUORUM = "no_quorum", pgettext_lazy("ballot outcome", "quorum not reached")

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


class Proclamation(models.Model):
    """Staff proclaim the people an election ballot elected, once (`votes.services.election_proclaim`).

    `elected` lists {"person", "college", "option"}; the co-presidencies start from it.
    """

    ballot = models.OneToOneField(
        Ballot, on_delete=models.PROTECT, related_name="proclamation", verbose_name=_("ballot")
    )
    elected = models.JSONField(_("elected people"), default=list)
    proclaimed_at = models.DateTimeField(_("proclaimed at"), default=timezone.now)
    proclaimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proclaimed by")
    )

    class Meta:
        verbose_name = _("proclamation")
        verbose_name_plural = _("proclamations")

    def __str__(self) -> str:
        return f"{self.ballot}: {len(self.elected)}"
