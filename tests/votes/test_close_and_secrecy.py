"""Closing: verdict with quorum, counts, breakdowns and fingerprint; what a secret ballot stores."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from core.errors import DomainError
from core.models import AuditEvent
from tests.votes.conftest import cast, option
from votes import services, tally
from votes.models import Ballot, Verdict, Vote, VoterRoll


def test_close_stores_verdict_with_breakdown_and_fingerprint(open_ballot, present_members, staff):
    ballot = open_ballot()
    yes, no = option(ballot, "yes"), option(ballot, "no")
    for person, choice in zip(present_members, [yes, yes, yes, no], strict=True):
        cast(person, ballot, choice)
    verdict = services.ballot_close(by=staff, ballot=ballot)
    assert verdict.outcome == Verdict.Outcome.ADOPTED
    assert verdict.quorum_reached and verdict.electorate == 4 and verdict.votes_cast == 4
    assert verdict.counts["options"][str(yes)] == 3
    assert set(verdict.breakdown["results_by_college"]) == {"elected", "citizen"}
    assert set(verdict.breakdown["results_by_gender"]) == {"woman", "man"}
    assert "34" in verdict.breakdown["results_by_departement"]
    assert verdict.breakdown["participation"]["college"]["citizen"] == {"electorate": 2, "voted": 2}
    expected = tally.fingerprint(
        f"{m.pk}:" + tally.canonical(c) for m, c in zip(present_members, [yes, yes, yes, no], strict=True)
    )
    assert verdict.fingerprint == expected
    assert AuditEvent.objects.filter(action="votes.ballot_close", target_id=str(ballot.pk)).exists()


def test_double_majority_rejects_when_one_college_says_no(open_ballot, present_members, staff):
    ballot = open_ballot(double_majority=True)
    yes, no = option(ballot, "yes"), option(ballot, "no")
    # elected: yes, yes; citizens: yes, no, so citizens are split (not more yes than no) -> rejected
    for person, choice in zip(present_members, [yes, yes, yes, no], strict=True):
        cast(person, ballot, choice)
    assert services.ballot_close(by=staff, ballot=ballot).outcome == Verdict.Outcome.REJECTED


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_double_majority_is_not_met_when_one_college_cast_no_vote(open_ballot, present_members, staff, secret):
    """Both elected vote yes, both citizens in the room stay silent: the citizens have no majority."""
    ballot = open_ballot(double_majority=True, secret=secret)
    yes = option(ballot, "yes")
    for person in present_members[:2]:  # the two elected members (see the present_members fixture)
        cast(person, ballot, yes)
    verdict = services.ballot_close(by=staff, ballot=ballot)
    assert verdict.outcome == Verdict.Outcome.REJECTED
    assert verdict.results["by_college"] == {"elected": [2, 0, 0], "citizen": [0, 0, 0]}


def test_the_same_votes_adopt_without_a_double_majority(open_ballot, present_members, staff):
    ballot = open_ballot(double_majority=False)
    yes = option(ballot, "yes")
    for person in present_members[:2]:
        cast(person, ballot, yes)
    assert services.ballot_close(by=staff, ballot=ballot).outcome == Verdict.Outcome.ADOPTED


def test_no_quorum_when_too_few_present(assembly, open_ballot, staff):
    from tests import factories

    for _ in range(6):  # 4 present of 10 members
        factories.MandateFactory(assembly=assembly)
    ballot = open_ballot()
    assert not ballot.quorum_reached
    assert services.ballot_close(by=staff, ballot=ballot).outcome == Verdict.Outcome.NO_QUORUM


def test_close_twice_is_refused(open_ballot, staff):
    ballot = open_ballot()
    services.ballot_close(by=staff, ballot=ballot)
    with pytest.raises(DomainError) as info:
        services.ballot_close(by=staff, ballot=ballot)
    assert info.value.code == "ballot_closed"
    assert Verdict.objects.filter(ballot=ballot).count() == 1


def test_member_cannot_open_or_close(open_ballot, present_members):
    ballot = open_ballot()
    with pytest.raises(DomainError) as info:
        services.ballot_close(by=present_members[0], ballot=ballot)
    assert info.value.code == "forbidden"


def test_extend_moves_countdown(open_ballot, staff):
    ballot = open_ballot(duration_seconds=60)
    before = ballot.closes_at
    ballot = services.ballot_extend(by=staff, ballot=ballot, seconds=30)
    assert (ballot.closes_at - before).total_seconds() >= 30


def test_countdown_closes_due_ballots(open_ballot):
    import datetime as dt

    from django.utils import timezone

    ballot = open_ballot(duration_seconds=60)
    verdicts = services.ballots_close_due(now=timezone.now() + dt.timedelta(seconds=61))
    assert [v.ballot_id for v in verdicts] == [ballot.pk]
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED


def test_ranking_verdict_has_borda_and_condorcet(open_ballot, present_members, staff):
    ballot = open_ballot(kind="ranking", options=["Logement", "Mobilités", "Santé"])
    a, b, c = (o.pk for o in ballot.options.order_by("position"))
    for person, ranking in zip(present_members, [[a, b, c], [a, c, b], [b, a, c], [a, b, c]], strict=True):
        cast(person, ballot, ranking)
    verdict = services.ballot_close(by=staff, ballot=ballot)
    assert verdict.results["condorcet"] == a
    assert verdict.results["winners"][0] == a
    assert verdict.counts["borda"][str(a)] == 7


def test_secret_vote_rows_carry_no_link_to_the_voter(open_ballot, present_members):
    ballot = open_ballot(secret=True)
    voter = present_members[2]
    cast(voter, ballot, option(ballot, "no"))
    # The stored vote row, read raw from the database.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Vote._meta.db_table} WHERE ballot_id = %s", [ballot.pk])  # noqa: S608
        columns = [c[0] for c in cursor.description]
        (row,) = cursor.fetchall()
    stored = dict(zip(columns, row, strict=True))
    assert stored["elector_id"] is None
    assert stored["college"] == ""
    assert not any("time" in c or c.endswith("_at") or "user" in c or "member" in c for c in columns)
    # The primary key is random (uuid4), not a sequence that could be matched with the roll.
    assert uuid.UUID(str(stored["id"])).version == 4
    values = {str(v) for v in stored.values()}
    assert str(voter.pk) not in values - {str(ballot.pk)}
    # The roll says that the voter voted, not what, and carries no time either.
    roll = VoterRoll.objects.get(ballot=ballot, member=voter)
    assert roll.has_voted and not hasattr(roll, "voted_at")
    assert not any(f.get_internal_type() == "DateTimeField" for f in VoterRoll._meta.fields)
    # Roll rows were created at open in member order: their ids do not follow the order of casting.
    assert list(VoterRoll.objects.filter(ballot=ballot).order_by("id").values_list("member_id", flat=True)) == sorted(
        p.pk for p in present_members
    )
    # No journal line per vote.
    assert not AuditEvent.objects.filter(action__startswith="votes.vote").exists()


def test_secret_ballot_keeps_college_only_for_double_majority(open_ballot, present_members):
    ballot = open_ballot(secret=True, double_majority=True)
    cast(present_members[0], ballot, option(ballot, "yes"))
    assert list(Vote.objects.filter(ballot=ballot).values_list("college", "elector")) == [("elected", None)]


def test_secret_ballot_verdict_has_no_gender_or_departement_results(open_ballot, present_members, staff):
    ballot = open_ballot(secret=True)
    for person in present_members:
        cast(person, ballot, option(ballot, "yes"))
    verdict = services.ballot_close(by=staff, ballot=ballot)
    assert "results_by_gender" not in verdict.breakdown
    assert verdict.breakdown["participation"]["gender"]["woman"]["voted"] == 2


def test_adopted_ballot_on_proposal_adopts_it(assembly, open_ballot, present_members, staff):
    from proposals.models import Proposal
    from tests import factories

    proposal = factories.ProposalFactory(assembly=assembly)
    ballot = open_ballot(proposal=proposal)
    for person in present_members:
        cast(person, ballot, option(ballot, "yes"))
    services.ballot_close(by=staff, ballot=ballot)
    adopted = Proposal.objects.get(pk=proposal.pk)
    assert adopted.status == Proposal.Status.ADOPTED
    # The proposal names the ballot that decided it.
    assert adopted.ballot_ref == f"ballot:{ballot.pk}"
