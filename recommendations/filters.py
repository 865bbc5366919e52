"""Filters of the public follow-up list, shared by the page and the API."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from assembly.models import Territory
from proposals.models import Theme
from recommendations.models import Recommendation, RegionAnswer

ANSWER_CHOICES = [("waiting", _("waiting for an answer")), *RegionAnswer.Status.choices]


class RecommendationFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), field_name="themes", label=_("Theme"), to_field_name="slug"
    )
    territory = django_filters.ModelChoiceFilter(
        queryset=Territory.objects.all(), field_name="territories", label=_("Territory"), to_field_name="slug"
    )
    # Bounded like a date's year: 0 or 99999 made the `year` lookup build an impossible date (a 500).
    year = django_filters.NumberFilter(
        field_name="adopted_on", lookup_expr="year", label=_("Year"), min_value=1, max_value=9999
    )
    answer = django_filters.ChoiceFilter(choices=ANSWER_CHOICES, method="filter_answer", label=_("Region's answer"))

    class Meta:
        model = Recommendation
        fields = ["theme", "territory", "year", "answer"]

    def filter_answer(self, queryset, name, value):
        if value == "waiting":
            return queryset.filter(answers__isnull=True)
        # The current answer is the latest one: compare with the newest answer's status.
        latest = RegionAnswer.objects.filter(recommendation=OuterRef("pk")).order_by("-answered_on", "-id")
        return queryset.annotate(current_status=Subquery(latest.values("status")[:1])).filter(current_status=value)
