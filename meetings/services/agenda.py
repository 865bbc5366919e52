"""Writes of a sitting's agenda: add and remove items, and move the sitting from item to item.

An item is upcoming, current or done. Staff make an item current from the desk (the item that
was current, if any, is done, and whoever had the floor on it is done speaking); the projector
and the phones follow, through the sitting's topic (`{"type": "sitting.changed", "sitting": id}`).
One item at most is current in a sitting: the services serialise on the sitting's row and a
partial unique constraint holds it in the database.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import clean_text
from core.services import require as _require
from meetings.models import AgendaItem, Sitting
from meetings.services.sittings import _announce, _lock_sitting
from meetings.services.speakers import end_current_speaker
from proposals import services as proposal_services
from proposals.models import Proposal

PLANNED_MINUTES_MAX = 600


def _check_planned_minutes(planned_minutes: int | None) -> None:
    if planned_minutes is not None and not 1 <= planned_minutes <= PLANNED_MINUTES_MAX:
        raise ValidationFailed(
            _("The planned duration is between 1 and %(max)d minutes.") % {"max": PLANNED_MINUTES_MAX},
            field="planned_minutes",
        )


def agenda_item_add(
    *,
    by: User,
    sitting: Sitting,
    title: str,
    description: str = "",
    kind: str = AgendaItem.Kind.INFORMATION,
    planned_minutes: int | None = None,
    proposal: Proposal | None = None,
) -> AgendaItem:
    """Add an item at the end of the sitting's agenda."""
    _require(by, "meetings.manage_sitting", sitting)
    title = clean_text(
        title,
        field="title",
        max_length=AgendaItem.TITLE_MAX_LENGTH,
        required=True,
        required_message=_("A title is required."),
    )
    description = clean_text(description, field="description", max_length=5000)
    if kind not in AgendaItem.Kind.values:
        raise ValidationFailed(_("Choose the kind of item."), field="kind")
    _check_planned_minutes(planned_minutes)
    if proposal is not None and proposal.assembly_id != sitting.assembly_id:
        raise ValidationFailed(_("This proposal belongs to another assembly."), field="proposal")
    if proposal is not None:
        proposal_services.proposal_check_votable(proposal)
    with transaction.atomic():
        sitting = _lock_sitting(sitting)  # serialise position numbering
        if sitting.state == Sitting.State.CLOSED:
            raise Conflict(_("This sitting is closed."), code="sitting_closed")
        position = (AgendaItem.objects.filter(sitting=sitting).aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            sitting=sitting,
            position=position,
            title=title,
            description=description,
            kind=kind,
            planned_minutes=planned_minutes,
            proposal=proposal,
        )
        audit.record(
            actor=by, action="meetings.agenda_item_add", target=item, data={"position": position, "kind": kind}
        )
        _announce(sitting)
    return item


def agenda_item_remove(*, by: User, item: AgendaItem) -> None:
    """Remove an item that has not started and has no ballot."""
    _require(by, "meetings.manage_sitting", item.sitting)
    with transaction.atomic():
        _lock_sitting(item.sitting)
        item = AgendaItem.objects.get(pk=item.pk)
        if item.state != AgendaItem.State.UPCOMING:
            raise Conflict(_("This item has started; it cannot be removed."), code="agenda_item_started")
        if item.ballots.exists():
            raise Conflict(_("This item has ballots; it cannot be removed."), code="agenda_item_has_ballots")
        audit.record(actor=by, action="meetings.agenda_item_remove", target=item, data={"title": item.title})
        _announce(item.sitting)
        item.delete()


def agenda_item_make_current(*, by: User, item: AgendaItem) -> AgendaItem:
    """Take up this item: the item that was current is done, this one starts.

    Taking up a done item again is allowed (a point adjourned and resumed): it keeps its first
    start time. The sitting must be in session.
    """
    _require(by, "meetings.manage_sitting", item.sitting)
    now = timezone.now()
    with transaction.atomic():
        sitting = _lock_sitting(item.sitting)  # two desks clicking at once: one wins, in order
        if sitting.state != Sitting.State.OPEN:
            raise Conflict(_("The sitting is not in session."), code="sitting_not_open")
        item = AgendaItem.objects.get(pk=item.pk)
        if item.sitting_id != sitting.pk:
            raise ValidationFailed(_("This item belongs to another sitting."), field="item")
        if item.state == AgendaItem.State.CURRENT:
            raise Conflict(_("This item is already in progress."), code="agenda_item_already_current")
        previous = AgendaItem.objects.filter(sitting=sitting, state=AgendaItem.State.CURRENT).first()
        if previous is not None:
            end_current_speaker(by=by, item=previous, now=now)  # the floor goes with the item
            previous.state = AgendaItem.State.DONE
            previous.ended_at = now
            previous.save(update_fields=["state", "ended_at"])
        item.state = AgendaItem.State.CURRENT
        item.started_at = item.started_at or now
        item.ended_at = None
        try:
            with transaction.atomic():
                item.save(update_fields=["state", "started_at", "ended_at"])
        except IntegrityError as exc:  # the constraint, if a write bypassed the lock
            raise Conflict(_("Another item is already in progress."), code="agenda_item_already_current") from exc
        audit.record(
            actor=by,
            action="meetings.agenda_item_make_current",
            target=item,
            data={"previous": previous.pk if previous else None},
        )
        _announce(sitting)
    return item


def agenda_item_finish(*, by: User, item: AgendaItem) -> AgendaItem:
    """Close the current item without taking up another (a break, the end of the sitting)."""
    _require(by, "meetings.manage_sitting", item.sitting)
    with transaction.atomic():
        _lock_sitting(item.sitting)
        item = AgendaItem.objects.get(pk=item.pk)
        if item.state != AgendaItem.State.CURRENT:
            raise Conflict(_("This item is not in progress."), code="agenda_item_not_current")
        now = timezone.now()
        end_current_speaker(by=by, item=item, now=now)  # the floor goes with the item
        item.state = AgendaItem.State.DONE
        item.ended_at = now
        item.save(update_fields=["state", "ended_at"])
        audit.record(actor=by, action="meetings.agenda_item_finish", target=item)
        _announce(item.sitting)
    return item
