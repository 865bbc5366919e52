"""Counters in the cache that slow down password guessing and link-request flooding.

A counter is kept per account (a hash of the email, so the cache holds no address) and per
client address. Each counter lives SIGN_IN_FAILURE_WINDOW seconds from its first hit; past
SIGN_IN_MAX_FAILURES hits for one account, or SIGN_IN_MAX_FAILURES_PER_ADDRESS hits for one
address (by default ten times more: a plenary room of 120 phones often shares one public
address), the action is refused until it expires. With Redis the counters are
shared by every worker process; with the local-memory cache they are per process.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"throttle:{kind}:{scope}:{digest}"


def _keys(kind: str, *, email: str, address: str | None) -> list[str]:
    keys = [_key(kind, "account", email)] if email else []
    if address:
        keys.append(_key(kind, "address", address))
    return keys


def _address_limit() -> int:
    return settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS


def is_blocked(kind: str, *, email: str, address: str | None) -> bool:
    """Whether KIND (e.g. "sign_in") has reached its limit for this account or this address."""
    limits = {}
    if email:
        limits[_key(kind, "account", email)] = settings.SIGN_IN_MAX_FAILURES
    if address:
        limits[_key(kind, "address", address)] = _address_limit()
    values = cache.get_many(list(limits))
    return any(int(count) >= limits[key] for key, count in values.items())


def hit(kind: str, *, email: str, address: str | None) -> None:
    """Count one more failure (or request) of KIND for this account and this address."""
    window = settings.SIGN_IN_FAILURE_WINDOW
    for key in _keys(kind, email=email, address=address):
        # add() starts the window only if the counter does not exist yet; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)


def reset(kind: str, *, email: str) -> None:
    """Forget the account's failures after a successful sign-in (the address counter stays)."""
    cache.delete(_key(kind, "account", email))
