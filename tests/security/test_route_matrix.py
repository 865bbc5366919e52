"""Every route × every role: the answer each person gets is the one declared in table.py.

A route the resolver knows and the table doesn't fails `test_every_route_has_an_entry`, with
the line to add. Writes run inside a savepoint that is rolled back, so one role's successful
write does not change what the next role sees.
"""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core.ids import MAX_ID
from tests.security.matrix import ALLOW, DENY, HIDDEN, LOGIN, ROLES, iter_routes
from tests.security.table import KNOWN_GAPS, TABLE

pytestmark = pytest.mark.django_db

ROUTES = {found.name: found for found in iter_routes()}


def _suggest(found) -> str:
    """The line to add to table.py for FOUND: kw() names the world's object and the other parameters."""
    kwargs = ""
    if found.params:
        first, *others = found.params
        key = "" if first == "pk" else f', key="{first}"'
        kwargs = f', kwargs=kw("OBJECT"{key}' + "".join(f", {p}=..." for p in others) + ")"
    return f'    route("{found.name}"{kwargs}, get=...),  # {found.pattern}'


def test_every_route_has_an_entry():
    missing = [found for name, found in ROUTES.items() if name not in TABLE]
    assert not missing, (
        "Routes without an entry in tests/security/table.py — declare what each role gets:\n"
        + "\n".join(_suggest(found) for found in missing)
    )


def test_no_entry_for_a_route_that_no_longer_exists():
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, f"Entries in tests/security/table.py for routes that no longer exist: {stale}"


def _url(entry, world) -> str:
    if entry.url is not None:
        return entry.url(world)
    return reverse(entry.name, kwargs=entry.kwargs(world) if entry.kwargs else None)


def _matches(expect, response, method: str) -> bool:
    status = response.status_code
    if isinstance(expect, int):
        return status == expect
    to_login = status == 302 and response.get("Location", "").startswith(reverse(settings.LOGIN_URL))
    if expect == LOGIN:
        return to_login
    if expect == DENY:
        return status in (401, 403) or to_login
    if expect == HIDDEN:
        return status == 404
    if expect == ALLOW:
        return status < 500 and status not in (401, 403, 404, 405) and not to_login
    raise AssertionError(f"unknown expectation {expect!r}")


def _observed(response) -> object:
    status = response.status_code
    if status == 302 and response.get("Location", "").startswith(reverse(settings.LOGIN_URL)):
        return LOGIN
    return status


def _request(client, method: str, url: str, data: dict | None, *, api: bool = True):
    if method == "GET":
        return client.get(url)
    if method == "POST" and (not api or any(hasattr(v, "read") for v in (data or {}).values())):
        return client.post(url, data or {})  # a form: urlencoded, or multipart with a file
    if method in ("POST", "PUT", "PATCH"):
        return getattr(client, method.lower())(url, data or {}, content_type="application/json")
    return getattr(client, method.lower())(url)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_the_declared_answer(name, world):
    if name not in ROUTES:
        pytest.skip("stale entry (reported by test_no_entry_for_a_route_that_no_longer_exists)")
    entry = TABLE[name]
    url = _url(entry, world)
    wrong, observed = [], {}
    for method, row in entry.methods.items():
        observed[method] = {}
        for role in ROLES:
            client = world.client(role)
            # Roll back whatever an allowed write did, so every role meets the same state.
            data = entry.data(world) if entry.data else None  # files are read once: fresh each time
            with transaction.atomic():
                response = _request(client, method, url, data, api=name.startswith("api:"))
                transaction.set_rollback(True)
            observed[method][role] = _observed(response)
            gap = KNOWN_GAPS.get((name, method, role))
            if gap and _matches(row[role], response, method):
                wrong.append(f"{method} {url} as {role}: fixed ({gap}) — remove it from KNOWN_GAPS")
            elif not gap and not _matches(row[role], response, method):
                wrong.append(f"{method} {url} as {role}: expected {row[role]!r}, got {response.status_code}")
    if os.environ.get("AGORA_MATRIX_SHOW"):
        print(f"\n{name}: {observed}")
    assert not wrong, "\n".join(wrong)


def test_matrix_size_is_reported(record_property):
    """Routes × roles × methods asserted (reported in docs/quality.md)."""
    cells = sum(len(ROLES) * len(entry.methods) for name, entry in TABLE.items() if name in ROUTES)
    record_property("matrix_cells", cells)
    assert cells > 0


# --- The "absurd id" column: an id past the key range is 404 for everyone, on every method ----------

# 2⁶³ has 19 digits (the converter's pattern matches, its range refuses it); 10²⁰ has 21 (no match).
ABSURD_IDS = (2**63, 10**20)
ROUTES_WITH_IDS = sorted(name for name, found in ROUTES.items() if name in TABLE and "<id:" in found.pattern)


def _absurd_urls(name: str, world) -> list[str]:
    entry = TABLE[name]
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    # A route the table reaches by its own URL (a signed link, say) has no kwargs: its ids are named
    # from the pattern, and any other id of it is 1.
    for key in re.findall(r"<id:(\w+)>", ROUTES[name].pattern):
        kwargs.setdefault(key, 1)
    keys = [key for key in kwargs if f"<id:{key}>" in ROUTES[name].pattern]
    urls = []
    for key in keys:
        url = reverse(name, kwargs={**kwargs, key: MAX_ID})
        urls += [url.replace(str(MAX_ID), str(absurd)) for absurd in ABSURD_IDS]
    return urls


def test_every_id_in_a_path_goes_through_the_id_converter():
    untyped = [found.pattern for found in ROUTES.values() if "<int:" in found.pattern]
    assert not untyped, f"ids in a path use <id:...> (core/ids.py), not <int:...>: {untyped}"
    assert len(ROUTES_WITH_IDS) > 50


@pytest.mark.parametrize("name", ROUTES_WITH_IDS)
def test_an_absurd_id_is_not_found_for_every_role(name, world):
    entry = TABLE[name]
    urls = _absurd_urls(name, world)
    assert urls, f"{name}: no id in its kwargs"
    wrong = []
    for url in urls:
        for method in entry.methods:
            for role in ROLES:
                with transaction.atomic():
                    response = _request(world.client(role), method, url, None, api=name.startswith("api:"))
                    transaction.set_rollback(True)
                if response.status_code != 404:
                    wrong.append(f"{method} {url} as {role}: expected 404, got {response.status_code}")
    assert not wrong, "\n".join(wrong)
