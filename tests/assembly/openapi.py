"""Check an API answer against the published OpenAPI schema (the one schemathesis fuzzes), in plain tests."""

from __future__ import annotations

import functools
import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

# RFC 3339 full-time, as OpenAPI's `format: time` means it (the offset is required).
_RFC3339_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$", re.I)
_FORMATS = FormatChecker()
_FORMATS.checks("time")(lambda value: not isinstance(value, str) or bool(_RFC3339_TIME.match(value)))


@functools.cache
def published_schema() -> dict[str, Any]:
    import json

    from django.test import Client

    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _nullable_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` as JSON Schema says it (what schemathesis does too)."""
    if isinstance(node, dict):
        node = {key: _nullable_to_json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            return {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_nullable_to_json_schema(item) for item in node]
    return node


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    schema = published_schema()
    operation = schema["paths"][path][method.lower()]
    declared = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return _nullable_to_json_schema({**declared, "components": schema["components"]})


def assert_conforms(response, path: str, method: str = "get") -> None:
    """RESPONSE's status is documented for PATH/METHOD and its JSON body matches the declared schema."""
    schema = published_schema()
    operation = schema["paths"][path][method.lower()]
    assert str(response.status_code) in operation["responses"], (
        f"{method.upper()} {path} answers {response.status_code}, not documented"
    )
    validator = Draft202012Validator(response_schema(path, method, response.status_code), format_checker=_FORMATS)
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
