"""Error pages: in the site's layout, translated, each saying what to do next; anonymous visitors
refused a page are sent to sign in; /favicon.ico answers."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core import errors
from core.error_pages import DomainErrorPages, render_error, server_error
from recommendations import services as recommendation_services
from tests.factories import RecommendationFactory

LAYOUT = 'class="site-header"'


def test_404_uses_the_layout_and_says_what_to_do_next_in_french(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT in html and 'lang="fr"' in html
    assert "Page introuvable" in html
    assert "Que faire :" in html
    assert "Revenir à l’accueil" in html


def test_404_in_english(client, db):
    client.cookies["django_language"] = "en"
    html = client.get("/nulle-part/").content.decode()
    assert "Page not found" in html and "What to do next:" in html


def test_403_for_a_signed_in_member_uses_the_layout(member_client, assembly):
    response = member_client.get("/recommandations/equipe/")
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html
    assert "Vous n’avez pas accès à cette page" in html
    assert "Que faire :" in html


def test_anonymous_visitor_is_sent_to_sign_in_on_a_draft_recommendation(anonymous_client, assembly):
    draft = RecommendationFactory(assembly=assembly)
    response = anonymous_client.get(f"/recommandations/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/connexion/?next=/recommandations/{draft.pk}/"


def test_anonymous_visitor_is_sent_to_sign_in_on_a_draft_dossier(anonymous_client, assembly, staff):
    dossier = recommendation_services.dossier_create(
        by=staff, assembly=assembly, title="Cahier 2026", recipient="Région", date="2026-06-01"
    )
    response = anonymous_client.get(f"/recommandations/cahiers/{dossier.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


def test_the_api_still_answers_anonymous_with_json(anonymous_client, assembly):
    draft = RecommendationFactory(assembly=assembly)
    response = anonymous_client.get(f"/api/v1/recommendations/{draft.pk}/")
    assert response.status_code in (403, 404)
    assert response["Content-Type"].startswith("application/json")


def test_400_uses_the_layout(client, db):
    response = client.get("/", HTTP_HOST="ailleurs.example")
    assert response.status_code == 400
    assert LAYOUT in response.content.decode()
    assert "Que faire :" in response.content.decode()


def test_a_body_over_the_limit_is_413_with_the_layout(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/connexion/", {"email": "x" * 4000, "password": "y"})
    assert response.status_code == 413
    html = response.content.decode()
    assert LAYOUT in html and "trop volumineux" in html


def test_a_refusal_no_page_caught_becomes_its_error_page(db):
    request = RequestFactory().get("/propositions/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = DomainErrorPages(lambda r: None)
    throttled = middleware.process_exception(request, errors.Throttled())
    assert throttled.status_code == 429
    assert "Patientez quelques minutes" in throttled.content.decode()
    too_large = middleware.process_exception(request, errors.TooLarge())
    assert too_large.status_code == 413
    assert middleware.process_exception(request, errors.NotFound()).status_code == 404
    assert middleware.process_exception(request, errors.PermissionDenied()).status_code == 302
    assert middleware.process_exception(RequestFactory().get("/api/v1/x/"), errors.Throttled()) is None
    assert middleware.process_exception(request, ValueError()) is None


@pytest.mark.parametrize("status", [400, 403, 404, 413, 429, 500])
def test_every_error_page_says_what_to_do_next(rf, db, status):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    response = render_error(request, status)
    html = response.content.decode()
    assert response.status_code == status
    assert LAYOUT in html and "Que faire :" in html
    assert f"Erreur {status}" in html


def test_500_renders_in_the_layout_without_the_request(rf, db):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert LAYOUT in html
    assert "Un problème est survenu de notre côté" in html
    assert "language-form" not in html  # no form that would need the request's CSRF token


def test_favicon_answers(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_a_form_without_its_csrf_token_gets_the_site_403_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"email": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html
    assert "rechargez la page" in html
