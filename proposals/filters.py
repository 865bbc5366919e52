"""Filters of the proposal list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from assembly.models import College, Departement, Territory
from proposals.models import Proposal, Theme
from proposals.selectors import search

ORDERINGS = {
    "newest": ("-published_at", "-id"),
    "supported": ("-support_count", "-published_at", "-id"),
    "discussed": ("-comment_count", "-published_at", "-id"),
}


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class ThemeSlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Themes by slug (?theme=mobilite&theme=sante)."""


@extend_schema_field(OpenApiTypes.BOOL)
class OpinionFilter(django_filters.BooleanFilter):
    pass


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    theme = ThemeSlugsFilter(
        label=_("Theme"), field_name="themes__slug", to_field_name="slug", queryset=Theme.objects.all(), distinct=True
    )
    territory = django_filters.ModelChoiceFilter(label=_("Territory"), queryset=Territory.objects.all())
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"), field_name="territory__departement", queryset=Departement.objects.all()
    )
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("proposal", "Status"),
        choices=[c for c in Proposal.Status.choices if c[0] != Proposal.Status.DRAFT],
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Proposal.Kind.choices)
    college = django_filters.ChoiceFilter(
        label=_("Author's college"), field_name="author_college", choices=College.choices
    )
    has_opinion = OpinionFilter(label=_("With a partner's opinion"), method="filter_has_opinion")
    published_after = django_filters.DateFilter(
        label=_("Published from"), field_name="published_at", lookup_expr="date__gte"
    )
    published_before = django_filters.DateFilter(
        label=_("Published until"), field_name="published_at", lookup_expr="date__lte"
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order by"),
        choices=[("newest", _("newest")), ("supported", _("most supported")), ("discussed", _("most discussed"))],
        method="filter_ordering",
        empty_label=None,
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)

    def filter_has_opinion(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(opinion_count__gt=0) if value else queryset.filter(opinion_count=0)

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["newest"]))
