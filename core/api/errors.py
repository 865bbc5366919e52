"""One shape for every API error, translated.

    {"error": {"code": "...", "message": "...", "fields": {"title": ["..."]}}}

Domain errors from services and DRF's own errors (validation, authentication, throttling,
404) all leave through this handler.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, (dict, list)) else str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "message": str(exc.message)}
        if exc.field:
            body["fields"] = {exc.field: [str(exc.message)]}
        return Response({"error": body}, status=exc.status)

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("You are not allowed to do this."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        body = {"code": "invalid", "message": _("Some fields are not valid."), "fields": fields}
        response.data = {"error": body}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    detail = getattr(exc, "detail", "")
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"error": {"code": str(code), "message": str(detail)}}
    return response


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any API address that matches no route (among them an id past the key range, `core.ids`):
    404 in the one error shape, so an API client never gets a page."""
    return JsonResponse({"error": {"code": "not_found", "message": _("Not found.")}}, status=404)
