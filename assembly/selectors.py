"""Reads of the assembly: roles of a person, composition of an assembly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import (
    Assembly,
    College,
    Copresidency,
    Gender,
    Mandate,
    PartnerRepresentative,
    Territory,
    User,
    active_q,
    not_ended_q,
)
from assembly.roles_sql import PARTNER, role_rows
from core.models import AuditEvent


@dataclass(frozen=True)
class Roles:
    """What a person is, today, in each assembly (ids of assemblies)."""

    member_of: frozenset[int] = frozenset()
    copresident_of: frozenset[int] = frozenset()
    partner_of: frozenset[int] = frozenset()
    former_member_of: frozenset[int] = frozenset()
    is_staff: bool = False
    is_admin: bool = False

    @property
    def is_member(self) -> bool:
        return bool(self.member_of)

    @property
    def is_partner(self) -> bool:
        return bool(self.partner_of)

    @property
    def is_former_member(self) -> bool:
        return bool(self.former_member_of) and not self.member_of


ANONYMOUS_ROLES = Roles()
_CACHE_ATTR = "_agora_roles"


def roles_of(user: User | AnonymousUser | None, *, fresh: bool = False, day: dt.date | None = None) -> Roles:
    """The roles of USER today, cached on the user object for the rest of the request.

    Long-lived connections (websockets) pass fresh=True before each action, so that a
    mandate that ends mid-sitting stops the member from acting.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_ROLES
    if not fresh and day is None and hasattr(user, _CACHE_ATTR):
        cached: Roles = getattr(user, _CACHE_ATTR)
        return cached
    day = day or timezone.localdate()
    active = set()
    copresident = set()
    past = set()
    partner = set()
    for kind, assembly_id, is_copresident, started, not_ended in role_rows(user.pk, day):
        if kind == PARTNER:
            if started and not_ended:
                partner.add(assembly_id)
        elif started and not_ended:
            active.add(assembly_id)
            if is_copresident:
                copresident.add(assembly_id)
        elif started:
            past.add(assembly_id)
    roles = Roles(
        member_of=frozenset(active),
        copresident_of=frozenset(copresident),
        partner_of=frozenset(partner),
        former_member_of=frozenset(past - active),
        is_staff=user.is_staff,
        is_admin=user.is_superuser,
    )
    if day == timezone.localdate():
        setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user: User) -> None:
    """Drop the cached roles (after a service changed a mandate of USER)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def assembly_id_of(obj: object) -> int | None:
    """The assembly an object belongs to, for rules that are scoped to one assembly."""
    if obj is None:
        return None
    if isinstance(obj, Assembly):
        return obj.pk
    for attr in ("assembly_id",):
        value: int | None = getattr(obj, attr, None)
        if value is not None:
            return value
    owner = getattr(obj, "agora_assembly", None)
    if owner is not None:
        return owner.pk if isinstance(owner, Assembly) else owner
    return None


def active_mandate(user: User, assembly: Assembly, day: dt.date | None = None) -> Mandate | None:
    return Mandate.objects.active_on(day).filter(user=user, assembly=assembly).select_related("territory").first()


def default_assembly() -> Assembly | None:
    """The assembly shown when none is named: the first one (deployments usually serve one)."""
    return Assembly.objects.order_by("pk").first()


@dataclass
class TerritoryComposition:
    territory: Territory
    seats: int
    filled: int
    women: int
    men: int
    elected: int
    citizens: int

    @property
    def vacancies(self) -> int:
        return max(self.seats - self.filled, 0)

    @property
    def gender_gap(self) -> int:
        """Women minus men; 0 is parity."""
        return self.women - self.men

    @property
    def college_gap(self) -> int:
        """Elected minus citizens; 0 is parity."""
        return self.elected - self.citizens

    @property
    def balanced(self) -> bool:
        return not self.problems

    @property
    def problems(self) -> list[str]:
        """What breaks parity here: a group holding more than half of the seats."""
        half = self.seats // 2
        found = []
        for count, label in (
            (self.women, _("too many women")),
            (self.men, _("too many men")),
            (self.elected, _("too many elected")),
            (self.citizens, _("too many citizens")),
        ):
            if count > half:
                found.append(f"{label} ({count}/{half})")
        return found


@dataclass
class Composition:
    assembly: Assembly
    day: dt.date
    territories: list[TerritoryComposition] = field(default_factory=list)

    def _sum(self, attr: str) -> int:
        return sum(getattr(row, attr) for row in self.territories)

    @property
    def seats(self) -> int:
        return self._sum("seats")

    @property
    def filled(self) -> int:
        return self._sum("filled")

    @property
    def vacancies(self) -> int:
        return self._sum("vacancies")

    @property
    def women(self) -> int:
        return self._sum("women")

    @property
    def men(self) -> int:
        return self._sum("men")

    @property
    def elected(self) -> int:
        return self._sum("elected")

    @property
    def citizens(self) -> int:
        return self._sum("citizens")

    @property
    def imbalanced(self) -> list[TerritoryComposition]:
        return [row for row in self.territories if not row.balanced]


def composition(assembly: Assembly, day: dt.date | None = None) -> Composition:
    """Seats filled, vacancies and parity per territory of ASSEMBLY on DAY, in two queries."""
    day = day or timezone.localdate()
    active = Q(mandates__assembly=assembly) & active_q(day, prefix="mandates__")
    rows = (
        assembly.territories.select_related("departement")
        .annotate(
            filled=Count("mandates", filter=active),
            women=Count("mandates", filter=active & Q(mandates__gender=Gender.WOMAN)),
            men=Count("mandates", filter=active & Q(mandates__gender=Gender.MAN)),
            elected=Count("mandates", filter=active & Q(mandates__college=College.ELECTED)),
            citizens=Count("mandates", filter=active & Q(mandates__college=College.CITIZEN)),
        )
        .order_by("departement_id", "name")
    )
    result = Composition(assembly=assembly, day=day)
    for row in rows:
        result.territories.append(
            TerritoryComposition(
                territory=row,
                seats=row.seats,
                filled=row.filled,
                women=row.women,
                men=row.men,
                elected=row.elected,
                citizens=row.citizens,
            )
        )
    return result


def sitting_members(assembly: Assembly, day: dt.date | None = None) -> list[Mandate]:
    """The mandates of ASSEMBLY running on DAY, with their person, by college then name (one query).

    Those who may stand for election (`votes.services.election_candidates` checks the same).
    """
    return list(
        Mandate.objects.active_on(day)
        .filter(assembly=assembly)
        .select_related("user")
        .order_by("college", "user__last_name", "user__first_name", "user_id")
    )


def current_copresidents(assembly: Assembly, day: dt.date | None = None) -> list[Copresidency]:
    """The co-presidencies of ASSEMBLY running on DAY, by college, with their person (one query)."""
    day = day or timezone.localdate()
    return list(
        Copresidency.objects.filter(assembly=assembly, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("person")
        .order_by("college", "started_on")
    )


def member_assemblies(user: User, day: dt.date | None = None) -> list[Mandate]:
    """The mandates USER holds today, with their assembly and territory (one query)."""
    if not user.is_authenticated:
        return []
    return list(Mandate.objects.active_on(day).filter(user=user).select_related("assembly", "territory__departement"))


def personal_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about USER as a person, for the RGPD download (bounded queries)."""
    mandates = Mandate.objects.filter(user=user).select_related("assembly", "territory").order_by("start_date")
    representations = (
        PartnerRepresentative.objects.filter(user=user).select_related("organisation__assembly").order_by("start_date")
    )
    from rest_framework.authtoken.models import Token  # imported here: selectors load before DRF's models

    token = Token.objects.filter(user=user).only("created").first()
    actions = AuditEvent.objects.filter(actor=user).order_by("-at").values("at", "action", "target_type")[:500]
    return {
        "identity": {
            "id": user.pk,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_staff": user.is_staff,
        },
        "mandates": [
            {
                "assembly": m.assembly.name,
                "territory": m.territory.name,
                "college": m.college,
                "gender": m.gender,
                "title": m.title,
                "start_date": m.start_date.isoformat(),
                "end_date": m.end_date.isoformat() if m.end_date else None,
                "is_copresident": m.is_copresident,
            }
            for m in mandates
        ],
        "partner_roles": [
            {
                "organisation": r.organisation.name,
                "assembly": r.organisation.assembly.name,
                "start_date": r.start_date.isoformat(),
                "end_date": r.end_date.isoformat() if r.end_date else None,
            }
            for r in representations
        ],
        "api_token": {"created": token.created.isoformat()} if token else None,
        "recent_actions": [
            {"at": a["at"].isoformat(), "action": a["action"], "target_type": a["target_type"]} for a in actions
        ],
    }


def members_list(assembly: Assembly, *, query: str = "", day: dt.date | None = None) -> QuerySet[Mandate]:
    """People with a mandate (current or past) in ASSEMBLY, for staff, newest mandate first."""
    mandates = Mandate.objects.filter(assembly=assembly).select_related("user", "territory")
    if query:
        mandates = mandates.filter(
            Q(user__last_name__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(territory__name__icontains=query)
            | Q(title__icontains=query)
        )
    return mandates.order_by("territory__name", "college", "-start_date")


# --- Ending mandates, erasing people ---------------------------------------------------------


def can_end_mandate(mandate: Mandate, day: dt.date | None = None) -> bool:
    """MANDATE is still running on DAY (today) or later, so it can be ended."""
    day = day or timezone.localdate()
    return mandate.end_date is None or mandate.end_date >= day


def mandates_of(person: User, day: dt.date | None = None) -> list[Mandate]:
    """PERSON's mandates, newest first, each with `can_end` (see `can_end_mandate`), in one query."""
    day = day or timezone.localdate()
    mandates = list(
        Mandate.objects.filter(user=person).select_related("assembly", "territory").order_by("-start_date", "-id")
    )
    for mandate in mandates:
        mandate.can_end = can_end_mandate(mandate, day)
    return mandates


def erase_blocker(person: User, day: dt.date | None = None) -> str | None:
    """Why PERSON's personal data cannot be erased now (a code), or None if it can.

    "already_erased", "staff" (staff rights are removed first), "mandate_active" (a mandate runs
    today or later) or "partner_active" (a partner role runs today or later).
    """
    day = day or timezone.localdate()
    running = not_ended_q(day)
    if person.erased_at is not None:
        return "already_erased"
    if person.is_staff or person.is_superuser:
        return "staff"
    if Mandate.objects.filter(running, user=person).exists():
        return "mandate_active"
    if PartnerRepresentative.objects.filter(running, user=person).exists():
        return "partner_active"
    return None
