"""The live room of a sitting over websockets (votes.live.consumers), through the project's ASGI stack."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from assembly.models import Mandate
from backend.asgi import application
from meetings.services import attendance as attendance_services
from realtime import consumers as rc
from tests import factories
from tests.realtime.conftest import communicator
from votes import services
from votes.live.access import screen_token
from votes.models import Ballot, Vote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(assembly, staff):
    """An open sitting with two members present and a prepared yes/no ballot (named)."""
    sitting = factories.SittingFactory(meeting__assembly=assembly)
    members = []
    for _ in range(2):
        user = factories.MandateFactory(assembly=assembly).user
        attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
        members.append(user)
    ballot = factories.BallotFactory(sitting=sitting)
    return {"sitting": sitting, "members": members, "ballot": ballot, "staff": staff}


def _yes(ballot) -> int:
    return ballot.options.get(code="yes").pk


async def _connect(room, user, *, query: str = ""):
    path = f"/ws/v1/sittings/{room['sitting'].pk}/{query}"
    ws = await communicator(application, path, user=user)
    connected, _ = await ws.connect()
    assert connected
    return ws


async def _joined(room, user, *, query: str = ""):
    ws = await _connect(room, user, query=query)
    hello = await ws.receive_json_from()
    assert hello["type"] == "hello" and hello["protocol"] == rc.PROTOCOL_VERSION
    snapshot = await ws.receive_json_from()
    assert snapshot["type"] == "snapshot"
    return ws, hello, snapshot


async def _open(room):
    await sync_to_async(services.ballot_open)(by=room["staff"], ballot=room["ballot"])


async def _until(ws, predicate, limit: int = 20):
    """The first message (already received or coming) that matches PREDICATE."""
    seen = ws.__dict__.setdefault("seen", [])
    for message in seen:
        if predicate(message):
            seen.remove(message)
            return message
    for _ in range(limit):
        message = await ws.receive_json_from(timeout=3)
        if predicate(message):
            return message
        seen.append(message)
    raise AssertionError("expected message not received")


async def test_anonymous_is_closed_with_4401(room):
    ws = await _connect(room, None)
    assert (await ws.receive_json_from())["code"] == "unauthenticated"
    assert (await ws.receive_output())["code"] == rc.CLOSE_UNAUTHENTICATED


async def test_member_of_another_assembly_is_closed_with_4403(room):
    other = await sync_to_async(
        lambda: (
            factories.MandateFactory(
                assembly=factories.AssemblyFactory(slug="autre", short_name="Autre", name="Parlement de la Mer")
            ).user
        )
    )()
    ws = await _connect(room, other)
    assert (await ws.receive_json_from())["code"] == "forbidden"
    assert (await ws.receive_output())["code"] == rc.CLOSE_FORBIDDEN


async def test_unknown_sitting_is_closed_with_4404(room):
    ws = await communicator(application, "/ws/v1/sittings/999999/", user=room["members"][0])
    await ws.connect()
    assert (await ws.receive_json_from())["code"] == "not_found"
    assert (await ws.receive_output())["code"] == rc.CLOSE_NOT_FOUND


async def test_cross_site_origin_is_refused(room):
    ws = await communicator(
        application, f"/ws/v1/sittings/{room['sitting'].pk}/", user=room["members"][0], origin=b"https://evil.example"
    )
    connected, code = await ws.connect()
    assert not connected and code == rc.CLOSE_FORBIDDEN


async def test_phone_sees_the_ballot_open_after_commit_and_what_it_may_cast(room):
    member = room["members"][0]
    ws, hello, snapshot = await _joined(room, member)
    assert hello["role"] == "phone" and snapshot["ballots"] == [] and snapshot["present"] is True
    await _open(room)
    state = await _until(ws, lambda m: m["type"] == "state")
    (ballot,) = state["ballots"]
    assert ballot["id"] == room["ballot"].pk and ballot["state"] == "open"
    assert ballot["participation"] == {"voted": 0, "electorate": 2}
    assert {o["code"] for o in ballot["options"]} == {"yes", "no", "abstain"}
    await ws.send_json_to({"type": "resync", "ref": "r"})
    snap = await _until(ws, lambda m: m["type"] == "snapshot")
    assert snap["ref"] == "r"
    assert snap["may_cast"][str(room["ballot"].pk)] == [
        {"member": member.pk, "member_name": "", "proxy": False, "cast": False}
    ]
    await ws.disconnect()


async def test_vote_is_acked_once_and_a_replay_gets_the_same_answer(room):
    await _open(room)
    member = room["members"][0]
    ws, _, _ = await _joined(room, member)
    vote_id = str(uuid.uuid4())
    cast = {
        "type": "vote.cast",
        "vote_id": vote_id,
        "ballot": room["ballot"].pk,
        "choice": await sync_to_async(_yes)(room["ballot"]),
    }
    await ws.send_json_to(cast)
    ack = await _until(ws, lambda m: m["type"] == "vote.ack")
    assert (
        ack["vote_id"] == vote_id and ack["ref"] == vote_id and ack["replayed"] is False and ack["member"] == member.pk
    )
    await ws.send_json_to(cast)
    again = await _until(ws, lambda m: m["type"] == "vote.ack")
    assert again["vote_id"] == vote_id and again["replayed"] is True
    assert await sync_to_async(Vote.objects.filter(ballot=room["ballot"]).count)() == 1
    # A second vote with another id is refused: one vote per member.
    await ws.send_json_to({**cast, "vote_id": str(uuid.uuid4())})
    error = await _until(ws, lambda m: m["type"] == "error")
    assert error["code"] == "already_voted"
    assert await sync_to_async(Vote.objects.filter(ballot=room["ballot"]).count)() == 1
    # The coalesced state reaches the phone with the new participation.
    state = await _until(ws, lambda m: m["type"] == "state" and m["ballots"][0]["participation"]["voted"] == 1)
    assert state["ballots"][0]["participation"] == {"voted": 1, "electorate": 2}
    await ws.disconnect()


async def test_vote_on_a_ballot_of_another_sitting_is_refused(room, assembly):
    await _open(room)
    other = await sync_to_async(
        lambda: factories.BallotFactory(sitting=factories.SittingFactory(meeting__assembly=assembly))
    )()
    ws, _, _ = await _joined(room, room["members"][0])
    await ws.send_json_to({"type": "vote.cast", "vote_id": str(uuid.uuid4()), "ballot": other.pk, "choice": 1})
    error = await _until(ws, lambda m: m["type"] == "error")
    assert error["code"] == "not_found"
    assert await sync_to_async(Vote.objects.count)() == 0


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"ballot": "x"}, "invalid"),
        ({"vote_id": 12}, "invalid"),
        ({"vote_id": "not-a-uuid"}, "invalid"),
        ({"choice": 999999}, "invalid_choice"),
    ],
)
async def test_malformed_votes_get_an_error_and_change_nothing(room, message, code):
    await _open(room)
    ws, _, _ = await _joined(room, room["members"][0])
    cast = {
        "type": "vote.cast",
        "vote_id": str(uuid.uuid4()),
        "ballot": room["ballot"].pk,
        "choice": await sync_to_async(_yes)(room["ballot"]),
    }
    await ws.send_json_to({**cast, **message})
    error = await _until(ws, lambda m: m["type"] == "error")
    assert error["code"] in {code, "invalid"}
    assert await sync_to_async(Vote.objects.count)() == 0


async def test_vote_on_a_closed_ballot_is_refused(room):
    await _open(room)
    await sync_to_async(services.ballot_close)(by=room["staff"], ballot=room["ballot"])
    ws, _, _ = await _joined(room, room["members"][0])
    await ws.send_json_to(
        {
            "type": "vote.cast",
            "vote_id": str(uuid.uuid4()),
            "ballot": room["ballot"].pk,
            "choice": await sync_to_async(_yes)(room["ballot"]),
        }
    )
    assert (await _until(ws, lambda m: m["type"] == "error"))["code"] == "ballot_closed"


async def test_mandate_ending_mid_sitting_stops_the_member(room):
    await _open(room)
    member = room["members"][0]
    ws, _, _ = await _joined(room, member)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    await sync_to_async(lambda: Mandate.objects.filter(user=member).update(end_date=yesterday))()
    await ws.send_json_to(
        {
            "type": "vote.cast",
            "vote_id": str(uuid.uuid4()),
            "ballot": room["ballot"].pk,
            "choice": await sync_to_async(_yes)(room["ballot"]),
        }
    )
    assert (await _until(ws, lambda m: m["type"] == "error"))["code"] == "forbidden"
    assert await sync_to_async(Vote.objects.count)() == 0
    # Any other message re-checks the rights too: the socket is closed.
    await ws.send_json_to({"type": "resync"})
    assert (await _until(ws, lambda m: m["type"] == "error"))["code"] == "forbidden"
    assert (await ws.receive_output())["code"] == rc.CLOSE_FORBIDDEN


async def test_staff_opens_and_closes_over_the_socket_and_members_cannot(room):
    staff_ws, hello, _ = await _joined(room, room["staff"])
    assert hello["role"] == "staff"
    member_ws, _, _ = await _joined(room, room["members"][0])
    await member_ws.send_json_to({"type": "ballot.open", "ballot": room["ballot"].pk, "ref": 1})
    assert (await _until(member_ws, lambda m: m["type"] == "error"))["code"] == "forbidden"
    await staff_ws.send_json_to({"type": "ballot.open", "ballot": room["ballot"].pk, "ref": 2})
    assert await _until(staff_ws, lambda m: m["type"] == "ok") == {
        "type": "ok",
        "ref": 2,
        "ballot": room["ballot"].pk,
        "action": "ballot.open",
    }
    state = await _until(staff_ws, lambda m: m["type"] == "state")
    assert {(n["member"], n["name"]) for n in state["ballots"][0]["non_voters"]} == {
        (u.pk, u.display_name) for u in room["members"]
    }
    assert state["ballots"][0]["non_voters_count"] == len(room["members"])
    await staff_ws.send_json_to({"type": "ballot.close", "ballot": room["ballot"].pk, "ref": 3})
    await _until(staff_ws, lambda m: m["type"] == "ok")
    closed = await _until(member_ws, lambda m: m["type"] == "state" and m["ballots"][0]["state"] == "closed")
    assert closed["ballots"][0]["verdict"]["outcome"]
    assert await sync_to_async(lambda: Ballot.objects.get(pk=room["ballot"].pk).state)() == "closed"
    await staff_ws.disconnect()
    await member_ws.disconnect()


async def test_screen_link_is_read_only_and_a_bad_link_is_refused(room):
    token = await sync_to_async(screen_token)(sitting=room["sitting"])
    ws, hello, _ = await _joined(room, None, query=f"?screen={token}")
    assert hello["role"] == "screen" and hello["user"] is None
    await ws.send_json_to({"type": "vote.cast", "vote_id": str(uuid.uuid4()), "ballot": room["ballot"].pk, "choice": 1})
    assert (await _until(ws, lambda m: m["type"] == "error"))["code"] == "forbidden"
    await ws.disconnect()
    bad = await _connect(room, None, query="?screen=forged")
    assert (await bad.receive_json_from())["code"] == "unauthenticated"
    assert (await bad.receive_output())["code"] == rc.CLOSE_UNAUTHENTICATED


def test_the_staff_get_the_first_non_voters_by_name_and_how_many_there_are(room, monkeypatch):
    from votes.live.state import SittingState

    for _ in range(3):
        user = factories.MandateFactory(assembly=room["sitting"].assembly).user
        attendance_services.attendance_mark_present(by=room["staff"], sitting=room["sitting"], user=user)
        room["members"].append(user)
    services.ballot_open(by=room["staff"], ballot=room["ballot"])
    for name, user in zip(["Eve", "Dupont", "Carre", "Blanc", "Abel"], room["members"], strict=True):
        user.last_name = name  # plain ASCII: the same order under every database collation
        user.save(update_fields=["last_name"])
    first = room["members"][0]
    services.vote_cast(voter=first, ballot=room["ballot"], choice=_yes(room["ballot"]), vote_id=uuid.uuid4())
    monkeypatch.setattr(SittingState, "NON_VOTERS_SHOWN", 2)
    ballot = SittingState(room["sitting"].pk)(None, frozenset({"staff"}))["staff"]["ballots"][0]
    waiting = sorted(room["members"][1:], key=lambda u: (u.last_name, u.first_name))
    assert ballot["non_voters"] == [{"member": u.pk, "name": u.display_name} for u in waiting[:2]]
    assert ballot["non_voters_count"] == 4


def test_the_state_says_which_majority_rule_decides(room):
    """Phones and the projector word a verdict with its reason: the rule, and whether each college must meet it."""
    from votes.live.state import SittingState

    room["ballot"].double_majority = True
    room["ballot"].save(update_fields=["double_majority"])
    services.ballot_open(by=room["staff"], ballot=room["ballot"])
    ballot = SittingState(room["sitting"].pk)(None, frozenset({"phone"}))["phone"]["ballots"][0]
    assert ballot["majority"] == "simple" and ballot["double_majority"] is True
