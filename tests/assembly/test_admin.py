"""Admin for staff: staff view, add and change; only administrators delete; the journal is read-only."""

from __future__ import annotations

import pytest
from django.contrib import admin

from assembly.models import (
    Assembly,
    Departement,
    Mandate,
    PartnerOrganisation,
    PartnerRepresentative,
    SignInLink,
    Territory,
    User,
)
from core.admin import StaffModelAdmin
from core.models import AuditEvent
from tests import factories

MODELS = [
    User,
    Departement,
    Territory,
    Assembly,
    Mandate,
    PartnerOrganisation,
    PartnerRepresentative,
    SignInLink,
    AuditEvent,
]


def test_every_assembly_model_is_registered_with_the_staff_base():
    for model in MODELS:
        assert isinstance(admin.site._registry[model], StaffModelAdmin), model


@pytest.mark.parametrize("model", [m for m in MODELS if m is not AuditEvent], ids=lambda m: m.__name__)
def test_staff_can_open_every_list(staff_client, member, model):
    url = f"/admin/assembly/{model._meta.model_name}/"
    assert staff_client.get(url).status_code == 200


def test_staff_change_but_do_not_delete_and_admins_delete(staff, admin_user, rf):
    model_admin = admin.site._registry[Territory]
    territory = factories.TerritoryFactory()
    for user, can_delete in ((staff, False), (admin_user, True)):
        request = rf.get("/admin/")
        request.user = user
        assert model_admin.has_view_permission(request, territory)
        assert model_admin.has_change_permission(request, territory)
        assert model_admin.has_delete_permission(request, territory) is can_delete


def test_the_journal_is_read_only_even_for_admins(admin_client, admin_user, rf):
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/admin/")
    request.user = admin_user
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert admin_client.get("/admin/core/auditevent/").status_code == 200


@pytest.mark.parametrize("client_name", ["member_client", "partner_client", "copresident_client"])
def test_non_staff_cannot_enter_the_admin(request, client_name):
    response = request.getfixturevalue(client_name).get("/admin/assembly/mandate/")
    assert response.status_code == 302


def test_staff_cannot_grant_staff_rights(staff_client, member):
    staff_client.post(
        f"/admin/assembly/user/{member.pk}/change/",
        {
            "email": member.email,
            "first_name": "X",
            "last_name": "Y",
            "language": "fr",
            "is_active": "on",
            "is_staff": "on",
            "mandates-TOTAL_FORMS": "0",
            "mandates-INITIAL_FORMS": "0",
        },
    )
    member.refresh_from_db()
    assert not member.is_staff


def test_a_change_made_in_the_admin_is_written_to_the_journal_with_who_and_what(staff, staff_client):
    departement = factories.DepartementFactory()
    response = staff_client.post(
        f"/admin/assembly/departement/{departement.pk}/change/", {"code": departement.code, "name": "Essai renommé"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="assembly.departement_admin_change")
    assert event.actor == staff
    assert event.target_id == str(departement.pk)
    assert event.data["admin"] is True
    assert event.data["change"] == [{"changed": {"fields": ["Name"]}}]


def test_an_addition_in_the_admin_is_journaled(staff, staff_client):
    response = staff_client.post("/admin/assembly/departement/add/", {"code": "97", "name": "Nouveau"})
    assert response.status_code == 302
    created = Departement.objects.get(code="97")
    assert AuditEvent.objects.filter(
        action="assembly.departement_admin_add", actor=staff, target_id=str(created.pk)
    ).exists()


def test_a_bulk_delete_in_the_admin_journals_each_row_in_the_transaction_of_the_delete(admin_user, admin_client):
    doomed = [Departement.objects.create(code=f"9{i}", name=f"Essai {i}") for i in range(2)]
    response = admin_client.post(
        "/admin/assembly/departement/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Departement.objects.filter(pk__in=[d.pk for d in doomed]).exists()
    events = AuditEvent.objects.filter(action="assembly.departement_admin_delete", actor=admin_user)
    assert sorted(events.values_list("target_id", flat=True)) == sorted(str(d.pk) for d in doomed)


def test_every_project_model_in_the_admin_uses_the_journaling_staff_base():
    project_apps = {"core", "assembly", "proposals", "meetings", "votes", "questionnaires", "recommendations"}
    registered = [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in project_apps]
    assert len(registered) > 20
    for model, model_admin in registered:
        assert isinstance(model_admin, StaffModelAdmin), model
