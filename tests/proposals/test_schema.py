"""The OpenAPI description covers the proposals API with serializers and the one error shape."""

import pytest
import yaml

from tests.shared.people import signed_in

pytestmark = pytest.mark.django_db


def test_schema_documents_proposals_endpoints_and_errors(anonymous_client):
    response = anonymous_client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    for path in (
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/proposals/{id}/support/",
        "/api/v1/proposals/{id}/comments/",
        "/api/v1/proposals/{id}/attachments/",
        "/api/v1/proposals/{id}/verdict/",
        "/api/v1/themes/",
    ):
        assert path in paths, path
    create = paths["/api/v1/proposals/"]["post"]
    assert set(create["responses"]) >= {"201", "400", "403", "404", "409"}
    assert create["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    upload = paths["/api/v1/proposals/{id}/attachments/"]["post"]
    assert "413" in upload["responses"] and "multipart/form-data" in upload["requestBody"]["content"]
    listing = {p["name"] for p in paths["/api/v1/proposals/"]["get"]["parameters"]}
    assert {"q", "theme", "territory", "departement", "status", "kind", "college", "has_opinion", "ordering"} <= listing


def test_token_authentication_works_for_integrations(member, theme, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=member)
    response = client.post(
        "/api/v1/proposals/",
        {"title": "Par l'API", "body": "Texte", "themes": [theme.slug], "publish": True},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert response.status_code == 201


def test_session_writes_need_the_csrf_token(member):
    client = signed_in(member, enforce_csrf_checks=True)
    response = client.post("/api/v1/proposals/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_notification_setting_requires_a_choice(member_client):
    response = member_client.put("/api/v1/proposals/notification-setting/", {}, content_type="application/json")
    assert response.status_code == 400 and "frequency" in response.json()["error"]["fields"]
    response = member_client.put(
        "/api/v1/proposals/notification-setting/", {"frequency": "daily"}, content_type="application/json"
    )
    assert response.json() == {"frequency": "daily"}
