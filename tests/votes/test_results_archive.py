"""The results archive: who reads which closed ballot (`votes.selectors.results_ballots`), on the
pages and in the API, with the counts of the verdict and never a voter's name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.services import sittings as sitting_services
from tests import factories
from tests.shared.people import signed_in
from tests.votes.conftest import cast, option
from votes import selectors, services
from votes.models import Ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(open_ballot, present_members, staff):
    """Two closed ballots of the open `sitting`: a named yes/no (3 yes, 1 no) and a secret single choice."""
    named = open_ballot(title="Adoptez-vous le schéma des mobilités ?")
    for voter, code in zip(present_members, ["yes", "yes", "yes", "no"], strict=True):
        cast(voter, named, option(named, code))
    services.ballot_close(by=staff, ballot=named)
    secret = open_ballot(
        title="Quel lieu pour la prochaine plénière ?",
        kind=Ballot.Kind.SINGLE,
        secret=True,
        options=["Montpellier", "Toulouse"],
    )
    for voter, label in zip(present_members, ["Toulouse", "Toulouse", "Montpellier", "Toulouse"], strict=True):
        cast(voter, secret, option(secret, label))
    services.ballot_close(by=staff, ballot=secret)
    named.refresh_from_db()
    secret.refresh_from_db()
    return named, secret


def _page(client, sitting):
    return client.get(reverse("votes:results_sitting", args=[sitting.pk]))


def _api(client, sitting):
    return client.get(reverse("api:results-sitting", args=[sitting.pk]))


# --- Visibility ---------------------------------------------------------------------------------


def test_members_read_the_ballots_of_an_open_sitting_the_public_does_not(
    voted, sitting, member_client, anonymous_client
):
    page = _page(member_client, sitting)
    assert page.status_code == 200
    assert "Adoptez-vous le schéma des mobilités" in page.content.decode()
    assert _page(signed_in(factories.UserFactory()), sitting).status_code == 404  # signed in, no mandate
    assert _page(anonymous_client, sitting).status_code == 404
    assert _api(anonymous_client, sitting).status_code == 404
    assert anonymous_client.get(reverse("api:results-sittings")).json()["results"] == []


def test_the_public_reads_a_plenary_once_its_sitting_is_closed(voted, sitting, staff, anonymous_client):
    sitting_services.sitting_close(by=staff, sitting=sitting)
    page = _page(anonymous_client, sitting)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Adoptez-vous le schéma des mobilités" in body
    assert "Quel lieu pour la prochaine plénière" in body
    listing = anonymous_client.get(reverse("votes:results_list")).content.decode()
    assert reverse("votes:results_sitting", args=[sitting.pk]) in listing
    api = anonymous_client.get(reverse("api:results-sittings")).json()
    assert [row["id"] for row in api["results"]] == [sitting.pk]
    assert api["results"][0]["ballots_count"] == 2


def test_the_public_never_reads_workshops_nor_unpublished_meetings(assembly, staff, anonymous_client, member_client):
    workshop = factories.SittingFactory(meeting__assembly=assembly, meeting__kind=Meeting.Kind.WORKSHOP, state="closed")
    hidden = factories.SittingFactory(meeting__assembly=assembly, state="closed")
    factories.MeetingDetailsFactory(meeting=hidden.meeting, published=False)
    for sitting in (workshop, hidden):
        factories.closed_ballot(sitting=sitting)
        assert _page(anonymous_client, sitting).status_code == 404
        assert _page(member_client, sitting).status_code == 200  # the assembly's members read them all
    assert not selectors.results_ballots(None).exists()


def test_members_of_another_assembly_read_only_what_is_published(voted, sitting):
    other = factories.AssemblyFactory(name="Parlement de la Mer", short_name="PMer", slug="pmer")
    outsider = factories.MandateFactory(assembly=other).user
    assert _page(signed_in(outsider), sitting).status_code == 404


def test_partners_and_staff_read_the_sitting_as_it_runs(voted, sitting, partner_client, staff_client):
    assert _page(partner_client, sitting).status_code == 200
    assert _api(staff_client, sitting).status_code == 200


def test_open_draft_and_cancelled_ballots_are_no_result(sitting, open_ballot, staff, member_client):
    running = open_ballot(title="Question encore ouverte")
    cancelled = open_ballot(title="Question annulée")
    services.ballot_cancel(by=staff, ballot=cancelled, reason="Erreur de libellé")
    factories.BallotFactory(sitting=sitting, title="Question préparée")
    assert running.pk not in set(selectors.results_ballots(staff).values_list("pk", flat=True))
    assert _page(member_client, sitting).status_code == 404  # nothing closed: no results page


@pytest.mark.parametrize("sitting_id", [0, 99_999, 2**31, 10**30])
def test_unknown_or_absurd_ids_are_404(sitting_id, staff_client):
    assert staff_client.get(f"/votes/resultats/seances/{sitting_id}/").status_code == 404
    response = staff_client.get(f"/api/v1/results/sittings/{sitting_id}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_non_numeric_ids_match_no_page(staff_client):
    assert staff_client.get("/votes/resultats/seances/abc/").status_code == 404
    assert staff_client.get("/votes/resultats/seances/-1/").status_code == 404


# --- What is shown ------------------------------------------------------------------------------


def test_counts_and_verdicts_are_those_of_the_close(voted, sitting, member_client):
    named, secret = voted
    data = _api(member_client, sitting).json()
    by_id = {b["id"]: b for b in data["ballots"]}
    yes_no = by_id[named.pk]
    assert {o["code"]: o["count"] for o in yes_no["options"]} == {"yes": 3, "no": 1, "abstain": 0}
    assert (yes_no["outcome"], yes_no["majority"], yes_no["kind"]) == ("adopted", "simple", "yes_no")
    assert (yes_no["votes_cast"], yes_no["electorate"], yes_no["present"]) == (4, 4, 4)
    assert yes_no["fingerprint"] == named.verdict.fingerprint
    single = by_id[secret.pk]
    assert {o["label"]: (o["count"], o["won"]) for o in single["options"]} == {
        "Montpellier": (1, False),
        "Toulouse": (3, True),
    }
    assert single["secret"] is True
    assert [b["id"] for b in data["ballots"]] == [named.pk, secret.pk]  # in closing order


def test_the_page_shows_question_item_kind_rule_counts_and_verdict(sitting, open_ballot, present_members, staff):
    item = factories.AgendaItemFactory(sitting=sitting, title="Mobilités du quotidien", kind="vote")
    ballot = open_ballot(title="Adoptez-vous la motion sur les cars express ?", agenda_item=item)
    for voter in present_members[:3]:
        cast(voter, ballot, option(ballot, "no"))
    services.ballot_close(by=staff, ballot=ballot)
    body = _page(signed_in(present_members[0]), sitting).content.decode()
    assert "Adoptez-vous la motion sur les cars express" in body
    assert f"N°\u00a0{item.position}\u202f: Mobilités du quotidien" in body  # French typography
    assert "majorité simple" in body.lower()
    assert "rejeté" in body.lower()
    assert "<td>3</td>" in body  # the three votes against


def test_secret_ballots_never_show_names(voted, sitting, present_members, staff, staff_client, anonymous_client):
    sitting_services.sitting_close(by=staff, sitting=sitting)
    for client in (staff_client, signed_in(present_members[0]), anonymous_client):
        for response in (_page(client, sitting), _api(client, sitting)):
            text = response.content.decode()
            assert response.status_code == 200
            for person in present_members:
                assert person.last_name not in text
                assert person.email not in text


def test_the_list_is_newest_first(assembly, staff, member_client):
    older = factories.SittingFactory(meeting__assembly=assembly, title="Plénière de printemps")
    newer = factories.SittingFactory(meeting__assembly=assembly, title="Plénière d'automne")
    older.starts_at = newer.starts_at.replace(year=newer.starts_at.year - 1)
    older.save(update_fields=["starts_at"])
    for s in (older, newer):
        factories.closed_ballot(sitting=s)
    body = member_client.get(reverse("votes:results_list")).content.decode()
    assert body.index("Plénière d&#x27;automne") < body.index("Plénière de printemps")
    rows = member_client.get(reverse("api:results-sittings")).json()["results"]
    assert [r["id"] for r in rows] == [newer.pk, older.pk]


def test_queries_stay_bounded(assembly, member, django_assert_max_num_queries):
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    for n in range(12):
        factories.closed_ballot(sitting=sitting, title=f"Question {n}")
    with django_assert_max_num_queries(6):
        rows = selectors.sitting_results(member, sitting)
    assert len(rows) == 12


# --- Forward links ------------------------------------------------------------------------------


def test_a_proposal_links_to_its_ballot_its_recommendation_and_the_answer(assembly, sitting, staff, member_client):
    from recommendations.models import Recommendation, RecommendationSource, RegionAnswer

    proposal = factories.ProposalFactory(assembly=assembly, status="adopted")
    ballot = factories.closed_ballot(sitting=sitting, title="Adoptez-vous la proposition des cars express ?")
    Ballot.objects.filter(pk=ballot.pk).update(proposal=proposal)
    recommendation = factories.RecommendationFactory(
        assembly=sitting.assembly,
        title="Des cars express entre villes moyennes",
        status=Recommendation.Status.ANSWERED,
        adoption_mode="ballot",
        adopted_on=sitting.starts_at.date(),
        adoption_ballot=ballot,
        transmitted_on=sitting.starts_at.date(),
    )
    RecommendationSource.objects.create(recommendation=recommendation, proposal=proposal, ballot=ballot)
    RegionAnswer.objects.create(
        recommendation=recommendation,
        status="accepted",
        text="La Région ouvre deux lignes.",
        answered_on=sitting.starts_at.date(),
        recorded_by=staff,
    )
    body = member_client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert f"{reverse('votes:results_sitting', args=[sitting.pk])}#ballot-{ballot.pk}" in body
    assert reverse("recommendations:detail", args=[recommendation.pk]) in body
    assert f"{reverse('recommendations:detail', args=[recommendation.pk])}#answers" in body
    recommendation_page = member_client.get(reverse("recommendations:detail", args=[recommendation.pk]))
    assert f"#ballot-{ballot.pk}" in recommendation_page.content.decode()


def test_the_calendar_page_links_to_the_results(voted, sitting, staff, member_client, anonymous_client):
    url = reverse("meetings:calendar_detail", args=[sitting.meeting_id])
    results = reverse("votes:results_sitting", args=[sitting.pk])
    assert results in member_client.get(url).content.decode()
    # Today's meeting is not public yet; the public sees the link once the meeting took place and closed.
    Meeting.objects.filter(pk=sitting.meeting_id).update(date=sitting.meeting.date.replace(year=2020))
    assert anonymous_client.get(url).status_code == 200
    assert results not in anonymous_client.get(url).content.decode()
    sitting_services.sitting_close(by=staff, sitting=sitting)
    assert results in anonymous_client.get(url).content.decode()
