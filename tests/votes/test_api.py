"""HTTP API of ballots: the same actions as the websocket, one error shape."""

from __future__ import annotations

import uuid

from django.test import Client

from meetings.services import attendance as attendance_services
from tests.votes.conftest import option
from votes.models import Ballot, Vote


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_member_casts_over_http_and_replay_is_200(open_ballot, present_members):
    ballot = open_ballot()
    client = _client(present_members[0])
    body = {"vote_id": str(uuid.uuid4()), "choice": option(ballot, "yes")}
    first = client.post(f"/api/v1/ballots/{ballot.pk}/votes/", body, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(f"/api/v1/ballots/{ballot.pk}/votes/", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_bad_vote_gets_error_shape(open_ballot, present_members):
    ballot = open_ballot()
    client = _client(present_members[0])
    response = client.post(
        f"/api/v1/ballots/{ballot.pk}/votes/",
        {"vote_id": str(uuid.uuid4()), "choice": [1, 2]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_choice"
    missing = client.post(f"/api/v1/ballots/{ballot.pk}/votes/", {"choice": 1}, content_type="application/json")
    assert missing.status_code == 400 and "vote_id" in missing.json()["error"]["fields"]


def test_partner_vote_is_forbidden_over_http(open_ballot, partner):
    ballot = open_ballot()
    response = _client(partner).post(
        f"/api/v1/ballots/{ballot.pk}/votes/",
        {"vote_id": str(uuid.uuid4()), "choice": option(ballot, "yes")},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_snapshot_hides_results_until_close(open_ballot, present_members, staff):
    ballot = open_ballot()
    client = _client(present_members[0])
    snap = client.get(f"/api/v1/ballots/{ballot.pk}/").json()
    assert snap["counts"] is None and snap["state"] == "open"
    assert snap["may_cast"] == [{"member": present_members[0].pk, "member_name": "", "proxy": False, "cast": False}]
    assert snap["participation"] == {"voted": 0, "electorate": 4}
    closed = _client(staff).post(f"/api/v1/ballots/{ballot.pk}/close/", {}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["verdict"]["outcome"] == "rejected"
    assert client.get(f"/api/v1/ballots/{ballot.pk}/").json()["counts"]["votes"] == 0


def test_staff_prepare_open_extend_cancel_over_http(staff, sitting, present_members):
    client = _client(staff)
    created = client.post(
        f"/api/v1/sittings/{sitting.pk}/ballots/",
        {"title": "Priorités 2027", "kind": "ranking", "options": ["Logement", "Santé", "Mobilités"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        client.post(f"/api/v1/ballots/{pk}/open/", {"duration_seconds": 120}, content_type="application/json").json()[
            "state"
        ]
        == "open"
    )
    assert (
        client.post(f"/api/v1/ballots/{pk}/extend/", {"seconds": 30}, content_type="application/json").status_code
        == 200
    )
    assert (
        client.post(f"/api/v1/ballots/{pk}/cancel/", {"reason": "x"}, content_type="application/json").json()["state"]
        == "cancelled"
    )
    again = client.post(f"/api/v1/ballots/{pk}/open/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "ballot_not_draft"


def test_member_cannot_open(open_ballot, present_members, sitting):
    from tests import factories

    ballot = factories.BallotFactory(sitting=sitting)
    response = _client(present_members[0]).post(
        f"/api/v1/ballots/{ballot.pk}/open/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Ballot.objects.get(pk=ballot.pk).state == "draft"


def test_sitting_live_snapshot_lists_open_ballots(open_ballot, present_members, sitting):
    ballot = open_ballot()
    data = _client(present_members[0]).get(f"/api/v1/sittings/{sitting.pk}/live/").json()
    assert data["present"] is True and data["quorum"]["reached"] is True
    assert [b["id"] for b in data["open_ballots"]] == [ballot.pk]


def test_check_in_and_proxy_over_http(assembly, sitting, staff, member):
    from tests import factories

    token = _client(staff).get(f"/api/v1/sittings/{sitting.pk}/check-in-token/").json()["token"]
    holder = factories.MandateFactory(assembly=assembly).user
    response = _client(holder).post("/api/v1/sittings/check-in/", {"token": token}, content_type="application/json")
    assert response.status_code == 200 and response.json()["present"] is True
    bad = _client(holder).post("/api/v1/sittings/check-in/", {"token": "nope"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "token_invalid"
    given = _client(member).post(
        f"/api/v1/sittings/{sitting.pk}/proxies/", {"holder": holder.pk}, content_type="application/json"
    )
    assert given.status_code == 201 and given.json()["state"] == "pending"
    validated = _client(staff).post(
        f"/api/v1/proxies/{given.json()['id']}/validate/", {}, content_type="application/json"
    )
    assert validated.json()["state"] == "validated"
    assert _client(member).get(f"/api/v1/sittings/{sitting.pk}/quorum/").json()["represented"] == 1
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    assert _client(member).get(f"/api/v1/sittings/{sitting.pk}/proxies/").json()[0]["state"] == "lapsed"
