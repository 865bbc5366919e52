"""Writes of meetings and their sittings: create, open, close, configure the quorum and proxies.

The agenda's writes are in `agenda`.

Each service of this module, of `attendance` and of `proxies` takes keyword-only arguments
with the acting person first, runs in one transaction, checks its named rule, records an audit
event and announces the change on the sitting's topic after commit
(`{"type": "sitting.changed", "sitting": id}`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, Territory, User
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import clean_text
from core.services import require as _require
from meetings.models import Meeting, Sitting
from realtime.broadcast import broadcast_on_commit


def _announce(sitting: Sitting) -> None:
    broadcast_on_commit(f"sitting.{sitting.pk}", {"type": "sitting.changed", "sitting": sitting.pk})


def _lock_sitting(sitting: Sitting) -> Sitting:
    return Sitting.objects.select_for_update().get(pk=sitting.pk)


def _check_quorum_and_proxies(*, quorum_percent: int, max_proxies_per_holder: int) -> None:
    """The sitting's quorum and proxy limit, as staff may set them (at creation or later)."""
    if not 0 <= quorum_percent <= 100:
        raise ValidationFailed(_("The quorum is a percentage between 0 and 100."), field="quorum_percent")
    if not 1 <= max_proxies_per_holder <= 5:
        raise ValidationFailed(_("A member may hold between 1 and 5 proxies."), field="max_proxies_per_holder")


def meeting_create(
    *,
    by: User,
    assembly: Assembly,
    kind: str,
    title: str,
    date: dt.date,
    place: str = "",
    address: str = "",
    territory: Territory | None = None,
    theme: str = "",
) -> Meeting:
    _require(by, "meetings.manage_sitting")
    title = clean_text(title, field="title", max_length=200, required=True, required_message=_("A title is required."))
    place = clean_text(place, field="place", max_length=200)
    address = clean_text(address, field="address", max_length=1000)
    theme = clean_text(theme, field="theme", max_length=200)
    if kind not in Meeting.Kind.values:
        raise ValidationFailed(_("Unknown kind of meeting."), field="kind")
    if kind == Meeting.Kind.FIELD and territory is None:
        raise ValidationFailed(_("A field meeting is hosted by a territory."), field="territory")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            assembly=assembly,
            kind=kind,
            title=title,
            date=date,
            place=place,
            address=address,
            territory=territory,
            theme=theme,
        )
        audit.record(actor=by, action="meetings.meeting_create", target=meeting, data={"kind": kind})
    return meeting


def sitting_create(
    *,
    by: User,
    meeting: Meeting,
    title: str = "",
    starts_at: dt.datetime | None = None,
    quorum_percent: int = 50,
    quorum_counts_proxies: bool = True,
    max_proxies_per_holder: int = 1,
) -> Sitting:
    _require(by, "meetings.manage_sitting", meeting)
    _check_quorum_and_proxies(quorum_percent=quorum_percent, max_proxies_per_holder=max_proxies_per_holder)
    if starts_at is None:
        starts_at = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(9, 30)))
    title = clean_text(title, field="title", max_length=200) or meeting.title
    with transaction.atomic():
        sitting = Sitting.objects.create(
            meeting=meeting,
            assembly_id=meeting.assembly_id,
            title=title,
            starts_at=starts_at,
            quorum_percent=quorum_percent,
            quorum_counts_proxies=quorum_counts_proxies,
            max_proxies_per_holder=max_proxies_per_holder,
        )
        audit.record(
            actor=by,
            action="meetings.sitting_create",
            target=sitting,
            data={"quorum_percent": quorum_percent, "max_proxies_per_holder": max_proxies_per_holder},
        )
    return sitting


def meeting_with_sitting_create(
    *,
    by: User,
    assembly: Assembly,
    kind: str,
    title: str,
    date: dt.date,
    place: str = "",
    address: str = "",
    territory: Territory | None = None,
    theme: str = "",
    quorum_percent: int = 50,
    quorum_counts_proxies: bool = True,
    max_proxies_per_holder: int = 1,
) -> Sitting:
    """A meeting and its sitting, together or not at all (a refused sitting leaves no orphan meeting)."""
    with transaction.atomic():
        meeting = meeting_create(
            by=by,
            assembly=assembly,
            kind=kind,
            title=title,
            date=date,
            place=place,
            address=address,
            territory=territory,
            theme=theme,
        )
        return sitting_create(
            by=by,
            meeting=meeting,
            quorum_percent=quorum_percent,
            quorum_counts_proxies=quorum_counts_proxies,
            max_proxies_per_holder=max_proxies_per_holder,
        )


def sitting_open(*, by: User, sitting: Sitting) -> Sitting:
    """Open the sitting: attendance is taken and ballots may be opened."""
    _require(by, "meetings.manage_sitting", sitting)
    with transaction.atomic():
        # Lock: two staff pressing "open" at once must produce one transition and one record.
        sitting = _lock_sitting(sitting)
        if sitting.state != Sitting.State.PLANNED:
            raise Conflict(_("Only a planned sitting can be opened."), code="sitting_not_planned")
        sitting.state = Sitting.State.OPEN
        sitting.opened_at = timezone.now()
        sitting.save(update_fields=["state", "opened_at"])
        audit.record(actor=by, action="meetings.sitting_open", target=sitting)
        _announce(sitting)
    return sitting


def sitting_close(*, by: User, sitting: Sitting) -> Sitting:
    """Close the sitting: no ballot can be prepared or opened in it any more.

    Ballots still open are left as they are (votes are still taken): staff close or cancel
    them, or their countdown closes them (the votes app's periodic job).
    """
    _require(by, "meetings.manage_sitting", sitting)
    with transaction.atomic():
        sitting = _lock_sitting(sitting)  # same reason as sitting_open
        if sitting.state != Sitting.State.OPEN:
            raise Conflict(_("Only a sitting in session can be closed."), code="sitting_not_open")
        sitting.state = Sitting.State.CLOSED
        sitting.closed_at = timezone.now()
        sitting.save(update_fields=["state", "closed_at"])
        audit.record(actor=by, action="meetings.sitting_close", target=sitting)
        _announce(sitting)
    return sitting


def sitting_configure(
    *, by: User, sitting: Sitting, quorum_percent: int, quorum_counts_proxies: bool, max_proxies_per_holder: int
) -> Sitting:
    _require(by, "meetings.manage_sitting", sitting)
    _check_quorum_and_proxies(quorum_percent=quorum_percent, max_proxies_per_holder=max_proxies_per_holder)
    with transaction.atomic():
        sitting = _lock_sitting(sitting)
        if sitting.state == Sitting.State.CLOSED:
            raise Conflict(_("This sitting is closed."), code="sitting_closed")
        before = {
            "quorum_percent": sitting.quorum_percent,
            "quorum_counts_proxies": sitting.quorum_counts_proxies,
            "max_proxies_per_holder": sitting.max_proxies_per_holder,
        }
        sitting.quorum_percent = quorum_percent
        sitting.quorum_counts_proxies = quorum_counts_proxies
        sitting.max_proxies_per_holder = max_proxies_per_holder
        sitting.save(update_fields=list(before))
        audit.record(actor=by, action="meetings.sitting_configure", target=sitting, data={"before": before})
        _announce(sitting)
    return sitting
