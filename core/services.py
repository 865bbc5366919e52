"""Helpers shared by the services of every app: the rule check and bounded free texts.

A service checks its named rule with `require(by, "app.verb_thing", obj)` before anything
else, and cleans each free text with `clean_text(...)`, so that a value that is too long is a
`ValidationFailed` on its field and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.errors import PermissionDenied, ValidationFailed

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def require(user: Any, perm: str, obj: object = None, message: StrOrPromise | None = None) -> None:
    """Raise PermissionDenied unless USER holds the named rule PERM (on OBJ, when given).

    Nobody (None) holds no rule. A service that may also run for the system (a ballot's countdown
    closing it, say) says so where it is called: `if by is not None: require(by, …)`.
    """
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    required_message: StrOrPromise | None = None,
    too_long_message: StrOrPromise | None = None,
) -> str:
    """VALUE stripped; ValidationFailed on FIELD if it is missing (when REQUIRED) or longer than MAX_LENGTH.

    TOO_LONG_MESSAGE may use `%(max)s` and `%(length)s`. Nothing is ever cut: too long is refused.
    """
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(required_message or _("This field is required."), field=field)
    if len(value) > max_length:
        message = too_long_message or _("This text is too long (%(max)s characters at most, %(length)s given).")
        raise ValidationFailed(message % {"max": max_length, "length": len(value)}, field=field)
    return value
