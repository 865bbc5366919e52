"""Admin of the meetings app for staff: every model, read-mostly where a service owns the change.

Changes that carry rules (attendance, proxies, registrations, table splits) go through the
pages and the API; the admin is for looking things up and fixing plain details.
"""

from django.contrib import admin

from assembly.admin import StaffModelAdmin
from meetings.models import AgendaItem, Attendance, Meeting, Proxy, Sitting
from meetings.models_calendar import CalendarFeedToken, MeetingDetails, MeetingDocument, Registration
from meetings.models_tables import TableContribution, TableSeat, WorkshopTable


class SittingInline(admin.TabularInline):
    model = Sitting
    extra = 0
    fields = ["title", "starts_at", "state"]
    readonly_fields = ["state"]
    show_change_link = True


class MeetingDocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    fields = ["kind", "title", "file", "content_type", "size"]
    readonly_fields = ["file", "content_type", "size"]


@admin.register(Meeting)
class MeetingAdmin(StaffModelAdmin):
    list_display = ["title", "kind", "date", "place", "territory", "assembly"]
    list_filter = ["kind", "assembly"]
    search_fields = ["title", "place"]
    date_hierarchy = "date"
    inlines = [SittingInline, MeetingDocumentInline]


@admin.register(MeetingDetails)
class MeetingDetailsAdmin(StaffModelAdmin):
    list_display = ["meeting", "capacity", "published"]
    list_filter = ["published"]
    filter_horizontal = ["themes"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Sitting)
class SittingAdmin(StaffModelAdmin):
    list_display = ["title", "meeting", "state", "starts_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    readonly_fields = ["state"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(StaffModelAdmin):
    list_display = ["title", "sitting", "position"]
    search_fields = ["title"]


@admin.register(Attendance)
class AttendanceAdmin(StaffModelAdmin):
    list_display = ["user", "sitting", "method", "checked_in_at", "checked_out_at"]
    list_filter = ["method"]
    search_fields = ["user__last_name", "user__email"]
    readonly_fields = ["sitting", "user", "method", "checked_in_at", "checked_out_at"]


@admin.register(Proxy)
class ProxyAdmin(StaffModelAdmin):
    list_display = ["giver", "holder", "sitting", "state", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["sitting", "giver", "holder", "state", "decided_at", "decided_by"]


@admin.register(Registration)
class RegistrationAdmin(StaffModelAdmin):
    list_display = ["user", "meeting", "created_at", "reminded_at"]
    search_fields = ["user__last_name", "meeting__title"]
    readonly_fields = ["reminded_at"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(StaffModelAdmin):
    list_display = ["title", "meeting", "kind", "content_type", "size", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["file", "content_type", "size", "uploaded_by"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(StaffModelAdmin):
    list_display = ["user", "created_at"]
    # The token is a secret address: never shown.
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]


class TableSeatInline(admin.TabularInline):
    model = TableSeat
    extra = 0
    readonly_fields = ["user", "sitting"]


@admin.register(WorkshopTable)
class WorkshopTableAdmin(StaffModelAdmin):
    list_display = ["sitting", "number", "rapporteur"]
    readonly_fields = ["sitting", "number"]
    inlines = [TableSeatInline]


@admin.register(TableSeat)
class TableSeatAdmin(StaffModelAdmin):
    list_display = ["user", "table", "sitting"]
    readonly_fields = ["table", "sitting", "user"]


@admin.register(TableContribution)
class TableContributionAdmin(StaffModelAdmin):
    list_display = ["table", "kind", "proposal", "theme", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["table", "kind", "proposal", "created_by"]
