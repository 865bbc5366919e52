"""Workshop tables of a sitting: who sits where, the rapporteur, what the table produced.

Every write goes through `meetings.services.tables`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models.sittings import Sitting


class WorkshopTable(models.Model):
    """A table of 8–12 members in a workshop sitting, with a rapporteur who types for the table."""

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="workshop_tables", verbose_name=_("sitting")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporteur"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("workshop table")
        verbose_name_plural = _("workshop tables")
        ordering = ["sitting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "number"], name="workshop_table_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="workshop_table_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} — table {self.number}"

    @property
    def assembly_id(self) -> int:
        return self.sitting.assembly_id


class TableSeat(models.Model):
    """One person at one table; a person sits at one table per sitting (constraint)."""

    table = models.ForeignKey(WorkshopTable, on_delete=models.CASCADE, related_name="seats", verbose_name=_("table"))
    # Repeats the table's sitting so the database can hold "one table per person and sitting".
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="+", verbose_name=_("sitting"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="table_seats", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = pgettext_lazy("workshop table", "seats")
        ordering = ["table_id", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "user"], name="table_seat_one_per_sitting")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.table}"


class TableContribution(models.Model):
    """A priority or a proposal written by a table; the text lives in the proposal it became."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", _("priority")
        PROPOSAL = "proposal", _("proposal")

    table = models.ForeignKey(
        WorkshopTable, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("table")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="workshop_table", verbose_name=_("proposal")
    )
    theme = models.ForeignKey(
        "proposals.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("table contribution")
        verbose_name_plural = _("table contributions")
        ordering = ["table_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["priority", "proposal"]), name="table_contribution_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.table}"
