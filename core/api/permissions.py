"""DRF permissions shared by the apps' APIs (the named rules then decide what a person may do)."""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView


class ReadOrSignedIn(permissions.BasePermission):
    """Anyone reads; writing needs a signed-in person (the rules then decide what they may do)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)
