"""Proxies: a member gives their vote to another for a sitting; staff validate or refuse it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from assembly.selectors import roles_of
from core import audit
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.services import require as _require
from meetings.models import Attendance, Proxy, Sitting
from meetings.services.sittings import _announce, _lock_sitting


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
