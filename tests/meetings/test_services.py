"""Meetings services: sittings, agenda, check-in by QR token, proxies, quorum."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditEvent
from meetings.models import Meeting, Proxy, Sitting
from meetings.selectors import sittings as selectors
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services
from meetings.services import sittings as services
from tests import factories
from tests.shared.errors import code_of


def test_staff_create_meeting_sitting_and_agenda(staff, assembly):
    meeting = services.meeting_create(
        by=staff, assembly=assembly, kind="plenary", title="Plénière de printemps", date=timezone.localdate()
    )
    sitting = services.sitting_create(by=staff, meeting=meeting)
    assert sitting.assembly_id == assembly.pk and sitting.state == Sitting.State.PLANNED
    first = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Mobilités")
    second = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Santé")
    assert (first.position, second.position) == (1, 2)
    services.sitting_open(by=staff, sitting=sitting)
    assert code_of(lambda: services.sitting_open(by=staff, sitting=sitting)) == "sitting_not_planned"
    assert AuditEvent.objects.filter(action="meetings.sitting_open").count() == 1


def test_field_meeting_needs_a_territory(staff, assembly):
    assert (
        code_of(
            lambda: services.meeting_create(
                by=staff, assembly=assembly, kind="field", title="x", date=timezone.localdate()
            )
        )
        == "invalid"
    )
    assert not Meeting.objects.exists()


def test_member_cannot_create_meeting(member, assembly):
    assert (
        code_of(
            lambda: services.meeting_create(
                by=member, assembly=assembly, kind="plenary", title="x", date=timezone.localdate()
            )
        )
        == "forbidden"
    )


def test_check_in_with_qr_token_then_out(member, sitting):
    token = attendance_services.checkin_token(sitting=sitting)
    attendance_services.attendance_check_in(user=member, token=token)
    assert selectors.is_present(sitting=sitting, user=member)
    attendance_services.attendance_check_out(by=member, sitting=sitting, user=member)
    assert not selectors.is_present(sitting=sitting, user=member)
    attendance_services.attendance_check_in(user=member, token=token)  # back in the room
    assert selectors.is_present(sitting=sitting, user=member)


def test_expired_or_forged_token_is_refused(member, sitting):
    token = attendance_services.checkin_token(sitting=sitting)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert code_of(lambda: attendance_services.attendance_check_in(user=member, token=token)) == "token_expired"
    assert code_of(lambda: attendance_services.attendance_check_in(user=member, token=token + "x")) == "token_invalid"
    assert not selectors.is_present(sitting=sitting, user=member)


def test_staff_and_outsiders_do_not_check_in(staff, sitting, db):
    token = attendance_services.checkin_token(sitting=sitting)
    assert code_of(lambda: attendance_services.attendance_check_in(user=staff, token=token)) == "forbidden"
    outsider = factories.MandateFactory(
        assembly=factories.AssemblyFactory(slug="pdm", name="Parlement de la Mer", short_name="PdM")
    ).user
    assert code_of(lambda: attendance_services.attendance_check_in(user=outsider, token=token)) == "forbidden"


def test_partner_may_check_in_but_never_counts(partner, sitting, staff):
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=partner)
    assert selectors.quorum(sitting).present == 0


def test_proxy_flow_and_lapse_on_check_in(assembly, sitting, staff):
    giver, holder = (factories.MandateFactory(assembly=assembly).user for _ in range(2))
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=holder)
    proxy = proxy_services.proxy_give(by=giver, sitting=sitting, giver=giver, holder=holder)
    assert proxy.state == Proxy.State.PENDING
    assert selectors.quorum(sitting).represented == 0
    proxy_services.proxy_validate(by=staff, proxy=proxy)
    q = selectors.quorum(sitting)
    assert (q.members, q.present, q.represented, q.reached) == (2, 1, 1, True)
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=giver)
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.LAPSED
    assert selectors.quorum(sitting).represented == 0


def test_one_live_proxy_per_giver_and_limit_per_holder(assembly, sitting, staff):
    giver1, giver2, holder, other = (factories.MandateFactory(assembly=assembly).user for _ in range(4))
    proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver1, holder=holder)
    assert (
        code_of(lambda: proxy_services.proxy_give(by=giver1, sitting=sitting, giver=giver1, holder=other))
        == "proxy_exists"
    )
    pending = proxy_services.proxy_give(by=giver2, sitting=sitting, giver=giver2, holder=holder)
    assert code_of(lambda: proxy_services.proxy_validate(by=staff, proxy=pending)) == "holder_full"
    services.sitting_configure(
        by=staff, sitting=sitting, quorum_percent=50, quorum_counts_proxies=True, max_proxies_per_holder=2
    )
    proxy_services.proxy_validate(by=staff, proxy=pending)


def test_bad_proxies_are_refused(assembly, sitting, staff, partner, member):
    other = factories.MandateFactory(assembly=assembly).user
    assert (
        code_of(lambda: proxy_services.proxy_give(by=member, sitting=sitting, giver=member, holder=member)) == "invalid"
    )
    assert (
        code_of(lambda: proxy_services.proxy_give(by=member, sitting=sitting, giver=member, holder=partner))
        == "invalid"
    )
    assert (
        code_of(lambda: proxy_services.proxy_give(by=partner, sitting=sitting, giver=partner, holder=member))
        == "forbidden"
    )
    assert (
        code_of(lambda: proxy_services.proxy_give(by=other, sitting=sitting, giver=member, holder=other)) == "forbidden"
    )
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    assert (
        code_of(lambda: proxy_services.proxy_give(by=member, sitting=sitting, giver=member, holder=other))
        == "giver_present"
    )
    assert not Proxy.objects.exists()


def test_refuse_and_withdraw(assembly, sitting, staff):
    giver, holder = (factories.MandateFactory(assembly=assembly).user for _ in range(2))
    proxy = proxy_services.proxy_give(by=giver, sitting=sitting, giver=giver, holder=holder)
    proxy_services.proxy_refuse(by=staff, proxy=proxy, reason="signature manquante")
    assert code_of(lambda: proxy_services.proxy_withdraw(by=giver, proxy=proxy)) == "proxy_not_live"
    again = proxy_services.proxy_give(by=giver, sitting=sitting, giver=giver, holder=holder)
    assert code_of(lambda: proxy_services.proxy_withdraw(by=holder, proxy=again)) == "forbidden"
    proxy_services.proxy_withdraw(by=giver, proxy=again)


@pytest.mark.parametrize("members,present,percent,reached", [(10, 5, 50, False), (10, 6, 50, True), (3, 1, 30, True)])
def test_quorum_is_more_than_the_share(assembly, staff, members, present, percent, reached):
    sitting = factories.SittingFactory(meeting__assembly=assembly, quorum_percent=percent)
    people = [factories.MandateFactory(assembly=assembly).user for _ in range(members)]
    for person in people[:present]:
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=person)
    assert selectors.quorum(sitting).reached is reached


def test_staff_with_a_mandate_never_counts(assembly, sitting, staff):
    factories.MandateFactory(assembly=assembly, user=staff)
    assert selectors.quorum(sitting).members == 0


def test_quorum_counts_the_same_people_as_the_electorate(assembly, sitting, staff, partner):
    """`quorum` counts from ids only; it must agree with `electorate`, which builds every elector."""
    present, holder, gone_holder, giver, giver_of_gone, absent = (
        factories.MandateFactory(assembly=assembly).user for _ in range(6)
    )
    for user in (present, holder, gone_holder, partner):
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
    for who, to in ((giver, holder), (giver_of_gone, gone_holder)):
        proxy_services.proxy_validate(
            by=staff, proxy=proxy_services.proxy_give(by=who, sitting=sitting, giver=who, holder=to)
        )
    attendance_services.attendance_check_out(
        by=staff, sitting=sitting, user=gone_holder
    )  # their proxy no longer counts
    entries = selectors.electorate(sitting)
    q = selectors.quorum(sitting)
    represented = sum(1 for e in entries if e.holder_id is not None)
    assert (q.present, q.represented) == (len(entries) - represented, represented) == (2, 1)
    assert q.members == 6 and absent.pk not in {e.user_id for e in entries}
