"""The recommendations rules: drafts only for adopting and managing, and one visibility of dossiers."""

from __future__ import annotations

import pytest

from recommendations import selectors, services
from recommendations.models import Dossier
from tests.shared.people import person_of

ROLES = ["anonymous", "partner", "member", "former_member", "staff", "admin_user"]


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_adopt_and_only_a_draft(request, role, compiled, adopted_proposal, staff, sitting):
    person = person_of(request, role)
    is_staff = role in {"staff", "admin_user"}
    assert person.has_perm("recommendations.adopt_recommendation", compiled) is is_staff
    services.recommendation_adopt(by=staff, recommendation=compiled, mode="consensus", sitting=sitting)
    compiled.refresh_from_db()
    assert not person.has_perm("recommendations.adopt_recommendation", compiled)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_manage_a_dossier_and_only_while_it_is_a_draft(request, role, staff, assembly, adopted):
    person = person_of(request, role)
    is_staff = role in {"staff", "admin_user"}
    dossier = services.dossier_create(
        by=staff, assembly=assembly, title="Cahier", date="2026-04-01", recipient="Région", recommendations=[adopted]
    )
    assert person.has_perm("recommendations.manage_dossier", assembly) is is_staff
    assert person.has_perm("recommendations.manage_dossier", dossier) is is_staff
    services.dossier_transmit(by=staff, dossier=dossier)
    dossier.refresh_from_db()
    assert not person.has_perm("recommendations.manage_dossier", dossier)


def test_the_detail_page_offers_adoption_by_the_rule(staff_client, compiled, adopted):
    # `adopted` is `compiled`, adopted: the page must no longer offer the adoption form.
    html = staff_client.get(f"/recommandations/{adopted.pk}/").content.decode()
    assert f"/recommandations/equipe/{adopted.pk}/adopter/" not in html


def test_the_detail_page_offers_adoption_of_a_draft(staff_client, compiled):
    html = staff_client.get(f"/recommandations/{compiled.pk}/").content.decode()
    assert f"/recommandations/equipe/{compiled.pk}/adopter/" in html


def test_adopting_again_is_refused_by_the_rule(staff, adopted, sitting):
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.recommendation_adopt(by=staff, recommendation=adopted, mode="consensus", sitting=sitting)


def test_a_transmitted_dossier_shows_no_management_form_even_to_staff(staff_client, transmitted):
    html = staff_client.get(f"/recommandations/cahiers/{transmitted.pk}/").content.decode()
    assert f"/recommandations/equipe/cahiers/{transmitted.pk}/transmettre/" not in html
    assert f"/recommandations/equipe/cahiers/{transmitted.pk}/recommandations/" not in html
    response = staff_client.post(f"/recommandations/equipe/cahiers/{transmitted.pk}/transmettre/")
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_dossiers_visible_to_says_what_the_view_dossier_rule_says(request, role, staff, assembly, transmitted):
    person = person_of(request, role)
    draft = services.dossier_create(
        by=staff, assembly=assembly, title="Brouillon", date="2026-05-01", recipient="Région", recommendations=[]
    )
    visible = set(selectors.dossiers_visible_to(person))
    for dossier in Dossier.objects.all():
        assert (dossier in visible) is person.has_perm("recommendations.view_dossier", dossier), dossier
    assert transmitted in visible
    assert (draft in visible) is (role in {"staff", "admin_user"})


def test_the_staff_page_lists_dossiers_through_the_selector(staff_client, staff, assembly, monkeypatch):
    draft = services.dossier_create(
        by=staff, assembly=assembly, title="Cahier d’automne", date="2026-10-01", recipient="Région"
    )
    calls = []
    real = selectors.dossiers_visible_to

    def spy(user):
        calls.append(user)
        return real(user)

    monkeypatch.setattr(selectors, "dossiers_visible_to", spy)
    html = staff_client.get("/recommandations/equipe/").content.decode()
    assert calls and "Cahier d’automne" in html
    assert draft.title in html
