"""The assisted vote: staff record, at the desk, the vote of a present member who has no phone.

Every rule of `votes.services.vote_assist` (docs/voting.md, "Assisted vote"), on the service; the
command layer's checks and the paths (socket, REST API, staff page) are in
tests/realtime/test_live_commands.py, the rule across roles in test_rules.py.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from core.errors import DomainError
from core.models import AuditEvent
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services
from tests import factories
from tests.shared.errors import code_of
from tests.votes.conftest import cast, option
from votes import selectors, services
from votes.live import state
from votes.models import Vote, VoterRoll
from votes.selectors import ballot_tally


def assist(by, ballot, member, choice, vote_id=None, **kwargs):
    return services.vote_assist(
        by=by, ballot=ballot, member=member, choice=choice, vote_id=vote_id or uuid.uuid4(), **kwargs
    )


# ---------------------------------------------------------------------------------------------
# Recorded once, for a present elector, by staff
# ---------------------------------------------------------------------------------------------


def test_staff_record_a_present_members_vote_and_it_counts_once(open_ballot, present_members, staff):
    ballot = open_ballot()
    member = present_members[0]
    result = assist(staff, ballot, member, option(ballot, "yes"))
    assert result.member_id == member.pk and result.assisted and not result.proxy and not result.replayed
    assert result.as_dict()["assisted"] is True
    assert ballot_tally(ballot).options[option(ballot, "yes")] == 1
    roll = VoterRoll.objects.get(ballot=ballot, member=member)
    # The roll shows the vote as assisted: signed by the staff member, not by the member.
    assert roll.has_voted and roll.voted_by_id == staff.pk
    assert [r.member_id for r in selectors.assisted_votes(ballot)] == [member.pk]
    assert Vote.objects.get(ballot=ballot).elector_id == roll.pk  # a named ballot names its elector


def test_a_phone_vote_is_not_shown_as_assisted(open_ballot, present_members):
    ballot = open_ballot()
    cast(present_members[0], ballot, option(ballot, "yes"))
    assert not selectors.assisted_votes(ballot).exists()


def test_the_members_phone_cannot_vote_after_an_assisted_vote(open_ballot, present_members, staff):
    ballot = open_ballot()
    assist(staff, ballot, present_members[0], option(ballot, "yes"))
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "no"))) == "already_voted"
    assert ballot_tally(ballot).votes == 1


def test_the_members_phone_cannot_change_an_assisted_vote_even_when_the_ballot_allows_changes(
    open_ballot, present_members, staff
):
    ballot = open_ballot(allow_change=True)
    assist(staff, ballot, present_members[0], option(ballot, "yes"))
    assert code_of(lambda: cast(present_members[0], ballot, option(ballot, "no"))) == "already_voted"
    assert ballot_tally(ballot).options[option(ballot, "yes")] == 1
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_a_member_who_voted_on_their_phone_cannot_be_given_an_assisted_vote(open_ballot, present_members, staff):
    ballot = open_ballot(allow_change=True)
    cast(present_members[0], ballot, option(ballot, "yes"))
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "no"))) == "already_voted"
    assert ballot_tally(ballot).options[option(ballot, "yes")] == 1


def test_an_assisted_vote_is_recorded_only_once(open_ballot, present_members, staff, admin_user):
    ballot = open_ballot()
    assist(staff, ballot, present_members[0], option(ballot, "yes"))
    for recorder in (staff, admin_user):
        assert code_of(lambda r=recorder: assist(r, ballot, present_members[0], option(ballot, "no"))) == (
            "already_voted"
        )
    assert ballot_tally(ballot).votes == 1


def test_a_resent_assisted_vote_answers_as_the_original_and_counts_once(open_ballot, present_members, staff):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    first = assist(staff, ballot, present_members[0], option(ballot, "yes"), vote_id)
    again = assist(staff, ballot, present_members[0], option(ballot, "yes"), vote_id)
    assert again.replayed and again.assisted and again.vote_id == first.vote_id
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert AuditEvent.objects.filter(action="votes.vote_assist").count() == 1


def test_a_resent_assisted_vote_on_a_secret_ballot_answers_as_the_original(open_ballot, present_members, staff):
    ballot = open_ballot(secret=True)
    vote_id = uuid.uuid4()
    assist(staff, ballot, present_members[0], option(ballot, "yes"), vote_id)
    assert assist(staff, ballot, present_members[0], option(ballot, "yes"), vote_id).replayed
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_an_assisted_vote_id_is_not_anyone_elses_to_resend(open_ballot, present_members, staff, admin_user):
    ballot = open_ballot()
    vote_id = uuid.uuid4()
    assist(staff, ballot, present_members[0], option(ballot, "yes"), vote_id)
    assert code_of(lambda: assist(admin_user, ballot, present_members[0], option(ballot, "yes"), vote_id)) == (
        "invalid"
    )
    assert code_of(lambda: cast(staff, ballot, option(ballot, "yes"), vote_id)) == "invalid"
    phone_vote = uuid.uuid4()
    cast(present_members[1], ballot, option(ballot, "no"), phone_vote)
    assert code_of(lambda: assist(staff, ballot, present_members[1], option(ballot, "no"), phone_vote)) == "invalid"


# ---------------------------------------------------------------------------------------------
# Only present electors of the ballot
# ---------------------------------------------------------------------------------------------


def test_an_assisted_vote_is_refused_for_a_member_absent_when_the_ballot_opened(
    open_ballot, present_members, staff, assembly, sitting
):
    late = factories.MandateFactory(assembly=assembly).user
    ballot = open_ballot()
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=late)  # arrives after the opening
    assert code_of(lambda: assist(staff, ballot, late, option(ballot, "yes"))) == "not_in_electorate"
    absent = factories.MandateFactory(assembly=assembly).user
    assert code_of(lambda: assist(staff, ballot, absent, option(ballot, "yes"))) == "not_in_electorate"
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_an_assisted_vote_is_refused_for_a_member_who_has_left_the_room(open_ballot, present_members, staff, sitting):
    ballot = open_ballot()
    attendance_services.attendance_check_out(by=staff, sitting=sitting, user=present_members[0])
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"))) == "not_present"
    assert not Vote.objects.filter(ballot=ballot).exists()
    # Back in the room: the vote may be recorded.
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=present_members[0])
    assert not assist(staff, ballot, present_members[0], option(ballot, "yes")).replayed


def test_an_assisted_vote_is_refused_for_a_proxy_giver_whose_proxy_is_held(
    assembly, sitting, staff, present_members, open_ballot
):
    giver = factories.MandateFactory(assembly=assembly).user
    proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=present_members[0])
    ballot = open_ballot()
    # Even standing at the desk (checked in after the opening), the giver's vote is the holder's to cast.
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=giver)
    assert code_of(lambda: assist(staff, ballot, giver, option(ballot, "yes"))) == "not_in_electorate"
    assert not Vote.objects.filter(ballot=ballot).exists()


@pytest.mark.parametrize("who", ["partner", "staff", "other_assembly_member", "nobody"])
def test_an_assisted_vote_is_refused_for_a_non_elector(open_ballot, present_members, staff, assembly, sitting, who):
    ballot = open_ballot()
    if who == "partner":
        person = factories.PartnerRepresentativeFactory(organisation__assembly=assembly).user
        expected = "forbidden"
    elif who == "staff":
        person = factories.UserFactory(is_staff=True)
        expected = "forbidden"
    elif who == "other_assembly_member":
        other = factories.AssemblyFactory(slug="pmer", short_name="PMer", name="Parlement de la Mer")
        person = factories.MandateFactory(assembly=other).user
        expected = "forbidden"
    else:
        person, expected = 999_999, "forbidden"
    if who != "nobody":
        factories.AttendanceFactory(sitting=sitting, user=person)
    assert code_of(lambda: assist(staff, ballot, person, option(ballot, "yes"))) == expected
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_an_assisted_vote_is_refused_for_a_member_whose_mandate_ended(open_ballot, present_members, staff):
    ballot = open_ballot()
    mandate = present_members[0].mandates.get()
    mandate.end_date = timezone.localdate() - dt.timedelta(days=1)
    mandate.start_date = mandate.end_date - dt.timedelta(days=10)
    mandate.save()
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"))) == "forbidden"


# ---------------------------------------------------------------------------------------------
# Only while the ballot is open
# ---------------------------------------------------------------------------------------------


def test_an_assisted_vote_is_refused_on_a_prepared_ballot(sitting, present_members, staff):
    ballot = factories.BallotFactory(sitting=sitting)
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"))) == "ballot_not_open"


def test_an_assisted_vote_is_refused_after_close(open_ballot, present_members, staff):
    ballot = open_ballot()
    services.ballot_close(by=staff, ballot=ballot)
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"))) == "ballot_closed"
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_an_assisted_vote_is_refused_on_a_cancelled_ballot(open_ballot, present_members, staff):
    ballot = open_ballot()
    services.ballot_cancel(by=staff, ballot=ballot, reason="erreur")
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"))) == "ballot_closed"


def test_an_assisted_vote_is_refused_once_the_countdown_is_over(open_ballot, present_members, staff):
    ballot = open_ballot(duration_seconds=60)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"))) == "ballot_closed"


def test_an_assisted_vote_with_a_choice_that_does_not_fit_is_refused(open_ballot, present_members, staff, sitting):
    ballot = open_ballot()
    other = factories.BallotFactory(sitting=sitting)
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(other, "yes"))) == "invalid_choice"
    assert not VoterRoll.objects.filter(ballot=ballot, has_voted=True).exists()


def test_an_assisted_vote_on_another_sittings_ballot_is_not_found(open_ballot, present_members, staff, assembly):
    ballot = open_ballot()
    other = factories.SittingFactory(meeting__assembly=assembly)
    assert code_of(lambda: assist(staff, ballot, present_members[0], option(ballot, "yes"), sitting=other.pk)) == (
        "not_found"
    )


# ---------------------------------------------------------------------------------------------
# Only staff record one: a member may not vote for another member
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "copresident", "partner", "former_member"])
def test_a_member_cannot_record_another_members_vote(open_ballot, present_members, request, role):
    from tests.shared.people import person_of

    ballot = open_ballot()
    recorder = present_members[1] if role == "member" else person_of(request, role)
    assert code_of(lambda: assist(recorder, ballot, present_members[0], option(ballot, "yes"))) == "forbidden"
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert not AuditEvent.objects.filter(action="votes.vote_assist").exists()


def test_a_vote_batch_never_records_an_assisted_vote(open_ballot, present_members, staff):
    """Only `vote_assist` asks the recorder's rule: an assisted request slipped into a batch is refused."""
    ballot = open_ballot()
    request = services.CastRequest(
        voter=staff,
        ballot=ballot.pk,
        choice=option(ballot, "yes"),
        vote_id=uuid.uuid4(),
        on_behalf_of=present_members[0].pk,
        assisted=True,
    )
    (outcome,) = services.votes_cast_batch([request])
    assert isinstance(outcome, DomainError) and outcome.code == "forbidden"
    assert not Vote.objects.filter(ballot=ballot).exists()


# ---------------------------------------------------------------------------------------------
# Audited: who recorded whose vote, and when; never the choice
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_an_assisted_vote_is_journaled_with_who_for_whom_and_when_never_the_choice(
    open_ballot, present_members, staff, secret
):
    ballot = open_ballot(secret=secret)
    vote_id = uuid.uuid4()
    before = timezone.now()
    assist(staff, ballot, present_members[0], option(ballot, "no"), vote_id)
    (event,) = AuditEvent.objects.filter(action="votes.vote_assist")
    assert event.actor_id == staff.pk and event.target_id == str(ballot.pk)
    # Whose vote, nothing else: neither the choice nor the vote id (which names the row while it is open).
    assert event.data == {"member": present_members[0].pk} and event.reason == ""
    assert before <= event.at <= timezone.now()


def test_a_secret_assisted_vote_stores_no_link_between_the_member_and_the_choice(open_ballot, present_members, staff):
    ballot = open_ballot(secret=True)
    member = present_members[2]
    assist(staff, ballot, member, option(ballot, "no"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Vote._meta.db_table} WHERE ballot_id = %s", [ballot.pk])  # noqa: S608
        columns = [c[0] for c in cursor.description]
        (row,) = cursor.fetchall()
    stored = dict(zip(columns, row, strict=True))
    assert stored["elector_id"] is None and stored["college"] == ""
    assert str(member.pk) not in {str(v) for v in stored.values()} - {str(ballot.pk)}
    assert str(staff.pk) not in {str(v) for v in stored.values()} - {str(ballot.pk)}
    # The roll says that the member voted at the desk, not what.
    assert VoterRoll.objects.get(ballot=ballot, member=member).voted_by_id == staff.pk


# ---------------------------------------------------------------------------------------------
# What the staff desk sees
# ---------------------------------------------------------------------------------------------


def test_the_staff_non_voters_list_drops_a_member_given_an_assisted_vote(open_ballot, present_members, staff, sitting):
    ballot = open_ballot()
    room = state.SittingState(sitting.pk)
    before = room(None)[state.STAFF]["ballots"][0]["non_voters"]
    assert present_members[0].pk in {row["member"] for row in before}
    assist(staff, ballot, present_members[0], option(ballot, "yes"))
    room.non_voters_at.clear()  # the list is refreshed at most once a second
    after = room(None)[state.STAFF]["ballots"][0]
    assert present_members[0].pk not in {row["member"] for row in after["non_voters"]}
    assert after["non_voters_count"] == len(present_members) - 1
    assert after["participation"] == {"voted": 1, "electorate": len(present_members)}


def test_only_present_electors_who_have_not_voted_are_offered_at_the_desk(
    assembly, open_ballot, present_members, staff, sitting
):
    giver = factories.MandateFactory(assembly=assembly).user
    proxy_services.proxy_give(by=staff, sitting=sitting, giver=giver, holder=present_members[3])
    ballot = open_ballot()
    cast(present_members[0], ballot, option(ballot, "yes"))
    attendance_services.attendance_check_out(by=staff, sitting=sitting, user=present_members[1])
    offered = [roll.member_id for roll in selectors.assistable_electors(ballot)]
    assert sorted(offered) == sorted([present_members[2].pk, present_members[3].pk])


# ---------------------------------------------------------------------------------------------
# The staff control page's form
# ---------------------------------------------------------------------------------------------


def _form_url(sitting) -> str:
    return f"/votes/seances/{sitting.pk}/pilotage/vote-assiste/"


def _levels(response) -> list[str]:
    return [m.level_tag for m in response.context["messages"]]


def test_the_control_page_offers_present_members_who_have_not_voted(
    staff_client, open_ballot, present_members, staff, sitting
):
    ballot = open_ballot()
    cast(present_members[0], ballot, option(ballot, "yes"))
    page = staff_client.get(f"/votes/seances/{sitting.pk}/pilotage/").content.decode()
    assert _form_url(sitting) in page and f'name="ballot" value="{ballot.pk}"' in page
    offered = page.split('name="member"')[1].split("</select>")[0]
    assert f'value="{present_members[0].pk}"' not in offered  # voted on their phone
    for person in present_members[1:]:
        assert f'value="{person.pk}"' in offered
    assert 'for="assist-member-' in page and 'name="confirm" value="yes" required' in page
    assist(staff, ballot, present_members[1], option(ballot, "no"))
    page = staff_client.get(f"/votes/seances/{sitting.pk}/pilotage/").content.decode()
    assert f'value="{present_members[1].pk}"' not in page.split('name="member"')[1].split("</select>")[0]
    assert escape(present_members[1].display_name) in page.split('id="assisted-vote-title"')[1]


@pytest.mark.parametrize("kind", ["yes_no", "single", "multiple", "ranking", "candidates"])
def test_the_form_records_each_kind_of_choice(staff_client, staff, sitting, present_members, kind):
    extra = {"max_choices": 2} if kind == "multiple" else {}
    ballot = services.ballot_open(by=staff, ballot=factories.BallotFactory(sitting=sitting, kind=kind, **extra))
    a, b, c = ballot.options.order_by("position").values_list("pk", flat=True)
    form, expected = {
        "yes_no": ({"choice": a}, a),
        "single": ({"choice": b}, b),
        "multiple": ({"choice": [a, c]}, [a, c]),
        "ranking": ({"rank": [c, a, ""]}, [c, a]),
        "candidates": (
            {f"candidate-{a}": "yes", f"candidate-{b}": "no", f"candidate-{c}": "abstain"},
            {str(a): "yes", str(b): "no", str(c): "abstain"},
        ),
    }[kind]
    page = staff_client.get(f"/votes/seances/{sitting.pk}/pilotage/").content.decode()
    assert all(f'value="{pk}"' in page or f'name="candidate-{pk}"' in page for pk in (a, b, c))
    response = staff_client.post(
        _form_url(sitting),
        {"ballot": ballot.pk, "vote_id": str(uuid.uuid4()), "member": present_members[0].pk, "confirm": "yes", **form},
        follow=True,
    )
    assert _levels(response) == ["success"]
    (stored,) = Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)
    assert stored == expected


def test_the_form_records_nothing_without_the_confirmation(staff_client, open_ballot, present_members, sitting):
    ballot = open_ballot()
    response = staff_client.post(
        _form_url(sitting),
        {"ballot": ballot.pk, "vote_id": str(uuid.uuid4()), "member": present_members[0].pk, "choice": 1},
        follow=True,
    )
    assert _levels(response) == ["error"]
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_the_form_sent_twice_counts_once(staff_client, open_ballot, present_members, sitting):
    ballot = open_ballot()
    form = {
        "ballot": ballot.pk,
        "vote_id": str(uuid.uuid4()),
        "member": present_members[0].pk,
        "choice": option(ballot, "yes"),
        "confirm": "yes",
    }
    assert _levels(staff_client.post(_form_url(sitting), form, follow=True)) == ["success"]
    assert _levels(staff_client.post(_form_url(sitting), form, follow=True)) == ["info"]
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_the_form_refuses_a_ballot_of_another_sitting(staff_client, open_ballot, present_members, assembly, staff):
    ballot = open_ballot()
    other = factories.SittingFactory(meeting__assembly=assembly)
    response = staff_client.post(
        _form_url(other),
        {"ballot": ballot.pk, "vote_id": str(uuid.uuid4()), "member": present_members[0].pk, "confirm": "yes"},
        follow=True,
    )
    assert _levels(response) == ["error"]
    assert not Vote.objects.filter(ballot=ballot).exists()
