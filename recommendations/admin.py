from django.contrib import admin

from recommendations.models import Dossier, Recommendation, RecommendationVersion, RegionAnswer


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "adopted_on", "transmitted_on", "answer_due_on"]
    list_filter = ["status", "assembly"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Recommendation._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


admin.site.register(RecommendationVersion)
admin.site.register(RegionAnswer)
admin.site.register(Dossier)
