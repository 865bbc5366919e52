"""Route enumeration and the vocabulary of the route × role matrix (see table.py and test_route_matrix.py).

Rows (what each role gets): every(), signed_in(), staff_only(), members_only(), current_roles(),
method_not_allowed(), with the expectations LOGIN, DENY, HIDDEN, ALLOW and API_ANON. The request, built from
the world: kw() for the URL's kwargs, body() for a constant request body, at() for a pattern without a name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "partner", "member", "former_member", "copresident", "staff", "admin")

# Expectations, one per role and method:
#   an int      — that exact status code;
#   LOGIN       — a redirect to the sign-in page (a page asked for by an anonymous visitor);
#   DENY        — 401 or 403, or LOGIN for an anonymous visitor of a page;
#   HIDDEN      — 404: the object exists, but this person may not know it;
#   ALLOW       — let through to the handler: neither denied, nor hidden, nor a server error
#                 (a write with an empty body gets 2xx, 3xx, 400 or 409 — the rules let it in).
LOGIN = "login"
DENY = "deny"
HIDDEN = "hidden"
ALLOW = "allow"
API_ANON = 403  # DRF with session authentication first answers 403 to an anonymous caller


def every(expect, **overrides) -> dict[str, object]:
    """EXPECT for every role, with OVERRIDES for some."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, expect) for role in ROLES}


def signed_in(expect, anonymous=LOGIN, **overrides) -> dict[str, object]:
    """EXPECT for everyone signed in; an anonymous visitor is sent to sign in (LOGIN) unless told otherwise."""
    return every(expect, anonymous=anonymous, **overrides)


def staff_only(expect=200, others=403, anonymous=LOGIN, **overrides) -> dict[str, object]:
    """EXPECT for staff and administrators, OTHERS for every other signed-in role."""
    row = every(others, anonymous=anonymous, staff=expect, admin=expect)
    row.update(overrides)
    return row


def members_only(expect=200, others=403, anonymous=LOGIN, **overrides) -> dict[str, object]:
    """Sitting members (co-presidents are members); staff act for the assembly but never as a member."""
    row = every(others, anonymous=anonymous, member=expect, copresident=expect)
    row.update(overrides)
    return row


def current_roles(expect, anonymous=LOGIN, **overrides) -> dict[str, object]:
    """EXPECT for whoever holds a role today (partners, members, staff); a former member is refused (403)."""
    return every(expect, anonymous=anonymous, former_member=403, **overrides)


def method_not_allowed(anonymous) -> dict[str, object]:
    """405 for a method the route does not take; ANONYMOUS is what an anonymous caller gets first."""
    return every(405, anonymous=anonymous)


# --- Building the request from the world (tests/security/world.py) --------------------------------


def kw(obj: str | None = None, *, key: str = "pk", **fixed) -> Callable[[object], dict]:
    """The URL's kwargs: KEY is the pk of the world's OBJ (kw("proposal") → {"pk": w.proposal.pk}), plus FIXED.

    kw("sitting", key="sitting_id"), kw("questionnaire", fmt="csv"), kw(token="not-a-token").
    """

    def kwargs(w) -> dict:
        found = {key: attrgetter(obj)(w).pk} if obj else {}
        return {**found, **fixed}

    return kwargs


def body(**fields) -> Callable[[object], dict]:
    """A constant request body (a fresh dict for each request)."""
    return lambda w: dict(fields)


def at(url: str) -> Callable[[object], str]:
    """The URL of a pattern that has no name to reverse."""
    return lambda w: url


@dataclass(frozen=True)
class Route:
    """One entry of the table: how to build the URL and what each role gets for each method."""

    name: str
    kwargs: Callable[[object], dict] | None = None
    methods: dict[str, dict[str, object]] = field(default_factory=dict)
    data: Callable[[object], dict] | None = None  # body for writes (default: empty)
    url: Callable[[object], str] | None = None  # for unnamed patterns
    why: str = ""


def route(name: str, *, kwargs=None, data=None, url=None, why: str = "", **methods) -> Route:
    for method, row in methods.items():
        missing = set(ROLES) - set(row)
        assert not missing, f"{name} {method}: no expectation for {sorted(missing)}"
    return Route(
        name=name, kwargs=kwargs, methods={m.upper(): row for m, row in methods.items()}, data=data, url=url, why=why
    )


@dataclass(frozen=True)
class Found:
    name: str  # "namespace:name", or the pattern itself when unnamed
    pattern: str
    params: tuple[str, ...]


def iter_routes() -> Iterator[Found]:
    """Every URL pattern of the project, the admin summarised as one entry ("admin")."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Found]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    yield Found("admin", prefix + str(entry.pattern), ())
                    continue
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or pattern)
                params = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
                yield Found(name, pattern, params)

    seen = set()
    for found in walk(get_resolver(), "", ""):
        if found.name not in seen:
            seen.add(found.name)
            yield found
