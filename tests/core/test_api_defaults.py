"""The API's defaults are set once, in settings: signed-in people only unless an endpoint says it is
public, and every operation documented with its error answers by the project's schema class."""

from __future__ import annotations

from django.urls import get_resolver
from rest_framework.permissions import IsAuthenticated
from rest_framework.settings import api_settings

from core.api.permissions import Public, ReadOrSignedIn
from core.api.schema import AutoSchema


def _api_views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif getattr(pattern.callback, "cls", None) is not None:
                yield prefix + str(pattern.pattern), pattern.callback.cls

    return [(url, cls) for url, cls in walk(get_resolver().url_patterns) if url.startswith("api/v1/")]


def test_the_defaults_are_signed_in_people_and_the_project_schema():
    assert [IsAuthenticated] == api_settings.DEFAULT_PERMISSION_CLASSES
    assert api_settings.DEFAULT_SCHEMA_CLASS is AutoSchema


def test_no_endpoint_repeats_a_default_by_hand():
    views = _api_views()
    assert len(views) > 50
    for url, cls in views:
        assert "schema" not in cls.__dict__, f"{url}: the schema class is the default"
        assert cls.__dict__.get("permission_classes") != [IsAuthenticated] or any(
            "permission_classes" in base.__dict__ and base.__dict__["permission_classes"] != [IsAuthenticated]
            for base in cls.__mro__[1:]
        ), f"{url}: IsAuthenticated is the default"


def test_the_endpoints_open_to_visitors_say_so():
    open_to_visitors = sorted(
        url
        for url, cls in _api_views()
        if any(isinstance(p, (Public, ReadOrSignedIn)) for p in cls().get_permissions())
    )
    assert {"api/v1/themes/", "api/v1/proposals/", "api/v1/recommendations/"} <= set(open_to_visitors)
    assert not any(url.startswith(("api/v1/ballots/", "api/v1/sittings/")) for url in open_to_visitors)
