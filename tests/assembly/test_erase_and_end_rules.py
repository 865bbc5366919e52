"""Who can be erased and which mandates can be ended: decided by the rule and a selector, and the
member page follows them (it never offers a form the service would then refuse)."""

from __future__ import annotations

import pytest

from assembly import services
from assembly.selectors import can_end_mandate, erase_blocker, mandates_of
from core.errors import Conflict
from tests import factories

ERASE = "assembly.erase_personal_data"


def test_staff_may_erase_a_former_member_with_no_running_role(staff, former_member):
    assert erase_blocker(former_member) is None
    assert staff.has_perm(ERASE, former_member)


def test_a_running_partner_role_blocks_erasure_in_the_rule_and_the_service(staff, former_member, assembly):
    factories.PartnerRepresentativeFactory(user=former_member, organisation__assembly=assembly)
    assert erase_blocker(former_member) == "partner_active"
    assert not staff.has_perm(ERASE, former_member)
    with pytest.raises(Conflict) as error:
        services.person_erase(by=staff, person=former_member)
    assert error.value.code == "partner_active"


def test_a_staff_account_cannot_be_erased(staff, admin_user):
    other_staff = factories.UserFactory(is_staff=True)
    assert erase_blocker(other_staff) == "staff"
    assert not admin_user.has_perm(ERASE, other_staff)
    assert not staff.has_perm(ERASE, staff)


def test_a_running_mandate_and_an_erased_person_block_erasure(staff, member, former_member):
    assert erase_blocker(member) == "mandate_active"
    assert not staff.has_perm(ERASE, member)
    services.person_erase(by=staff, person=former_member)
    former_member.refresh_from_db()
    assert erase_blocker(former_member) == "already_erased"
    assert not staff.has_perm(ERASE, former_member)


def test_only_staff_hold_the_erase_rule(member, partner, former_member):
    for person in (member, partner):
        assert not person.has_perm(ERASE, former_member)


def _page(client, person) -> str:
    response = client.get(f"/membres/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_member_page_hides_the_erase_form_for_a_partner_representative(staff_client, former_member, assembly):
    assert 'value="erase"' in _page(staff_client, former_member)
    factories.PartnerRepresentativeFactory(user=former_member, organisation__assembly=assembly)
    assert 'value="erase"' not in _page(staff_client, former_member)


def test_the_member_page_hides_the_erase_form_for_a_staff_account(staff_client):
    colleague = factories.UserFactory(is_staff=True)
    assert 'value="erase"' not in _page(staff_client, colleague)


def test_mandates_that_can_be_ended_are_those_still_running(staff_client, assembly, former_member):
    running = factories.MandateFactory(user=former_member, assembly=assembly)
    ended = former_member.mandates.exclude(pk=running.pk).get()
    assert can_end_mandate(running) and not can_end_mandate(ended)
    assert {m.pk: m.can_end for m in mandates_of(former_member)} == {running.pk: True, ended.pk: False}
    html = _page(staff_client, former_member)
    assert f'name="mandate" value="{running.pk}"' in html
    assert f'name="mandate" value="{ended.pk}"' not in html
