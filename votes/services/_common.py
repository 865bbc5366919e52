"""Helpers shared by the services of the votes app: identifiers, the change announcement, the shuffle."""

from __future__ import annotations

import secrets
from typing import Any, overload

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.ids import is_id
from realtime.broadcast import broadcast_on_commit

# The operating system's random source (`secrets`): the order of vote rows must not be predictable
# from a seed, or it could be undone. Used for a batch's rows (`casting`) and a secret ballot's
# rows once it ends (`secrecy`).
shuffle = secrets.SystemRandom().shuffle


@overload
def pk_of(value: Model | int | str, field: str) -> int: ...
@overload
def pk_of(value: object, field: str) -> int | None: ...
def pk_of(value: Any, field: str) -> int | None:
    """The primary key of VALUE (an object or a number); ValidationFailed on FIELD if it is neither.

    None only when VALUE is None (an object not saved yet has no key: refused).
    """
    if value is None:
        return None
    raw = value.pk if hasattr(value, "pk") else value
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise ValidationFailed(_("This identifier is not valid."), field=field)
    try:
        number = int(raw)
    except ValueError as exc:
        raise ValidationFailed(_("This identifier is not valid."), field=field) from exc
    if not is_id(number):  # past the key range: no row has it, and no query could bind it
        raise ValidationFailed(_("This identifier is not valid."), field=field)
    return number


def announce(*, sitting_id: int, ballot_id: int, version: int) -> None:
    """Tell the sitting's live room, after commit, that BALLOT_ID is now at VERSION."""
    broadcast_on_commit(f"sitting.{sitting_id}", {"type": "ballot.changed", "ballot": ballot_id, "version": version})
