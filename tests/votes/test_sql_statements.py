"""Every plain SQL statement of the votes app gives what its ORM equivalent gives, on seeded random rows.

The statements are those of a vote batch (votes/cast_sql.py) and of a ballot's opening
(votes/roll_sql.py). The rows are ballots in every state with countdowns around now, their
options, mandates starting and ending around today, voter roll rows with and without proxies,
and stored votes, named and secret. The suite runs these on SQLite, and on PostgreSQL when
DATABASE_URL points to it.

The mandate date rule is written three times by the assembly app: `Mandate.objects.active_on`
(the ORM query a vote batch runs), the plain SQL of `assembly.selectors.roles_of` (what the rule
`votes.cast_ballot` reads) and `Mandate.is_active`. The last tests pin them to each other on the
last day of a mandate and the day after.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import uuid
from collections import Counter

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from assembly.models import Mandate, User
from assembly.selectors import ANONYMOUS_ROLES, roles_of
from tests import factories
from votes import cast_sql, roll_sql
from votes.models import Ballot, BallotOption, Vote, VoterRoll
from votes.predicates import casting_right
from votes.services import casting

SEEDS = [1, 2, 3]

# ---------------------------------------------------------------------------------------------
# Random rows
# ---------------------------------------------------------------------------------------------


def _people(rng: random.Random, assemblies: list, today: dt.date) -> list[User]:
    """Users with mandates starting and ending around TODAY (always one ending today, one yesterday,
    one starting today, one starting tomorrow), some staff, some no longer active."""
    people = []
    edges = [(-30, 0), (-30, -1), (0, None), (1, None)]  # (start, end) in days from today
    for i in range(12):
        user = factories.UserFactory(is_staff=rng.random() < 0.2, is_active=rng.random() > 0.15)
        for assembly in rng.sample(assemblies, rng.randint(1, len(assemblies))):
            start, end = edges[i] if i < len(edges) else (rng.choice([-400, -30, -1, 0, 1]), None)
            if end is None and rng.random() < 0.5:
                end = start + rng.choice([0, 1, 29, 30, 31, 400])
            factories.MandateFactory(
                user=user,
                assembly=assembly,
                start_date=today + dt.timedelta(days=start),
                end_date=None if end is None else today + dt.timedelta(days=end),
            )
        people.append(user)
    return people


def _ballots(rng: random.Random, sittings: list, now: dt.datetime) -> list[Ballot]:
    ballots = []
    for _ in range(8):
        secret = rng.random() < 0.4
        ballots.append(
            factories.BallotFactory(
                sitting=rng.choice(sittings),
                kind=rng.choice(Ballot.Kind.values),
                secret=secret,
                allow_change=not secret and rng.random() < 0.5,
                double_majority=rng.random() < 0.3,
                max_choices=rng.randint(1, 3),
                state=rng.choice(Ballot.State.values),
                version=rng.randint(0, 9),
                closes_at=rng.choice([None, now, now - dt.timedelta(seconds=1), now + dt.timedelta(seconds=1)]),
            )
        )
    return ballots


def _roll_and_votes(rng: random.Random, ballots: list[Ballot], people: list[User]) -> None:
    for ballot in ballots:
        options = list(BallotOption.objects.filter(ballot=ballot).values_list("pk", flat=True))
        for member in rng.sample(people, rng.randint(0, len(people))):
            holder = rng.choice([None, None, *[p for p in people if p != member]])
            voted = rng.random() < 0.6
            roll = VoterRoll.objects.create(
                ballot=ballot,
                member=member,
                holder=holder,
                college=rng.choice(["elected", "citizen"]),
                gender=rng.choice(["woman", "man"]),
                departement=rng.choice(["34", "66"]),
                has_voted=voted,
                voted_by=(holder or member) if voted else None,
            )
            if not voted:
                continue
            for superseded in [True] * rng.randint(0, 1) + [False]:
                Vote.objects.create(
                    ballot=ballot,
                    vote_id=uuid.uuid4(),
                    choice=rng.choice(options),
                    elector=None if ballot.secret else roll,
                    college=roll.college,
                    superseded=superseded and not ballot.secret,
                )


@pytest.fixture(params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def world(request, assembly):
    rng = random.Random(request.param)
    now = timezone.now()
    other = factories.AssemblyFactory(slug="pmer", short_name="PMer", name="Parlement de la Mer")
    assemblies = [assembly, other]
    sittings = [factories.SittingFactory(meeting__assembly=a) for a in assemblies for _ in range(2)]
    people = _people(rng, assemblies, timezone.localdate())
    ballots = _ballots(rng, sittings, now)
    _roll_and_votes(rng, ballots, people)
    return {"rng": rng, "now": now, "assemblies": assemblies, "people": people, "ballots": ballots}


def _effect(write) -> tuple[list, list]:
    """The roll and vote rows after WRITE (without their generated keys), rolled back afterwards."""
    with transaction.atomic():
        write()
        roll = list(
            VoterRoll.objects.order_by("ballot_id", "member_id").values_list(
                "ballot_id", "member_id", "holder_id", "college", "gender", "departement", "has_voted", "voted_by_id"
            )
        )
        votes = list(
            Vote.objects.order_by("vote_id").values_list(
                "id", "ballot_id", "vote_id", "choice", "elector_id", "college", "superseded"
            )
        )
        transaction.set_rollback(True)
    return roll, votes


# ---------------------------------------------------------------------------------------------
# votes/cast_sql.py
# ---------------------------------------------------------------------------------------------


def test_ballots_reads_what_the_orm_reads_with_the_countdown_at_now(world):
    now = world["now"]
    ids = [b.pk for b in world["ballots"]] + [10**9]
    expected = {
        b.pk: cast_sql.BallotRow(
            pk=b.pk,
            sitting_id=b.sitting_id,
            assembly_id=b.sitting.assembly_id,
            state=b.state,
            time_up=b.closes_at is not None and b.closes_at <= now,
            kind=b.kind,
            max_choices=b.max_choices,
            allow_change=b.allow_change,
            secret=b.secret,
            double_majority=b.double_majority,
            version=b.version,
        )
        for b in Ballot.objects.filter(pk__in=ids).select_related("sitting")
    }
    assert cast_sql.ballots(ids, now) == expected
    assert {row.time_up for row in expected.values()} == {True, False}  # the countdown's edge is in the rows


def test_options_reads_what_the_orm_reads(world):
    ids = [b.pk for b in world["ballots"]] + [10**9]
    expected = {pk: dict(BallotOption.objects.filter(ballot_id=pk).values_list("id", "code")) for pk in ids}
    assert cast_sql.options(ids) == expected


def test_stored_votes_reads_what_the_orm_reads(world):
    stored = list(Vote.objects.all())
    asked = [v.vote_id for v in world["rng"].sample(stored, len(stored) // 2)] + [uuid.uuid4()]
    expected = {
        v.vote_id: cast_sql.StoredVote(v.vote_id, v.ballot_id, v.elector_id, v.choice)
        for v in stored
        if v.vote_id in asked
    }
    assert cast_sql.stored_votes(asked) == expected


def test_locked_rolls_reads_what_the_orm_reads_in_id_order(world):
    rng = world["rng"]
    ballot_ids = [b.pk for b in rng.sample(world["ballots"], 4)]
    member_ids = [p.pk for p in rng.sample(world["people"], 6)]
    expected = [
        cast_sql.RollRow(r.pk, r.ballot_id, r.member_id, r.holder_id, r.college, r.has_voted, r.voted_by_id)
        for r in VoterRoll.objects.filter(ballot_id__in=ballot_ids, member_id__in=member_ids).order_by("pk")
    ]
    with transaction.atomic():
        assert cast_sql.locked_rolls(ballot_ids, member_ids) == expected
    assert cast_sql.locked_rolls([], member_ids) == cast_sql.locked_rolls(ballot_ids, []) == []


def test_insert_votes_stores_what_bulk_create_stores(world):
    rng = world["rng"]
    votes = []
    for ballot in world["ballots"]:
        options = list(BallotOption.objects.filter(ballot=ballot).values_list("pk", flat=True))
        roll = list(VoterRoll.objects.filter(ballot=ballot))
        for _ in range(rng.randint(0, 3)):
            choice = rng.choice([rng.choice(options), sorted(rng.sample(options, 2)), {str(options[0]): "yes"}])
            elector = rng.choice(roll) if roll and not ballot.secret else None
            votes.append(
                Vote(
                    id=uuid.uuid4(),
                    ballot_id=ballot.pk,
                    vote_id=uuid.uuid4(),
                    choice=choice,
                    elector_id=elector.pk if elector else None,
                    college=rng.choice(["", "elected", "citizen"]),
                    superseded=True,  # clear of the one-current-vote constraint whatever the elector
                )
            )
    assert votes
    assert _effect(lambda: cast_sql.insert_votes(votes)) == _effect(
        lambda: Vote.objects.bulk_create(copy.deepcopy(votes))
    )


def test_insert_votes_refuses_a_vote_id_already_stored(world):
    stored = Vote.objects.first()
    again = Vote(id=uuid.uuid4(), ballot_id=stored.ballot_id, vote_id=stored.vote_id, choice=1, superseded=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        cast_sql.insert_votes([again])


@pytest.mark.parametrize("signed_by", ["member", "holder"])
def test_mark_voted_writes_what_the_orm_update_writes(world, signed_by):
    rows = list(VoterRoll.objects.filter(has_voted=False).values_list("pk", flat=True))
    chosen = world["rng"].sample(rows, len(rows) // 2)
    assert _effect(lambda: cast_sql.mark_voted(chosen, signed_by=signed_by)) == _effect(
        lambda: VoterRoll.objects.filter(pk__in=chosen).update(has_voted=True, voted_by=F(signed_by))
    )


def test_vote_counts_counts_what_the_orm_counts(world):
    ids = [b.pk for b in world["ballots"]] + [10**9]
    expected = Counter(Vote.objects.filter(ballot_id__in=ids).values_list("ballot_id", flat=True))
    assert cast_sql.vote_counts(ids) == dict(expected)  # every row, superseded ones included


# ---------------------------------------------------------------------------------------------
# votes/roll_sql.py
# ---------------------------------------------------------------------------------------------


def test_insert_roll_stores_what_bulk_create_stores_in_member_order(world):
    rng = world["rng"]
    ballot = factories.BallotFactory(sitting=world["ballots"][0].sitting)
    members = rng.sample(world["people"], 8)
    electors = [
        (
            member.pk,
            rng.choice([None, *[p.pk for p in world["people"] if p != member]]),
            rng.choice(["elected", "citizen"]),
            rng.choice(["woman", "man"]),
            rng.choice(["34", "66", "2A"]),
        )
        for member in members
    ]

    def with_the_orm():
        VoterRoll.objects.bulk_create(
            VoterRoll(ballot=ballot, member_id=m, holder_id=h, college=c, gender=g, departement=d)
            for m, h, c, g, d in sorted(electors)
        )

    assert _effect(lambda: roll_sql.insert_roll(ballot.pk, electors)) == _effect(with_the_orm)
    with transaction.atomic():
        roll_sql.insert_roll(ballot.pk, electors)
        written = list(VoterRoll.objects.filter(ballot=ballot).order_by("pk").values_list("member_id", flat=True))
        transaction.set_rollback(True)
    assert written == sorted(m.pk for m in members)  # inserted in member order


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE of the roll runs on PostgreSQL only")
def test_analyze_roll_changes_no_row(world):
    before = _effect(lambda: None)
    roll_sql.analyze_roll()
    assert _effect(lambda: None) == before


# ---------------------------------------------------------------------------------------------
# The mandate date rule: the batch's ORM, the rule's SQL, the model's Python
# ---------------------------------------------------------------------------------------------


def _batch_view(world) -> tuple[set[tuple[int, int]], dict]:
    assembly_ids = {a.pk for a in world["assemblies"]}
    return casting._mandates_today(assembly_ids, {p.pk for p in world["people"]})


@pytest.mark.parametrize("day", [0, 1], ids=["last_day_of_a_mandate", "the_day_after"])
def test_the_batch_and_the_rule_read_the_same_mandates_on_the_last_day_and_the_day_after(world, day):
    last_day = timezone.localdate()
    ending = Mandate.objects.filter(end_date=last_day)
    assert ending.exists()  # the edge is in the rows
    noon = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=day), dt.time(12)))
    with time_machine.travel(noon, tick=False):
        today = timezone.localdate()
        members, roles = _batch_view(world)
        orm = set(Mandate.objects.active_on(today).values_list("user_id", "assembly_id"))
        python = {(m.user_id, m.assembly_id) for m in Mandate.objects.all() if m.is_active(today)}
        assert members == orm == python
        assert all(((m.user_id, m.assembly_id) in members) == (day == 0) for m in ending)
        for person in world["people"]:
            person.refresh_from_db()
            sql = roles_of(person, fresh=True)  # the plain SQL of assembly.selectors
            batch = roles.get(person.pk, ANONYMOUS_ROLES)
            assert batch.member_of == sql.member_of
            if person.pk in roles:
                assert batch.is_staff == sql.is_staff


def test_every_vote_asks_the_rule_votes_cast_ballot(world):
    """The batch's evaluation of the casting right answers as `user.has_perm("votes.cast_ballot", ballot)`."""
    _members, roles = _batch_view(world)
    answers = set()
    for person in world["people"]:
        person.refresh_from_db()
        roles_of(person, fresh=True)
        for ballot in world["ballots"]:
            by_name = person.has_perm("votes.cast_ballot", ballot)
            in_batch = casting_right(roles.get(person.pk, ANONYMOUS_ROLES), ballot.sitting.assembly_id)
            assert by_name == in_batch, (person, ballot)
            answers.add(by_name)
    assert answers == {True, False}
