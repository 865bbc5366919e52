"""Staff preparation pages and the home panel."""

from __future__ import annotations

from html import escape

from django.test import Client
from django.utils.translation import gettext, override

from votes.models import Ballot


def test_staff_prepare_and_open_a_ballot_from_the_page(staff_client, sitting, present_members):
    url = f"/votes/gestion/seances/{sitting.pk}/scrutins/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url, {"title": "Adopter le rapport ?", "kind": "yes_no", "max_choices": 1, "majority": "simple"}
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(sitting=sitting)
    staff_client.post(f"/votes/gestion/scrutins/{ballot.pk}/", {"action": "open"})
    assert Ballot.objects.get(pk=ballot.pk).state == "open"


def test_secret_and_changeable_shows_the_error(staff_client, sitting):
    url = f"/votes/gestion/seances/{sitting.pk}/scrutins/"
    response = staff_client.post(
        url,
        {"title": "Q", "kind": "yes_no", "max_choices": 1, "majority": "simple", "secret": "on", "allow_change": "on"},
    )
    assert response.status_code == 200 and not Ballot.objects.exists()
    with override("fr"):
        message = gettext("A secret vote cannot be changed: untick one of the two.")
    assert escape(message) in response.content.decode()


def test_secret_with_live_results_shows_the_error(staff_client, sitting):
    url = f"/votes/gestion/seances/{sitting.pk}/scrutins/"
    response = staff_client.post(
        url,
        {"title": "Q", "kind": "yes_no", "max_choices": 1, "majority": "simple", "secret": "on", "live_results": "on"},
    )
    assert response.status_code == 200 and not Ballot.objects.exists()
    with override("fr"):
        message = gettext("The results of a secret ballot are shown only after it closes: untick one of the two.")
    assert escape(message) in response.content.decode()


def test_members_cannot_reach_staff_pages(member_client, sitting):
    assert member_client.get(f"/votes/gestion/seances/{sitting.pk}/scrutins/").status_code == 403
    assert member_client.get(f"/reunions/gestion/seances/{sitting.pk}/").status_code == 403


def test_home_panel_shows_sitting_in_session(member, sitting):
    client = Client()
    client.force_login(member)
    assert sitting.title.encode() in client.get("/").content


def test_a_closed_ballot_reads_clos_in_french_wherever_its_state_is_shown():
    from django.utils import translation

    from votes.models import Ballot

    with translation.override("fr"):
        assert [str(label) for _value, label in Ballot.State.choices] == ["Préparé", "Ouvert", "Clos", "Annulé"]
