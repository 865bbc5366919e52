"""The request of a page that only signed-in people reach, for type checking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    # The stubs' stand-in for the user model: the Django mypy plugin reads it as AUTH_USER_MODEL
    # (assembly.User), so core names the user model without importing a later app.
    from django.contrib.auth.models import _User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in: the type of a view behind @login_required.

    Django builds plain HttpRequest objects; this class only tells the type checker that
    `request.user` is the user model (assembly.User), not an AnonymousUser. Nothing creates or
    checks it.
    """

    user: _User
