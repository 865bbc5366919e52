"""The admin's base for Region staff: every app's ModelAdmin derives from `StaffModelAdmin`.

Rights follow the named rules, not Django's per-model permission rows: Region staff view,
add and change; only administrators delete. Everyday changes should still go through the
pages (which call the services and write the journal); the admin is the tool of last resort,
and every change made in it is written to the project's journal too (`core.audit`), in the
transaction of the change, next to Django's own admin log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core import audit
from core.models import AuditEvent

if TYPE_CHECKING:
    # ModelAdmin and TabularInline are generic in the stubs only (subscripting them at run time fails).
    _ModelAdmin = admin.ModelAdmin[Any]
    _TabularInline = admin.TabularInline[Any, Any]
else:
    _ModelAdmin = admin.ModelAdmin
    _TabularInline = admin.TabularInline


def is_staff(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("assembly.staff") or request.user.has_perm("assembly.administer"))


def is_admin(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("assembly.administer"))


def _audit(request: HttpRequest, obj: models.Model, verb: str, message: Any = None) -> None:
    opts = obj._meta
    data = {"admin": True}
    if message:
        data["change"] = message
    with transaction.atomic():  # joins the admin view's transaction; its own for the bulk delete action
        audit.record(
            actor=request.user,
            action=f"{opts.app_label}.{opts.model_name}_admin_{verb}",
            target=obj,
            data=data,
        )


class StaffModelAdmin(_ModelAdmin):
    """Region staff may view, add and change; only administrators may delete. Every change is journaled."""

    list_per_page = 50

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request)

    # Django calls these inside the transaction of the add or change form and of the list's
    # inline edits: the journal entry commits with the change.
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        _audit(request, obj, "add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        _audit(request, obj, "change", message)
        return super().log_change(request, obj, message)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _audit(request, obj, "delete")
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The "delete selected" action runs outside any transaction: journal and delete together.
        with transaction.atomic():
            for obj in queryset:
                _audit(request, obj, "delete")
            super().delete_queryset(request, queryset)


class StaffTabularInline(_TabularInline):
    """Rows edited under a `StaffModelAdmin` page: staff view them, and add and change them while
    `editable(parent)` holds (always, unless a subclass says otherwise). Nobody deletes them unless
    the subclass allows it in `has_delete_permission`.
    """

    extra = 0

    def editable(self, parent: Any) -> bool:
        """May rows be added and changed under PARENT (None on the parent's add page)?"""
        return True

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.editable(obj) and is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.editable(obj) and is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyModelAdmin(StaffModelAdmin):
    """Records nobody edits by hand (the journal): staff see them, nobody changes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "action", "actor", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id", "reason"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
