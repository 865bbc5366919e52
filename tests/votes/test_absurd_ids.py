"""An id past the database's key range (1 … 2⁶³ − 1) is a clear refusal on its field, on every way
in (the service, the REST API, the HTTP fallback), and never costs the other votes of a batch."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from core.errors import ValidationFailed
from core.ids import MAX_ID
from tests.votes.conftest import option
from votes import services
from votes.models import Vote
from votes.services import casting

ABSURD = 10**20


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("field", ["ballot", "on_behalf_of"])
@pytest.mark.parametrize("absurd", [ABSURD, MAX_ID + 1, -1, 0])
def test_vote_cast_refuses_an_id_out_of_range_on_its_field(open_ballot, present_members, field, absurd):
    ballot = open_ballot()
    request = {"ballot": ballot, "on_behalf_of": None, field: absurd}
    with pytest.raises(ValidationFailed) as err:
        services.vote_cast(voter=present_members[0], choice=option(ballot, "yes"), vote_id=uuid.uuid4(), **request)
    assert err.value.field == field
    assert not Vote.objects.exists()


def test_a_batch_with_an_absurd_id_answers_that_request_and_is_never_replayed_one_by_one(
    open_ballot, present_members, monkeypatch
):
    ballot = open_ballot()
    yes = option(ballot, "yes")

    def replayed_alone(request):
        raise AssertionError("the batch was rolled back and replayed one by one")

    monkeypatch.setattr(casting, "_cast_alone", replayed_alone)
    results = services.votes_cast_batch(
        [
            services.CastRequest(voter=present_members[0], ballot=ballot, choice=yes, vote_id=uuid.uuid4()),
            services.CastRequest(
                voter=present_members[1], ballot=ballot, choice=yes, vote_id=uuid.uuid4(), on_behalf_of=ABSURD
            ),
            services.CastRequest(voter=present_members[2], ballot=ABSURD, choice=yes, vote_id=uuid.uuid4()),
        ]
    )
    assert isinstance(results[0], services.CastResult)
    assert isinstance(results[1], ValidationFailed) and results[1].field == "on_behalf_of"
    assert isinstance(results[2], ValidationFailed) and results[2].field == "ballot"
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_rest_vote_with_an_absurd_on_behalf_of_is_a_400_on_that_field(open_ballot, present_members):
    ballot = open_ballot()
    body = {"vote_id": str(uuid.uuid4()), "choice": option(ballot, "yes"), "on_behalf_of": ABSURD}
    response = _client(present_members[0]).post(
        f"/api/v1/ballots/{ballot.pk}/votes/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and "on_behalf_of" in error["fields"]
    assert not Vote.objects.exists()


def test_rest_assisted_vote_with_an_absurd_member_is_a_400_on_that_field(open_ballot, staff):
    ballot = open_ballot()
    body = {"vote_id": str(uuid.uuid4()), "choice": option(ballot, "yes"), "member": ABSURD}
    response = _client(staff).post(
        f"/api/v1/ballots/{ballot.pk}/assisted-votes/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "member" in response.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/v1/ballots/{}/", "/api/v1/ballots/{}/votes/", "/votes/seances/{}/vote"])
def test_an_absurd_id_in_a_votes_path_is_404(member_client, path):
    for absurd in (MAX_ID + 1, ABSURD):
        response = member_client.post(path.format(absurd), "{}", content_type="application/json")
        assert response.status_code == 404, (path, absurd, response.status_code)


@pytest.mark.parametrize("field", ["ballot", "on_behalf_of"])
def test_http_fallback_refuses_an_absurd_id_with_a_400_on_its_field(open_ballot, present_members, sitting, field):
    ballot = open_ballot()
    body = {"vote_id": str(uuid.uuid4()), "ballot": ballot.pk, "choice": option(ballot, "yes"), field: ABSURD}
    response = _client(present_members[0]).post(
        reverse("votes:live_vote", args=[sitting.pk]), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "type": "error",
        "code": "invalid",
        "message": response.json()["message"],
        "field": field,
    }
    assert not Vote.objects.exists()


def test_the_api_schema_states_the_range_of_an_id_in_a_body():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["VoteCastInputRequest"]["properties"]["on_behalf_of"]
    assert field["minimum"] == 1 and field["maximum"] == MAX_ID
