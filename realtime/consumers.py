"""The base websocket consumer: Origin and session checks, limits, one message shape, errors.

Every message, both ways, is a JSON object `{"type": "<name>", ...}`. A client may add a
`ref` to any message; replies to it (results and errors) carry the same `ref`. The codes
below are the contract documented in docs/realtime-protocol.md. The session and ticket checks
run at connect live in `realtime.sessions`.

Performance notes (measured, see docs/performance-live.md):
- no channel layer per socket (`channel_layer_alias` names no layer): Channels would register
  a channel and keep a pending layer `receive()` for every socket, which the in-memory layer
  scans on every message (quadratic). Fan-out goes through `realtime.rooms` instead;
- no `close_old_connections()` round trip to the database thread on every incoming message
  (Channels' default dispatch does one): database work happens in the batch writer and in
  `sync_to_async` calls that manage their own connections;
- frames are sent straight to the server (`base_send`), serialised once per room update.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from asgiref.sync import sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.http import parse_cookie
from django.http.request import validate_host
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from realtime import frames, revocation, tickets
from realtime.db import with_connection
from realtime.sessions import (
    connect_executor,
    parallel_connects,
    session_key_from_scope,
    ticket_session_valid,
    user_from_scope,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, _User
    from django_stubs_ext import StrOrPromise

PROTOCOL_VERSION = 1

# Close codes (4000–4999 are the application's; see docs/realtime-protocol.md).
CLOSE_NORMAL = 1000
CLOSE_UNSUPPORTED_DATA = 1003  # a binary frame
CLOSE_TOO_BIG = 1009  # a message above WEBSOCKET_MAX_MESSAGE_BYTES
CLOSE_UNAUTHENTICATED = 4401  # no valid session (or screen link) at connect, or the sign-in ended since
CLOSE_FORBIDDEN = 4403  # cross-site Origin (refused at the handshake) or rights lost for good
CLOSE_NOT_FOUND = 4404  # unknown path or unknown object in the path
CLOSE_RATE_LIMITED = 4429  # more than WEBSOCKET_MAX_MESSAGES_PER_SECOND


class ProtocolError(Exception):
    """Raised by handlers: sent to the client as an `error` message; closes when `close` is set."""

    def __init__(self, code: str, message: StrOrPromise, *, field: str | None = None, close: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.close = close


def language_from_scope(scope: dict[str, Any]) -> str:
    """The language the person's pages are in, chosen as Django's LocaleMiddleware chooses it:
    the language cookie (set at sign-in and by the language switch), else Accept-Language, else
    the site's default. Socket messages (errors, refusals) are then in the member's language."""
    accept = ""
    for name, value in scope.get("headers") or ():
        if name == b"cookie":
            chosen = parse_cookie(value.decode("latin-1")).get(settings.LANGUAGE_COOKIE_NAME)
            if chosen:
                with contextlib.suppress(LookupError):
                    return translation.get_supported_language_variant(chosen)
        elif name == b"accept-language":
            accept = value.decode("latin-1")
    for code, _quality in parse_accept_lang_header(accept):
        if code != "*":
            with contextlib.suppress(LookupError):
                return translation.get_supported_language_variant(code)
    return settings.LANGUAGE_CODE


REF_MAX_LENGTH = 64  # a `ref` is a string or an integer of at most 64 characters


def ref_allowed(ref: Any) -> bool:
    """Whether REF may be a message's `ref`: absent, or a string or an integer (not a bool) of at most 64 characters."""
    if ref is None:
        return True
    if isinstance(ref, bool) or not isinstance(ref, str | int):
        return False
    return len(str(ref)) <= REF_MAX_LENGTH


def _page_scheme(scope: dict[str, Any], headers: dict[bytes, bytes]) -> str:
    """The scheme ("http" or "https") of a page of the site the socket was opened on.

    Behind a proxy, as Django decides `request.is_secure()`: the header named by
    SECURE_PROXY_SSL_HEADER when it is present, else the socket's own scheme (`wss` → https).
    """
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        header, secure_value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode("latin-1")
        forwarded = headers.get(name)
        if forwarded is not None:
            first = forwarded.decode("latin-1").split(",", 1)[0].strip()
            return "https" if first == secure_value else "http"
    return "https" if scope.get("scheme") in ("wss", "https") else "http"


def origin_allowed(scope: dict[str, Any]) -> bool:
    """Same-origin only: the Origin header must name the scheme, host and port the socket was opened on.

    A missing Origin is refused too (browsers always send one on websockets). An http page may
    not open a socket of the https site on the same host and port, nor the reverse. Extra origins
    may be trusted through CSRF_TRUSTED_ORIGINS, as for forms (scheme included).
    """
    headers = dict(scope.get("headers") or [])
    origin = headers.get(b"origin", b"").decode("latin-1")
    host = headers.get(b"host", b"").decode("latin-1")
    if not origin or origin == "null":
        return False
    if origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        return True
    parsed = urlparse(origin)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        return False
    allowed_hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    return (
        parsed.scheme == _page_scheme(scope, headers)
        and parsed.netloc.lower() == host.lower()
        and validate_host(parsed.hostname or "", allowed_hosts)
    )


class JsonSocketConsumer(AsyncWebsocketConsumer):
    """Base for the application's websocket consumers.

    Subclasses set `handlers = {"message.type": "method_name"}` and may override:
    - `authenticate()` → bool: who is connecting (default: runs `connect_sync()` in ONE
      database round trip: the session user, then `authorize()` for the subclass's checks);
    - `authorize()` (sync, same round trip): raise ProtocolError to refuse, return False for
      "not signed in";
    - `on_open()`: after accept (send the hello and the snapshot, join rooms);
    - `check_rights(message)`: before every message (raise ProtocolError to refuse);
    - `on_close()`: leave rooms.
    """

    channel_layer_alias = "__no_channel_layer__"
    handlers: dict[str, str] = {}
    require_session = True
    write_frame: frames.FrameWriter | None = None  # rooms' direct write, where the server allows it
    revoked_user_id: int | None = None  # whose sign-in, when it ends, closes this socket (realtime.revocation)
    revoked_session_key: str | None = None
    language: str | None = None  # the person's language, for every message this socket sends
    # Who is connected, set at connect: the session's user (AnonymousUser without a sign-in) or
    # the connect ticket's; a subclass may keep None for an audience that signs in with neither.
    user: _User | AnonymousUser | None

    # --- lifecycle ---------------------------------------------------------------------------

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        """The ASGI loop: one `receive()` awaited at a time, each message dispatched in turn.

        Channels' own loop (`await_many_dispatch`) wraps every `receive()` in a new task and an
        `asyncio.wait()` so that it can also listen to a channel layer, which these consumers
        never do: per socket, that is memory and event-loop work for nothing.
        """
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def websocket_connect(self, message: dict) -> None:
        self.opened = False
        self._bucket = float(settings.WEBSOCKET_MAX_MESSAGES_PER_SECOND)
        self._bucket_at = time.monotonic()
        if not origin_allowed(self.scope):
            # Refused before the handshake completes: a cross-site page learns nothing.
            await self.close(code=CLOSE_FORBIDDEN)
            return
        identified = await self.authenticate()
        await self.accept()
        self.write_frame = frames.raw_writer(self.base_send)
        if not identified:
            await self.send_error("unauthenticated", _("Please sign in again."), close=CLOSE_UNAUTHENTICATED)
            return
        self.opened = True
        user = getattr(self, "user", None)
        if user is not None and user.is_authenticated:
            self.revoked_user_id, self.revoked_session_key = user.pk, session_key_from_scope(self.scope)
            revocation.track(self)
        try:
            await self.on_open()
        except ProtocolError as error:
            await self.send_error(error.code, error.message, field=error.field, close=error.close)

    async def websocket_disconnect(self, message: dict) -> None:
        revocation.untrack(self)
        if getattr(self, "opened", False):
            self.opened = False
            await self.on_close()
        raise StopConsumer()

    async def dispatch(self, message: dict) -> None:
        # Channels' default dispatch adds a close_old_connections() database-thread round trip
        # per message; our database work manages its own connections.
        handler = getattr(self, message["type"].replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        if self.language is None:
            self.language = language_from_scope(self.scope)
        with translation.override(self.language):
            await handler(message)

    async def authenticate(self) -> bool:
        if parallel_connects():
            return await sync_to_async(self._connect_in_pool, thread_sensitive=False, executor=connect_executor())()
        return await sync_to_async(self.connect_sync, thread_sensitive=True)()

    def _connect_in_pool(self) -> bool:
        return with_connection(self.connect_sync)

    def connect_sync(self) -> bool:
        """Resolve the session's user and run `authorize()`, in the database thread.

        With a valid connect ticket (`realtime.tickets`) for this session and path, the user,
        the roles and the rules were checked by the page that issued it seconds ago: only the
        session is checked (`ticket_session_valid`, one read), and `authorize_ticket()`
        decides. Otherwise the session's user is resolved as Django's auth does and
        `authorize()` runs the rules.
        """
        session_key = session_key_from_scope(self.scope)
        granted = tickets.redeem(self.query_param("ticket"), session_key=session_key, path=self.scope.get("path", ""))
        if (
            granted is not None
            and self.accepts_ticket(granted)
            and session_key is not None  # always, with a ticket redeemed: it is bound to the session
            and ticket_session_valid(session_key, granted.user_id)
        ):
            self.user = auth.get_user_model()(pk=granted.user_id, is_active=True)
            return self.authorize_ticket(granted)
        self.user = user_from_scope(self.scope)
        if not (self.user.is_authenticated and self.user.is_active):
            return False
        return self.authorize()

    def authorize(self) -> bool:
        return True

    def accepts_ticket(self, granted: tickets.Pass) -> bool:
        """May a ticket with this grant stand for the connect-time checks? (No by default.)"""
        return False

    def authorize_ticket(self, granted: tickets.Pass) -> bool:
        """Connect-time checks left for a ticket's socket. `self.user` holds only the ticket's user id:
        everything a message does re-reads the user and the roles."""
        return True

    def query_param(self, name: str) -> str:
        """The first value of NAME in the query string of the handshake ("" if absent)."""
        query = getattr(self, "_query", None)
        if query is None:
            query = self._query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        return (query.get(name) or [""])[0]

    async def on_open(self) -> None:
        await self.send_json({"type": "hello", "protocol": PROTOCOL_VERSION})

    async def revoke(self) -> None:
        """The person's sign-in ended (signed out, new password, deactivated, mandate over): close 4401."""
        if self.opened:
            with translation.override(self.language):
                await self.send_error(
                    "signed_out", _("Your sign-in has ended. Please sign in again."), close=CLOSE_UNAUTHENTICATED
                )

    async def on_close(self) -> None:
        return None

    async def check_rights(self, message: dict) -> None:
        return None

    # --- receiving ---------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.opened:
            return
        if text_data is None:
            await self.send_error("binary_not_supported", _("Send text frames."), close=CLOSE_UNSUPPORTED_DATA)
            return
        if len(text_data) > settings.WEBSOCKET_MAX_MESSAGE_BYTES or (
            len(text_data.encode("utf-8")) > settings.WEBSOCKET_MAX_MESSAGE_BYTES
        ):
            await self.send_error("too_large", _("This message is too large."), close=CLOSE_TOO_BIG)
            return
        if not self._take_token():
            await self.send_error(
                "rate_limited", _("Too many messages. Please wait a moment."), close=CLOSE_RATE_LIMITED
            )
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", _("This message is not valid JSON."))
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error("bad_message", _('A message is an object with a "type".'))
            return
        ref = message.get("ref")
        if not ref_allowed(ref):
            # Refused, not handled: a `ref` is echoed in the answer, so it is held to its limit.
            await self.send_error(
                "invalid",
                _("A ref is a text or a whole number of at most 64 characters."),
                field="ref",
                ref=self.answer_ref(message),
            )
            return
        method = self.handlers.get(message["type"])
        if method is None:
            await self.send_error("unknown_type", _("Unknown message type."), ref=ref)
            return
        try:
            await self.check_rights(message)
            await getattr(self, method)(message)
        except ProtocolError as error:
            await self.send_error(error.code, error.message, field=error.field, ref=ref, close=error.close)

    def answer_ref(self, message: dict) -> Any:
        """The `ref` of an answer to MESSAGE when its own `ref` is refused: none (subclasses may name one)."""
        return None

    def _take_token(self) -> bool:
        """Token bucket: WEBSOCKET_MAX_MESSAGES_PER_SECOND sustained, the same as a burst."""
        rate = float(settings.WEBSOCKET_MAX_MESSAGES_PER_SECOND)
        now = time.monotonic()
        self._bucket = min(rate, self._bucket + (now - self._bucket_at) * rate)
        self._bucket_at = now
        if self._bucket < 1:
            return False
        self._bucket -= 1
        return True

    # --- sending -----------------------------------------------------------------------------

    async def send_text(self, text: str) -> None:
        """Send an already serialised frame (rooms call this for each local socket)."""
        await self.base_send({"type": "websocket.send", "text": text})

    async def send_json(self, message: dict) -> None:
        await self.send_text(json.dumps(message, separators=(",", ":"), ensure_ascii=False))

    async def send_error(
        self,
        code: str,
        message: StrOrPromise,
        *,
        field: str | None = None,
        ref: Any = None,
        close: int | None = None,
    ) -> None:
        body: dict[str, Any] = {"type": "error", "code": code, "message": str(message)}
        if field:
            body["field"] = field
        if ref is not None:
            body["ref"] = ref
        await self.send_json(body)
        if close is not None:
            if self.opened:
                self.opened = False
                await self.on_close()
            await self.close(code=close)
