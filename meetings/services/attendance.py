"""Attendance at a sitting: check-in by the QR code shown in the room, or marked by staff; check-out.

A giver of a proxy who comes in takes their own vote back (the proxy lapses).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from assembly.selectors import roles_of
from core import audit
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.services import require as _require
from meetings.models import Attendance, Proxy, Sitting
from meetings.services.sittings import _announce

CHECKIN_SALT = "meetings.checkin"


def checkin_token_max_age() -> int:
    """Seconds a check-in QR code stays valid (the projector shows a fresh one regularly)."""
    return settings.MEETINGS_CHECKIN_TOKEN_MAX_AGE


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
