"""People of the tests: a client signed in as someone, and the person behind a role's fixture name."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import Client


def signed_in(user, **client_options) -> Client:
    """A test client with USER's session (CLIENT_OPTIONS as for Client, e.g. enforce_csrf_checks=True)."""
    client = Client(**client_options)
    client.force_login(user)
    return client


def person_of(request, role: str):
    """The user of the fixture named ROLE ("member", "staff", "admin_user"…); "anonymous" is nobody signed in."""
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
