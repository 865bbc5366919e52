"""Inviting members one by one, ending and starting mandates (history kept)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from assembly import services
from assembly.models import College, Gender, Mandate, SignInLink
from assembly.selectors import roles_of
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from tests import factories


@pytest.fixture
def territory(assembly):
    territory = factories.TerritoryFactory(name="Toulouse Métropole", slug="toulouse-metropole")
    assembly.territories.add(territory)
    return territory


def _invite(staff, assembly, territory, **overrides):
    fields = {
        "by": staff,
        "assembly": assembly,
        "email": "Claire.Bastide@example.org",
        "first_name": "Claire",
        "last_name": "Bastide",
        "territory": territory,
        "college": College.CITIZEN,
        "gender": Gender.WOMAN,
        "title": "Citoyenne engagée",
    }
    return services.member_invite(**{**fields, **overrides})


def test_invited_member_gets_a_seat_an_email_and_can_sign_in_with_it(
    staff, assembly, territory, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mandate = _invite(staff, assembly, territory)
    person = mandate.user
    assert person.email == "claire.bastide@example.org"
    assert not person.has_usable_password()
    assert roles_of(person, fresh=True).member_of == {assembly.pk}
    (message,) = mail.outbox
    assert "Vous êtes désormais membre de Assemblée des Territoires" in message.body
    link = SignInLink.objects.get(user=person)
    assert link.purpose == SignInLink.Purpose.INVITATION
    assert (link.expires_at - link.created_at).total_seconds() == settings.INVITATION_LINK_MAX_AGE
    path = re.search(r"https://agora\.example\.org(/connexion/lien/\S+/)", message.body).group(1)
    client = Client()
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assembly.person_create", "assembly.mandate_start", "assembly.member_invite"} <= actions


def test_an_invitation_that_fails_sends_nothing(staff, assembly, territory, django_capture_on_commit_callbacks):
    factories.MandateFactory(assembly=assembly, territory=territory, college=College.CITIZEN)
    factories.MandateFactory(assembly=assembly, territory=territory, college=College.CITIZEN, gender=Gender.MAN)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict) as caught:
        _invite(staff, assembly, territory)
    assert caught.value.code == "no_seat_left"
    assert mail.outbox == []
    assert not SignInLink.objects.exists()


def test_a_current_member_cannot_be_invited_twice(staff, assembly, territory):
    _invite(staff, assembly, territory)
    with pytest.raises(Conflict) as caught:
        _invite(staff, assembly, territory, college=College.ELECTED)
    assert caught.value.code == "already_member"


def test_a_territory_outside_the_assembly_is_refused(staff, assembly):
    elsewhere = factories.TerritoryFactory(name="Ailleurs")
    with pytest.raises(ValidationFailed):
        _invite(staff, assembly, elsewhere)


def test_members_cannot_invite(member, assembly, territory):
    with pytest.raises(PermissionDenied):
        _invite(member, assembly, territory)


def test_ending_a_mandate_keeps_it_and_a_replacement_takes_the_seat(staff, assembly, territory):
    first = factories.MandateFactory(assembly=assembly, territory=territory, college=College.ELECTED)
    factories.MandateFactory(assembly=assembly, territory=territory, college=College.ELECTED, gender=Gender.MAN)
    newcomer = factories.UserFactory()
    with pytest.raises(Conflict):
        services.mandate_start(
            by=staff, user=newcomer, assembly=assembly, territory=territory, college=College.ELECTED, gender="woman"
        )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.mandate_end(by=staff, mandate=first, end_date=yesterday, reason="Démission")
    replacement = services.mandate_start(
        by=staff,
        user=newcomer,
        assembly=assembly,
        territory=territory,
        college=College.ELECTED,
        gender=Gender.WOMAN,
        title="Maire de Muret",
    )
    first.refresh_from_db()
    assert first.end_date == yesterday
    assert not roles_of(first.user, fresh=True).is_member
    assert roles_of(first.user, fresh=True).is_former_member
    assert replacement.start_date == timezone.localdate()
    assert Mandate.objects.filter(territory=territory).count() == 3
    event = AuditEvent.objects.get(action="assembly.mandate_end")
    assert event.reason == "Démission" and event.actor == staff


def test_a_mandate_cannot_end_before_it_starts_or_twice(staff, assembly, territory):
    mandate = factories.MandateFactory(assembly=assembly, territory=territory)
    with pytest.raises(ValidationFailed):
        services.mandate_end(by=staff, mandate=mandate, end_date=mandate.start_date - dt.timedelta(days=1))
    services.mandate_end(by=staff, mandate=mandate, end_date=mandate.start_date)
    with pytest.raises(Conflict):
        services.mandate_end(by=staff, mandate=mandate)


def test_staff_invite_a_member_from_the_invite_page(staff_client, assembly, territory):
    response = staff_client.post(
        "/membres/inviter/",
        {
            "first_name": "Odile",
            "last_name": "Cros",
            "email": "odile@example.org",
            "territory": territory.pk,
            "college": "elected",
            "gender": "woman",
            "title": "Maire de Blagnac",
            "start_date": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert "Odile Cros est invité·e" in response.content.decode()
    assert Mandate.objects.get(user__email="odile@example.org").title == "Maire de Blagnac"


def test_staff_end_a_mandate_from_the_member_page(staff_client, assembly, territory):
    mandate = factories.MandateFactory(assembly=assembly, territory=territory)
    response = staff_client.post(
        f"/membres/{mandate.user.pk}/",
        {"action": "end_mandate", "mandate": mandate.pk, "end_date": timezone.localdate().isoformat(), "reason": ""},
        follow=True,
    )
    assert "Le mandat a pris fin." in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.end_date == timezone.localdate()


def test_members_page_lists_mandates_for_staff(staff_client, member_client, member):
    response = staff_client.get("/membres/")
    assert response.status_code == 200
    assert member.display_name in response.content.decode()
    assert member_client.get("/membres/").status_code == 403
