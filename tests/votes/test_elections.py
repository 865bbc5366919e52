"""Elections of people: candidates are members of the assembly's electing colleges, each electing
college fills its seats, a tie elects nobody, and staff proclaim the result once, after the close: the
elected replace the co-presidency. Most tests use an assembly where both colleges elect one
co-president each; the AdT's default rule set (two from the elected college) has its own section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assembly.models import College, Copresidency, CopresidencyColleges, Mandate
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import AuditEvent
from tests import factories
from tests.shared.people import signed_in
from tests.votes.conftest import cast
from votes import services, tally
from votes.models import Ballot, Proclamation
from votes.services.errors import InvalidChoice


@pytest.fixture
def candidates(present_members, assembly):
    """The four present members: elected woman, elected man, citizen woman, citizen man; both colleges elect one."""
    assembly.copresidency_colleges, assembly.copresidents_per_college = CopresidencyColleges.BOTH, 1
    assembly.save(update_fields=["copresidency_colleges", "copresidents_per_college"])
    return present_members


@pytest.fixture
def adt_candidates(present_members, assembly, sitting, staff):
    """The AdT's rule set (the default): four elected members stand (woman, man, woman, man), all present."""
    from meetings.services import attendance as attendance_services

    ew, em, _cw, _cm = present_members
    more = [
        factories.MandateFactory(assembly=assembly, college=College.ELECTED, gender=g).user for g in ("woman", "man")
    ]
    for person in more:
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=person)
    return [ew, em, *more]


def _election(staff, sitting, people, **kwargs):
    return services.ballot_create(
        by=staff,
        sitting=sitting,
        title="Élection des coprésidents",
        kind=Ballot.Kind.ELECTION,
        candidates=people,
        **kwargs,
    )


def _options(ballot):
    return {o.candidate_id: o.pk for o in ballot.options.all()}


# --- the tally, pure ------------------------------------------------------------------------------


def test_each_college_elects_its_most_voted_candidate():
    college_of = {1: "elected", 2: "elected", 3: "citizen", 4: "citizen"}
    elected, tied = tally.election_winners({1: 5, 2: 3, 3: 1, 4: 7}, college_of, 1)
    assert elected == {"citizen": [4], "elected": [1]}
    assert tied == []


def test_a_tie_for_the_seat_elects_nobody_in_that_college_only():
    college_of = {1: "elected", 2: "elected", 3: "citizen", 4: "citizen"}
    elected, tied = tally.election_winners({1: 4, 2: 4, 3: 2, 4: 1}, college_of, 1)
    assert elected == {"citizen": [3], "elected": []}
    assert tied == ["elected"]


def test_two_seats_per_college_and_a_candidate_without_votes_is_never_elected():
    college_of = {1: "elected", 2: "elected", 3: "elected", 4: "citizen"}
    elected, tied = tally.election_winners({1: 4, 2: 3, 3: 1}, college_of, 2)
    assert elected == {"elected": [1, 2], "citizen": []}
    assert tied == []


def test_decide_reports_the_elected_per_college_and_the_ties():
    decision = tally.decide(
        kind="election",
        rule="simple",
        double=False,
        option_ids=[1, 2, 3],
        option_codes={1: "elected", 2: "elected", 3: "citizen"},
        choices_by_college={"elected": [[1, 3], [2, 3]], "citizen": [[1]]},
        max_choices=2,
    )
    assert decision.winners == [3, 1]
    assert decision.detail == {"elected": {"citizen": [3], "elected": [1]}, "tied": []}


# --- candidates ----------------------------------------------------------------------------------


def test_the_options_show_each_candidates_name_and_college(staff, sitting, candidates):
    ballot = _election(staff, sitting, candidates)
    options = list(ballot.options.order_by("position"))
    assert [o.candidate_id for o in options] == [p.pk for p in candidates]
    assert [o.code for o in options] == ["elected", "elected", "citizen", "citizen"]
    assert options[0].label == f"{candidates[0].display_name} — Collège des élus"
    assert options[2].label == f"{candidates[2].display_name} — Collège des citoyens"
    assert ballot.max_choices == 2  # one seat in each of two colleges
    event = AuditEvent.objects.get(action="votes.ballot_create", target_id=str(ballot.pk))
    assert event.data["candidates"] == [p.pk for p in candidates]


def test_a_person_who_is_not_a_member_is_refused(staff, sitting, candidates):
    stranger = factories.UserFactory()
    with pytest.raises(ValidationFailed) as caught:
        _election(staff, sitting, [candidates[0], stranger])
    assert (caught.value.code, caught.value.field) == ("candidate_not_member", "candidates")
    assert stranger.display_name in str(caught.value.message)
    assert not Ballot.objects.exists()


def test_a_member_of_another_assembly_or_a_former_member_is_refused(staff, sitting, candidates):
    other = factories.AssemblyFactory(name="Parlement de la Mer", short_name="PMer", slug="pmer")
    elsewhere = factories.MandateFactory(assembly=other).user
    former = factories.MandateFactory(assembly=sitting.assembly, ended=True).user
    for person in (elsewhere, former):
        with pytest.raises(ValidationFailed) as caught:
            _election(staff, sitting, [person])
        assert caught.value.code == "candidate_not_member"
    assert not Ballot.objects.exists()


def test_a_partner_is_refused(staff, sitting, candidates, partner):
    with pytest.raises(ValidationFailed) as caught:
        _election(staff, sitting, [candidates[0], partner])
    assert caught.value.code == "candidate_partner"
    assert not Ballot.objects.exists()


def test_no_candidate_or_the_same_twice_is_refused_and_candidates_on_another_kind_too(staff, sitting, candidates):
    with pytest.raises(ValidationFailed):
        _election(staff, sitting, [])
    with pytest.raises(ValidationFailed):
        _election(staff, sitting, [candidates[0], candidates[0]])
    with pytest.raises(ValidationFailed) as caught:
        services.ballot_create(by=staff, sitting=sitting, title="Q ?", candidates=[candidates[0]])
    assert caught.value.field == "candidates"
    assert not Ballot.objects.exists()


def test_a_voter_chooses_at_most_one_candidate_per_college(staff, sitting, candidates):
    ballot = services.ballot_open(by=staff, ballot=_election(staff, sitting, candidates))
    ids = _options(ballot)
    ew, em, cw, _cm = candidates
    with pytest.raises(InvalidChoice):
        cast(ew, ballot, [ids[ew.pk], ids[em.pk]])
    result = cast(ew, ballot, [ids[cw.pk], ids[em.pk]])
    assert not result.replayed


# --- proclamation ------------------------------------------------------------------------------


def _vote_and_close(staff, sitting, candidates, picks):
    ballot = services.ballot_open(by=staff, ballot=_election(staff, sitting, candidates))
    ids = _options(ballot)
    for voter, chosen in zip(candidates, picks, strict=True):
        cast(voter, ballot, [ids[p.pk] for p in chosen])
    services.ballot_close(by=staff, ballot=ballot)
    return Ballot.objects.get(pk=ballot.pk)


def test_proclaiming_starts_the_copresidency_of_each_college(staff, sitting, candidates):
    ew, em, cw, cm = candidates
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cm], [ew, cw], [em, cm], [ew, cm]])
    assert ballot.verdict.results["elected"] == {
        "elected": [_options(ballot)[ew.pk]],
        "citizen": [_options(ballot)[cm.pk]],
    }
    proclamation = services.election_proclaim(by=staff, ballot=ballot)
    assert {(e["person"], e["college"]) for e in proclamation.elected} == {(ew.pk, "elected"), (cm.pk, "citizen")}
    current = Copresidency.objects.filter(assembly=sitting.assembly, ended_on__isnull=True)
    assert {(c.person_id, c.college, c.ballot_ref) for c in current} == {
        (ew.pk, "elected", f"ballot:{ballot.pk}"),
        (cm.pk, "citizen", f"ballot:{ballot.pk}"),
    }
    assert set(Mandate.objects.filter(is_copresident=True).values_list("user_id", flat=True)) == {ew.pk, cm.pk}
    assert AuditEvent.objects.filter(action="votes.election_proclaim", target_id=str(ballot.pk)).exists()
    assert AuditEvent.objects.filter(action="assembly.copresidency_start").count() == 2


def test_proclaiming_twice_is_refused(staff, sitting, candidates):
    ew, em, cw, cm = candidates
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cm], [ew, cm], [em, cw], [ew, cm]])
    services.election_proclaim(by=staff, ballot=ballot)
    with pytest.raises(Conflict) as caught:
        services.election_proclaim(by=staff, ballot=ballot)
    assert caught.value.code == "already_proclaimed"
    assert Proclamation.objects.count() == 1
    assert Copresidency.objects.count() == 2


def test_proclaiming_before_the_close_is_refused(staff, sitting, candidates):
    ballot = _election(staff, sitting, candidates)
    with pytest.raises(Conflict) as caught:
        services.election_proclaim(by=staff, ballot=ballot)
    assert caught.value.code == "ballot_not_closed"
    services.ballot_open(by=staff, ballot=ballot)
    with pytest.raises(Conflict) as caught:
        services.election_proclaim(by=staff, ballot=ballot)
    assert caught.value.code == "ballot_not_closed"
    assert not Proclamation.objects.exists()
    assert not Copresidency.objects.exists()


def test_a_tie_cannot_be_proclaimed_a_new_round_is_needed(staff, sitting, candidates):
    ew, em, cw, cm = candidates
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cm], [em, cm], [ew, cw], [em, cm]])
    assert ballot.verdict.results["tied"] == ["elected"]
    with pytest.raises(Conflict) as caught:
        services.election_proclaim(by=staff, ballot=ballot)
    assert caught.value.code == "election_tied"
    assert not Copresidency.objects.exists()
    assert not Proclamation.objects.exists()


def test_parity_refuses_two_co_presidents_of_the_same_gender(staff, sitting, candidates):
    ew, em, cw, cm = candidates
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cw], [ew, cw], [em, cw], [ew, cm]])
    with pytest.raises(Conflict) as caught:
        services.election_proclaim(by=staff, ballot=ballot)
    assert caught.value.code == "parity_not_met"
    assert not Copresidency.objects.exists()


def test_without_the_parity_rule_two_women_are_proclaimed(staff, sitting, candidates):
    sitting.assembly.copresidency_parity = False
    sitting.assembly.save(update_fields=["copresidency_parity"])
    ew, em, cw, cm = candidates
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cw], [ew, cw], [em, cw], [ew, cm]])
    services.election_proclaim(by=staff, ballot=ballot)
    assert set(Copresidency.objects.values_list("person_id", flat=True)) == {ew.pk, cw.pk}


def test_only_staff_proclaim(sitting, candidates, staff):
    ew, em, cw, cm = candidates
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cm], [ew, cm], [em, cw], [ew, cm]])
    with pytest.raises(PermissionDenied):
        services.election_proclaim(by=ew, ballot=ballot)
    assert not Proclamation.objects.exists()


def test_a_new_election_ends_the_previous_copresidency(staff, sitting, candidates):
    ew, em, cw, cm = candidates
    first = _vote_and_close(staff, sitting, candidates, [[ew, cm], [ew, cm], [em, cw], [ew, cm]])
    services.election_proclaim(by=staff, ballot=first)
    second = _vote_and_close(staff, sitting, candidates, [[em, cw], [em, cw], [em, cw], [ew, cm]])
    services.election_proclaim(by=staff, ballot=second)
    current = Copresidency.objects.filter(ended_on__isnull=True)
    assert {(c.person_id, c.college) for c in current} == {(em.pk, College.ELECTED), (cw.pk, College.CITIZEN)}
    assert Copresidency.objects.filter(ended_on__isnull=False).count() == 2
    assert set(Mandate.objects.filter(is_copresident=True).values_list("user_id", flat=True)) == {em.pk, cw.pk}


# --- the AdT's rule set: two co-presidents from the elected college, a woman and a man ---------------


def test_adt_a_citizen_candidate_is_refused(staff, sitting, adt_candidates, present_members):
    citizen = present_members[2]
    with pytest.raises(ValidationFailed) as caught:
        _election(staff, sitting, [adt_candidates[0], citizen])
    assert (caught.value.code, caught.value.field) == ("candidate_not_eligible", "candidates")
    assert citizen.display_name in str(caught.value.message)
    assert not Ballot.objects.exists()


def _adt_vote_and_close(staff, sitting, candidates, voters, picks):
    ballot = services.ballot_open(by=staff, ballot=_election(staff, sitting, candidates))
    ids = _options(ballot)
    for voter, chosen in zip(voters, picks, strict=True):
        cast(voter, ballot, [ids[p.pk] for p in chosen])
    services.ballot_close(by=staff, ballot=ballot)
    return Ballot.objects.get(pk=ballot.pk)


def test_adt_the_elected_college_elects_a_woman_and_a_man(staff, sitting, adt_candidates, present_members):
    w1, m1, w2, m2 = adt_candidates
    voters = [*present_members, w2, m2]
    ballot = _adt_vote_and_close(staff, sitting, adt_candidates, voters, [[w1, m1]] * 4 + [[w2, m2]] * 2)
    assert ballot.max_choices == 2, "two seats in the one electing college"
    proclamation = services.election_proclaim(by=staff, ballot=ballot)
    assert {(e["person"], e["college"]) for e in proclamation.elected} == {(w1.pk, "elected"), (m1.pk, "elected")}
    assert set(Copresidency.objects.filter(ended_on__isnull=True).values_list("person_id", flat=True)) == {w1.pk, m1.pk}


def test_adt_a_voter_chooses_at_most_two_candidates(staff, sitting, adt_candidates):
    ballot = services.ballot_open(by=staff, ballot=_election(staff, sitting, adt_candidates))
    ids = list(_options(ballot).values())
    with pytest.raises(InvalidChoice):
        cast(adt_candidates[0], ballot, ids[:3])
    assert not cast(adt_candidates[0], ballot, ids[:2]).replayed


def test_adt_two_women_elected_break_parity_and_change_nothing(staff, sitting, adt_candidates, present_members):
    w1, m1, w2, m2 = adt_candidates
    voters = [*present_members, w2, m2]
    ballot = _adt_vote_and_close(staff, sitting, adt_candidates, voters, [[w1, w2]] * 4 + [[m1, m2]] * 2)
    with pytest.raises(Conflict) as caught:
        services.election_proclaim(by=staff, ballot=ballot)
    assert caught.value.code == "parity_not_met"
    assert not Copresidency.objects.exists()
    assert not Proclamation.objects.exists()


def test_adt_proclaiming_replaces_the_previous_pair(staff, sitting, adt_candidates, present_members):
    w1, m1, w2, m2 = adt_candidates
    voters = [*present_members, w2, m2]
    first = _adt_vote_and_close(staff, sitting, adt_candidates, voters, [[w1, m1]] * 6)
    services.election_proclaim(by=staff, ballot=first)
    second = _adt_vote_and_close(staff, sitting, adt_candidates, voters, [[w2, m2]] * 6)
    services.election_proclaim(by=staff, ballot=second)
    current = Copresidency.objects.filter(ended_on__isnull=True)
    assert {(c.person_id, c.ballot_ref) for c in current} == {
        (w2.pk, f"ballot:{second.pk}"),
        (m2.pk, f"ballot:{second.pk}"),
    }
    assert set(Copresidency.objects.filter(ended_on__isnull=False).values_list("person_id", flat=True)) == {
        w1.pk,
        m1.pk,
    }
    assert AuditEvent.objects.filter(action="assembly.copresidency_end").count() == 2


def test_adt_the_staff_form_and_the_api_offer_only_the_elected_college(staff, staff_client, sitting, adt_candidates):
    url = reverse("votes:manage_ballots", kwargs={"sitting_id": sitting.pk})
    page = staff_client.get(url).content.decode()
    assert "Collège des élus" in page and "Collège des citoyens" not in page
    listed = signed_in(staff).get(f"/api/v1/sittings/{sitting.pk}/candidates/").json()
    assert {c["id"] for c in listed} == {p.pk for p in adt_candidates}


# --- pages and API ---------------------------------------------------------------------------------


def test_the_staff_form_lists_members_by_college_and_prepares_an_election(staff_client, sitting, candidates, partner):
    url = reverse("votes:manage_ballots", kwargs={"sitting_id": sitting.pk})
    page = staff_client.get(url).content.decode()
    assert "Collège des élus" in page and "Collège des citoyens" in page
    assert candidates[0].display_name in page
    assert partner.display_name not in page, "a partner is never offered as a candidate"
    body = {"title": "Élection", "kind": "election", "majority": "simple", "max_choices": 1}
    response = staff_client.post(url, {**body, "candidates": [candidates[0].pk, candidates[2].pk]})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert sorted(o.candidate_id for o in ballot.options.all()) == sorted([candidates[0].pk, candidates[2].pk])


def test_the_staff_form_shows_why_a_candidate_is_refused(staff_client, sitting, candidates):
    url = reverse("votes:manage_ballots", kwargs={"sitting_id": sitting.pk})
    body = {"title": "Élection", "kind": "election", "majority": "simple", "max_choices": 1}
    page = staff_client.post(url, body).content.decode()
    assert "Choisissez au moins un candidat." in page
    assert not Ballot.objects.exists()


def test_proclaim_from_the_page_and_the_error_when_refused(staff, staff_client, sitting, candidates):
    ew, em, cw, cm = candidates
    draft = _election(staff, sitting, candidates)
    url = reverse("votes:manage_election_proclaim", kwargs={"pk": draft.pk})
    response = staff_client.post(url, follow=True)
    assert "Une élection est proclamée une fois son scrutin clos." in response.content.decode()
    services.ballot_cancel(by=staff, ballot=draft)
    ballot = _vote_and_close(staff, sitting, candidates, [[ew, cm], [ew, cm], [em, cw], [ew, cm]])
    page = staff_client.get(reverse("votes:manage_ballots", kwargs={"sitting_id": sitting.pk})).content.decode()
    assert "Proclamer les élus" in page
    url = reverse("votes:manage_election_proclaim", kwargs={"pk": ballot.pk})
    response = staff_client.post(url, follow=True)
    assert "2 coprésidents proclamés" in response.content.decode()
    assert Copresidency.objects.filter(ended_on__isnull=True).count() == 2


def test_the_api_lists_candidates_creates_an_election_and_proclaims(staff, sitting, candidates, partner):
    client = signed_in(staff)
    listed = client.get(f"/api/v1/sittings/{sitting.pk}/candidates/").json()
    assert {c["id"] for c in listed} == {p.pk for p in candidates}
    assert {c["college"] for c in listed} == {"elected", "citizen"}
    refused = client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Élection", "kind": "election", "candidates": [candidates[0].pk, partner.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "candidate_partner"
    created = client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Élection", "kind": "election", "candidates": [p.pk for p in candidates]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    ballot_id = created.json()["id"]
    early = client.post(f"/api/v1/ballots/{ballot_id}/proclaim/")
    assert early.status_code == 409 and early.json()["error"]["code"] == "ballot_not_closed"
    ballot = services.ballot_open(by=staff, ballot=ballot_id)
    ids = _options(ballot)
    _ew, em, cw, _cm = candidates
    for voter in candidates:
        cast(voter, ballot, [ids[em.pk], ids[cw.pk]])
    services.ballot_close(by=staff, ballot=ballot)
    done = client.post(f"/api/v1/ballots/{ballot_id}/proclaim/")
    assert done.status_code == 201, done.json()
    assert {(e["name"], e["college"]) for e in done.json()["elected"]} == {
        (em.display_name, "elected"),
        (cw.display_name, "citizen"),
    }
    again = client.post(f"/api/v1/ballots/{ballot_id}/proclaim/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_proclaimed"


def test_members_cannot_list_candidates_nor_proclaim(sitting, candidates):
    client = signed_in(candidates[0])
    assert client.get(f"/api/v1/sittings/{sitting.pk}/candidates/").status_code == 403
