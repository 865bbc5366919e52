"""Domain errors: raised by services, rendered by one handler for the API, the pages and the websocket.

Each error has a stable `code` (for clients and the realtime protocol), a translated
message, an HTTP status and, optionally, the field it concerns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_message = _("This request cannot be carried out.")

    def __init__(
        self, message: StrOrPromise | None = None, *, field: str | None = None, code: str | None = None
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        if code:
            self.code = code
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        return body


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with the current state.")


class TooLarge(DomainError):
    code = "too_large"
    status = 413
    default_message = _("This is too large.")


class Throttled(DomainError):
    code = "throttled"
    status = 429
    default_message = _("Too many attempts. Please wait a moment and try again.")
