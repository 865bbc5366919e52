"""assembly/roles_sql.py's statement answers what the ORM answers, on random mandates and partner
roles around the day asked (the last day of a period, the day after, periods not yet started),
on the suite's database (SQLite; PostgreSQL when DATABASE_URL names it)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from assembly.models import Mandate, PartnerRepresentative, not_ended_q
from assembly.roles_sql import MANDATE, PARTNER, role_rows
from assembly.selectors import roles_of
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 4)


def _orm_rows(user_id: int, day: dt.date) -> list[tuple[int, int, bool, bool, bool]]:
    """The same rows through the ORM and the model's own date rule (`not_ended_q`)."""
    rows = []
    for m in Mandate.objects.filter(user_id=user_id):
        mine = Mandate.objects.filter(pk=m.pk)
        started, not_ended = mine.filter(start_date__lte=day).exists(), mine.filter(not_ended_q(day)).exists()
        rows.append((MANDATE, m.assembly_id, m.is_copresident, started, not_ended))
    for r in PartnerRepresentative.objects.filter(user_id=user_id).select_related("organisation"):
        mine = PartnerRepresentative.objects.filter(pk=r.pk)
        started, not_ended = mine.filter(start_date__lte=day).exists(), mine.filter(not_ended_q(day)).exists()
        rows.append((PARTNER, r.organisation.assembly_id, False, started, not_ended))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_roles_statement_answers_as_the_orm_on_random_periods(seed):
    rng = random.Random(seed)
    assemblies = [
        factories.AssemblyFactory(slug=f"a{seed}{i}", short_name=f"A{seed}{i}", name=f"Assemblée {seed}-{i}")
        for i in range(3)
    ]
    people = [factories.UserFactory() for _ in range(6)]
    offsets = [-400, -30, -1, 0, 1, 30, None]
    for person in people:
        for assembly in rng.sample(assemblies, rng.randint(0, 3)):
            start = DAY + dt.timedelta(days=rng.choice([-400, -30, -1, 0, 1, 30]))
            end_offset = rng.choice(offsets)
            end = None if end_offset is None else max(start, DAY + dt.timedelta(days=end_offset))
            factories.MandateFactory(
                user=person, assembly=assembly, start_date=start, end_date=end, is_copresident=rng.random() < 0.3
            )
        if rng.random() < 0.5:
            start = DAY + dt.timedelta(days=rng.choice([-30, 0, 1]))
            end_offset = rng.choice(offsets)
            end = None if end_offset is None else max(start, DAY + dt.timedelta(days=end_offset))
            factories.PartnerRepresentativeFactory(
                user=person, organisation__assembly=rng.choice(assemblies), start_date=start, end_date=end
            )
    for person in people:
        for day in (DAY - dt.timedelta(days=1), DAY, DAY + dt.timedelta(days=1)):
            assert sorted(role_rows(person.pk, day)) == sorted(_orm_rows(person.pk, day)), (seed, person.pk, day)


def test_a_mandate_ending_today_still_counts_today_and_not_tomorrow():
    mandate = factories.MandateFactory(start_date=DAY - dt.timedelta(days=10), end_date=DAY)
    assert role_rows(mandate.user_id, DAY) == [(MANDATE, mandate.assembly_id, False, True, True)]
    assert role_rows(mandate.user_id, DAY + dt.timedelta(days=1)) == [
        (MANDATE, mandate.assembly_id, False, True, False)
    ]


def test_on_the_last_day_of_a_mandate_the_person_is_a_member_and_the_day_after_a_former_member():
    mandate = factories.MandateFactory(start_date=DAY - dt.timedelta(days=10), end_date=DAY)
    person, assembly_id = mandate.user, mandate.assembly_id
    last_day = roles_of(person, day=DAY)
    assert last_day.member_of == {assembly_id} and not last_day.former_member_of
    assert list(Mandate.objects.active_on(DAY).filter(user=person)) == [mandate]
    assert mandate.is_active(DAY) and not mandate.is_active(DAY + dt.timedelta(days=1))
    day_after = roles_of(person, day=DAY + dt.timedelta(days=1))
    assert not day_after.member_of and day_after.former_member_of == {assembly_id}
    assert not Mandate.objects.active_on(DAY + dt.timedelta(days=1)).filter(user=person).exists()
