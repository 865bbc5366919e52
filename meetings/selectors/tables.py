"""Reads of workshop tables."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from assembly.models import User
from meetings.models import Sitting, TableContribution, TableSeat, WorkshopTable
from proposals.models import Theme


def tables_of(sitting: Sitting) -> QuerySet[WorkshopTable]:
    return (
        WorkshopTable.objects.filter(sitting=sitting)
        .select_related("rapporteur")
        .prefetch_related(
            Prefetch("seats", queryset=TableSeat.objects.select_related("user").order_by("user__last_name")),
            Prefetch("contributions", queryset=TableContribution.objects.select_related("proposal", "theme")),
        )
        .order_by("number")
    )


def table_of(sitting: Sitting, user: User) -> WorkshopTable | None:
    seat = TableSeat.objects.filter(sitting=sitting, user=user).select_related("table").first()
    return seat.table if seat else None


def priority_themes(sitting: Sitting) -> list[Theme]:
    """Themes given as priorities by the tables of SITTING, most cited first."""
    counts: dict[int, int] = {}
    for theme_id in TableContribution.objects.filter(
        table__sitting=sitting, kind=TableContribution.Kind.PRIORITY, theme__isnull=False
    ).values_list("theme_id", flat=True):
        counts[theme_id] = counts.get(theme_id, 0) + 1
    themes = {t.pk: t for t in Theme.objects.filter(pk__in=counts)}
    return sorted(themes.values(), key=lambda t: (-counts[t.pk], t.position, t.name))
