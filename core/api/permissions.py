"""Who may call an API endpoint, before the named rules decide what they may do.

The default (settings.REST_FRAMEWORK) is `IsAuthenticated`: an endpoint is for signed-in people
unless it says otherwise, with one of these:

- `Public`: anyone, signed in or not (reads of what is published; the rules still hide drafts);
- `ReadOrSignedIn`: anyone reads, writing needs a signed-in person.

Then the named rules (`rules.add_perm` in each app) decide, with the same names as the pages
and the websocket:

- `HasRule("proposals.moderate")` for a rule about the endpoint as a whole;
- `object_or_refuse(request, queryset, pk, "votes.manage_ballot")` for a rule about one object:
  404 if it does not exist, 403 if the caller may not act on it (or 404 with `hide=True`, when
  not being allowed to see it must not reveal that it exists).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.shortcuts import get_object_or_404
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from core.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=models.Model)


class Public(permissions.AllowAny):
    """Anyone, signed in or not: the endpoint serves what is public (the rules still decide per object)."""


class ReadOrSignedIn(permissions.BasePermission):
    """Anyone reads; writing needs a signed-in person (the rules then decide what they may do)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


def HasRule(perm: str) -> type[permissions.BasePermission]:
    """A permission class granting the endpoint to whoever holds the named rule PERM."""

    class _HasRule(permissions.BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            return bool(request.user and request.user.has_perm(perm))

    _HasRule.__name__ = _HasRule.__qualname__ = f"HasRule({perm})"
    return _HasRule


def object_or_refuse(
    request: Request, queryset: models.QuerySet[M] | type[M], pk: Any, perm: str, *, hide: bool = False
) -> M:
    """The object PK of QUERYSET if the caller holds PERM on it; NotFound or PermissionDenied otherwise."""
    obj = get_object_or_404(queryset, pk=pk)
    if not request.user.has_perm(perm, obj):
        raise NotFound() if hide else PermissionDenied()
    return obj
