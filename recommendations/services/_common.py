"""What the recommendations services share: dates given as text or as dates."""

from __future__ import annotations

import datetime as dt
from typing import Literal, overload

from django.utils.translation import gettext as _

from core.errors import ValidationFailed


@overload
def parse_date(value: dt.date | str | None, *, field: str, required: Literal[True] = True) -> dt.date: ...


@overload
def parse_date(value: dt.date | str | None, *, field: str, required: bool) -> dt.date | None: ...


def parse_date(value: dt.date | str | None, *, field: str, required: bool = True) -> dt.date | None:
    """VALUE as a date; strings must be ISO 8601 (YYYY-MM-DD)."""
    if value is None or value == "":
        if required:
            raise ValidationFailed(_("This date is required."), field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(
            _("“%(value)s” is not a valid date: use the format YYYY-MM-DD.") % {"value": value}, field=field
        ) from None
