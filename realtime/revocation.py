"""Closing a person's sockets when their sign-in ends, in every process, within a second.

A socket is checked against the session when it connects; afterwards it lives on. Whatever ends
a sign-in must therefore reach the sockets it opened:

- signing out ends that session: its sockets close (Django's `user_logged_out`);
- a new password, or an account deactivated (by staff in the admin, by the erasure service, by
  `manage.py changepassword`…), ends every session of the person: all their sockets close;
- the end of a mandate changes what the person may do: the assembly's service calls
  `revoke_on_commit`, and their sockets close, so pages reconnect and are checked anew.

The news travels as a hub notification on `TOPIC`, after the change commits (never for a change
rolled back), to every worker process; each process closes its own sockets with close code
4401 ("sign in again", docs/realtime-protocol.md). Django's own tools change the password and
the active flag without calling a service of ours, so those two are heard from the user model's
save signals: the one place where the transport listens to a model, and it only notifies.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save, pre_save

from realtime import hub
from realtime.broadcast import broadcast_on_commit

logger = logging.getLogger(__name__)

TOPIC = "auth.revoke"


class Revocable(Protocol):
    revoked_user_id: int | None
    revoked_session_key: str | None

    async def revoke(self) -> None: ...


def revoke_on_commit(*, user_id: int, session_key: str = "") -> None:
    """Once the transaction commits, close USER_ID's sockets (only SESSION_KEY's, when given)."""
    broadcast_on_commit(TOPIC, {"user": user_id, "session": session_key})


# --- the sockets of this process -------------------------------------------------------------

_sockets: dict[int, set[Any]] = {}
_listening_hub: Any = None
_closing: set[asyncio.Task[None]] = set()  # held until done: the loop keeps only weak references


def track(socket: Revocable) -> None:
    """Remember an open socket of a signed-in person (on the event loop)."""
    global _listening_hub
    user_id = socket.revoked_user_id
    if user_id is None:
        return
    the_hub = hub.get_hub()
    # The hub forgets its listeners when it moves to a new event loop (tests): subscribe again.
    if _listening_hub is not the_hub or _on_revoke not in the_hub.listeners.get(TOPIC, ()):
        the_hub.subscribe(TOPIC, _on_revoke)
        _listening_hub = the_hub
    _sockets.setdefault(user_id, set()).add(socket)


def untrack(socket: Revocable) -> None:
    user_id = socket.revoked_user_id
    sockets = _sockets.get(user_id) if user_id is not None else None
    if sockets is None:
        return
    sockets.discard(socket)
    if not sockets:
        del _sockets[user_id]  # type: ignore[arg-type]  # not None: looked up above


def _matching(user_id: int, session_key: str) -> Iterable[Any]:
    for socket in list(_sockets.get(user_id, ())):
        if not session_key or socket.revoked_session_key == session_key:
            yield socket


def _on_revoke(topic: str, payload: str) -> None:
    if payload == hub.RESYNC:
        return  # revocations missed during a bus outage: sockets re-check rights on every message
    try:
        message = json.loads(payload)
        user_id, session_key = int(message["user"]), str(message.get("session") or "")
    except (ValueError, KeyError, TypeError):
        logger.warning("revocation: unreadable notification %r", payload[:200])
        return
    for socket in _matching(user_id, session_key):
        untrack(socket)
        task = asyncio.ensure_future(socket.revoke())
        _closing.add(task)
        task.add_done_callback(_closing.discard)


# --- what ends a sign-in ----------------------------------------------------------------------


def _on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and user.pk is not None and session_key:
        revoke_on_commit(user_id=user.pk, session_key=session_key)


def _remember_sign_in_fields(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        instance._revocation_before = None
        return
    instance._revocation_before = sender.objects.filter(pk=instance.pk).values_list("password", "is_active").first()


def _revoke_if_sign_in_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    before = getattr(instance, "_revocation_before", None)
    instance._revocation_before = None
    if created or before is None:
        return
    if before != (instance.password, instance.is_active):
        revoke_on_commit(user_id=instance.pk)


def connect_signals() -> None:
    user_model = get_user_model()
    user_logged_out.connect(_on_logged_out, dispatch_uid="realtime.revocation.logged_out")
    pre_save.connect(_remember_sign_in_fields, sender=user_model, dispatch_uid="realtime.revocation.pre_save")
    post_save.connect(_revoke_if_sign_in_changed, sender=user_model, dispatch_uid="realtime.revocation.post_save")
