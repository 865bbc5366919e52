"""Recommendations in the admin: read-only. Their changes go through the pages and services, which keep
each version, the lineage and the Region's answers consistent and journaled."""

from django.contrib import admin

from core.admin import ReadOnlyModelAdmin
from recommendations.models import Dossier, Recommendation, RecommendationVersion, RegionAnswer


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "title", "status", "adopted_on", "transmitted_on", "answer_due_on"]
    list_filter = ["status", "assembly"]
    search_fields = ["title"]


@admin.register(RecommendationVersion)
class RecommendationVersionAdmin(ReadOnlyModelAdmin):
    pass


@admin.register(RegionAnswer)
class RegionAnswerAdmin(ReadOnlyModelAdmin):
    pass


@admin.register(Dossier)
class DossierAdmin(ReadOnlyModelAdmin):
    pass
