"""The published OpenAPI schema: the one error shape, and the error answers every operation documents.

Every API error leaves through `core.api.errors.exception_handler` as

    {"error": {"code": "...", "message": "...", "fields": {"title": ["..."]}}}

`ErrorSerializer` documents that shape once. `AutoSchema` (set as `schema = AutoSchema()` on the
API views) adds, to what a view declares with `extend_schema`, the error answers that follow from
the operation itself, each with that shape:

| status | documented when |
|---|---|
| 403 | always: a refused rule, no session or token, or a token that is not valid |
| 429 | the view is throttled (every view by default) |
| 404 | the path has a parameter (the object may not exist or not be visible), or the list is paginated |
| 400 | the operation takes a body or query parameters |
| 409 | the operation writes (a state that refuses the change) |
| 413 | the operation takes a file (one over the size limit) |

A view declares other statuses itself (`error_responses(...)` builds them). Id path parameters
(`<id:...>`, core/ids.py) are documented with `minimum: 1` and `maximum: 9223372036854775807`
(`PATH_CONVERTER_OVERRIDES`); past that range the answer is 404, and an id in a body past it a
400 on its field (`core.api.fields.IdField`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry, force_instance, is_serializer
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny

from core.api.permissions import ReadOrSignedIn

_FIELD_ERRORS = {
    "type": "object",
    "description": (
        "The errors of each field that was not valid, keyed by field name: a list of messages, or, for a "
        "nested object or list, the same structure nested (by field name or by position)."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}


@extend_schema_field(_FIELD_ERRORS)
class FieldErrorsField(serializers.DictField):
    """The `fields` member of an error: messages per field, nested like the input they judge."""


class ErrorBodySerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(help_text="A stable, machine-readable code: invalid, not_found, conflict…")
    message = serializers.CharField(help_text="A translated message for people.")
    # DRF's metaclass takes declared fields off the class: Serializer.fields is not shadowed.
    fields = FieldErrorsField(required=False)  # type: ignore[assignment]


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    error = ErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    400: "The input is not valid (see `fields`).",
    403: "Not allowed: signed out, a token that is not valid, or a rule that refuses it.",
    404: "Not found, or not visible to the caller.",
    409: "Refused by the object's current state.",
    413: "The upload is too large.",
    429: "Too many requests: wait, then try again.",
}


def error_response(status: int, description: str = "") -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description or ERROR_DESCRIPTIONS.get(status, "Error."))


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """`{status: OpenApiResponse(ErrorSerializer)}` for `extend_schema(responses={..., **error_responses(404)})`."""
    return {status: error_response(status) for status in statuses}


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, documenting the error answers of the one error shape (see above)."""

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status in self.error_statuses(operation):
            if str(status) not in responses:
                response = self._get_response_for_code(error_response(status), str(status))  # type: ignore[no-untyped-call]  # drf-spectacular leaves it unannotated
                responses[str(status)] = response
        return operation

    def get_auth(self) -> list[dict[str, Any]]:
        """The security requirements, with `{}` (no credentials needed) on public operations.

        drf-spectacular adds it only for DRF's own `AllowAny` class, not for a subclass such as
        `core.api.permissions.Public`, nor for reads of a `ReadOrSignedIn` endpoint.
        """
        auths: list[dict[str, Any]] = super().get_auth()
        if {} in auths:
            return auths
        view_permissions = self.view.get_permissions()
        if any(isinstance(p, AllowAny) for p in view_permissions) or (
            self.method in SAFE_METHODS and any(isinstance(p, ReadOrSignedIn) for p in view_permissions)
        ):
            auths.append({})
        return auths

    def error_statuses(self, operation: dict[str, Any]) -> list[int]:
        places = {parameter.get("in") for parameter in operation.get("parameters", [])}
        query = {parameter.get("name") for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
        body = operation.get("requestBody", {}).get("content", {})
        statuses = [403]
        if "query" in places or (self.method in BODY_METHODS and body):
            statuses.append(400)
        if "path" in places or "page" in query:
            statuses.append(404)
        if self.method in WRITE_METHODS:
            statuses.append(409)
        if self.method in BODY_METHODS and self._takes_files():
            statuses.append(413)
        if self.view.get_throttles():
            statuses.append(429)
        return statuses

    def _takes_files(self) -> bool:
        declared = self.get_request_serializer()
        candidates = declared.values() if isinstance(declared, dict) else [declared]
        for candidate in candidates:
            serializer = force_instance(candidate)
            fields = getattr(serializer, "fields", {}) if is_serializer(serializer) else {}
            if any(isinstance(field, serializers.FileField) for field in fields.values()):
                return True
        return False
