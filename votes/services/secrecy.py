"""What a secret ballot keeps once it ends: its ballot papers, and nothing that says whose or when.

While a ballot is open, each vote row keeps the `vote_id` the phone made (so that a resent vote
is recognised, never counted twice) and rows lie in the order they were written (a batch
shuffles only its own rows; at room pace a batch holds one vote). A voter who kept their vote
id would hold a receipt proving their choice to anyone who can read the table, and the table's
order would follow the order of casting. When a secret ballot closes (or is cancelled after it
opened), in the same transaction, `secret_votes_rewrite` deletes its rows and inserts them
again, in a random order, each with a fresh key and a fresh vote id: the choices and colleges,
hence the counts and the verdict's fingerprint (over the sorted choices), are unchanged.
docs/voting.md ("Secrecy") states what stays linkable, by whom, and when.
"""

from __future__ import annotations

import uuid

from votes.models import Ballot, Vote, VoterRoll
from votes.services._common import shuffle


def wait_for_votes_in_flight(ballot_id: int) -> None:
    """Lock BALLOT_ID's whole voter roll for this transaction, in id order: every vote being written ends first.

    A vote never locks the ballot row: it locks its elector's roll row (`cast_sql.locked_rolls`,
    in id order), and only then reads the ballot's state. Holding every roll row, the close (or
    the cancel) waits for the votes in progress to commit, so that the verdict and the rewrite
    below see them; a vote that comes later waits for this transaction, then reads the ballot
    as it ended and is refused. Call it BEFORE locking the ballot row: a vote being written
    holds its roll row and, for the foreign key of its new row, a key-share lock on the ballot
    row, which the ballot row's update lock refuses: the other order would deadlock.
    (SQLite serialises writers anyway: there the lock is a no-op.)
    """
    list(VoterRoll.objects.select_for_update().filter(ballot_id=ballot_id).order_by("pk").values_list("pk", flat=True))


def secret_votes_rewrite(ballot: Ballot) -> int:
    """Store BALLOT's votes again: same choices and colleges, fresh keys and vote ids, in a random order.

    For a secret ballot that has ended, inside the transaction that ends it, after
    `wait_for_votes_in_flight`. Returns the number of rows rewritten (as many as before: the
    ballot's version, state changes plus vote rows, is unchanged).
    """
    assert ballot.secret, "a named ballot's votes are kept as cast"
    stored = Vote.objects.filter(ballot_id=ballot.pk)
    papers = list(stored.values_list("choice", "college", "superseded"))
    if not papers:
        return 0
    stored.delete()
    shuffle(papers)
    # uuid4: from the operating system's random source, unrelated to anything the phones sent.
    Vote.objects.bulk_create(
        Vote(
            id=uuid.uuid4(),
            ballot_id=ballot.pk,
            vote_id=uuid.uuid4(),
            choice=choice,
            college=college,
            superseded=superseded,
        )
        for choice, college, superseded in papers
    )
    return len(papers)
