"""Input fields shared by the API serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.ids import MAX_ID, MIN_ID

__all__ = ["MAX_ID", "IdField", "RelatedIdField"]


class IdField(serializers.IntegerField):
    """The id of a row, as the input gives it: a positive integer within the database's key range
    (`core.ids`). A number past that range is a 400 on its field, never a query the database
    cannot bind (SQLite raised OverflowError on `pk__in=[2**64]`: a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class RelatedIdField(serializers.PrimaryKeyRelatedField[Any]):
    """A `PrimaryKeyRelatedField` whose id is checked against the key range before any query: past
    it, the row cannot exist (400 `does_not_exist` on the field, never a 500 from the database)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not MIN_ID <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and data.strip().isdigit() and not MIN_ID <= int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
