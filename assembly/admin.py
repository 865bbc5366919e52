"""The admin of the assembly's records (people, mandates, territories, partners, the journal).

Its base, `core.admin.StaffModelAdmin`, sets who may do what and journals every change.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assembly.models import (
    Assembly,
    Copresidency,
    Departement,
    Mandate,
    PartnerOrganisation,
    PartnerRepresentative,
    SignInLink,
    Territory,
    User,
)
from core.admin import ReadOnlyModelAdmin, StaffModelAdmin, StaffTabularInline, is_admin

admin.site.site_header = _("Agora administration")
admin.site.site_title = _("Agora administration")
admin.site.index_title = _("Records")


class MandateInline(StaffTabularInline):
    model = Mandate
    fk_name = "user"
    fields = ["assembly", "territory", "college", "gender", "title", "start_date", "end_date", "is_copresident"]
    autocomplete_fields = ["territory"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_admin(request)


@admin.register(User)
class UserAdmin(StaffModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "erased_at"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["last_name", "first_name"]
    fields = [
        "email",
        "first_name",
        "last_name",
        "phone",
        "language",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
        "erased_at",
    ]
    readonly_fields = ["date_joined", "last_login", "erased_at"]
    inlines = [MandateInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_admin(request):
            # Only administrators hand out staff or admin rights.
            fields += ["is_staff", "is_superuser"]
        return fields


@admin.register(Departement)
class DepartementAdmin(StaffModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Territory)
class TerritoryAdmin(StaffModelAdmin):
    list_display = ["name", "kind", "departement", "seats"]
    list_filter = ["kind", "departement"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Assembly)
class AssemblyAdmin(StaffModelAdmin):
    list_display = ["name", "short_name", "mandate_start", "mandate_end"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["territories"]


@admin.register(Mandate)
class MandateAdmin(StaffModelAdmin):
    list_display = ["user", "assembly", "territory", "college", "gender", "title", "start_date", "end_date"]
    list_filter = ["assembly", "college", "gender", "is_copresident", "territory__departement"]
    search_fields = ["user__email", "user__last_name", "title", "territory__name"]
    list_select_related = ["user", "assembly", "territory"]
    autocomplete_fields = ["user", "territory"]
    date_hierarchy = "start_date"


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(StaffModelAdmin):
    list_display = ["name", "kind", "departement", "assembly"]
    list_filter = ["kind", "assembly"]
    search_fields = ["name"]


@admin.register(PartnerRepresentative)
class PartnerRepresentativeAdmin(StaffModelAdmin):
    list_display = ["user", "organisation", "start_date", "end_date"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user"]


@admin.register(SignInLink)
class SignInLinkAdmin(StaffModelAdmin):
    """Only hashes are stored: staff can see who got a link and revoke it (admins), not use it."""

    list_display = ["user", "purpose", "created_at", "expires_at", "used_at"]
    list_filter = ["purpose"]
    readonly_fields = ["user", "token_hash", "purpose", "created_at", "expires_at", "used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Copresidency)
class CopresidencyAdmin(ReadOnlyModelAdmin):
    """Started by `assembly.services.copresidency_replace` (an election proclaimed), never by hand here."""

    list_display = ["person", "assembly", "college", "started_on", "ended_on", "ballot_ref"]
    list_filter = ["assembly", "college"]
    readonly_fields = [f.name for f in Copresidency._meta.fields]
