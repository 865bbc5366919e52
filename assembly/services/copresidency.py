"""The co-presidency: the members who co-preside over an assembly, by the assembly's rule set.

The rule set is the assembly's (`Assembly.copresidency_colleges`, `copresidents_per_college`,
`copresidency_parity`); the Assemblée des Territoires' is the default: two co-presidents from
the elected college, one woman and one man. The database holds one current co-presidency per
person and assembly; the seats and the parity are checked here, under a lock on the assembly row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, College, Copresidency, Gender, Mandate, User, active_q
from assembly.selectors import forget_roles
from core import audit
from core.errors import Conflict, ValidationFailed
from core.services import require


def _mandate(assembly: Assembly, person: User, day: dt.date) -> Mandate:
    """PERSON's mandate of ASSEMBLY running on DAY, in one of its electing colleges."""
    mandate = Mandate.objects.filter(user=person, assembly=assembly).filter(active_q(day)).first()
    if mandate is None:
        raise ValidationFailed(
            _("%(person)s holds no mandate in %(assembly)s.")
            % {"person": person.display_name, "assembly": assembly.name},
            field="person",
            code="not_a_member",
        )
    if mandate.college not in assembly.electing_colleges:
        raise ValidationFailed(
            _("%(person)s is in the %(college)s college, which does not elect the co-presidency of %(assembly)s.")
            % {"person": person.display_name, "college": College(mandate.college).label, "assembly": assembly.name},
            field="person",
            code="not_eligible",
        )
    return mandate


def check_copresidency_rules(assembly: Assembly, mandates: Sequence[Mandate]) -> None:
    """Refuse a set of co-presidents (their mandates) that ASSEMBLY's rule set cannot hold.

    More than `copresidents_per_college` in a college (`copresidency_full`), or, with the parity
    rule, more than half of the seats (rounded up) held by one gender (`parity_not_met`): for the
    AdT's two seats, one woman and one man.
    """
    per_college = Counter(m.college for m in mandates)
    for college, count in per_college.items():
        if count > assembly.copresidents_per_college:
            raise Conflict(
                _("The %(college)s college has %(seats)s co-presidency seat(s): %(count)s co-presidents is too many.")
                % {"college": College(college).label, "seats": assembly.copresidents_per_college, "count": count},
                code="copresidency_full",
            )
    if assembly.copresidency_parity:
        most = (assembly.copresidency_seats + 1) // 2
        per_gender = Counter(m.gender for m in mandates)
        if any(per_gender[g] > most for g in Gender.values):
            raise Conflict(
                _("The co-presidents are not as many women as men, as the assembly's rules require."),
                code="parity_not_met",
            )


def _end(by: User, assembly: Assembly, old: Copresidency, day: dt.date) -> None:
    if old.started_on > day:
        raise Conflict(_("The current co-presidency started later than this date."), field="started_on")
    old.ended_on = max(old.started_on, day - dt.timedelta(days=1))
    old.save(update_fields=["ended_on"])
    Mandate.objects.filter(user_id=old.person_id, assembly=assembly, is_copresident=True).update(is_copresident=False)
    audit.record(
        actor=by,
        action="assembly.copresidency_end",
        target=old,
        data={"person": old.person_id, "college": old.college, "ended_on": old.ended_on.isoformat()},
    )


def _start(
    by: User, assembly: Assembly, mandate: Mandate, day: dt.date, ballot_ref: str, ended: list[int]
) -> Copresidency:
    try:
        with transaction.atomic():
            copresidency = Copresidency.objects.create(
                assembly=assembly,
                person_id=mandate.user_id,
                college=mandate.college,
                started_on=day,
                ballot_ref=ballot_ref,
            )
    except IntegrityError as exc:
        raise Conflict(_("This person is already co-president."), code="already_copresident") from exc
    Mandate.objects.filter(pk=mandate.pk).update(is_copresident=True)
    audit.record(
        actor=by,
        action="assembly.copresidency_start",
        target=copresidency,
        data={
            "person": mandate.user_id,
            "college": mandate.college,
            "started_on": day.isoformat(),
            "ballot": ballot_ref,
            "ended": ended,
        },
    )
    return copresidency


def copresidency_replace(
    *,
    by: User,
    assembly: Assembly,
    people: Sequence[User],
    started_on: dt.date | None = None,
    ballot_ref: str = "",
) -> list[Copresidency]:
    """Make PEOPLE the co-presidency of ASSEMBLY from STARTED_ON (today by default), as a whole.

    Every current co-presidency of the assembly ends the day before (or the day it started); the
    new ones start. Each person must hold a mandate in one of the assembly's electing colleges
    (`not_a_member`, `not_eligible`); the seats per college (`copresidency_full`) and the parity
    (`parity_not_met`) are checked. Refused: nobody (`nobody_elected`), the same person twice.
    Nothing changes when refused.
    """
    require(by, "assembly.start_copresidency", assembly)
    day = started_on or timezone.localdate()
    if not people:
        raise ValidationFailed(_("Nobody is elected."), field="people", code="nobody_elected")
    if len({p.pk for p in people}) != len(people):
        raise ValidationFailed(_("A person appears twice."), field="people")
    with transaction.atomic():
        # Lock the assembly row: two proclamations at once must not both replace the co-presidency.
        Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
        mandates = [_mandate(assembly, person, day) for person in people]
        check_copresidency_rules(assembly, mandates)
        previous = list(Copresidency.objects.select_for_update().filter(assembly=assembly, ended_on__isnull=True))
        for old in previous:
            _end(by, assembly, old, day)
        ended = [old.pk for old in previous]
        started = [_start(by, assembly, mandate, day, ballot_ref, ended) for mandate in mandates]
    for person in people:
        forget_roles(person)
    return started


def copresidency_start(
    *,
    by: User,
    assembly: Assembly,
    person: User,
    college: str,
    started_on: dt.date | None = None,
    ballot_ref: str = "",
) -> Copresidency:
    """Make PERSON co-president of ASSEMBLY for COLLEGE from STARTED_ON (today by default), on a free seat.

    PERSON must hold a mandate of ASSEMBLY in COLLEGE on that day (`not_a_member`), one of the
    assembly's electing colleges (`not_eligible`). The current co-presidents stay: refused when
    the college's seats are taken (`copresidency_full`), when parity would be broken
    (`parity_not_met`), or when PERSON already co-presides (`already_copresident`; the database
    holds one current co-presidency per person, `copresidency_one_current_per_person`).
    """
    require(by, "assembly.start_copresidency", assembly)
    day = started_on or timezone.localdate()
    if college not in College.values:
        raise ValidationFailed(_("Unknown college."), field="college")
    mandate = _mandate(assembly, person, day)
    if mandate.college != college:
        raise ValidationFailed(
            _("%(person)s holds no mandate of the %(college)s college in %(assembly)s.")
            % {"person": person.display_name, "college": College(college).label, "assembly": assembly.name},
            field="person",
            code="not_a_member",
        )
    with transaction.atomic():
        Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
        current = list(
            Copresidency.objects.filter(assembly=assembly, ended_on__isnull=True).values_list("person_id", flat=True)
        )
        if person.pk in current:
            raise Conflict(
                _("%(person)s is already co-president.") % {"person": person.display_name},
                code="already_copresident",
            )
        others = list(Mandate.objects.filter(assembly=assembly, user_id__in=current).filter(active_q(day)))
        check_copresidency_rules(assembly, [*others, mandate])
        copresidency = _start(by, assembly, mandate, day, ballot_ref, [])
    forget_roles(person)
    return copresidency
