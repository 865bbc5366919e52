"""Every write of the meetings app: meetings, sittings, agenda, attendance, proxies.

Each service takes keyword-only arguments with the acting person first, runs in one
transaction, checks its named rule, records an audit event and announces the change on the
sitting's topic after commit (`{"type": "sitting.changed", "sitting": id}`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Assembly, Territory, User
from assembly.selectors import roles_of
from core import audit
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.services import require as _require
from meetings.models import AgendaItem, Attendance, Meeting, Proxy, Sitting
from proposals.models import Proposal
from realtime.broadcast import broadcast_on_commit

CHECKIN_SALT = "meetings.checkin"


def checkin_token_max_age() -> int:
    """Seconds a check-in QR code stays valid (the projector shows a fresh one regularly)."""
    return settings.MEETINGS_CHECKIN_TOKEN_MAX_AGE


def _announce(sitting: Sitting) -> None:
    broadcast_on_commit(f"sitting.{sitting.pk}", {"type": "sitting.changed", "sitting": sitting.pk})


def _lock_sitting(sitting: Sitting) -> Sitting:
    return Sitting.objects.select_for_update().get(pk=sitting.pk)


# ---------------------------------------------------------------------------------------------
# Meetings and sittings
# ---------------------------------------------------------------------------------------------


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
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("A title is required."), field="title")
    if kind not in Meeting.Kind.values:
        raise ValidationFailed(_("Unknown kind of meeting."), field="kind")
    if kind == Meeting.Kind.FIELD and territory is None:
        raise ValidationFailed(_("A field meeting is hosted by a territory."), field="territory")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            assembly=assembly,
            kind=kind,
            title=title[:200],
            date=date,
            place=place.strip()[:200],
            address=address.strip(),
            territory=territory,
            theme=theme.strip()[:200],
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
    if not 0 <= quorum_percent <= 100:
        raise ValidationFailed(_("The quorum is a percentage between 0 and 100."), field="quorum_percent")
    if not 1 <= max_proxies_per_holder <= 5:
        raise ValidationFailed(_("A member may hold between 1 and 5 proxies."), field="max_proxies_per_holder")
    if starts_at is None:
        starts_at = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(9, 30)))
    with transaction.atomic():
        sitting = Sitting.objects.create(
            meeting=meeting,
            assembly_id=meeting.assembly_id,
            title=(title or meeting.title).strip()[:200],
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
    if not 0 <= quorum_percent <= 100:
        raise ValidationFailed(_("The quorum is a percentage between 0 and 100."), field="quorum_percent")
    if not 1 <= max_proxies_per_holder <= 5:
        raise ValidationFailed(_("A member may hold between 1 and 5 proxies."), field="max_proxies_per_holder")
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


# ---------------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------------


def agenda_item_add(
    *, by: User, sitting: Sitting, title: str, description: str = "", proposal: Proposal | None = None
) -> AgendaItem:
    _require(by, "meetings.manage_sitting", sitting)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("A title is required."), field="title")
    if proposal is not None and proposal.assembly_id != sitting.assembly_id:
        raise ValidationFailed(_("This proposal belongs to another assembly."), field="proposal")
    with transaction.atomic():
        sitting = _lock_sitting(sitting)  # serialise position numbering
        if sitting.state == Sitting.State.CLOSED:
            raise Conflict(_("This sitting is closed."), code="sitting_closed")
        position = (AgendaItem.objects.filter(sitting=sitting).aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            sitting=sitting, position=position, title=title[:200], description=description.strip(), proposal=proposal
        )
        audit.record(actor=by, action="meetings.agenda_item_add", target=item, data={"position": position})
        _announce(sitting)
    return item


def agenda_item_remove(*, by: User, item: AgendaItem) -> None:
    _require(by, "meetings.manage_sitting", item.sitting)
    with transaction.atomic():
        if item.ballots.exists():
            raise Conflict(_("This item has ballots; it cannot be removed."), code="agenda_item_has_ballots")
        audit.record(actor=by, action="meetings.agenda_item_remove", target=item, data={"title": item.title})
        _announce(item.sitting)
        item.delete()


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------


def checkin_token(*, sitting: Sitting) -> str:
    """A signed, time-limited token for the sitting's check-in QR code."""
    return signing.dumps({"s": sitting.pk}, salt=CHECKIN_SALT, compress=True)


def _sitting_from_token(token: str) -> Sitting:
    try:
        data = signing.loads(token, salt=CHECKIN_SALT, max_age=checkin_token_max_age())
    except signing.SignatureExpired as exc:
        raise ValidationFailed(
            _("This QR code has expired. Scan the one shown now."), code="token_expired", field="token"
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationFailed(_("This QR code is not valid."), code="token_invalid", field="token") from exc
    try:
        return Sitting.objects.get(pk=int(data["s"]))
    except (KeyError, TypeError, ValueError, Sitting.DoesNotExist) as exc:
        raise NotFound(_("This sitting does not exist.")) from exc


def _check_in(*, actor: User, user: User, sitting: Sitting, method: str) -> Attendance:
    with transaction.atomic():
        if sitting.state == Sitting.State.CLOSED:
            raise Conflict(_("This sitting is closed."), code="sitting_closed")
        now = timezone.now()
        attendance, created = Attendance.objects.get_or_create(
            sitting=sitting,
            user=user,
            defaults={
                "method": method,
                "checked_in_at": now,
                "marked_by": actor if actor.pk != user.pk else None,
            },
        )
        if not created:
            if attendance.checked_out_at is None:
                return attendance  # already in the room: nothing changes
            attendance.method = method
            attendance.checked_in_at = now
            attendance.checked_out_at = None
            attendance.marked_by = actor if actor.pk != user.pk else None
            attendance.save(update_fields=["method", "checked_in_at", "checked_out_at", "marked_by"])
        audit.record(actor=actor, action="meetings.attendance_check_in", target=attendance, data={"method": method})
        # A giver who comes in takes their own vote back.
        for proxy in Proxy.objects.select_for_update().filter(sitting=sitting, giver=user, state__in=Proxy.LIVE_STATES):
            proxy.state = Proxy.State.LAPSED
            proxy.decided_at = now
            proxy.save(update_fields=["state", "decided_at"])
            audit.record(actor=actor, action="meetings.proxy_lapse", target=proxy, reason="giver checked in", data={})
        _announce(sitting)
    return attendance


def attendance_check_in(*, user: User, token: str) -> Attendance:
    """Check USER in by the QR code they scanned (members and partners; partners never count)."""
    sitting = _sitting_from_token(token)
    if roles_of(user, fresh=True).is_staff:
        raise PermissionDenied(_("Staff do not check in."))
    if not user.has_perm("meetings.check_in", sitting):
        raise PermissionDenied(_("Only members and partners of this assembly check in."))
    return _check_in(actor=user, user=user, sitting=sitting, method=Attendance.Method.QR)


def attendance_mark_present(*, by: User, sitting: Sitting, user: User) -> Attendance:
    """Staff mark USER present (no QR code)."""
    _require(by, "meetings.manage_sitting", sitting)
    if not user.has_perm("meetings.check_in", sitting) or roles_of(user).is_staff:
        raise ValidationFailed(_("This person is not a member or partner of this assembly."), field="user")
    return _check_in(actor=by, user=user, sitting=sitting, method=Attendance.Method.STAFF)


def attendance_check_out(*, by: User, sitting: Sitting, user: User) -> Attendance:
    """USER leaves the room (by themselves or marked by staff)."""
    if by.pk != user.pk:
        _require(by, "meetings.manage_sitting", sitting)
    with transaction.atomic():
        attendance = Attendance.objects.filter(sitting=sitting, user=user).first()
        if attendance is None or attendance.checked_out_at is not None:
            raise Conflict(_("This person is not checked in."), code="not_checked_in")
        attendance.checked_out_at = timezone.now()
        attendance.save(update_fields=["checked_out_at"])
        audit.record(actor=by, action="meetings.attendance_check_out", target=attendance)
        _announce(sitting)
    return attendance


# ---------------------------------------------------------------------------------------------
# Proxies
# ---------------------------------------------------------------------------------------------


def proxy_give(*, by: User, sitting: Sitting, giver: User, holder: User) -> Proxy:
    """GIVER gives their vote to HOLDER for SITTING; pending until staff validate it.

    BY is the giver, or staff recording a paper proxy (then it is validated at once).
    HOLDER is any member of the sitting's assembly (not staff) who has not given their own
    vote away, present or not: proxies are often given before the sitting, and a proxy counts
    only if its holder is present when a ballot opens (`selectors.sittings.electorate`). The proxy
    page lists exactly these people (`selectors.sittings.proxy_holders`).
    """
    staff = by.has_perm("meetings.manage_sitting", sitting)
    if by.pk != giver.pk and not staff:
        raise PermissionDenied()
    if giver.pk == holder.pk:
        raise ValidationFailed(_("A member cannot give a proxy to themselves."), field="holder")
    if not giver.has_perm("meetings.give_proxy", sitting) or roles_of(giver).is_staff:
        raise PermissionDenied(_("Only a member of this assembly can give a proxy."))
    if not holder.has_perm("meetings.give_proxy", sitting) or roles_of(holder).is_staff:
        raise ValidationFailed(_("The proxy holder must be a member of this assembly."), field="holder")
    with transaction.atomic():
        sitting = _lock_sitting(sitting)  # serialises the count of proxies per holder
        if sitting.state == Sitting.State.CLOSED:
            raise Conflict(_("This sitting is closed."), code="sitting_closed")
        if Attendance.objects.filter(sitting=sitting, user=giver, checked_out_at__isnull=True).exists():
            raise Conflict(_("You are present: you vote yourself."), code="giver_present")
        if Proxy.objects.filter(sitting=sitting, giver=holder, state__in=Proxy.LIVE_STATES).exists():
            raise Conflict(_("The holder has given their own vote away."), code="holder_is_giver")
        if staff:
            _check_holder_capacity(sitting, holder)
        try:
            with transaction.atomic():
                proxy = Proxy.objects.create(
                    sitting=sitting,
                    giver=giver,
                    holder=holder,
                    state=Proxy.State.VALIDATED if staff else Proxy.State.PENDING,
                    decided_at=timezone.now() if staff else None,
                    decided_by=by if staff else None,
                )
        except IntegrityError as exc:
            raise Conflict(_("A proxy is already given for this sitting."), code="proxy_exists") from exc
        audit.record(
            actor=by, action="meetings.proxy_give", target=proxy, data={"holder": holder.pk, "state": proxy.state}
        )
        _announce(sitting)
    return proxy


def _check_holder_capacity(sitting: Sitting, holder: User) -> None:
    held = Proxy.objects.filter(sitting=sitting, holder=holder, state=Proxy.State.VALIDATED).count()
    if held >= sitting.max_proxies_per_holder:
        raise Conflict(_("This member already holds as many proxies as allowed."), code="holder_full")


def proxy_validate(*, by: User, proxy: Proxy) -> Proxy:
    _require(by, "meetings.manage_sitting", proxy.sitting)
    with transaction.atomic():
        # Lock the sitting: two validations for one holder must not both pass the limit.
        _lock_sitting(proxy.sitting)
        proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
        if proxy.state != Proxy.State.PENDING:
            raise Conflict(_("Only a proxy awaiting validation can be validated."), code="proxy_not_pending")
        _check_holder_capacity(proxy.sitting, proxy.holder)
        proxy.state = Proxy.State.VALIDATED
        proxy.decided_at = timezone.now()
        proxy.decided_by = by
        proxy.save(update_fields=["state", "decided_at", "decided_by"])
        audit.record(actor=by, action="meetings.proxy_validate", target=proxy)
        _announce(proxy.sitting)
    return proxy


def proxy_refuse(*, by: User, proxy: Proxy, reason: str = "") -> Proxy:
    _require(by, "meetings.manage_sitting", proxy.sitting)
    with transaction.atomic():
        proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
        if proxy.state not in Proxy.LIVE_STATES:
            raise Conflict(_("This proxy is no longer in force."), code="proxy_not_live")
        proxy.state = Proxy.State.REFUSED
        proxy.decided_at = timezone.now()
        proxy.decided_by = by
        proxy.reason = reason.strip()
        proxy.save(update_fields=["state", "decided_at", "decided_by", "reason"])
        audit.record(actor=by, action="meetings.proxy_refuse", target=proxy, reason=proxy.reason)
        _announce(proxy.sitting)
    return proxy


def proxy_withdraw(*, by: User, proxy: Proxy) -> Proxy:
    _require(by, "meetings.withdraw_proxy", proxy)
    with transaction.atomic():
        proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
        if proxy.state not in Proxy.LIVE_STATES:
            raise Conflict(_("This proxy is no longer in force."), code="proxy_not_live")
        proxy.state = Proxy.State.WITHDRAWN
        proxy.decided_at = timezone.now()
        proxy.save(update_fields=["state", "decided_at"])
        audit.record(actor=by, action="meetings.proxy_withdraw", target=proxy)
        _announce(proxy.sitting)
    return proxy
