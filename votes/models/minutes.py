"""The minutes (procès-verbal) of a sitting, one row per version.

A version is either generated from the database (`votes.services.minutes_generate`: ODT and
PDF) or an ODT staff edited and uploaded (`minutes_upload_edited`: its PDF only if they upload
one too). The assembly adopts one version, usually at its next plenary (`minutes_adopt`):
adopted minutes are frozen (no new version for that sitting) and published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Sitting


class Minutes(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("minutes state", "draft")
        ADOPTED = "adopted", pgettext_lazy("minutes state", "adopted")

    class Origin(models.TextChoices):
        GENERATED = "generated", _("generated from the sitting's records")
        EDITED = "edited", _("edited by staff")

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("sitting"))
    version = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    odt = models.FileField(_("ODT file"), max_length=200)
    pdf = models.FileField(_("PDF file"), max_length=200, blank=True)
    # SHA-256 of the ODT: what was adopted can be checked against the file served.
    odt_sha256 = models.CharField(_("ODT fingerprint (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )

    class Meta:
        verbose_name = pgettext_lazy("official record of a sitting", "minutes")
        verbose_name_plural = pgettext_lazy("official record of a sitting", "minutes")
        ordering = ["sitting_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "version"], name="minutes_unique_version"),
            # A sitting has one procès-verbal: once a version is adopted, no other can be.
            models.UniqueConstraint(
                fields=["sitting"], condition=Q(state="adopted"), name="minutes_one_adopted_per_sitting"
            ),
            models.CheckConstraint(condition=Q(state__in=["draft", "adopted"]), name="minutes_state_valid"),
            models.CheckConstraint(condition=Q(origin__in=["generated", "edited"]), name="minutes_origin_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="minutes_version_positive"),
            # Adopted exactly when it says when and by whom.
            models.CheckConstraint(
                condition=(Q(state="adopted") & Q(adopted_at__isnull=False) & Q(adopted_by__isnull=False))
                | (Q(state="draft") & Q(adopted_at__isnull=True) & Q(adopted_by__isnull=True)),
                name="minutes_adoption_complete",
            ),
            # A generated version always has its PDF.
            models.CheckConstraint(condition=~Q(origin="generated", pdf=""), name="minutes_generated_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} — v{self.version}"

    @property
    def is_adopted(self) -> bool:
        return self.state == self.State.ADOPTED
