"""The co-presidency: starting one ends the previous one of the college; two current in a college never coexist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assembly import services
from assembly.models import College, Copresidency, Gender, Mandate
from assembly.selectors import current_copresidents, roles_of
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from tests import factories


@pytest.fixture
def elected_two(assembly):
    return [
        factories.MandateFactory(assembly=assembly, college=College.ELECTED, gender=g).user
        for g in (Gender.WOMAN, Gender.MAN)
    ]


def test_starting_a_copresidency_ends_the_previous_one_of_the_college(staff, assembly, elected_two):
    first, second = elected_two
    today = timezone.localdate()
    old = services.copresidency_start(
        by=staff, assembly=assembly, person=first, college=College.ELECTED, started_on=today - dt.timedelta(days=10)
    )
    assert assembly.pk in roles_of(first, fresh=True).copresident_of
    new = services.copresidency_start(by=staff, assembly=assembly, person=second, college=College.ELECTED)
    old.refresh_from_db()
    assert old.ended_on == today - dt.timedelta(days=1)
    assert (new.ended_on, new.started_on) == (None, today)
    assert [c.person_id for c in current_copresidents(assembly)] == [second.pk]
    assert Mandate.objects.get(user=first).is_copresident is False
    assert Mandate.objects.get(user=second).is_copresident is True
    assert assembly.pk not in roles_of(first, fresh=True).copresident_of
    assert assembly.pk in roles_of(second, fresh=True).copresident_of
    assert AuditEvent.objects.filter(action="assembly.copresidency_end", target_id=str(old.pk)).exists()
    assert AuditEvent.objects.filter(action="assembly.copresidency_start").count() == 2


def test_the_other_college_is_left_alone(staff, assembly, elected_two):
    citizen = factories.MandateFactory(assembly=assembly, college=College.CITIZEN, gender=Gender.MAN).user
    services.copresidency_start(by=staff, assembly=assembly, person=citizen, college=College.CITIZEN)
    services.copresidency_start(by=staff, assembly=assembly, person=elected_two[0], college=College.ELECTED)
    assert Copresidency.objects.filter(ended_on__isnull=True).count() == 2


def test_a_second_current_copresidency_in_a_college_is_refused_by_the_database(staff, assembly, elected_two):
    first, second = elected_two
    services.copresidency_start(by=staff, assembly=assembly, person=first, college=College.ELECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Copresidency.objects.create(
            assembly=assembly, person=second, college=College.ELECTED, started_on=timezone.localdate()
        )
    assert Copresidency.objects.filter(ended_on__isnull=True).count() == 1


def test_the_same_person_twice_is_refused(staff, assembly, elected_two):
    services.copresidency_start(by=staff, assembly=assembly, person=elected_two[0], college=College.ELECTED)
    with pytest.raises(Conflict) as caught:
        services.copresidency_start(by=staff, assembly=assembly, person=elected_two[0], college=College.ELECTED)
    assert caught.value.code == "already_copresident"
    assert Copresidency.objects.count() == 1


def test_a_person_without_a_mandate_of_that_college_is_refused(staff, assembly, elected_two, partner):
    for person, college in ((elected_two[0], College.CITIZEN), (partner, College.ELECTED)):
        with pytest.raises(ValidationFailed) as caught:
            services.copresidency_start(by=staff, assembly=assembly, person=person, college=college)
        assert caught.value.code == "not_a_member"
    assert not Copresidency.objects.exists()


def test_only_staff_start_a_copresidency(assembly, elected_two):
    with pytest.raises(PermissionDenied):
        services.copresidency_start(
            by=elected_two[1], assembly=assembly, person=elected_two[0], college=College.ELECTED
        )
    assert not Copresidency.objects.exists()


def test_the_composition_page_shows_the_current_copresidents_by_name(staff, staff_client, assembly, elected_two):
    services.copresidency_start(by=staff, assembly=assembly, person=elected_two[1], college=College.ELECTED)
    page = staff_client.get(reverse("assembly:composition")).content.decode()
    assert elected_two[1].display_name in page
    assert elected_two[0].display_name not in page
