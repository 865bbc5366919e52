"""Mandates: a person's seat in an assembly, started and ended by staff, seats counted per territory and college."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, College, Gender, Mandate, Territory, User, not_ended_q
from assembly.selectors import can_end_mandate, forget_roles
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import clean_text, require
from realtime import revocation


def _check_seat(*, assembly: Assembly, territory: Territory, college: str, start_date: dt.date) -> None:
    """Refuse a mandate when the territory has no seat left in COLLEGE from START_DATE on."""
    if not assembly.territories.filter(pk=territory.pk).exists():
        raise ValidationFailed(
            _("The territory %(territory)s is not part of %(assembly)s.")
            % {"territory": territory.name, "assembly": assembly.name},
            field="territory",
        )
    taken = (
        Mandate.objects.filter(assembly=assembly, territory=territory, college=college)
        .filter(not_ended_q(start_date))
        .count()
    )
    if taken >= territory.seats // 2:
        raise Conflict(
            _("%(territory)s has no %(college)s seat left.")
            % {"territory": territory.name, "college": College(college).label},
            field="college",
            code="no_seat_left",
        )


def _check_mandate_fields(*, assembly: Assembly, college: str, gender: str, start_date: dt.date) -> None:
    if college not in College.values:
        raise ValidationFailed(_("Unknown college."), field="college")
    if gender not in Gender.values:
        raise ValidationFailed(_("Unknown gender."), field="gender")
    if not (assembly.mandate_start <= start_date <= assembly.mandate_end):
        raise ValidationFailed(
            _("The start date must fall within the mandate of the assembly (%(start)s – %(end)s).")
            % {"start": assembly.mandate_start.strftime("%d/%m/%Y"), "end": assembly.mandate_end.strftime("%d/%m/%Y")},
            field="start_date",
        )


def _has_open_mandate(user: User, assembly: Assembly, day: dt.date) -> bool:
    return Mandate.objects.filter(user=user, assembly=assembly).filter(not_ended_q(day)).exists()


def mandate_start(
    *,
    by: User,
    user: User,
    assembly: Assembly,
    territory: Territory,
    college: str,
    gender: str,
    title: str = "",
    start_date: dt.date | None = None,
    reason: str = "",
) -> Mandate:
    """Give USER a seat in ASSEMBLY from START_DATE (today by default); past mandates are kept."""
    require(by, "assembly.start_mandate")
    start_date = start_date or timezone.localdate()
    _check_mandate_fields(assembly=assembly, college=college, gender=gender, start_date=start_date)
    if user.erased_at is not None:
        raise Conflict(_("This person's data was erased; invite them again with a new account."))
    with transaction.atomic():
        # Lock the territory so that two staff filling its last seat at once cannot both succeed.
        Territory.objects.select_for_update().filter(pk=territory.pk).first()
        if _has_open_mandate(user, assembly, start_date):
            raise Conflict(
                _("%(person)s is already a member of %(assembly)s.")
                % {"person": user.display_name, "assembly": assembly.name},
                code="already_member",
            )
        _check_seat(assembly=assembly, territory=territory, college=college, start_date=start_date)
        try:
            with transaction.atomic():
                mandate = Mandate.objects.create(
                    user=user,
                    assembly=assembly,
                    territory=territory,
                    college=college,
                    gender=gender,
                    title=clean_text(title, field="title", max_length=200),
                    start_date=start_date,
                )
        except IntegrityError as exc:
            raise Conflict(_("This person already has an open mandate in this assembly.")) from exc
        audit.record(
            actor=by,
            action="assembly.mandate_start",
            target=mandate,
            reason=reason,
            data={
                "user": user.pk,
                "assembly": assembly.pk,
                "territory": territory.pk,
                "college": college,
                "gender": gender,
                "start_date": start_date.isoformat(),
            },
        )
    forget_roles(user)
    return mandate


def mandate_end(*, by: User, mandate: Mandate, end_date: dt.date | None = None, reason: str = "") -> Mandate:
    """End MANDATE on END_DATE (inclusive; today by default). The row stays as history."""
    require(by, "assembly.end_mandate")
    end_date = end_date or timezone.localdate()
    with transaction.atomic():
        # Lock: two staff ending the same mandate must not both record an end.
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if not can_end_mandate(mandate):
            raise Conflict(_("This mandate has already ended."), code="already_ended")
        if end_date < mandate.start_date:
            raise ValidationFailed(_("The end date cannot be before the start date."), field="end_date")
        mandate.end_date = end_date
        mandate.save(update_fields=["end_date"])
        audit.record(
            actor=by,
            action="assembly.mandate_end",
            target=mandate,
            reason=reason,
            data={"user": mandate.user_id, "end_date": end_date.isoformat()},
        )
        # What the person may do changes: their open pages reconnect and are checked anew.
        revocation.revoke_on_commit(user_id=mandate.user_id)
    forget_roles(mandate.user)
    return mandate
