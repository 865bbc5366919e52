"""Row ids as the outside gives them: one range, checked once wherever an id comes in.

The keys are BigAutoField: 1 … 2⁶³ − 1. A number past that range never reaches a query: the
database cannot bind it (SQLite raises OverflowError, a 500). So:

- in a URL, `<id:pk>` (the converter registered in `core.apps`, used by every urls.py instead of
  `<int:...>`) matches 1 to 19 digits and refuses a value out of range: Django answers 404;
- in an API body, `core.api.fields.IdField` answers 400 on its field (the OpenAPI schema says
  `minimum: 1`, `maximum: 9223372036854775807`);
- in a live room message or any other JSON, `is_id` is the test (`votes.live.commands`).
"""

from __future__ import annotations

from typing import Any, TypeGuard

MIN_ID = 1
MAX_ID = 2**63 - 1


def is_id(value: Any) -> TypeGuard[int]:
    """Whether VALUE is an id a row may have: an integer (not a bool) within MIN_ID … MAX_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_ID <= value <= MAX_ID


class IdConverter:
    """`<id:name>`: a row id in a path. Out of range is no match (404), never a query."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not MIN_ID <= number <= MAX_ID:
            raise ValueError(value)  # Django tries the next pattern, then answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))
