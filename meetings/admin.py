"""Admin of the meetings app for staff: every model, read-mostly where a service owns the change.

Changes that carry rules (attendance, proxies, registrations, table splits) go through the
pages and the API; the admin is for looking things up and fixing plain details:
- a sitting's quorum and proxy settings and its agenda are editable only while it is planned
  (and a quorum change goes through `sitting_configure`, which journals it);
- a meeting's capacity is editable only before the meeting day, never below the number of
  people registered;
- registrations, attendance and proxies are read-only; nothing that a service removes is
  deleted here.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyModelAdmin, StaffModelAdmin, StaffTabularInline
from meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    Meeting,
    MeetingDetails,
    MeetingDocument,
    Proxy,
    Registration,
    Sitting,
    SpeakerRequest,
    TableContribution,
    TableSeat,
    WorkshopTable,
)
from meetings.services import sittings as sitting_services


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


def _not_started(meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.date > timezone.localdate()


def _planned(sitting: Sitting | None) -> bool:
    return sitting is not None and sitting.state == Sitting.State.PLANNED


class MeetingDetailsForm(forms.ModelForm):
    class Meta:
        model = MeetingDetails
        fields = ["meeting", "start_time", "end_time", "capacity", "programme", "themes", "published", "summary"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        capacity = cleaned.get("capacity")
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        if (
            capacity is not None
            and meeting is not None
            and "capacity" in self.changed_data
            and Registration.objects.filter(meeting=meeting).count() > capacity
        ):
            self.add_error("capacity", _("More people are already registered than this capacity."))
        return cleaned


@admin.register(MeetingDetails)
class MeetingDetailsAdmin(StaffModelAdmin):
    form = MeetingDetailsForm
    list_display = ["meeting", "capacity", "published"]
    list_filter = ["published"]
    filter_horizontal = ["themes"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["meeting"] if _not_started(obj.meeting) else ["meeting", "capacity"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AgendaItemInline(StaffTabularInline):
    """The agenda of the sitting: editable while it is planned only; nobody deletes an item here."""

    model = AgendaItem

    def editable(self, parent: Sitting | None) -> bool:
        return _planned(parent)


SITTING_RULES = ["quorum_percent", "quorum_counts_proxies", "max_proxies_per_holder"]


@admin.register(Sitting)
class SittingAdmin(StaffModelAdmin):
    list_display = ["title", "meeting", "state", "starts_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    inlines = [AgendaItemInline]

    def get_readonly_fields(self, request, obj=None):
        # The speakers list's settings change at the desk (`speakers_configure`: its limits, its journal).
        fields = ["state", "opened_at", "closed_at", "partners_may_speak", "speaking_seconds"]
        if obj is not None:
            fields += ["meeting", "assembly"]
            if not _planned(obj):
                fields += SITTING_RULES
        return fields

    def save_model(self, request, obj, form, change) -> None:
        changed = [f for f in SITTING_RULES if f in form.changed_data]
        if not change or not changed:
            super().save_model(request, obj, form, change)
            return
        # The quorum and proxy rules change through the service (rules, lock, journal).
        wanted = {f: getattr(obj, f) for f in SITTING_RULES}
        stored = Sitting.objects.get(pk=obj.pk)
        for f in SITTING_RULES:
            setattr(obj, f, getattr(stored, f))
        super().save_model(request, obj, form, change)
        sitting_services.sitting_configure(by=request.user, sitting=obj, **wanted)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(StaffModelAdmin):
    list_display = ["title", "sitting", "position"]
    search_fields = ["title"]

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or _planned(obj.sitting))

    def has_add_permission(self, request) -> bool:
        return False  # through the sitting (planned) or the agenda pages

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # `agenda_item_remove` refuses items with ballots


@admin.register(Attendance)
class AttendanceAdmin(StaffModelAdmin):
    list_display = ["user", "sitting", "method", "checked_in_at", "checked_out_at"]
    list_filter = ["method"]
    search_fields = ["user__last_name", "user__email"]
    readonly_fields = ["sitting", "user", "method", "checked_in_at", "checked_out_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proxy)
class ProxyAdmin(StaffModelAdmin):
    list_display = ["giver", "holder", "sitting", "state", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["sitting", "giver", "holder", "state", "decided_at", "decided_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SpeakerRequest)
class SpeakerRequestAdmin(ReadOnlyModelAdmin):
    """The speakers list changes only in the live room (`meetings.services.speakers`)."""

    list_display = ["person", "agenda_item", "state", "position", "started_at", "ended_at"]
    list_filter = ["state"]
    search_fields = ["person__last_name", "agenda_item__title"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyModelAdmin):
    """Registering checks the capacity and the date: only through `registration_register`."""

    list_display = ["user", "meeting", "created_at", "reminded_at"]
    search_fields = ["user__last_name", "meeting__title"]


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
