"""Domain errors in tests: the code of the one a call raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.errors import DomainError


def code_of(fn: Callable[[], Any]) -> str:
    """The code of the domain error FN raises (the test fails if it raises none)."""
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.code
