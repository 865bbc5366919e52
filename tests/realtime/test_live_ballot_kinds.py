"""Every ballot kind over the live socket: the choice shape the phone sends is accepted, a wrong one refused."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async

from backend.asgi import application
from meetings.services import attendance as attendance_services
from tests import factories
from tests.realtime.conftest import communicator
from votes import selectors, services
from votes.models import Ballot, Vote

pytestmark = pytest.mark.django_db(transaction=True)


def _room(assembly, staff, kind: str, *, options: list[str], max_choices: int = 1) -> dict:
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    member = factories.MandateFactory(assembly=assembly).user
    attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=member)
    ballot = services.ballot_create(
        by=staff, sitting=sitting, title="Priorités", kind=kind, options=options, max_choices=max_choices
    )
    services.ballot_open(by=staff, ballot=ballot)
    option_ids = list(ballot.options.order_by("position").values_list("pk", flat=True))
    return {"sitting": sitting, "member": member, "ballot": ballot, "options": option_ids}


async def _cast(room: dict, choice) -> dict:
    """Join as the member, check the ballot is offered with its kind, cast CHOICE: the answer."""
    ws = await communicator(application, f"/ws/v1/sittings/{room['sitting'].pk}/", user=room["member"])
    connected, _ = await ws.connect()
    assert connected
    assert (await ws.receive_json_from())["type"] == "hello"
    snapshot = await ws.receive_json_from()
    (ballot,) = snapshot["ballots"]
    assert ballot["kind"] == room["ballot"].kind and [o["id"] for o in ballot["options"]] == room["options"]
    assert snapshot["may_cast"][str(ballot["id"])][0]["member"] == room["member"].pk
    vote_id = str(uuid.uuid4())
    await ws.send_json_to({"type": "vote.cast", "vote_id": vote_id, "ballot": ballot["id"], "choice": choice})
    while True:
        answer = await ws.receive_json_from(timeout=5)
        if answer["type"] in ("vote.ack", "error"):
            break
    await ws.disconnect()
    assert answer["ref"] == vote_id
    return answer


async def _stored(room: dict) -> list:
    return await sync_to_async(lambda: [v.choice for v in Vote.objects.filter(ballot=room["ballot"])])()


async def test_ranking_is_cast_as_the_full_order_most_preferred_first(assembly, staff):
    room = await sync_to_async(_room)(assembly, staff, Ballot.Kind.RANKING, options=["Mobilité", "Santé", "Eau"])
    a, b, c = room["options"]
    assert (await _cast(room, [c, a, b]))["type"] == "vote.ack"
    assert await _stored(room) == [[c, a, b]]


async def test_ranking_with_a_repeated_option_is_refused(assembly, staff):
    room = await sync_to_async(_room)(assembly, staff, Ballot.Kind.RANKING, options=["Mobilité", "Santé", "Eau"])
    a, b, _ = room["options"]
    answer = await _cast(room, [a, a, b])
    assert answer["type"] == "error" and answer["code"] == "invalid_choice"
    assert await _stored(room) == []


async def test_candidates_are_answered_yes_no_or_abstain_each(assembly, staff):
    room = await sync_to_async(_room)(assembly, staff, Ballot.Kind.CANDIDATES, options=["Mme Durand", "M. Roux"])
    first, second = room["options"]
    assert (await _cast(room, {str(first): "yes", str(second): "abstain"}))["type"] == "vote.ack"
    assert await _stored(room) == [{str(first): "yes", str(second): "abstain"}]


async def test_candidates_with_one_left_unanswered_are_refused(assembly, staff):
    room = await sync_to_async(_room)(assembly, staff, Ballot.Kind.CANDIDATES, options=["Mme Durand", "M. Roux"])
    answer = await _cast(room, {str(room["options"][0]): "yes"})
    assert answer["type"] == "error" and answer["code"] == "invalid_choice"
    assert await _stored(room) == []


async def test_multiple_choice_up_to_k_is_cast_as_a_list(assembly, staff):
    room = await sync_to_async(_room)(
        assembly, staff, Ballot.Kind.MULTIPLE, options=["Mobilité", "Santé", "Eau", "Culture"], max_choices=2
    )
    a, _, c, _ = room["options"]
    assert (await _cast(room, [c, a]))["type"] == "vote.ack"
    assert await _stored(room) == [sorted([a, c])]


async def test_multiple_choice_above_k_is_refused(assembly, staff):
    room = await sync_to_async(_room)(
        assembly, staff, Ballot.Kind.MULTIPLE, options=["Mobilité", "Santé", "Eau", "Culture"], max_choices=2
    )
    answer = await _cast(room, room["options"][:3])
    assert answer["type"] == "error" and answer["code"] == "invalid_choice"
    assert await _stored(room) == []


def test_may_cast_is_the_public_selector_of_what_a_viewer_may_cast(assembly, staff):
    room = _room(assembly, staff, Ballot.Kind.YES_NO, options=[])
    assert selectors.may_cast(ballot=room["ballot"], viewer=room["member"]) == [
        {"member": room["member"].pk, "member_name": "", "proxy": False, "cast": False}
    ]
    assert selectors.may_cast(ballot=room["ballot"], viewer=staff) == []
    assert selectors.may_cast_on_ballots(ballot_ids=[room["ballot"].pk], viewer=room["member"]) == {
        room["ballot"].pk: selectors.may_cast(ballot=room["ballot"], viewer=room["member"])
    }
