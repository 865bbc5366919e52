"""Input fields shared by the API serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

# The keys are BigAutoField: 1 … 2⁶³ − 1. A number past that range is a 400 on its field, never a
# query the database cannot bind (SQLite raised OverflowError on `pk__in=[2**64]`: a 500).
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a row, as the input gives it: a positive integer within the database's key range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
