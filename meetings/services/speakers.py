"""Writes of the speakers list: a present member asks to speak, staff order the list and give the floor.

- `speaker_request`: a present member of the sitting (or a present partner, when staff allow
  partners to speak on this sitting) asks to speak on the item in progress; at the end of the list.
- `speaker_withdraw`: the person withdraws their own waiting request (staff may withdraw anyone's).
- `speaker_move`: staff move a waiting request up or down the list.
- `speaker_give_floor`: staff give the floor to a waiting person; whoever spoke is done.
- `speaker_end`: staff end the current speech;
- `speakers_configure`: staff let partners ask to speak (or not) and set the default speaking time.

Taking up another item or closing the current one ends the speech in progress
(`end_current_speaker`, called by `meetings.services.agenda`).

Every service serialises on the sitting's row (two desks, or a phone and a desk, at once: one
wins, in order); partial unique constraints hold one speaker per item and one live request per
person and item in the database. Each change is journaled and announced on the sitting's topic
after commit, as every change of the sitting (`{"type": "sitting.changed", "sitting": id}`).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from assembly.selectors import roles_of
from core import audit
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.services import require as _require
from meetings.models import AgendaItem, Attendance, Sitting, SpeakerRequest
from meetings.services.sittings import _announce, _lock_sitting

SPEAKING_SECONDS_MIN, SPEAKING_SECONDS_MAX = 10, 3600
DIRECTIONS = ("up", "down")


def _check_seconds(seconds: int | None) -> None:
    if seconds is None:
        return
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise ValidationFailed(_("Give the speaking time in seconds."), field="seconds")
    if not SPEAKING_SECONDS_MIN <= seconds <= SPEAKING_SECONDS_MAX:
        raise ValidationFailed(
            _("The speaking time is between %(min)d seconds and %(max)d minutes.")
            % {"min": SPEAKING_SECONDS_MIN, "max": SPEAKING_SECONDS_MAX // 60},
            field="seconds",
        )


def _open_sitting(sitting: Sitting) -> Sitting:
    sitting = _lock_sitting(sitting)
    if sitting.state != Sitting.State.OPEN:
        raise Conflict(_("The sitting is not in session."), code="sitting_not_open")
    return sitting


def _current_item(item: AgendaItem) -> AgendaItem:
    """ITEM as it is now (read under the sitting's lock); Conflict unless it is in progress."""
    item = AgendaItem.objects.get(pk=item.pk)
    if item.state != AgendaItem.State.CURRENT:
        raise Conflict(_("Speakers ask for the floor on the item in progress only."), code="agenda_item_not_current")
    return item


def _fresh_request(request: SpeakerRequest) -> SpeakerRequest:
    try:
        return SpeakerRequest.objects.select_related("agenda_item", "person").get(pk=request.pk)
    except SpeakerRequest.DoesNotExist as exc:
        raise NotFound(_("This request to speak does not exist.")) from exc


def end_current_speaker(*, by: User | None, item: AgendaItem, now: dt.datetime | None = None) -> SpeakerRequest | None:
    """End the speech in progress on ITEM, if any (journaled); the caller holds the sitting's lock."""
    speaking = SpeakerRequest.objects.filter(agenda_item=item, state=SpeakerRequest.State.SPEAKING).first()
    if speaking is None:
        return None
    assert speaking.started_at is not None  # a constraint: speaking has started
    speaking.state = SpeakerRequest.State.DONE
    speaking.ended_at = max(now or timezone.now(), speaking.started_at)
    speaking.save(update_fields=["state", "ended_at"])
    audit.record(
        actor=by,
        action="meetings.speaker_end",
        target=speaking,
        data={"seconds": int((speaking.ended_at - speaking.started_at).total_seconds())},
    )
    return speaking


def speaker_request(*, by: User, item: AgendaItem) -> SpeakerRequest:
    """BY asks to speak on ITEM: added at the end of the waiting list.

    BY must be checked in at the sitting and, today, a member of its assembly, or a partner of it
    when the sitting lets partners speak; ITEM must be in progress. Asking twice is a conflict.
    """
    sitting = item.sitting
    _require(by, "meetings.ask_to_speak", sitting, _("Only members of the assembly ask to speak."))
    roles = roles_of(by, fresh=True)
    is_member = sitting.assembly_id in roles.member_of
    with transaction.atomic():
        sitting = _open_sitting(sitting)
        if not is_member and not (sitting.partners_may_speak and sitting.assembly_id in roles.partner_of):
            raise PermissionDenied(
                _("Partners may ask to speak only when the staff allow it."), code="partners_not_allowed"
            )
        item = _current_item(item)
        if item.sitting_id != sitting.pk:
            raise ValidationFailed(_("This item belongs to another sitting."), field="item")
        if not Attendance.objects.filter(sitting=sitting, user=by, checked_out_at__isnull=True).exists():
            raise Conflict(
                _("Check in at the sitting first: only people present in the room ask to speak."), code="not_present"
            )
        if SpeakerRequest.objects.filter(agenda_item=item, person=by, state__in=SpeakerRequest.LIVE_STATES).exists():
            raise Conflict(_("You have already asked to speak on this item."), code="already_asked")
        position = (SpeakerRequest.objects.filter(agenda_item=item).aggregate(m=Max("position"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                request = SpeakerRequest.objects.create(agenda_item=item, person=by, position=position)
        except IntegrityError as exc:  # the constraint, if a write bypassed the lock
            raise Conflict(_("You have already asked to speak on this item."), code="already_asked") from exc
        audit.record(actor=by, action="meetings.speaker_request", target=request, data={"position": position})
        _announce(sitting)
    return request


def speaker_withdraw(*, by: User, request: SpeakerRequest) -> SpeakerRequest:
    """BY withdraws their own waiting REQUEST (staff may withdraw anyone's)."""
    sitting = request.agenda_item.sitting
    _require(by, "meetings.withdraw_speaker_request", request, _("You may withdraw only your own request to speak."))
    with transaction.atomic():
        sitting = _lock_sitting(sitting)
        request = _fresh_request(request)
        if request.state != SpeakerRequest.State.WAITING:
            raise Conflict(_("This request to speak is no longer waiting."), code="speaker_not_waiting")
        request.state = SpeakerRequest.State.WITHDRAWN
        request.save(update_fields=["state"])
        audit.record(actor=by, action="meetings.speaker_withdraw", target=request)
        _announce(sitting)
    return request


def speaker_move(*, by: User, request: SpeakerRequest, direction: str) -> SpeakerRequest:
    """Staff move a waiting REQUEST one place "up" or "down" the list (it swaps with its neighbour)."""
    sitting = request.agenda_item.sitting
    _require(by, "meetings.manage_sitting", sitting)
    if direction not in DIRECTIONS:
        raise ValidationFailed(_("Move a speaker up or down."), field="direction")
    with transaction.atomic():
        sitting = _lock_sitting(sitting)
        request = _fresh_request(request)
        if request.state != SpeakerRequest.State.WAITING:
            raise Conflict(_("This request to speak is no longer waiting."), code="speaker_not_waiting")
        waiting = SpeakerRequest.objects.filter(
            agenda_item_id=request.agenda_item_id, state=SpeakerRequest.State.WAITING
        )
        if direction == "up":
            neighbour = waiting.filter(position__lt=request.position).order_by("-position").first()
        else:
            neighbour = waiting.filter(position__gt=request.position).order_by("position").first()
        if neighbour is None:
            raise Conflict(_("This speaker cannot move further."), code="speaker_at_end")
        request.position, neighbour.position = neighbour.position, request.position
        request.save(update_fields=["position"])
        neighbour.save(update_fields=["position"])
        audit.record(
            actor=by,
            action="meetings.speaker_move",
            target=request,
            data={"direction": direction, "position": request.position},
        )
        _announce(sitting)
    return request


def speaker_give_floor(*, by: User, request: SpeakerRequest, seconds: int | None = None) -> SpeakerRequest:
    """Staff give the floor to a waiting REQUEST for SECONDS (default: the sitting's speaking time).

    Whoever was speaking on the item is done. The item must be in progress.
    """
    sitting = request.agenda_item.sitting
    _require(by, "meetings.manage_sitting", sitting)
    _check_seconds(seconds)
    now = timezone.now()
    with transaction.atomic():
        sitting = _open_sitting(sitting)
        request = _fresh_request(request)
        item = _current_item(request.agenda_item)
        if request.state != SpeakerRequest.State.WAITING:
            raise Conflict(_("This request to speak is no longer waiting."), code="speaker_not_waiting")
        previous = end_current_speaker(by=by, item=item, now=now)
        request.state = SpeakerRequest.State.SPEAKING
        request.started_at = now
        request.granted_seconds = seconds if seconds is not None else sitting.speaking_seconds
        try:
            with transaction.atomic():
                request.save(update_fields=["state", "started_at", "granted_seconds"])
        except IntegrityError as exc:  # the constraint, if a write bypassed the lock
            raise Conflict(_("Someone else has the floor on this item."), code="speaker_already_speaking") from exc
        audit.record(
            actor=by,
            action="meetings.speaker_give_floor",
            target=request,
            data={"seconds": request.granted_seconds, "previous": previous.pk if previous else None},
        )
        _announce(sitting)
    return request


def speaker_end(*, by: User, item: AgendaItem) -> SpeakerRequest:
    """Staff end the speech in progress on ITEM; Conflict when nobody has the floor."""
    _require(by, "meetings.manage_sitting", item.sitting)
    with transaction.atomic():
        sitting = _lock_sitting(item.sitting)
        ended = end_current_speaker(by=by, item=item)
        if ended is None:
            raise Conflict(_("Nobody has the floor."), code="nobody_speaking")
        _announce(sitting)
    return ended


def speakers_configure(*, by: User, sitting: Sitting, partners_may_speak: bool, speaking_seconds: int) -> Sitting:
    """Staff say whether partners may ask to speak on SITTING, and the speaking time given by default."""
    _require(by, "meetings.manage_sitting", sitting)
    if not isinstance(partners_may_speak, bool):
        raise ValidationFailed(_("Say whether partners may ask to speak."), field="partners_may_speak")
    if speaking_seconds is None:
        raise ValidationFailed(_("Give the speaking time in seconds."), field="seconds")
    _check_seconds(speaking_seconds)
    with transaction.atomic():
        sitting = _lock_sitting(sitting)
        if sitting.state == Sitting.State.CLOSED:
            raise Conflict(_("This sitting is closed."), code="sitting_closed")
        before = {"partners_may_speak": sitting.partners_may_speak, "speaking_seconds": sitting.speaking_seconds}
        sitting.partners_may_speak = partners_may_speak
        sitting.speaking_seconds = speaking_seconds
        sitting.save(update_fields=list(before))
        audit.record(actor=by, action="meetings.speakers_configure", target=sitting, data={"before": before})
        _announce(sitting)
    return sitting
