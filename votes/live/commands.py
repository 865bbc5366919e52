"""The one dispatcher of the live room's commands: casting a vote, the staff's ballot actions, the speakers list.

Every way in reads its own transport, then hands the command here: the websocket
(`consumers`: `vote.cast`, `vote.assist`, `ballot.open|extend|close|cancel`), the HTTP fallback
(`pages.live_vote`, `pages.live_speakers`), the REST API (`votes.api.views`) and the staff pages (`votes.views`,
`pages.live_assisted_vote`).
The answer is a result or a `core.errors.DomainError`, which each adapter translates (an
`error` message, a JSON error with its status, a page message).

One set of input checks, here, for every way in; the limits are the services' own, so that a
direct call of a service is held to them too:

| command | field | accepted |
|---|---|---|
| vote | `vote_id` | a UUID, or its text (`invalid` on `vote_id`) |
| vote | `ballot` | an id (1 to 2⁶³ − 1, `core.ids`); with a sitting, one of its ballots (`invalid`; `not_found`) |
| vote | `on_behalf_of` | a member's id, or null (`invalid` on `on_behalf_of`) |
| vote | `choice` | its shape for the ballot's kind: `services.choices` (`invalid_choice`) |
| assisted vote | `vote_id`, `ballot`, `choice` | as for a vote |
| assisted vote | `member` | a member's id (`invalid` on `member`) |
| open | `duration_seconds` | null (the ballot's own countdown), or 10 s to 24 hours |
| extend | `seconds` | 10 to 3,600; absent or null: `EXTEND_SECONDS_DEFAULT` (60) |
| cancel | `reason` | text or null, at most 1,000 characters once stripped (refused beyond, never cut) |
| speakers | `action` | `request`, `withdraw`, `move`, `give_floor` or `end` (`invalid` on `action`) |
| speakers | `request` | an integer id of a request to speak of this sitting (`invalid`; `not_found`) |
| speakers | `direction`, `seconds` | `up` or `down`; 10 s to 1 hour, or null (the services' limits) |
| speakers' settings | `partners_may_speak`, `seconds` | a boolean (a form's "on" or nothing); 10 s to 1 hour |

An id out of range is refused here, before a vote is queued for the batch writer: it never
reaches a query (the database could not bind it) nor costs the other votes of its batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core.errors import Conflict, DomainError, NotFound, ValidationFailed
from core.ids import is_id
from meetings.models import AgendaItem, Sitting, SpeakerRequest
from meetings.services import speakers as speaker_services
from votes import services
from votes.models import Ballot
from votes.services import CastRequest, CastResult

ACTIONS = ("open", "extend", "close", "cancel")
EXTEND_SECONDS_DEFAULT = 60  # what "extend" means without a number: the staff's "one more minute"
EXTEND_SECONDS_MIN, EXTEND_SECONDS_MAX = services.EXTEND_SECONDS_MIN, services.EXTEND_SECONDS_MAX
CANCEL_REASON_MAX_LENGTH = services.CANCEL_REASON_MAX_LENGTH


# ---------------------------------------------------------------------------------------------
# Casting a vote
# ---------------------------------------------------------------------------------------------


def vote_request(
    *, voter: User, message: Mapping[str, Any], ballot: int | None = None, sitting_id: int | None = None
) -> CastRequest:
    """The vote of MESSAGE (`vote_id`, `ballot`, `choice`, `on_behalf_of`), checked, as a cast request.

    BALLOT, when the transport names it elsewhere (the REST path), stands for `message["ballot"]`.
    With SITTING_ID, a ballot of another sitting is refused as not found when the vote is cast.
    ValidationFailed on the first malformed field, in the order vote_id, ballot, on_behalf_of.
    """
    vote_id = services.as_vote_id(message.get("vote_id"))
    ballot_id = message.get("ballot") if ballot is None else ballot
    if not is_id(ballot_id):
        raise ValidationFailed(_("Name the ballot."), field="ballot")
    behalf = message.get("on_behalf_of")
    if behalf is not None and not is_id(behalf):
        raise ValidationFailed(_("Name the member you represent."), field="on_behalf_of")
    return CastRequest(
        voter=voter,
        ballot=ballot_id,
        choice=message.get("choice"),
        vote_id=vote_id,
        on_behalf_of=behalf,
        sitting=sitting_id,
    )


def cast(request: CastRequest) -> CastResult:
    """Cast one vote now (the HTTP fallback, the REST API); a replay answers as the original. Raises a DomainError."""
    return services.vote_cast(
        voter=request.voter,
        ballot=request.ballot,
        choice=request.choice,
        vote_id=request.vote_id,
        on_behalf_of=request.on_behalf_of,
        sitting=request.sitting,
    )


def cast_many(requests: list[CastRequest]) -> list[CastResult | DomainError]:
    """Cast many votes in one transaction (the websocket's batch writer): one result or DomainError each."""
    return services.votes_cast_batch(requests)


# ---------------------------------------------------------------------------------------------
# An assisted vote: staff record, at the desk, the vote of a present member without a phone
# ---------------------------------------------------------------------------------------------


def assist_request(
    *, by: User, message: Mapping[str, Any], ballot: int | None = None, sitting_id: int | None = None
) -> CastRequest:
    """The assisted vote of MESSAGE (`vote_id`, `ballot`, `member`, `choice`) that BY records, checked.

    BALLOT, when the transport names it elsewhere (the REST path), stands for `message["ballot"]`.
    With SITTING_ID, a ballot of another sitting is refused as not found. ValidationFailed on the
    first malformed field, in the order vote_id, ballot, member.
    """
    vote_id = services.as_vote_id(message.get("vote_id"))
    ballot_id = message.get("ballot") if ballot is None else ballot
    if not is_id(ballot_id):
        raise ValidationFailed(_("Name the ballot."), field="ballot")
    member = message.get("member")
    if not is_id(member):
        raise ValidationFailed(_("Name the member whose vote you record."), field="member")
    return CastRequest(
        voter=by,
        ballot=ballot_id,
        choice=message.get("choice"),
        vote_id=vote_id,
        on_behalf_of=member,
        sitting=sitting_id,
        assisted=True,
    )


def assist(request: CastRequest) -> CastResult:
    """Record the assisted vote REQUEST (from `assist_request`) now; a replay answers as the original.

    The service asks the rule `votes.assist_vote` of the recorder (a member gets `forbidden`)
    and holds the vote to every rule of a vote. Raises a DomainError.
    """
    return services.vote_assist(
        by=request.voter,
        ballot=request.ballot,
        member=request.on_behalf_of,
        choice=request.choice,
        vote_id=request.vote_id,
        sitting=request.sitting,
    )


# ---------------------------------------------------------------------------------------------
# Ballot actions (staff)
# ---------------------------------------------------------------------------------------------


def _ballot(ballot: Ballot | Any, sitting_id: int | None) -> Ballot:
    if isinstance(ballot, Ballot):
        if sitting_id is not None and ballot.sitting_id != sitting_id:
            raise NotFound(_("This ballot is not part of this sitting."))
        return ballot
    if not is_id(ballot):
        raise NotFound(_("This ballot does not exist."))
    rows = Ballot.objects.select_related("sitting").filter(pk=ballot)
    if sitting_id is not None:
        found = rows.filter(sitting_id=sitting_id).first()
        if found is None:
            raise NotFound(_("This ballot is not part of this sitting."))
        return found
    found = rows.first()
    if found is None:
        raise NotFound(_("This ballot does not exist."))
    return found


def _reason(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(_("Give the reason as text."), field="reason")
    return value


def ballot_action(
    *,
    by: User,
    action: str,
    ballot: Ballot | int | Any,
    sitting_id: int | None = None,
    arguments: Mapping[str, Any] | None = None,
) -> Ballot:
    """Run ACTION ("open", "extend", "close" or "cancel") on BALLOT for BY; the ballot as it is now.

    BALLOT is a Ballot or its id (with SITTING_ID, one of that sitting's ballots, else NotFound).
    ARGUMENTS: `duration_seconds` (open), `seconds` (extend), `reason` (cancel); anything else is
    ignored. The services check the rule `votes.manage_ballot` and the ballot's state.
    """
    if action not in ACTIONS:
        raise ValidationFailed(_("This action does not exist."), field="action")
    arguments = arguments or {}
    target = _ballot(ballot, sitting_id)
    if action == "open":
        return services.ballot_open(by=by, ballot=target, duration_seconds=arguments.get("duration_seconds"))
    if action == "extend":
        seconds = arguments.get("seconds")
        return services.ballot_extend(
            by=by, ballot=target, seconds=EXTEND_SECONDS_DEFAULT if seconds is None else seconds
        )
    if action == "close":
        return services.ballot_close(by=by, ballot=target).ballot
    return services.ballot_cancel(by=by, ballot=target, reason=_reason(arguments.get("reason")))


# ---------------------------------------------------------------------------------------------
# The speakers list: a member asks to speak (or withdraws); staff order it and give the floor
# ---------------------------------------------------------------------------------------------

SPEAKER_ACTIONS = ("request", "withdraw", "move", "give_floor", "end")


def _current_item(sitting_id: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("sitting").filter(sitting_id=sitting_id, state="current").first()
    if item is None:
        raise Conflict(_("No item is in progress."), code="agenda_item_not_current")
    return item


def _speaker_request(value: Any, sitting_id: int) -> SpeakerRequest:
    if not is_id(value):
        raise ValidationFailed(_("Name the request to speak."), field="request")
    found = (
        SpeakerRequest.objects.select_related("agenda_item__sitting", "person")
        .filter(pk=value, agenda_item__sitting_id=sitting_id)
        .first()
    )
    if found is None:
        raise NotFound(_("This request to speak is not part of this sitting."))
    return found


def speaker_action(
    *, by: User, action: Any, sitting_id: int, arguments: Mapping[str, Any] | None = None
) -> SpeakerRequest:
    """Run ACTION on the speakers list of SITTING_ID's item in progress for BY; the request as it is now.

    - `request`: BY asks to speak on the item in progress;
    - `withdraw`: BY withdraws `request` (an id; absent: their own waiting request on the item);
    - `move` (staff): `request` one place `direction` ("up" or "down");
    - `give_floor` (staff): to `request`, for `seconds` (absent or null: the sitting's speaking time);
    - `end` (staff): the speech in progress.
    The services check the rules, presence and the item's state.
    """
    if action not in SPEAKER_ACTIONS:
        raise ValidationFailed(_("This action does not exist."), field="action")
    arguments = arguments or {}
    if action == "request":
        return speaker_services.speaker_request(by=by, item=_current_item(sitting_id))
    if action == "end":
        return speaker_services.speaker_end(by=by, item=_current_item(sitting_id))
    if action == "withdraw" and arguments.get("request") is None:
        own = SpeakerRequest.objects.select_related("agenda_item__sitting").filter(
            agenda_item=_current_item(sitting_id), person=by, state=SpeakerRequest.State.WAITING
        )
        mine = own.first()
        if mine is None:
            raise Conflict(_("You have no request to speak waiting."), code="speaker_not_waiting")
        return speaker_services.speaker_withdraw(by=by, request=mine)
    target = _speaker_request(arguments.get("request"), sitting_id)
    if action == "withdraw":
        return speaker_services.speaker_withdraw(by=by, request=target)
    if action == "move":
        direction = arguments.get("direction")
        if not isinstance(direction, str):
            raise ValidationFailed(_("Move a speaker up or down."), field="direction")
        return speaker_services.speaker_move(by=by, request=target, direction=direction)
    seconds = arguments.get("seconds")
    if seconds is not None and not is_id(seconds):
        raise ValidationFailed(_("Give the speaking time in seconds."), field="seconds")
    return speaker_services.speaker_give_floor(by=by, request=target, seconds=seconds)


def speakers_configure(*, by: User, sitting_id: int, arguments: Mapping[str, Any]) -> Sitting:
    """Staff's settings of the speakers list: `partners_may_speak` (a boolean, or a form's "on"/absent)
    and `seconds`, the speaking time given by default (an integer, 10 s to 1 hour)."""
    sitting = Sitting.objects.filter(pk=sitting_id).first()
    if sitting is None:
        raise NotFound(_("This sitting does not exist."))
    allowed = arguments.get("partners_may_speak", False)
    if allowed in ("on", "yes", "true", 1):
        allowed = True
    seconds = arguments.get("seconds")
    if not is_id(seconds):
        raise ValidationFailed(_("Give the speaking time in seconds."), field="seconds")
    return speaker_services.speakers_configure(
        by=by, sitting=sitting, partners_may_speak=allowed, speaking_seconds=seconds
    )
