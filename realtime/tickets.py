"""Connect tickets: a page that has just checked the session and the rights hands its socket a pass.

A room of phones connects within seconds of loading the live page, and that page request has
already resolved the session, the user, their roles and the rules. Checking all of it again
for each socket is what made a connection storm slow (about 2 ms of database work per socket,
see docs/performance-live.md). The page therefore renders a ticket: a signed, short-lived
token naming the user, the websocket path and what the page granted (`grant`, for example
the audience of a live room), bound to the session by a hash of its key.

At connect, a ticket is redeemed only if its signature is valid, it is younger than
TICKET_MAX_AGE, it names this path, and the session cookie sent with the handshake is the
session it was issued to. The consumer still checks the session itself, in one query: it is
unexpired, names the ticket's user, who is active, and was signed in with their current
password (`realtime.sessions.ticket_session_valid`). Every message still re-checks the
rights with fresh data: a ticket only saves the connect-time reads of the roles and rules.
A ticket that fails any check is ignored and the socket goes through the full check; it is
never an error by itself.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import NamedTuple

from django.core import signing

SALT = "realtime.ticket"
TICKET_MAX_AGE = 120  # seconds: a phone connects right after the page loaded


class Pass(NamedTuple):
    user_id: int
    grant: str


def _bind(session_key: str) -> str:
    """What a ticket stores of the session: a hash of its key, never the key itself."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def issue(*, session_key: str | None, user_id: int, path: str, grant: str) -> str:
    """A ticket for USER_ID's socket on PATH ("" without a session: no ticket)."""
    if not session_key:
        return ""
    return signing.dumps({"u": user_id, "p": path, "g": grant, "s": _bind(session_key)}, salt=SALT)


def redeem(ticket: str, *, session_key: str | None, path: str) -> Pass | None:
    """The pass of TICKET if it is valid for this session and PATH now, else None."""
    if not ticket or not session_key or len(ticket) > 512:
        return None
    try:
        data = signing.loads(ticket, salt=SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("p") != path:
        return None
    if not hmac.compare_digest(str(data.get("s", "")), _bind(session_key)):
        return None
    user_id, grant = data.get("u"), data.get("g")
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not isinstance(grant, str):
        return None
    return Pass(user_id, grant)
