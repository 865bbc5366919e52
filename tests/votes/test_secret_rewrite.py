"""Receipt-freeness: when a secret ballot ends, its vote rows are stored again in a random order with fresh ids.

What the rows say is read in the table's own order, as someone with SQL access would: SQLite's
rowid, PostgreSQL's physical position (ctid). docs/voting.md ("Secrecy") states what stays linkable.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.db import connection

from core.errors import DomainError
from meetings.services import attendance as attendance_services
from tests import factories
from votes import selectors, services, tally
from votes.models import Ballot, Vote, VoterRoll

VOTERS = 30


@pytest.fixture
def room(assembly, sitting, staff):
    """VOTERS members checked in."""
    people = []
    for _ in range(VOTERS):
        user = factories.MandateFactory(assembly=assembly).user
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
        people.append(user)
    return people


def _open(staff, sitting, **kwargs) -> Ballot:
    ballot = factories.BallotFactory(sitting=sitting, **kwargs)
    return services.ballot_open(by=staff, ballot=ballot)


def _ranking(staff, sitting, *, secret: bool = True) -> Ballot:
    """A ranking of five options: 120 orders, so VOTERS voters can each give a different one."""
    return _open(staff, sitting, kind="ranking", secret=secret, options=["A", "B", "C", "D", "E"])


def _cast_in_order(ballot: Ballot, people) -> tuple[list[list[int]], list[uuid.UUID]]:
    """Each person casts, one after the other, a different ranking; the choices and vote ids in casting order."""
    options = list(ballot.options.order_by("position").values_list("pk", flat=True))
    choices = [list(order) for order in itertools.islice(itertools.permutations(options), len(people))]
    vote_ids = [uuid.uuid4() for _ in people]
    for person, choice, vote_id in zip(people, choices, vote_ids, strict=True):
        services.vote_cast(voter=person, ballot=ballot, choice=choice, vote_id=vote_id)
    return choices, vote_ids


def _rows_in_table_order(ballot: Ballot) -> list[tuple[uuid.UUID, uuid.UUID, object]]:
    """(key, vote id, choice) of BALLOT's vote rows in the table's physical order."""
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = connection.ops.quote_name(Vote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, vote_id, choice FROM {table} WHERE ballot_id = %s ORDER BY {physical}", [ballot.pk])  # noqa: S608
        raw = cursor.fetchall()
    id_field, vote_id_field, choice_field = (Vote._meta.get_field(n) for n in ("id", "vote_id", "choice"))
    return [
        (
            id_field.to_python(key),
            vote_id_field.to_python(vote_id),
            choice_field.from_db_value(choice, None, connection),
        )
        for key, vote_id, choice in raw
    ]


def test_closing_a_secret_ballot_stores_its_votes_again_in_a_random_order_with_fresh_ids(room, staff, sitting):
    ballot = _ranking(staff, sitting)
    choices, sent_ids = _cast_in_order(ballot, room)
    before = _rows_in_table_order(ballot)
    if connection.vendor == "sqlite":
        # The control: while open, the table order is the casting order (one vote per transaction),
        # and each row carries the vote id its phone sent. This is what the close undoes.
        assert [choice for _key, _vote_id, choice in before] == choices
        assert [vote_id for _key, vote_id, _choice in before] == sent_ids

    services.ballot_close(by=staff, ballot=ballot)

    after = _rows_in_table_order(ballot)
    stored_choices = [choice for _key, _vote_id, choice in after]
    # The same ballot papers: the multiset of choices is unchanged (here all 30 are different).
    assert sorted(stored_choices) == sorted(choices)
    # No stored value matches what a phone sent or what was stored before: no receipt survives.
    assert not {vote_id for _key, vote_id, _choice in after} & set(sent_ids)
    assert not {key for key, _vote_id, _choice in after} & {key for key, _vote_id, _choice in before}
    # The table order is not the casting order. The 30 choices are all different, so a uniform
    # shuffle (secrets.SystemRandom) leaves them in casting order with probability 1/30!
    # (about 4e-33): this assertion fails by chance never in practice.
    assert stored_choices != choices
    # The rows are still read in key order elsewhere; that order is random too.
    assert list(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)) != choices


def test_the_rewrite_changes_neither_the_fingerprint_nor_the_counts(room, staff, sitting):
    ballot = _ranking(staff, sitting)
    choices, _sent = _cast_in_order(ballot, room)
    option_ids = list(ballot.options.order_by("position").values_list("pk", flat=True))
    expected_counts = tally.tally(ballot.kind, option_ids, choices).as_dict()
    expected_fingerprint = tally.fingerprint(tally.canonical(c) for c in choices)
    version_before_close = selectors.ballot_version(ballot)

    verdict = services.ballot_close(by=staff, ballot=ballot)

    assert verdict.fingerprint == expected_fingerprint
    assert verdict.counts == expected_counts and verdict.votes_cast == VOTERS
    # Anyone holding the rows recomputes the same fingerprint from the rewritten rows.
    rows = Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)
    assert tally.fingerprint(tally.canonical(c) for c in rows) == verdict.fingerprint
    # As many rows as before: the version grew by the close alone.
    closed = Ballot.objects.get(pk=ballot.pk)
    assert selectors.ballot_version(closed) == version_before_close + 1
    assert VoterRoll.objects.filter(ballot=ballot, has_voted=True).count() == VOTERS


def test_a_double_majority_secret_ballot_keeps_each_votes_college(assembly, sitting, staff, present_members):
    ballot = _open(staff, sitting, secret=True, double_majority=True)
    yes, no = (ballot.options.get(code=c).pk for c in ("yes", "no"))
    for person, choice in zip(present_members, [yes, yes, no, yes], strict=True):
        services.vote_cast(voter=person, ballot=ballot, choice=choice, vote_id=uuid.uuid4())
    pairs = sorted(Vote.objects.filter(ballot=ballot).values_list("college", "choice"))
    verdict = services.ballot_close(by=staff, ballot=ballot)
    assert sorted(Vote.objects.filter(ballot=ballot).values_list("college", "choice")) == pairs
    assert verdict.results["by_college"] == {"elected": [2, 0, 0], "citizen": [1, 1, 0]}


def test_a_resent_vote_is_idempotent_while_a_secret_ballot_is_open(room, staff, sitting):
    ballot = _ranking(staff, sitting)
    choice = list(ballot.options.order_by("position").values_list("pk", flat=True))
    vote_id = uuid.uuid4()
    services.vote_cast(voter=room[0], ballot=ballot, choice=choice, vote_id=vote_id)
    again = services.vote_cast(voter=room[0], ballot=ballot, choice=choice, vote_id=vote_id)
    assert again.replayed and Vote.objects.filter(ballot=ballot).count() == 1


def test_a_resent_vote_after_a_secret_ballot_closed_gets_ballot_closed_and_counts_nothing(room, staff, sitting):
    ballot = _ranking(staff, sitting)
    choice = list(ballot.options.order_by("position").values_list("pk", flat=True))
    vote_id = uuid.uuid4()
    services.vote_cast(voter=room[0], ballot=ballot, choice=choice, vote_id=vote_id)
    services.ballot_close(by=staff, ballot=ballot)
    with pytest.raises(DomainError) as refused:
        services.vote_cast(voter=room[0], ballot=ballot, choice=choice, vote_id=vote_id)
    assert refused.value.code == "ballot_closed"
    # Through a vote batch (the socket's path) too.
    (outcome,) = services.votes_cast_batch(
        [services.CastRequest(voter=room[0], ballot=ballot.pk, choice=choice, vote_id=vote_id)]
    )
    assert isinstance(outcome, DomainError) and outcome.code == "ballot_closed"
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_cancelling_an_open_secret_ballot_stores_its_votes_again_too(room, staff, sitting):
    ballot = _ranking(staff, sitting)
    choices, sent_ids = _cast_in_order(ballot, room)
    services.ballot_cancel(by=staff, ballot=ballot, reason="erreur de saisie")
    after = _rows_in_table_order(ballot)
    assert sorted(choice for _key, _vote_id, choice in after) == sorted(choices)
    assert not {vote_id for _key, vote_id, _choice in after} & set(sent_ids)
    assert [choice for _key, _vote_id, choice in after] != choices  # probability 1/30!, as above


def test_a_named_ballots_votes_are_kept_as_cast(room, staff, sitting):
    ballot = _ranking(staff, sitting, secret=False)
    choices, sent_ids = _cast_in_order(ballot, room)
    before = _rows_in_table_order(ballot)
    services.ballot_close(by=staff, ballot=ballot)
    assert _rows_in_table_order(ballot) == before
    # And a resent vote is still answered as the original (the phone gets its ack).
    assert services.vote_cast(voter=room[0], ballot=ballot, choice=choices[0], vote_id=sent_ids[0]).replayed
