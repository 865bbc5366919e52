"""The live room's commands answer the same on every path: the socket, the HTTP fallback, the REST API, the staff page.

One set of checks (votes/live/commands.py) and one set of limits (votes/services/ballots.py):
"extend" without seconds is 60 seconds, with seconds 10 to 3,600; a cancel reason is kept whole
up to 1,000 characters and refused beyond; a malformed vote is refused on the field it names.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from asgiref.sync import sync_to_async

from backend.asgi import application
from core.models import AuditEvent
from meetings.services import attendance as attendance_services
from tests import factories
from tests.realtime.conftest import communicator, live_room
from tests.shared.people import signed_in
from votes import services
from votes.models import Ballot, Vote, VoterRoll

pytestmark = pytest.mark.django_db(transaction=True)

ACTION_PATHS = ["socket", "rest", "page"]


@pytest.fixture
def room(assembly, staff):
    return live_room(assembly, staff)


async def _answer(ws, kinds: tuple[str, ...]) -> dict:
    for _ in range(20):
        message = await ws.receive_json_from(timeout=3)
        if message["type"] in kinds:
            return message
    raise AssertionError(f"no {kinds} received")


async def _socket(room, user):
    ws = await communicator(application, f"/ws/v1/sittings/{room['sitting'].pk}/", user=user)
    connected, _ = await ws.connect()
    assert connected
    await _answer(ws, ("snapshot",))
    return ws


async def _ballot_action(path: str, room, action: str, **arguments) -> dict:
    """Run ACTION on the room's ballot as staff through PATH: {"ok": True} or {"code", "field"}."""
    pk = room["ballot"].pk
    if path == "socket":
        ws = await _socket(room, room["staff"])
        # As a browser sends it (JSON.stringify): UTF-8, not ASCII escapes.
        message = {"type": f"ballot.{action}", "ballot": pk, "ref": "r", **arguments}
        await ws.send_to(text_data=json.dumps(message, ensure_ascii=False))
        answer = await _answer(ws, ("ok", "error"))
        await ws.disconnect()
        return {"ok": True} if answer["type"] == "ok" else {"code": answer["code"], "field": answer.get("field")}
    if path == "rest":
        client = await sync_to_async(signed_in)(room["staff"])
        response = await sync_to_async(client.post)(
            f"/api/v1/ballots/{pk}/{action}/", arguments, content_type="application/json"
        )
        if response.status_code == 200:
            return {"ok": True}
        error = response.json()["error"]
        return {"code": error["code"], "field": next(iter(error.get("fields") or {None: None}))}
    # The staff page's buttons carry no number: only the action and, for a cancel, a reason.
    assert set(arguments) <= {"reason"}
    client = await sync_to_async(signed_in)(room["staff"])
    response = await sync_to_async(client.post)(
        f"/votes/gestion/scrutins/{pk}/", {"action": action, **arguments}, follow=True
    )
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    return {"ok": True} if not errors else {"code": "message", "field": None}


async def _state(room) -> Ballot:
    return await sync_to_async(Ballot.objects.get)(pk=room["ballot"].pk)


async def _opened(room, duration_seconds: int = 120) -> Ballot:
    return await sync_to_async(services.ballot_open)(
        by=room["staff"], ballot=room["ballot"], duration_seconds=duration_seconds
    )


# ---------------------------------------------------------------------------------------------
# extend
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ACTION_PATHS)
async def test_extend_without_seconds_adds_60_seconds_on_every_path(room, path):
    opened = await _opened(room)
    assert await _ballot_action(path, room, "extend") == {"ok": True}
    assert (await _state(room)).closes_at == opened.closes_at + dt.timedelta(seconds=60)


@pytest.mark.parametrize("path", ["socket", "rest"])
async def test_extend_with_null_seconds_adds_60_seconds(room, path):
    opened = await _opened(room)
    assert await _ballot_action(path, room, "extend", seconds=None) == {"ok": True}
    assert (await _state(room)).closes_at == opened.closes_at + dt.timedelta(seconds=60)


@pytest.mark.parametrize("path", ["socket", "rest"])
@pytest.mark.parametrize("seconds", [10, 3600])
async def test_extend_accepts_10_to_3600_seconds(room, path, seconds):
    opened = await _opened(room)
    assert await _ballot_action(path, room, "extend", seconds=seconds) == {"ok": True}
    assert (await _state(room)).closes_at == opened.closes_at + dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("path", ["socket", "rest"])
@pytest.mark.parametrize("seconds", [9, 3601, 0, -60])
async def test_extend_outside_10_to_3600_seconds_is_refused_and_changes_nothing(room, path, seconds):
    opened = await _opened(room)
    assert await _ballot_action(path, room, "extend", seconds=seconds) == {"code": "invalid", "field": "seconds"}
    assert (await _state(room)).closes_at == opened.closes_at


async def test_extend_with_seconds_as_text_is_refused_on_the_socket(room):
    opened = await _opened(room)
    assert await _ballot_action("socket", room, "extend", seconds="60") == {"code": "invalid", "field": "seconds"}
    assert (await _state(room)).closes_at == opened.closes_at


# ---------------------------------------------------------------------------------------------
# cancel
# ---------------------------------------------------------------------------------------------


async def _cancel_reasons() -> list[str]:
    return await sync_to_async(list)(
        AuditEvent.objects.filter(action="votes.ballot_cancel").values_list("reason", flat=True)
    )


@pytest.mark.parametrize("path", ACTION_PATHS)
async def test_a_cancel_reason_of_1000_characters_is_kept_whole_on_every_path(room, path):
    reason = "é" * 999 + "."
    assert await _ballot_action(path, room, "cancel", reason=reason) == {"ok": True}
    assert (await _state(room)).state == Ballot.State.CANCELLED
    assert await _cancel_reasons() == [reason]


@pytest.mark.parametrize("path", ACTION_PATHS)
async def test_a_cancel_reason_over_1000_characters_is_refused_not_cut_on_every_path(room, path):
    answer = await _ballot_action(path, room, "cancel", reason="x" * 1001)
    assert answer == ({"code": "message", "field": None} if path == "page" else {"code": "invalid", "field": "reason"})
    assert (await _state(room)).state == Ballot.State.DRAFT
    assert await _cancel_reasons() == []


@pytest.mark.parametrize("path", ["socket", "rest"])
async def test_a_cancel_without_a_reason_is_journaled_with_none(room, path):
    assert await _ballot_action(path, room, "cancel", reason=None) == {"ok": True}
    assert await _cancel_reasons() == [""]


# ---------------------------------------------------------------------------------------------
# vote.cast
# ---------------------------------------------------------------------------------------------

VOTE_PATHS = ["socket", "fallback", "rest"]


async def _vote(path: str, room, **fields) -> dict:
    """Cast the member's vote through PATH: the ack, or {"code", "field"}."""
    pk = room["ballot"].pk
    if path == "socket":
        ws = await _socket(room, room["member"])
        await ws.send_json_to({"type": "vote.cast", "ballot": pk, **fields})
        answer = await _answer(ws, ("vote.ack", "error"))
        await ws.disconnect()
        return answer if answer["type"] == "vote.ack" else {"code": answer["code"], "field": answer.get("field")}
    client = await sync_to_async(signed_in)(room["member"])
    if path == "fallback":
        response = await sync_to_async(client.post)(
            f"/votes/seances/{room['sitting'].pk}/vote",
            json.dumps({"ballot": pk, **fields}),
            content_type="application/json",
        )
        body = response.json()
        return body if body["type"] == "vote.ack" else {"code": body["code"], "field": body.get("field")}
    response = await sync_to_async(client.post)(f"/api/v1/ballots/{pk}/votes/", fields, content_type="application/json")
    if response.status_code in (200, 201):
        return {"type": "vote.ack", **response.json()}
    error = response.json()["error"]
    return {"code": error["code"], "field": next(iter(error.get("fields") or {None: None}))}


async def _yes(room) -> int:
    return await sync_to_async(lambda: room["ballot"].options.get(code="yes").pk)()


@pytest.mark.parametrize("path", VOTE_PATHS)
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"vote_id": "not-a-uuid"}, "vote_id"),
        ({"on_behalf_of": "x"}, "on_behalf_of"),
        ({"on_behalf_of": True}, "on_behalf_of"),
    ],
)
async def test_a_malformed_vote_is_refused_on_its_field_on_every_path(room, path, fields, field):
    await _opened(room)
    vote = {"vote_id": str(uuid.uuid4()), "choice": await _yes(room), **fields}
    assert await _vote(path, room, **vote) == {"code": "invalid", "field": field}
    assert await sync_to_async(Vote.objects.count)() == 0


@pytest.mark.parametrize("path", VOTE_PATHS)
async def test_a_vote_is_acknowledged_the_same_on_every_path(room, path):
    await _opened(room)
    vote_id = str(uuid.uuid4())
    ack = await _vote(path, room, vote_id=vote_id, choice=await _yes(room))
    assert ack["type"] == "vote.ack" and ack["vote_id"] == vote_id and ack["member"] == room["member"].pk
    assert ack["replayed"] is False and ack["version"] == 2  # opened (1) + one vote row
    assert await sync_to_async(Vote.objects.count)() == 1


# ---------------------------------------------------------------------------------------------
# vote.assist: staff record, at the desk, the vote of a present member without a phone
# ---------------------------------------------------------------------------------------------

ASSIST_PATHS = ["socket", "rest", "page"]


async def _assist(path: str, room, by, **fields) -> dict:
    """Record an assisted vote as BY through PATH: the ack, or {"code", "field"} ({"code": "message"} on the page)."""
    pk = room["ballot"].pk
    if path == "socket":
        ws = await _socket(room, by)
        await ws.send_json_to({"type": "vote.assist", "ballot": pk, **fields})
        answer = await _answer(ws, ("vote.ack", "error"))
        await ws.disconnect()
        return answer if answer["type"] == "vote.ack" else {"code": answer["code"], "field": answer.get("field")}
    client = await sync_to_async(signed_in)(by)
    if path == "rest":
        response = await sync_to_async(client.post)(
            f"/api/v1/ballots/{pk}/assisted-votes/", fields, content_type="application/json"
        )
        if response.status_code in (200, 201):
            return {"type": "vote.ack", **response.json()}
        error = response.json()["error"]
        return {"code": error["code"], "field": next(iter(error.get("fields") or {None: None}))}
    form = {"ballot": pk, "confirm": "yes", **{k: v for k, v in fields.items() if v is not None}}
    response = await sync_to_async(client.post)(f"/votes/seances/{room['sitting'].pk}/pilotage/vote-assiste/", form)
    if response.status_code != 302:
        return {"code": "forbidden" if response.status_code == 403 else response.status_code, "field": None}
    followed = await sync_to_async(client.get)(response["Location"])
    levels = [m.level_tag for m in followed.context["messages"]]
    return {"type": "vote.ack"} if levels == ["success"] else {"code": "message", "field": None}


@pytest.mark.parametrize("path", ASSIST_PATHS)
async def test_an_assisted_vote_is_recorded_the_same_on_every_path(room, path):
    await _opened(room)
    vote_id = str(uuid.uuid4())
    member = room["member"]
    ack = await _assist(path, room, room["staff"], vote_id=vote_id, member=member.pk, choice=await _yes(room))
    assert ack["type"] == "vote.ack"
    if path != "page":
        assert ack["vote_id"] == vote_id and ack["member"] == member.pk and ack["assisted"] is True
        assert ack["replayed"] is False and ack["proxy"] is False and ack["version"] == 2
    roll = await sync_to_async(VoterRoll.objects.get)(ballot=room["ballot"], member=member)
    assert roll.has_voted and roll.voted_by_id == room["staff"].pk
    assert await sync_to_async(Vote.objects.count)() == 1
    events = await sync_to_async(list)(AuditEvent.objects.filter(action="votes.vote_assist").values("actor", "data"))
    assert events == [{"actor": room["staff"].pk, "data": {"member": member.pk}}]


@pytest.mark.parametrize("path", ASSIST_PATHS)
async def test_a_member_is_forbidden_to_record_another_members_vote_on_every_path(room, path, assembly):
    await _opened(room)
    colleague = await sync_to_async(lambda: factories.MandateFactory(assembly=assembly).user)()
    await sync_to_async(attendance_services.attendance_mark_present)(
        by=room["staff"], sitting=room["sitting"], user=colleague
    )
    answer = await _assist(
        path, room, colleague, vote_id=str(uuid.uuid4()), member=room["member"].pk, choice=await _yes(room)
    )
    assert answer["code"] == "forbidden"
    assert await sync_to_async(Vote.objects.count)() == 0


@pytest.mark.parametrize("path", ["socket", "rest"])
@pytest.mark.parametrize(
    ("fields", "field"),
    [({"vote_id": "not-a-uuid"}, "vote_id"), ({"member": "x"}, "member"), ({"member": None}, "member")],
)
async def test_a_malformed_assisted_vote_is_refused_on_its_field(room, path, fields, field):
    await _opened(room)
    vote = {"vote_id": str(uuid.uuid4()), "member": room["member"].pk, "choice": await _yes(room), **fields}
    assert await _assist(path, room, room["staff"], **vote) == {"code": "invalid", "field": field}
    assert await sync_to_async(Vote.objects.count)() == 0


@pytest.mark.parametrize("path", ASSIST_PATHS)
async def test_an_assisted_vote_after_close_is_refused_on_every_path(room, path):
    await _opened(room)
    await sync_to_async(services.ballot_close)(by=room["staff"], ballot=room["ballot"])
    answer = await _assist(
        path, room, room["staff"], vote_id=str(uuid.uuid4()), member=room["member"].pk, choice=await _yes(room)
    )
    assert answer["code"] == ("message" if path == "page" else "ballot_closed")
    assert await sync_to_async(Vote.objects.count)() == 0


async def test_the_member_cannot_vote_on_their_phone_after_an_assisted_vote(room):
    await _opened(room)
    yes = await _yes(room)
    await _assist("socket", room, room["staff"], vote_id=str(uuid.uuid4()), member=room["member"].pk, choice=yes)
    assert await _vote("socket", room, vote_id=str(uuid.uuid4()), choice=yes) == {
        "code": "already_voted",
        "field": None,
    }
