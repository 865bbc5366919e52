"""PostgreSQL full-text search of proposals: the one plain SQL fragment of the app.

On PostgreSQL, migration 0003 adds a stored tsvector column (title weighted above body) with a
GIN index; it is not a model field, so that SQLite needs neither. Pinned to its ORM equivalent
(SearchVector / SearchQuery, French, web-search syntax) by tests/proposals/test_search_sql.py.
"""

from __future__ import annotations

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

_MATCH = '"proposals_proposal"."search_document" @@ websearch_to_tsquery(\'french\'::regconfig, %s)'


def full_text_match(text: str) -> RawSQL:
    """A boolean expression: the proposal's stored search document matches TEXT (PostgreSQL only)."""
    # The text is a bound parameter; _MATCH is a constant.
    return RawSQL(_MATCH, [text], output_field=BooleanField())  # noqa: S611
