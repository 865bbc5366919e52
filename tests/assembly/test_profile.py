"""Profile: own data and its RGPD download, language, personal API token; erasure by staff."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from assembly import services
from assembly.models import Mandate, SignInLink, User
from core.errors import Conflict, PermissionDenied
from core.models import AuditEvent
from tests import factories
from tests.shared.people import signed_in


def test_profile_shows_identity_mandates_and_partner_roles(db):
    person = factories.UserFactory(first_name="Mireille", last_name="Azéma", phone="06 00 00 00 01")
    mandate = factories.MandateFactory(user=person, title="Maire de Foix")
    factories.PartnerRepresentativeFactory(user=person, organisation__name="CESER Occitanie")
    body = signed_in(person).get("/profil/").content.decode()
    for text in (
        "Mireille Azéma",
        person.email,
        "06 00 00 00 01",
        "Maire de Foix",
        mandate.territory.name,
        "CESER Occitanie",
    ):
        assert text in body


def test_personal_data_downloads_as_json(member_client, member):
    response = member_client.get("/profil/donnees.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["identity"]["email"] == member.email
    assert data["mandates"][0]["territory"] == member.mandates.get().territory.name
    assert data["partner_roles"] == []


def test_former_members_still_see_and_download_their_data(former_member_client, former_member):
    assert former_member_client.get("/profil/").status_code == 200
    assert json.loads(former_member_client.get("/profil/donnees.json").content)["mandates"][0]["end_date"]


def test_profile_requires_sign_in(anonymous_client, db):
    assert anonymous_client.get("/profil/donnees.json").status_code == 302


def test_language_preference_is_saved_and_applied(member_client, member):
    response = member_client.post("/profil/langue/", {"language": "en"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "en"
    assert b'lang="en"' in member_client.get("/profil/").content
    assert AuditEvent.objects.filter(action="assembly.user_language_set").exists()


def test_api_token_is_created_shown_once_regenerated_and_revoked(member_client, member):
    response = member_client.post("/profil/jeton/", {"action": "issue"})
    key = Token.objects.get(user=member).key
    assert key in response.content.decode()
    assert key not in member_client.get("/profil/").content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["email"] == member.email

    member_client.post("/profil/jeton/", {"action": "issue"})
    new_key = Token.objects.get(user=member).key
    assert new_key != key
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/").status_code in (401, 403)

    member_client.post("/profil/jeton/", {"action": "revoke"})
    assert not Token.objects.filter(user=member).exists()
    assert Client(HTTP_AUTHORIZATION=f"Token {new_key}").get("/api/v1/me/").status_code in (401, 403)
    actions = list(AuditEvent.objects.filter(actor=member).values_list("action", flat=True))
    assert actions.count("assembly.api_token_issue") == 2 and "assembly.api_token_revoke" in actions


# --- Erasure of a former member's personal data (RGPD) ---------------------------------


def test_erasure_is_refused_while_a_mandate_is_active(staff, member):
    with pytest.raises(Conflict) as caught:
        services.person_erase(by=staff, person=member, reason="Demande écrite")
    assert caught.value.code == "mandate_active"
    member.refresh_from_db()
    assert member.erased_at is None


def test_erasure_replaces_personal_data_and_keeps_counts(staff, former_member):
    Token.objects.create(user=former_member)
    SignInLink.objects.create(
        user=former_member,
        token_hash="x" * 64,
        expires_at=former_member.date_joined.replace(year=former_member.date_joined.year + 1),
        created_at=former_member.date_joined,
    )
    users, mandates = User.objects.count(), Mandate.objects.count()
    old_email = former_member.email
    services.person_erase(by=staff, person=former_member, reason="Demande du 3 mars")
    former_member.refresh_from_db()
    assert former_member.first_name == former_member.last_name == former_member.phone == ""
    assert old_email not in former_member.email
    assert former_member.erased_at is not None
    assert not former_member.has_usable_password()
    assert not former_member.is_active
    assert str(former_member) == "ancien membre"
    assert not Token.objects.filter(user=former_member).exists()
    assert not SignInLink.objects.filter(user=former_member).exists()
    assert (User.objects.count(), Mandate.objects.count()) == (users, mandates)
    event = AuditEvent.objects.get(action="assembly.person_erase")
    assert event.actor == staff and event.reason == "Demande du 3 mars"
    with pytest.raises(Conflict):
        services.person_erase(by=staff, person=former_member)


def test_members_cannot_erase_anyone(member, former_member):
    with pytest.raises(PermissionDenied):
        services.person_erase(by=member, person=former_member)


def test_staff_erase_from_the_member_page(staff_client, former_member):
    response = staff_client.post(
        f"/membres/{former_member.pk}/", {"action": "erase", "reason": "Demande écrite", "confirm": "on"}, follow=True
    )
    assert "Les données personnelles ont été effacées." in response.content.decode()
    assert "ancien membre" in response.content.decode()
    former_member.refresh_from_db()
    assert former_member.erased_at is not None
