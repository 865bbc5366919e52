"""The statements of a vote batch (`services.votes_cast_batch`, `services.vote_cast`), as plain SQL.

A batch of a few votes runs about ten statements. Built with the ORM, compiling them cost the
writer thread as much Python time as the database spent running them (profiled on PostgreSQL,
a batch of 8: ~4 ms of query building against ~4 ms of round trips), under the GIL that the
event loop carrying every socket needs too (docs/performance-live.md). Here the same
statements are plain SQL run through Django's cursor: one text per shape, values adapted by the
model fields themselves (`get_db_prep_value`), so that SQLite and PostgreSQL receive what the
ORM would have sent. Rows come back as small read-only records, not model instances.

Only the hot statements live here. The rules stay in `services.decide`; the rare paths
(a changed vote superseding a stored one) and the mandate rule (the assembly app's
`Mandate.objects.active_on`) keep the ORM. tests/votes/test_sql_statements.py pins each
statement to its ORM equivalent on random rows, and that mandate rule to the plain SQL the rule
`votes.cast_ballot` reads (`assembly.selectors.roles_of`).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Field

from meetings.models import Sitting
from votes.models import Ballot, BallotOption, Vote, VoterRoll


class BallotRow(NamedTuple):
    pk: int
    sitting_id: int
    assembly_id: int
    state: str
    time_up: bool  # the countdown is over (closes_at reached)
    kind: str
    max_choices: int
    allow_change: bool
    secret: bool
    double_majority: bool
    version: int


class StoredVote(NamedTuple):
    vote_id: uuid.UUID
    ballot_id: int
    elector_id: int | None
    choice: Any  # its stored form (`votes.services.choices`): a replay must name the same choice


class RollRow(NamedTuple):
    pk: int
    ballot_id: int
    member_id: int
    holder_id: int | None
    college: str
    has_voted: bool
    voted_by_id: int | None


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _concrete_column(field: Field[Any, Any]) -> str:
    """The quoted column of FIELD, a concrete field (only a field that is not concrete has none)."""
    assert field.column is not None, f"{field} has no column"
    return connection.ops.quote_name(field.column)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ballots(ids: Iterable[int], now: dt.datetime) -> dict[int, BallotRow]:
    """The ballots of IDS with their sitting's assembly, and whether their countdown is over at NOW."""
    ids = sorted(ids)
    if not ids:
        return {}
    b, s = _table(Ballot), _table(Sitting)
    closes_at = _column(Ballot, "closes_at")
    sql = (
        f"SELECT b.{_column(Ballot, 'id')}, b.{_column(Ballot, 'sitting')}, s.{_column(Sitting, 'assembly')}, "  # noqa: S608
        f"b.{_column(Ballot, 'state')}, "
        f"CASE WHEN b.{closes_at} IS NOT NULL AND b.{closes_at} <= %s THEN 1 ELSE 0 END, "
        f"b.{_column(Ballot, 'kind')}, b.{_column(Ballot, 'max_choices')}, b.{_column(Ballot, 'allow_change')}, "
        f"b.{_column(Ballot, 'secret')}, b.{_column(Ballot, 'double_majority')}, b.{_column(Ballot, 'version')} "
        f"FROM {b} b JOIN {s} s ON s.{_column(Sitting, 'id')} = b.{_column(Ballot, 'sitting')} "
        f"WHERE b.{_column(Ballot, 'id')} IN ({_marks(ids)})"
    )
    rows = _fetch(sql, [connection.ops.adapt_datetimefield_value(now), *ids])
    return {
        row[0]: BallotRow(
            pk=row[0],
            sitting_id=row[1],
            assembly_id=row[2],
            state=row[3],
            time_up=bool(row[4]),
            kind=row[5],
            max_choices=row[6],
            allow_change=bool(row[7]),
            secret=bool(row[8]),
            double_majority=bool(row[9]),
            version=row[10],
        )
        for row in rows
    }


def options(ballot_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """{ballot id: {option id: code}} for BALLOT_IDS."""
    ids = sorted(ballot_ids)
    found: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    if not ids:
        return found
    ballot = _column(BallotOption, "ballot")
    sql = (
        f"SELECT {ballot}, {_column(BallotOption, 'id')}, {_column(BallotOption, 'code')} "  # noqa: S608
        f"FROM {_table(BallotOption)} WHERE {ballot} IN ({_marks(ids)})"
    )
    for ballot_id, option_id, code in _fetch(sql, ids):
        found[ballot_id][option_id] = code
    return found


def stored_votes(vote_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, StoredVote]:
    """The votes already stored under VOTE_IDS, by vote id."""
    ids = list(vote_ids)
    if not ids:
        return {}
    field = Vote._meta.get_field("vote_id")
    column = _column(Vote, "vote_id")
    sql = (
        f"SELECT {column}, {_column(Vote, 'ballot')}, {_column(Vote, 'elector')}, {_column(Vote, 'choice')} "  # noqa: S608
        f"FROM {_table(Vote)} WHERE {column} IN ({_marks(ids)})"
    )
    found = {}
    for raw, ballot_id, elector_id, choice in _fetch(sql, [field.get_db_prep_value(v, connection) for v in ids]):
        vote_id = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        # JSON text on SQLite and PostgreSQL alike (Django loads jsonb as text); decoded here, as the ORM would.
        stored = json.loads(choice) if isinstance(choice, str | bytes) else choice
        found[vote_id] = StoredVote(vote_id, ballot_id, elector_id, stored)
    return found


def locked_rolls(ballot_ids: Iterable[int], member_ids: Iterable[int]) -> list[RollRow]:
    """The roll rows of MEMBER_IDS on BALLOT_IDS, locked for this transaction, in id order.

    The id order is what keeps two writers locking overlapping rows from deadlocking.
    """
    ballots_, members = sorted(ballot_ids), sorted(member_ids)
    if not ballots_ or not members:
        return []
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    pk = _column(VoterRoll, "id")
    sql = (
        f"SELECT {pk}, {_column(VoterRoll, 'ballot')}, {_column(VoterRoll, 'member')}, "  # noqa: S608
        f"{_column(VoterRoll, 'holder')}, {_column(VoterRoll, 'college')}, {_column(VoterRoll, 'has_voted')}, "
        f"{_column(VoterRoll, 'voted_by')} FROM {_table(VoterRoll)} "
        f"WHERE {_column(VoterRoll, 'ballot')} IN ({_marks(ballots_)}) "
        f"AND {_column(VoterRoll, 'member')} IN ({_marks(members)}) ORDER BY {pk}{lock}"
    )
    return [
        RollRow(pk, ballot_id, member_id, holder_id, college, bool(has_voted), voted_by_id)
        for pk, ballot_id, member_id, holder_id, college, has_voted, voted_by_id in _fetch(sql, [*ballots_, *members])
    ]


def insert_votes(votes: Sequence[Vote]) -> None:
    """INSERT VOTES (unsaved instances) with multi-row statements; a duplicate raises IntegrityError."""
    fields = Vote._meta.concrete_fields
    columns = ", ".join(_concrete_column(f) for f in fields)
    size = max(1, connection.ops.bulk_batch_size(fields, votes))
    row = f"({_marks(fields)})"
    with connection.cursor() as cursor:
        for start in range(0, len(votes), size):
            chunk = votes[start : start + size]
            params = [f.get_db_prep_save(getattr(vote, f.attname), connection) for vote in chunk for f in fields]
            values = ", ".join([row] * len(chunk))
            cursor.execute(f"INSERT INTO {_table(Vote)} ({columns}) VALUES {values}", params)  # noqa: S608


def mark_voted(roll_ids: Sequence[int], *, signed_by: str) -> None:
    """Flag ROLL_IDS as voted, signed by the roll's own `member` or its `holder` (a proxy vote)."""
    if not roll_ids:
        return
    assert signed_by in ("member", "holder")
    sql = (
        f"UPDATE {_table(VoterRoll)} SET {_column(VoterRoll, 'has_voted')} = %s, "  # noqa: S608
        f"{_column(VoterRoll, 'voted_by')} = {_column(VoterRoll, signed_by)} "
        f"WHERE {_column(VoterRoll, 'id')} IN ({_marks(roll_ids)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, *roll_ids])


def vote_counts(ballot_ids: Iterable[int]) -> dict[int, int]:
    """{ballot id: number of vote rows} (every row, superseded ones included: the version counts writes)."""
    ids = sorted(ballot_ids)
    if not ids:
        return {}
    ballot = _column(Vote, "ballot")
    sql = (
        f"SELECT {ballot}, COUNT(*) FROM {_table(Vote)} "  # noqa: S608
        f"WHERE {ballot} IN ({_marks(ids)}) GROUP BY {ballot}"
    )
    return dict(_fetch(sql, ids))
