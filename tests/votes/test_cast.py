"""vote_cast: every rule and bad input, idempotency by vote_id, proxies, changes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone, translation

from core.errors import DomainError
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services
from meetings.services import sittings as sitting_services
from tests import factories
from tests.shared.errors import code_of
from tests.votes.conftest import cast, option
from votes import services
from votes.models import Ballot, Vote, VoterRoll
from votes.selectors import ballot_tally, ballot_version
from votes.services import casting


def test_member_vote_is_counted_once(open_ballot, present_members):
    ballot = open_ballot()
    result = cast(present_members[0], ballot, option(ballot, "yes"))
    assert not result.replayed and result.member_id == present_members[0].pk
    assert ballot_tally(ballot).options[option(ballot, "yes")] == 1
    assert VoterRoll.objects.get(ballot=ballot, member=present_members[0]).has_voted


def test_replay_of_same_vote_id_returns_original_and_counts_once(open_ballot, present_members):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    first = cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    again = cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    assert again.replayed and again.vote_id == first.vote_id and again.member_id == first.member_id
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_replay_after_close_still_acknowledged(open_ballot, present_members, staff):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    cast(present_members[0], ballot, option(ballot, "no"), vote_id)
    services.ballot_close(by=staff, ballot=ballot)
    assert cast(present_members[0], ballot, option(ballot, "no"), vote_id).replayed


def test_vote_id_of_someone_else_is_refused(open_ballot, present_members):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    cast(present_members[0], ballot, option(ballot, "yes"), vote_id)
    assert code_of(lambda: cast(present_members[1], ballot, option(ballot, "yes"), vote_id)) == "invalid"
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_member_cannot_vote_twice(open_ballot, present_members):
    ballot = open_ballot()
    cast(present_members[0], ballot, option(ballot, "yes"))
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "no"))) == "already_voted"
    assert ballot_tally(ballot).votes == 1


def test_named_ballot_allows_change_when_configured(open_ballot, present_members):
    ballot = open_ballot(allow_change=True)
    first = uuid.uuid4()
    cast(present_members[0], ballot, option(ballot, "yes"), first)
    result = cast(present_members[0], ballot, option(ballot, "no"))
    assert result.changed
    counts = ballot_tally(ballot).options
    assert counts[option(ballot, "yes")] == 0 and counts[option(ballot, "no")] == 1
    # The old vote id is still recognised as a replay, and does not come back.
    assert cast(present_members[0], ballot, option(ballot, "yes"), first).replayed
    assert ballot_tally(ballot).options[option(ballot, "no")] == 1


@pytest.mark.parametrize(
    ("language", "labels"), [("fr", ["Pour", "Contre", "Abstention"]), ("en", ["Yes", "No", "Abstain"])]
)
def test_yes_no_options_are_labelled_as_the_assembly_votes(staff, sitting, language, labels):
    """The words staff say and phones show: "Pour / Contre" in French, never Django's own "Oui / Non"."""
    with translation.override(language):
        ballot = services.ballot_create(by=staff, sitting=sitting, title="Q ?")
    assert [o.label for o in ballot.options.order_by("position")] == labels


def test_secret_ballot_cannot_allow_change(staff, sitting):
    with pytest.raises(DomainError) as info:
        services.ballot_create(by=staff, sitting=sitting, title="Q", secret=True, allow_change=True)
    assert info.value.field == "allow_change"


@pytest.mark.parametrize("state,code", [("draft", "ballot_not_open"), ("closed", "ballot_closed")])
def test_vote_on_ballot_not_open(sitting, present_members, state, code):
    ballot = factories.BallotFactory(sitting=sitting, state=state)
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"))) == code


def test_vote_on_cancelled_ballot(open_ballot, present_members, staff):
    ballot = open_ballot()
    services.ballot_cancel(by=staff, ballot=ballot, reason="erreur")
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"))) == "ballot_closed"
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_vote_after_countdown_is_closed(open_ballot, present_members):
    ballot = open_ballot(duration_seconds=60)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"))) == "ballot_closed"


def test_option_of_another_ballot_is_invalid(open_ballot, present_members, sitting):
    ballot = open_ballot()
    other = factories.BallotFactory(sitting=sitting)
    assert code_of(lambda: cast(present_members[0], ballot, option(other, "yes"))) == "invalid_choice"
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_other_sittings_ballot_is_not_open_to_this_room(assembly, present_members, staff):
    other_sitting = factories.SittingFactory(meeting__assembly=assembly)
    ballot = factories.BallotFactory(sitting=other_sitting)
    services.ballot_open(by=staff, ballot=ballot)  # nobody is present there
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"))) == "not_in_electorate"


@pytest.mark.parametrize(
    "kind,options,bad",
    [
        ("single", ["A", "B", "C"], "two"),
        ("ranking", ["A", "B", "C"], "duplicates"),
        ("multiple", ["A", "B", "C"], "too_many"),
        ("candidates", ["Alice", "Bob"], "missing"),
        ("yes_no", None, "garbage"),
    ],
)
def test_bad_choices_are_refused(open_ballot, present_members, kind, options, bad):
    kwargs = {"kind": kind}
    if options:
        kwargs["options"] = options
    if kind == "multiple":
        kwargs["max_choices"] = 2
    ballot = open_ballot(**kwargs)
    ids = [o.pk for o in ballot.options.order_by("position")]
    choice = {
        "two": ids[:2],
        "duplicates": [ids[0], ids[0], ids[1]],
        "too_many": ids,
        "missing": {str(ids[0]): "yes"},
        "garbage": {"x": 1},
    }[bad]
    assert code_of(lambda: cast(present_members[0], ballot, choice)) == "invalid_choice"
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert not VoterRoll.objects.filter(ballot=ballot, has_voted=True).exists()


def test_partner_staff_former_member_cannot_vote(open_ballot, partner, staff, former_member):
    ballot = open_ballot()
    for person in (partner, staff, former_member):
        assert code_of(lambda p=person: cast(p, ballot, option(ballot, "yes"))) == "forbidden"


def test_absent_member_is_not_in_electorate(open_ballot, member):
    ballot = open_ballot()
    assert code_of(lambda: cast(member, ballot, option(ballot, "yes"))) == "not_in_electorate"


def test_late_arrival_votes_from_next_ballot(open_ballot, member, staff, sitting):
    ballot = open_ballot()
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    assert code_of(lambda: cast(member, ballot, option(ballot, "yes"))) == "not_in_electorate"
    nxt = open_ballot()
    assert not cast(member, nxt, option(nxt, "yes")).replayed


def test_mandate_ending_mid_sitting_stops_voting(open_ballot, present_members):
    ballot = open_ballot()
    mandate = present_members[0].mandates.get()
    mandate.end_date = timezone.localdate() - dt.timedelta(days=1)
    mandate.start_date = mandate.end_date - dt.timedelta(days=10)
    mandate.save()
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"))) == "forbidden"


def test_proxy_holder_votes_for_giver(assembly, sitting, staff, present_members, open_ballot):
    giver = factories.MandateFactory(assembly=assembly).user
    holder = present_members[0]
    proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=holder)
    ballot = open_ballot()
    result = cast(holder, ballot, option(ballot, "yes"), on_behalf_of=giver)
    assert result.proxy and result.member_id == giver.pk
    cast(holder, ballot, option(ballot, "no"))
    roll = VoterRoll.objects.get(ballot=ballot, member=giver)
    assert roll.has_voted and roll.voted_by_id == holder.pk
    assert ballot_tally(ballot).votes == 2
    # The giver cannot vote in person on this ballot: their vote belongs to the holder.
    assert code_of(lambda: cast(giver, ballot, option(ballot, "no"))) in ("not_in_electorate", "forbidden")


def test_proxy_vote_without_proxy_is_refused(open_ballot, present_members, assembly):
    ballot = open_ballot()
    other = present_members[1]
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"), on_behalf_of=other)) == "no_proxy"
    stranger = factories.MandateFactory(assembly=assembly).user
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"), on_behalf_of=stranger)) == (
        "no_proxy"
    )


def test_malformed_vote_id_changes_nothing(open_ballot, present_members):
    ballot = open_ballot()
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "yes"), vote_id="not-a-uuid")) == "invalid"
    assert not Vote.objects.exists()


def test_version_grows_with_each_vote_and_state_change(open_ballot, present_members, staff):
    ballot = open_ballot()
    v0 = ballot_version(ballot)
    r1 = cast(present_members[0], ballot, option(ballot, "yes"))
    r2 = cast(present_members[1], ballot, option(ballot, "no"))
    assert v0 < r1.version < r2.version
    services.ballot_close(by=staff, ballot=ballot)
    assert ballot_version(Ballot.objects.get(pk=ballot.pk)) > r2.version


def test_batch_matches_single_path(open_ballot, present_members):
    ballot = open_ballot()
    vid = uuid.uuid4()
    reqs = [
        services.CastRequest(voter=present_members[0], ballot=ballot, choice=option(ballot, "yes"), vote_id=vid),
        services.CastRequest(voter=present_members[0], ballot=ballot, choice=option(ballot, "yes"), vote_id=vid),
        services.CastRequest(
            voter=present_members[0], ballot=ballot, choice=option(ballot, "no"), vote_id=uuid.uuid4()
        ),
        services.CastRequest(voter=present_members[1], ballot=ballot.pk, choice=999, vote_id=uuid.uuid4()),
        services.CastRequest(
            voter=present_members[2], ballot=ballot.pk, choice=option(ballot, "no"), vote_id=uuid.uuid4()
        ),
    ]
    out = services.votes_cast_batch(reqs)
    assert not out[0].replayed and out[1].replayed
    assert out[2].code == "already_voted" and out[3].code == "invalid_choice"
    assert not out[4].replayed
    assert ballot_tally(ballot).votes == 2


@pytest.mark.django_db(transaction=True)
def test_a_vote_id_stored_meanwhile_by_another_writer_replays_the_batch_one_by_one(
    open_ballot, present_members, monkeypatch
):
    """Another process commits a vote with the same vote_id while a batch is being decided:
    the batch's insert fails, the batch is rolled back and every request is answered alone."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("two writers at once need a database server; run on PostgreSQL")
    ballot = open_ballot()
    stolen = uuid.uuid4()
    real_write = casting._write
    calls = []

    def write_after_another_writer(ctx):
        if not calls:
            calls.append(1)

            def other_process():  # member 2 (not locked by this batch) takes the id first
                try:
                    cast(present_members[2], ballot.pk, option(ballot, "no"), stolen)
                finally:
                    connections.close_all()

            thread = threading.Thread(target=other_process)
            thread.start()
            thread.join(timeout=10)
        return real_write(ctx)

    monkeypatch.setattr(casting, "_write", write_after_another_writer)
    results = services.votes_cast_batch(
        [
            services.CastRequest(
                voter=present_members[0], ballot=ballot.pk, choice=option(ballot, "yes"), vote_id=stolen
            ),
            services.CastRequest(
                voter=present_members[1], ballot=ballot.pk, choice=option(ballot, "yes"), vote_id=uuid.uuid4()
            ),
        ]
    )
    assert isinstance(results[0], DomainError) and results[0].code == "invalid"  # the id is someone else's
    assert not isinstance(results[1], DomainError) and not results[1].replayed
    assert Vote.objects.filter(ballot=ballot).count() == 2  # member 2's and member 1's, once each
    assert VoterRoll.objects.filter(ballot=ballot, has_voted=True).count() == 2


def test_a_pending_proxy_gives_no_vote_until_staff_validate_it_then_counts_from_the_next_ballot(
    assembly, sitting, staff, present_members, open_ballot
):
    giver = factories.MandateFactory(assembly=assembly).user
    holder = present_members[0]
    proxy = proxy_services.proxy_give(by=giver, sitting=sitting, giver=giver, holder=holder)  # pending
    first = open_ballot()
    assert (first.present_count, first.represented_count) == (4, 0)
    assert not VoterRoll.objects.filter(ballot=first, member=giver).exists()
    assert code_of(lambda: cast(holder, first, option(first, "yes"), on_behalf_of=giver)) == "no_proxy"

    proxy_services.proxy_validate(by=staff, proxy=proxy)
    # The first ballot's electorate was fixed when it opened; the next one counts the proxy.
    assert code_of(lambda: cast(holder, first, option(first, "yes"), on_behalf_of=giver)) == "no_proxy"
    second = open_ballot()
    assert second.represented_count == 1
    assert cast(holder, second, option(second, "yes"), on_behalf_of=giver).member_id == giver.pk
    assert ballot_tally(first).votes == 0


@pytest.mark.parametrize("counts_proxies,reached,outcome", [(True, True, "adopted"), (False, False, "no_quorum")])
def test_a_sitting_that_does_not_count_proxies_in_its_quorum(
    assembly, sitting, staff, present_members, open_ballot, counts_proxies, reached, outcome
):
    # 4 present + 2 represented of 8 members; more than half is 5: reached only with the proxies.
    for holder in present_members[:2]:
        giver = factories.MandateFactory(assembly=assembly).user
        proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=holder)
    factories.MandateFactory(assembly=assembly)
    factories.MandateFactory(assembly=assembly)
    sitting_services.sitting_configure(
        by=staff, sitting=sitting, quorum_percent=50, quorum_counts_proxies=counts_proxies, max_proxies_per_holder=2
    )
    ballot = open_ballot()
    assert (ballot.present_count, ballot.represented_count, ballot.quorum_reached) == (4, 2, reached)
    cast(present_members[1], ballot, option(ballot, "yes"))
    verdict = services.ballot_close(by=staff, ballot=ballot)
    assert verdict.outcome == outcome


def test_one_vote_per_elector_within_one_group_commit_batch(assembly, sitting, staff, present_members, open_ballot):
    giver = factories.MandateFactory(assembly=assembly).user
    holder, other = present_members[0], present_members[1]
    proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=holder)
    ballot = open_ballot()
    yes, no = option(ballot, "yes"), option(ballot, "no")

    def request(voter, choice, **kwargs):
        return services.CastRequest(voter=voter, ballot=ballot, choice=choice, vote_id=uuid.uuid4(), **kwargs)

    results = services.votes_cast_batch(
        [
            request(other, yes),
            request(other, no),
            request(holder, yes, on_behalf_of=giver),
            request(holder, no, on_behalf_of=giver),
        ]
    )
    assert [getattr(r, "code", "ok") for r in results] == ["ok", "already_voted", "ok", "already_voted"]
    assert Vote.objects.filter(ballot=ballot).count() == 2
    assert ballot_tally(ballot).options == {yes: 2, no: 0, option(ballot, "abstain"): 0}
