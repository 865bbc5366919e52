"""A person's dated roles in one plain statement (the roles are read on every request and on every
websocket connect). Pinned to its ORM equivalent by tests/assembly/test_roles_sql.py."""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connection

from assembly.models import Mandate, PartnerOrganisation, PartnerRepresentative

MANDATE, PARTNER = 1, 2

RoleRow = tuple[int, int, bool, bool, bool]
"""(MANDATE or PARTNER, assembly id, is co-president, started on the day, not ended on the day)."""


@functools.cache
def _statement() -> str:
    """Every mandate and partner representation of a person, and how each stands on a day.

    As one plain statement it costs a fraction of the two ORM queries it replaces (building an
    ORM query costs more than running it). The dates are compared in the database, with the rule
    of `assembly.models.active_q`: started on or before the day, the end date its last day.
    """
    quote = connection.ops.quote_name
    mandate = quote(Mandate._meta.db_table)
    representative = quote(PartnerRepresentative._meta.db_table)
    organisation = quote(PartnerOrganisation._meta.db_table)
    return (
        f"SELECT {MANDATE}, m.assembly_id, m.is_copresident, m.start_date <= %s,"  # noqa: S608
        " (m.end_date IS NULL OR m.end_date >= %s)"
        f" FROM {mandate} m WHERE m.user_id = %s"
        f" UNION ALL SELECT {PARTNER}, o.assembly_id, FALSE, r.start_date <= %s,"
        " (r.end_date IS NULL OR r.end_date >= %s)"
        f" FROM {representative} r JOIN {organisation} o ON o.id = r.organisation_id WHERE r.user_id = %s"
    )


def role_rows(user_id: int, day: dt.date) -> list[RoleRow]:
    """USER_ID's mandates and partner representations, each with how it stands on DAY."""
    when = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [when, when, user_id, when, when, user_id])
        return [(int(k), int(a), bool(c), bool(s), bool(n)) for k, a, c, s, n in cursor.fetchall()]
