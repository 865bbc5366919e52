"""Admin of ballots and verdicts: read-mostly; every change goes through the services."""

from django.contrib import admin

from votes.models import Ballot, BallotOption, Verdict


class BallotOptionInline(admin.TabularInline):
    model = BallotOption
    extra = 0


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["title", "sitting", "kind", "secret", "state", "opened_at", "closed_at"]
    list_filter = ["state", "kind", "secret"]
    search_fields = ["title"]
    inlines = [BallotOptionInline]
    readonly_fields = [
        "state",
        "version",
        "opened_at",
        "closes_at",
        "closed_at",
        "members_count",
        "present_count",
        "represented_count",
        "quorum_reached",
    ]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["ballot", "outcome", "votes_cast", "electorate", "quorum_reached", "computed_at"]
    readonly_fields = [f.name for f in Verdict._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
