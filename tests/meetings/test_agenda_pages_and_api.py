"""The agenda on the staff sitting page and in the API: kind, planned duration, proposal, state;
staff take items up and close them; a ballot is created from an item in the API and on the page."""

from __future__ import annotations

import pytest

from meetings.models import AgendaItem
from meetings.services import agenda as agenda_services
from proposals.models import Proposal
from tests import factories
from votes.models import Ballot


@pytest.fixture
def proposal(assembly):
    return factories.ProposalFactory(assembly=assembly, title="Des cars express")


def test_the_staff_page_adds_an_item_with_kind_duration_and_proposal(staff_client, sitting, proposal):
    from django.urls import reverse

    page = staff_client.get(reverse("meetings:manage_sitting", args=[sitting.pk]))
    html = page.content.decode()
    assert "Durée prévue (minutes)" in html and "Des cars express" in html
    response = staff_client.post(
        page.request["PATH_INFO"],
        {"form": "agenda", "title": "Cars express", "kind": "vote", "planned_minutes": "20", "proposal": proposal.pk},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(sitting=sitting)
    assert (item.kind, item.planned_minutes, item.proposal_id) == ("vote", 20, proposal.pk)
    html = staff_client.get(page.request["PATH_INFO"]).content.decode()
    assert "Cars express" in html and "20 minutes" in html
    assert "à venir" in html


def test_the_page_does_not_offer_a_proposal_already_decided(staff_client, sitting, assembly):
    from django.urls import reverse

    factories.ProposalFactory(assembly=assembly, title="Déjà adoptée", status=Proposal.Status.ADOPTED)
    html = staff_client.get(reverse("meetings:manage_sitting", args=[sitting.pk])).content.decode()
    assert "Déjà adoptée" not in html


def test_the_api_lists_adds_takes_up_and_finishes_items(staff_client, member_client, sitting, proposal):
    created = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/agenda/",
        {"title": "Cars express", "kind": "vote", "planned_minutes": 20, "proposal": proposal.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["kind"], item["planned_minutes"], item["proposal"], item["state"]) == (
        "vote",
        20,
        proposal.pk,
        "upcoming",
    )
    current = staff_client.post(f"/api/v1/agenda-items/{item['id']}/make-current/")
    assert current.status_code == 200 and current.json()["state"] == "current"
    again = staff_client.post(f"/api/v1/agenda-items/{item['id']}/make-current/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "agenda_item_already_current"
    listed = member_client.get(f"/api/v1/sittings/{sitting.pk}/agenda/")
    assert [i["state"] for i in listed.json()] == ["current"]
    done = staff_client.post(f"/api/v1/agenda-items/{item['id']}/finish/")
    assert done.status_code == 200 and done.json()["state"] == "done"


def test_the_api_refuses_a_member_adding_an_item(member_client, sitting):
    response = member_client.post(
        f"/api/v1/sittings/{sitting.pk}/agenda/", {"title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_two_current_items_are_refused_by_the_database(staff, sitting):
    """The service makes the previous item done; a write bypassing it meets the constraint."""
    from django.db import IntegrityError, transaction

    first = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Un")
    second = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Deux")
    agenda_services.agenda_item_make_current(by=staff, item=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=second.pk).update(state="current")
    assert list(AgendaItem.objects.filter(state="current")) == [first]


def test_the_ballot_api_creates_a_ballot_from_an_item(staff_client, staff, sitting, proposal):
    item = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Cars", kind="vote", proposal=proposal)
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Adoptez-vous ?", "agenda_item": item.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Ballot.objects.get().proposal_id == proposal.pk


def test_the_ballot_api_refuses_an_item_of_another_sitting(staff_client, staff, sitting, assembly):
    other = factories.SittingFactory(meeting__assembly=assembly)
    item = agenda_services.agenda_item_add(by=staff, sitting=other, title="Ailleurs")
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Adoptez-vous ?", "agenda_item": item.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "agenda_item_other_sitting"
    assert not Ballot.objects.exists()


def test_the_ballot_api_refuses_a_proposal_not_put_to_vote(staff_client, sitting, assembly):
    draft = factories.ProposalFactory(assembly=assembly, status=Proposal.Status.DRAFT)
    response = staff_client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Adoptez-vous ?", "proposal": draft.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "proposal_not_votable"
    assert not Ballot.objects.exists()


def test_the_staff_ballot_form_creates_a_ballot_from_an_item(staff_client, staff, sitting, proposal):
    from django.urls import reverse

    item = agenda_services.agenda_item_add(by=staff, sitting=sitting, title="Cars", kind="vote", proposal=proposal)
    url = reverse("votes:manage_ballots", args=[sitting.pk])
    assert "Proposition décidée" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {"title": "Adoptez-vous ?", "agenda_item": item.pk, "kind": "yes_no", "max_choices": 1, "majority": "simple"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Ballot.objects.get().proposal_id == proposal.pk


def test_the_desk_refuses_an_unknown_action_on_an_item_and_changes_nothing(staff_client, sitting):
    item = AgendaItem.objects.create(sitting=sitting, position=1, title="Accueil")
    response = staff_client.post(f"/reunions/gestion/points/{item.pk}/", {"action": "explode"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == AgendaItem.State.UPCOMING
