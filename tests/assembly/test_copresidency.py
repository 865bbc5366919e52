"""The co-presidency under the assembly's rule set (the AdT's by default: two co-presidents from the
elected college, one woman and one man): a new co-presidency replaces the current one as a whole,
the seats and the parity hold, a person co-presides once at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assembly import services
from assembly.models import College, Copresidency, CopresidencyColleges, Gender, Mandate
from assembly.selectors import current_copresidents, roles_of
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from tests import factories


@pytest.fixture
def elected_four(assembly):
    """Four members of the elected college: woman, man, woman, man."""
    return [
        factories.MandateFactory(assembly=assembly, college=College.ELECTED, gender=g).user
        for g in (Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN)
    ]


def _current(assembly):
    return set(
        Copresidency.objects.filter(assembly=assembly, ended_on__isnull=True).values_list("person_id", flat=True)
    )


def test_the_default_rule_set_is_the_adts(assembly):
    assert assembly.copresidency_colleges == CopresidencyColleges.ELECTED
    assert (assembly.copresidents_per_college, assembly.copresidency_parity) == (2, True)
    assert (assembly.electing_colleges, assembly.copresidency_seats) == (("elected",), 2)


def test_two_elected_co_presidents_a_woman_and_a_man(staff, assembly, elected_four):
    woman, man = elected_four[:2]
    started = services.copresidency_replace(by=staff, assembly=assembly, people=[woman, man])
    assert {(c.person_id, c.college, c.ended_on) for c in started} == {
        (woman.pk, College.ELECTED, None),
        (man.pk, College.ELECTED, None),
    }
    assert [c.person_id for c in current_copresidents(assembly)] == [woman.pk, man.pk]
    assert set(Mandate.objects.filter(is_copresident=True).values_list("user_id", flat=True)) == {woman.pk, man.pk}
    assert assembly.pk in roles_of(woman, fresh=True).copresident_of
    assert AuditEvent.objects.filter(action="assembly.copresidency_start").count() == 2


def test_a_new_co_presidency_replaces_the_previous_pair_as_a_whole(staff, assembly, elected_four):
    w1, m1, w2, m2 = elected_four
    today = timezone.localdate()
    old = services.copresidency_replace(
        by=staff, assembly=assembly, people=[w1, m1], started_on=today - dt.timedelta(days=10)
    )
    services.copresidency_replace(by=staff, assembly=assembly, people=[w2, m2], ballot_ref="ballot:7")
    assert _current(assembly) == {w2.pk, m2.pk}
    for row in old:
        row.refresh_from_db()
        assert row.ended_on == today - dt.timedelta(days=1)
        assert AuditEvent.objects.filter(action="assembly.copresidency_end", target_id=str(row.pk)).exists()
    assert set(Mandate.objects.filter(is_copresident=True).values_list("user_id", flat=True)) == {w2.pk, m2.pk}
    assert assembly.pk not in roles_of(w1, fresh=True).copresident_of
    assert set(Copresidency.objects.filter(ended_on__isnull=True).values_list("ballot_ref", flat=True)) == {"ballot:7"}


def test_a_co_president_re_elected_with_a_new_partner(staff, assembly, elected_four):
    w1, m1, _w2, m2 = elected_four
    services.copresidency_replace(
        by=staff, assembly=assembly, people=[w1, m1], started_on=timezone.localdate() - dt.timedelta(days=3)
    )
    services.copresidency_replace(by=staff, assembly=assembly, people=[w1, m2])
    assert _current(assembly) == {w1.pk, m2.pk}
    assert Copresidency.objects.filter(person=w1).count() == 2, "the old mandate ended, a new one started"
    assert set(Mandate.objects.filter(is_copresident=True).values_list("user_id", flat=True)) == {w1.pk, m2.pk}


def test_a_third_elected_person_over_the_seats_is_refused(staff, assembly, elected_four):
    w1, m1, w2, _m2 = elected_four
    with pytest.raises(Conflict) as caught:
        services.copresidency_replace(by=staff, assembly=assembly, people=[w1, m1, w2])
    assert caught.value.code == "copresidency_full"
    assert not Copresidency.objects.exists()
    services.copresidency_replace(by=staff, assembly=assembly, people=[w1, m1])
    with pytest.raises(Conflict) as caught:
        services.copresidency_start(by=staff, assembly=assembly, person=w2, college=College.ELECTED)
    assert caught.value.code == "copresidency_full"
    assert _current(assembly) == {w1.pk, m1.pk}


def test_parity_broken_is_refused(staff, assembly, elected_four):
    w1, m1, w2, _m2 = elected_four
    with pytest.raises(Conflict) as caught:
        services.copresidency_replace(by=staff, assembly=assembly, people=[w1, w2])
    assert caught.value.code == "parity_not_met"
    assert not Copresidency.objects.exists()
    services.copresidency_start(by=staff, assembly=assembly, person=w1, college=College.ELECTED)
    with pytest.raises(Conflict) as caught:
        services.copresidency_start(by=staff, assembly=assembly, person=w2, college=College.ELECTED)
    assert caught.value.code == "parity_not_met"
    services.copresidency_start(by=staff, assembly=assembly, person=m1, college=College.ELECTED)
    assert _current(assembly) == {w1.pk, m1.pk}


def test_without_the_parity_rule_two_women(staff, assembly, elected_four):
    assembly.copresidency_parity = False
    assembly.save(update_fields=["copresidency_parity"])
    w1, _m1, w2, _m2 = elected_four
    services.copresidency_replace(by=staff, assembly=assembly, people=[w1, w2])
    assert _current(assembly) == {w1.pk, w2.pk}


def test_a_citizen_is_refused_when_only_the_elected_college_elects(staff, assembly, elected_four):
    citizen = factories.MandateFactory(assembly=assembly, college=College.CITIZEN, gender=Gender.MAN).user
    with pytest.raises(ValidationFailed) as caught:
        services.copresidency_replace(by=staff, assembly=assembly, people=[elected_four[0], citizen])
    assert caught.value.code == "not_eligible"
    with pytest.raises(ValidationFailed) as caught:
        services.copresidency_start(by=staff, assembly=assembly, person=citizen, college=College.CITIZEN)
    assert caught.value.code == "not_eligible"
    assert not Copresidency.objects.exists()


def test_one_per_college_when_both_colleges_elect(staff, assembly, elected_four):
    assembly.copresidency_colleges, assembly.copresidents_per_college = CopresidencyColleges.BOTH, 1
    assembly.save()
    citizen = factories.MandateFactory(assembly=assembly, college=College.CITIZEN, gender=Gender.MAN).user
    woman, man = elected_four[:2]
    with pytest.raises(Conflict) as caught:
        services.copresidency_replace(by=staff, assembly=assembly, people=[woman, man])
    assert caught.value.code == "copresidency_full"
    services.copresidency_replace(by=staff, assembly=assembly, people=[woman, citizen])
    assert {(c.person_id, c.college) for c in current_copresidents(assembly)} == {
        (citizen.pk, College.CITIZEN),
        (woman.pk, College.ELECTED),
    }


def test_the_database_holds_one_current_co_presidency_per_person(staff, assembly, elected_four):
    w1, m1 = elected_four[:2]
    services.copresidency_start(by=staff, assembly=assembly, person=w1, college=College.ELECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Copresidency.objects.create(
            assembly=assembly, person=w1, college=College.ELECTED, started_on=timezone.localdate()
        )
    # Two current co-presidents in one college: the seats are the service's, not a constraint.
    Copresidency.objects.create(assembly=assembly, person=m1, college=College.ELECTED, started_on=timezone.localdate())
    assert Copresidency.objects.filter(ended_on__isnull=True).count() == 2


def test_the_same_person_twice_is_refused(staff, assembly, elected_four):
    services.copresidency_start(by=staff, assembly=assembly, person=elected_four[0], college=College.ELECTED)
    with pytest.raises(Conflict) as caught:
        services.copresidency_start(by=staff, assembly=assembly, person=elected_four[0], college=College.ELECTED)
    assert caught.value.code == "already_copresident"
    with pytest.raises(ValidationFailed):
        services.copresidency_replace(by=staff, assembly=assembly, people=[elected_four[1], elected_four[1]])
    assert Copresidency.objects.count() == 1


def test_a_person_without_a_mandate_of_that_college_is_refused(staff, assembly, elected_four, partner):
    for person, college in ((elected_four[0], College.CITIZEN), (partner, College.ELECTED)):
        with pytest.raises(ValidationFailed) as caught:
            services.copresidency_start(by=staff, assembly=assembly, person=person, college=college)
        assert caught.value.code == "not_a_member"
    with pytest.raises(ValidationFailed) as caught:
        services.copresidency_replace(by=staff, assembly=assembly, people=[partner])
    assert caught.value.code == "not_a_member"
    assert not Copresidency.objects.exists()


def test_only_staff_start_a_copresidency(assembly, elected_four):
    with pytest.raises(PermissionDenied):
        services.copresidency_start(
            by=elected_four[1], assembly=assembly, person=elected_four[0], college=College.ELECTED
        )
    with pytest.raises(PermissionDenied):
        services.copresidency_replace(by=elected_four[1], assembly=assembly, people=[elected_four[0]])
    assert not Copresidency.objects.exists()


def test_the_composition_page_shows_the_current_copresidents_by_name(staff, staff_client, assembly, elected_four):
    services.copresidency_replace(by=staff, assembly=assembly, people=elected_four[2:])
    page = staff_client.get(reverse("assembly:composition")).content.decode()
    assert elected_four[2].display_name in page and elected_four[3].display_name in page
    assert elected_four[0].display_name not in page
