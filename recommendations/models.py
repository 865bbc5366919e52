"""Recommendations to the Region, transmission dossiers and the Region's answers.

Every write goes through `recommendations.services`; invariants the database can hold are
constraints here. A recommendation keeps every version of its wording (RecommendationVersion);
its lineage (source proposals, key comments, partners' avis, ballots) is explicit data chosen
by staff, so an export says exactly what the assembly adopted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly.models import Assembly, Territory
from meetings.models import Sitting
from proposals.models import Comment, Opinion, Proposal, Theme
from votes.models import Ballot


class Recommendation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted by the assembly")
        TRANSMITTED = "transmitted", _("transmitted to the Region")
        ANSWERED = "answered", _("answered by the Region")

    class AdoptionMode(models.TextChoices):
        BALLOT = "ballot", _("by ballot")
        CONSENSUS = "consensus", _("by consensus")

    TITLE_MAX_LENGTH = 300
    TEXT_MAX_LENGTH = 20000
    POLICY_MAX_LENGTH = 300
    # Free texts with no column limit, bounded by the services (and the forms).
    REASON_MAX_LENGTH = 2000

    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("assembly")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"))
    policy = models.CharField(_("regional policy addressed"), max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, related_name="recommendations", blank=True, verbose_name=_("themes"))
    territories = models.ManyToManyField(
        Territory, related_name="recommendations", blank=True, verbose_name=_("territories concerned")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    adoption_mode = models.CharField(
        pgettext_lazy("recommendation", "adopted"), max_length=16, choices=AdoptionMode.choices, blank=True
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adoption_sitting = models.ForeignKey(
        Sitting, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sitting")
    )
    adoption_ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ballot")
    )
    key_comments = models.ManyToManyField(
        Comment, related_name="key_in_recommendations", blank=True, verbose_name=_("key comments")
    )
    key_opinions = models.ManyToManyField(
        Opinion, related_name="key_in_recommendations", blank=True, verbose_name=_("partners' opinions")
    )
    transmitted_on = models.DateField(_("transmitted on"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer expected by"), null=True, blank=True)
    last_reminder_on = models.DateField(_("last reminder"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("recommendation", "created"), default=timezone.now)
    updated_at = models.DateTimeField(pgettext_lazy("recommendation", "updated"), default=timezone.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["assembly_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "number"], name="recommendation_unique_number"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "adopted", "transmitted", "answered"]),
                name="recommendation_status_valid",
            ),
            # Adopted (or later) exactly when the mode and date of adoption are known.
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(adoption_mode="") & Q(adopted_on__isnull=True))
                | (~Q(status="draft") & Q(adoption_mode__in=["ballot", "consensus"]) & Q(adopted_on__isnull=False)),
                name="recommendation_adoption_complete",
            ),
            models.CheckConstraint(
                condition=~Q(adoption_mode="ballot") | Q(adoption_ballot__isnull=False),
                name="recommendation_ballot_mode_has_ballot",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "adopted"]) | Q(transmitted_on__isnull=False),
                name="recommendation_transmitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"R{self.number:03d}"


class RecommendationSource(models.Model):
    """A proposal a recommendation comes from, with the ballot that adopted it (when known)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="sources")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="recommendation_sources")
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("source proposal")
        verbose_name_plural = _("source proposals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "proposal"], name="recommendation_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} ← {self.proposal_id}"


class RecommendationVersion(models.Model):
    """The wording of a recommendation as it was before an edit made after adoption."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=Recommendation.TITLE_MAX_LENGTH)
    text = models.TextField(_("text"))
    policy = models.CharField(_("regional policy addressed"), max_length=300, blank=True)
    theme_names = models.JSONField(default=list, blank=True)
    territory_names = models.JSONField(default=list, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("why"))

    class Meta:
        verbose_name = _("recommendation version")
        verbose_name_plural = _("recommendation versions")
        ordering = ["recommendation_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "version"], name="recommendation_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} v{self.version}"


class Dossier(models.Model):
    """A "cahier de recommandations": adopted recommendations gathered for one transmission."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        TRANSMITTED = "transmitted", _("transmitted")

    TITLE_MAX_LENGTH = 300
    RECIPIENT_MAX_LENGTH = 300
    INTRODUCTION_MAX_LENGTH = 20000

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="dossiers")
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    recipient = models.CharField(_("recipient"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    answer_due_on = models.DateField(_("answer expected by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    transmitted_at = models.DateTimeField(_("transmitted at"), null=True, blank=True)
    transmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommendations = models.ManyToManyField(Recommendation, through="DossierItem", related_name="dossiers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(transmitted_at__isnull=True))
                | (Q(status="transmitted") & Q(transmitted_at__isnull=False)),
                name="dossier_transmitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"cahier-{self.date:%Y-%m-%d}-{self.pk}"


class DossierItem(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="dossier_items")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "recommendation"], name="dossier_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.recommendation_id}"


class RegionAnswer(models.Model):
    """The Region's answer to a transmitted recommendation; the latest one is the current status."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("partly accepted")
        NOT_ACCEPTED = "not_accepted", _("not accepted")
        UNDER_STUDY = "under_study", _("under study")

    TEXT_MAX_LENGTH = 20000
    REFERENCE_MAX_LENGTH = 300
    # The answers that still owe something and may say by when: the rest of a partly accepted
    # recommendation, the final answer to one under study. Accepted and not accepted are final.
    FOLLOW_UP_STATUSES = (Status.PARTLY_ACCEPTED, Status.UNDER_STUDY)

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    text = models.TextField(_("text"))
    answered_on = models.DateField(_("date of the answer"))
    reference = models.CharField(_("deliberation or policy reference"), max_length=300, blank=True)
    expected_on = models.DateField(_("final answer expected by"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Region's answer")
        verbose_name_plural = _("Region's answers")
        ordering = ["recommendation_id", "-answered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "partly_accepted", "not_accepted", "under_study"]),
                name="answer_status_valid",
            ),
            # Only an answer that has a follow-up carries its date (the service refuses the others on the field).
            models.CheckConstraint(
                condition=Q(expected_on__isnull=True) | Q(status__in=["partly_accepted", "under_study"]),
                name="answer_expected_on_needs_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.status}"

    @property
    def late(self) -> bool:
        """Whether the follow-up this answer promised is past its date (today, in the site's time zone)."""
        return self.expected_on is not None and self.expected_on < timezone.localdate()
