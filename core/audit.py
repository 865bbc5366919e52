"""The one way to write the journal (AuditEvent).

Call `record` inside the service's transaction: the change and its record commit together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction

from core.models import AuditEvent

if TYPE_CHECKING:
    # The stubs' stand-in for the user model (AUTH_USER_MODEL, read by the Django mypy plugin).
    from django.contrib.auth.models import _User


def record(
    *,
    actor: _User | AnonymousUser | None,
    action: str,
    target: models.Model,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for ACTION on TARGET by ACTOR (None, or an anonymous visitor, for the system).

    ACTION is a dotted name, `<app>.<thing>_<verb>` (e.g. `votes.ballot_open`). DATA holds
    what changed, as JSON-serialisable values; never personal data a secret ballot hides.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    if isinstance(actor, AnonymousUser) or (actor is not None and not actor.pk):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        data=data or {},
    )
