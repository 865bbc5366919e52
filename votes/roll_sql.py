"""The statements of a ballot's opening (`services.ballot_open`), as plain SQL: the voter roll.

The room waits for the opening: building 5,000 model instances and their SQL took 0.4 s of the
0.5 s an opening cost at that size; the same rows as parameters of one statement (sent as a
pipeline by psycopg) take about half as long. The model's constraints apply as for any insert.
tests/votes/test_sql_statements.py pins each statement to its ORM equivalent.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from votes.models import VoterRoll

ROLL_COLUMNS = ("ballot_id", "member_id", "holder_id", "college", "gender", "departement", "has_voted")

# One elector: (member id, proxy holder id or None, college, gender, département).
Elector = tuple[int, int | None, str, str, str]


def insert_roll(ballot_id: int, electors: Iterable[Elector]) -> None:
    """The voter roll of BALLOT_ID, one row per elector, in member order, as one prepared INSERT.

    The same rows as `VoterRoll.objects.bulk_create(VoterRoll(ballot_id=…, member_id=…, …))`
    in member order, every `has_voted` false.
    """
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(VoterRoll._meta.db_table)} ({', '.join(quote(c) for c in ROLL_COLUMNS)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(ROLL_COLUMNS))})"
    )
    rows = [(ballot_id, *elector, False) for elector in sorted(electors, key=lambda e: e[0])]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def analyze_roll() -> None:
    """Refresh PostgreSQL's statistics of the voter roll once a ballot's roll is written.

    A ballot just opened has no statistics: the planner then expects one roll row for it and
    reads the ballot's whole roll (5,000 rows: 2.5 ms) for every vote batch, instead of the
    few rows the batch names (0.1 ms). Autovacuum would fix it within a minute or so, when
    the vote is already over. (Maintenance, not data: it has no ORM equivalent.)
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(VoterRoll._meta.db_table)}")
