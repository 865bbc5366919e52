"""Admin of the proposals app: staff manage the theme list here; proposals are changed on the pages
(which go through the services and write the journal), so their life-cycle fields are read-only."""

from django.contrib import admin

from core.admin import StaffModelAdmin
from proposals.models import Comment, Opinion, Proposal, ProposalVersion, Report, Theme


@admin.register(Theme)
class ThemeAdmin(StaffModelAdmin):
    list_display = ["name", "slug", "is_priority", "is_active", "position"]
    list_editable = ["is_priority", "is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class VersionInline(admin.TabularInline):
    model = ProposalVersion
    extra = 0
    can_delete = False
    readonly_fields = ["edited_by", "edited_at", "reason", "title", "body", "theme_slugs"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(StaffModelAdmin):
    list_display = ["title", "kind", "status", "author", "territory", "support_count", "comment_count", "is_hidden"]
    list_filter = ["status", "kind", "is_hidden", "themes"]
    search_fields = ["title"]
    list_select_related = ["author", "territory"]
    inlines = [VersionInline]
    readonly_fields = [
        "assembly",
        "status",
        "author",
        "author_college",
        "merged_into",
        "published_at",
        "status_changed_at",
        "status_reason",
        "ballot_ref",
        "support_count",
        "comment_count",
        "opinion_count",
        "is_hidden",
        "hidden_reason",
        "hidden_at",
        "hidden_by",
        "body_html",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(StaffModelAdmin):
    list_display = ["proposal", "author", "created_at", "is_hidden"]
    list_filter = ["is_hidden"]
    list_select_related = ["proposal", "author"]
    raw_id_fields = ["proposal", "parent", "author", "hidden_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Opinion)
class OpinionAdmin(CommentAdmin):
    list_display = ["proposal", "organisation", "author", "created_at"]
    list_filter = []
    list_select_related = ["proposal", "organisation", "author"]
    raw_id_fields = ["proposal", "author"]


@admin.register(Report)
class ReportAdmin(StaffModelAdmin):
    list_display = ["id", "status", "reporter", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["proposal", "comment", "reporter", "resolved_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
