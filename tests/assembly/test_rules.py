"""The assembly's named rules, across every role (one table, one test per cell)."""

from __future__ import annotations

import pytest

from assembly.selectors import roles_of
from tests import factories
from tests.shared.people import person_of

ROLES = ["anonymous", "partner", "member", "copresident", "former_member", "staff", "admin_user"]

# rule -> roles that hold it
EXPECTED = {
    "assembly.view_own_data": set(ROLES) - {"anonymous"},
    "assembly.manage_api_token": set(ROLES) - {"anonymous"},
    "assembly.view_composition": {"staff", "admin_user"},
    "assembly.view_members": {"staff", "admin_user"},
    "assembly.invite_member": {"staff", "admin_user"},
    "assembly.import_members": {"staff", "admin_user"},
    "assembly.start_mandate": {"staff", "admin_user"},
    "assembly.end_mandate": {"staff", "admin_user"},
    "assembly.erase_personal_data": {"staff", "admin_user"},
    "assembly.administer": {"admin_user"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_role_holds_exactly_its_assembly_rules(request, db, role, rule):
    assert person_of(request, role).has_perm(rule) is (role in EXPECTED[rule])


def test_rules_scoped_to_an_object_follow_its_assembly(member, assembly):
    other = factories.AssemblyFactory(slug="pmontagne", name="Parlement de la Montagne", short_name="PMontagne")
    assert member.has_perm("proposals.submit_proposal", assembly)
    assert not member.has_perm("proposals.submit_proposal", other)


def test_a_member_whose_mandate_ends_can_no_longer_act(staff, member):
    from assembly import services

    assert member.has_perm("proposals.submit_proposal")
    services.mandate_end(by=staff, mandate=member.mandates.get())
    # The mandate's end date is inclusive: they still act today, and no longer tomorrow.
    import datetime as dt

    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert roles_of(member, day=tomorrow).is_former_member
    assert not roles_of(member, day=tomorrow).is_member


def test_an_administrator_without_a_mandate_is_not_a_member(admin_user):
    assert not admin_user.has_perm("proposals.submit_proposal")
    # Django's own model permissions still all hold for administrators.
    assert admin_user.has_perm("assembly.delete_mandate")


def test_an_erased_person_holds_no_rule(staff, former_member):
    from assembly import services

    services.person_erase(by=staff, person=former_member)
    former_member.refresh_from_db()
    assert not former_member.has_perm("assembly.view_own_data")
