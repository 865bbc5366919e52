"""Admin of ballots and verdicts: read-mostly; every change that carries a rule goes through the services.

A ballot's settings (kind, secrecy, changes allowed, live results, majority, options) stay
editable only while it is prepared ("draft"); once opened it is read-only. Ballots are
created through the pages and the API (`ballot_create` checks them); nobody deletes a
ballot, an option or a verdict here (the vote rows and the verdict are the record).
"""

from django.contrib import admin

from core.admin import ReadOnlyModelAdmin, StaffModelAdmin, StaffTabularInline, is_staff
from votes.models import Ballot, BallotOption, Minutes, Proclamation, Verdict

ALWAYS_READ_ONLY = [
    "sitting",
    "state",
    "version",
    "created_at",
    "created_by",
    "opened_at",
    "closes_at",
    "closed_at",
    "members_count",
    "present_count",
    "represented_count",
    "quorum_reached",
]


def _is_draft(ballot: Ballot | None) -> bool:
    return ballot is not None and ballot.state == Ballot.State.DRAFT


class BallotOptionInline(StaffTabularInline):
    """Options of the ballot (OBJ below is the ballot): added, changed and deleted while it is prepared only."""

    model = BallotOption

    def editable(self, parent: Ballot | None) -> bool:
        return _is_draft(parent)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.editable(obj) and is_staff(request)


@admin.register(Ballot)
class BallotAdmin(StaffModelAdmin):
    list_display = ["title", "sitting", "kind", "secret", "state", "opened_at", "closed_at"]
    list_filter = ["state", "kind", "secret"]
    search_fields = ["title"]
    inlines = [BallotOptionInline]

    def get_readonly_fields(self, request, obj=None):
        if _is_draft(obj):
            return ALWAYS_READ_ONLY
        return [f.name for f in Ballot._meta.fields if f.name != "id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyModelAdmin):
    list_display = ["ballot", "outcome", "votes_cast", "electorate", "quorum_reached", "computed_at"]
    readonly_fields = [f.name for f in Verdict._meta.fields]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyModelAdmin):
    """Versions of the minutes: generated, uploaded and adopted through the minutes page only."""

    list_display = ["sitting", "version", "origin", "state", "created_at", "adopted_at"]
    list_filter = ["state", "origin"]
    readonly_fields = [f.name for f in Minutes._meta.fields]


@admin.register(Proclamation)
class ProclamationAdmin(ReadOnlyModelAdmin):
    """Written by `votes.services.election_proclaim` only (it starts the co-presidencies)."""

    list_display = ["ballot", "proclaimed_at", "proclaimed_by"]
    readonly_fields = [f.name for f in Proclamation._meta.fields]
