"""Live-room pages: who may open them, and what they carry for the client script."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from meetings.services import attendance as attendance_services
from tests import factories
from votes import services
from votes.live.access import screen_token


@pytest.fixture
def sitting(assembly, staff, member):
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    return sitting


def test_member_phone_page_carries_the_socket_path(member_client, sitting):
    response = member_client.get(reverse("votes:live_phone", args=[sitting.pk]))
    assert response.status_code == 200
    assert f'data-ws-path="/ws/v1/sittings/{sitting.pk}/"'.encode() in response.content
    assert b"aria-live" in response.content and b"<script>" not in response.content


def test_anonymous_is_sent_to_sign_in(anonymous_client, sitting):
    assert anonymous_client.get(reverse("votes:live_phone", args=[sitting.pk])).status_code == 302


def test_projector_needs_a_valid_screen_link_and_shows_a_qr_code(anonymous_client, sitting):
    url = reverse("votes:live_projector", args=[sitting.pk])
    assert anonymous_client.get(url + "?t=forged").status_code == 404
    response = anonymous_client.get(url + "?t=" + screen_token(sitting=sitting))
    assert response.status_code == 200 and b"<svg" in response.content


def test_control_page_is_for_staff_only(member_client, staff_client, sitting):
    url = reverse("votes:live_control", args=[sitting.pk])
    assert member_client.get(url).status_code == 404
    response = staff_client.get(url)
    assert response.status_code == 200 and b"/ecran/?t=" in response.content


def test_http_fallback_casts_once_and_replays(member_client, member, staff, sitting):
    ballot = factories.BallotFactory(sitting=sitting)
    services.ballot_open(by=staff, ballot=ballot)
    yes = ballot.options.get(code="yes").pk
    body = {"vote_id": str(uuid.uuid4()), "ballot": ballot.pk, "choice": yes}
    url = reverse("votes:live_vote", args=[sitting.pk])
    first = member_client.post(url, json.dumps(body), content_type="application/json").json()
    again = member_client.post(url, json.dumps(body), content_type="application/json").json()
    assert first["type"] == again["type"] == "vote.ack" and again["replayed"] is True
    state = member_client.get(reverse("votes:live_state", args=[sitting.pk])).json()
    assert state["type"] == "snapshot" and state["ballots"][0]["participation"]["voted"] == 1
    other = member_client.post(url, json.dumps({**body, "vote_id": str(uuid.uuid4())}), content_type="application/json")
    assert other.status_code == 409 and other.json()["code"] == "already_voted"
