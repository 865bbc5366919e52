"""The published OpenAPI schema documents the error answers of every operation in the one error shape."""

from __future__ import annotations

import pytest

from tests.assembly.openapi import assert_conforms, published_schema

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations():
    for path, item in published_schema()["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _is_error(response: dict) -> bool:
    return response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_every_operation_documents_refusal_and_throttling_in_the_error_shape():
    operations = list(_operations())
    assert len(operations) > 50
    for path, method, operation in operations:
        for status in ("403", "429"):
            assert _is_error(operation["responses"][status]), f"{method} {path} {status}"


def test_operations_on_an_object_document_not_found_and_the_range_of_ids():
    for path, method, operation in _operations():
        path_parameters = [p for p in operation.get("parameters", []) if p["in"] == "path"]
        if not path_parameters:
            continue
        assert _is_error(operation["responses"]["404"]), f"{method} {path}"
        for parameter in path_parameters:
            if parameter["schema"].get("type") == "integer":
                assert parameter["schema"]["minimum"] == 1, f"{method} {path} {parameter['name']}"
                assert parameter["schema"]["maximum"] == 2**63 - 1, f"{method} {path} {parameter['name']}"


def test_writes_document_bad_input_and_conflicts():
    for path, method, operation in _operations():
        if method == "delete":
            continue
        if method in {"post", "put", "patch"} and "requestBody" in operation:
            assert _is_error(operation["responses"]["400"]), f"{method} {path}"
        if method != "get":
            assert _is_error(operation["responses"]["409"]), f"{method} {path}"


def test_file_uploads_and_only_they_document_too_large():
    with_413 = {f"{method} {path}" for path, method, operation in _operations() if "413" in operation["responses"]}
    assert with_413 == {"post /api/v1/meetings/{id}/documents/", "post /api/v1/proposals/{id}/attachments/"}
    for entry in with_413:
        method, path = entry.split(" ")
        assert _is_error(published_schema()["paths"][path][method]["responses"]["413"])


def test_a_nested_validation_error_matches_the_error_schema(member_client):
    # "themes" is a list: its errors come keyed by position, inside the field's entry.
    response = member_client.post(
        "/api/v1/proposals/",
        {"title": "Des bus le dimanche", "body": "Dans les vallées.", "kind": "proposal", "themes": ["ok", "a\x00b"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "themes" in response.json()["error"]["fields"]
    assert_conforms(response, "/api/v1/proposals/", "post")


def test_me_requires_a_signed_in_caller_in_the_error_shape(anonymous_client):
    response = anonymous_client.get("/api/v1/me/")
    assert response.status_code == 403
    assert_conforms(response, "/api/v1/me/")
