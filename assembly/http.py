"""The request of a page that only signed-in people reach, for type checking."""

from __future__ import annotations

from django.http import HttpRequest

from assembly.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in: the type of a view behind @login_required.

    Django builds plain HttpRequest objects; this class only tells the type checker that
    `request.user` is a `User`, not an AnonymousUser. Nothing creates or checks it.
    """

    user: User
