"""The co-presidency: who presides over an assembly for each college, started after an election."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, College, Copresidency, Mandate, User, active_q
from assembly.selectors import forget_roles
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import require


def copresidency_start(
    *,
    by: User,
    assembly: Assembly,
    person: User,
    college: str,
    started_on: dt.date | None = None,
    ballot_ref: str = "",
) -> Copresidency:
    """Make PERSON co-president of ASSEMBLY for COLLEGE from STARTED_ON (today by default).

    The current co-presidency of that college, if any, ends the day before (or on the same day
    when it started that day). PERSON must hold a mandate of ASSEMBLY in COLLEGE on that day.
    `Mandate.is_copresident` follows: set on the new co-president's mandate, cleared on the
    previous one's. A second current co-presidency of a college is refused by the database
    (`copresidency_one_current_per_college`), and by this service as a Conflict.
    """
    require(by, "assembly.start_copresidency", assembly)
    started_on = started_on or timezone.localdate()
    if college not in College.values:
        raise ValidationFailed(_("Unknown college."), field="college")
    mandate = Mandate.objects.filter(user=person, assembly=assembly).filter(active_q(started_on)).first()
    if mandate is None or mandate.college != college:
        raise ValidationFailed(
            _("%(person)s holds no mandate of the %(college)s college in %(assembly)s.")
            % {"person": person.display_name, "college": College(college).label, "assembly": assembly.name},
            field="person",
            code="not_a_member",
        )
    with transaction.atomic():
        # Lock the assembly row: two proclamations at once must not both end the same co-presidency.
        Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
        previous = list(
            Copresidency.objects.select_for_update().filter(assembly=assembly, college=college, ended_on__isnull=True)
        )
        for old in previous:
            if old.person_id == person.pk:
                raise Conflict(
                    _("%(person)s is already co-president.") % {"person": person.display_name},
                    code="already_copresident",
                )
            if old.started_on > started_on:
                raise Conflict(_("The current co-presidency started later than this date."), field="started_on")
            old.ended_on = max(old.started_on, started_on - dt.timedelta(days=1))
            old.save(update_fields=["ended_on"])
            Mandate.objects.filter(user_id=old.person_id, assembly=assembly, is_copresident=True).update(
                is_copresident=False
            )
            audit.record(
                actor=by,
                action="assembly.copresidency_end",
                target=old,
                data={"person": old.person_id, "college": college, "ended_on": old.ended_on.isoformat()},
            )
        try:
            with transaction.atomic():
                copresidency = Copresidency.objects.create(
                    assembly=assembly, person=person, college=college, started_on=started_on, ballot_ref=ballot_ref
                )
        except IntegrityError as exc:
            raise Conflict(_("This college already has a current co-president."), code="copresidency_taken") from exc
        Mandate.objects.filter(pk=mandate.pk).update(is_copresident=True)
        audit.record(
            actor=by,
            action="assembly.copresidency_start",
            target=copresidency,
            data={
                "person": person.pk,
                "college": college,
                "started_on": started_on.isoformat(),
                "ballot": ballot_ref,
                "ended": [old.pk for old in previous],
            },
        )
    forget_roles(person)
    return copresidency
