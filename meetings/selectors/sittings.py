"""Reads of the meetings app: sittings, agenda, who is present, proxies, quorum, electorate.

Who counts: the members of a sitting are the people holding a mandate of the sitting's
assembly today (Region staff never count, even if they also hold a mandate). Partners may
be checked in but are never counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from assembly.models import Mandate, User
from meetings.models import AgendaItem, Attendance, Meeting, Proxy, Sitting


def sitting_mandates(sitting: Sitting, day: dt.date | None = None) -> QuerySet[Mandate]:
    """Active mandates of the sitting's assembly (staff excluded), with territory and département."""
    return (
        Mandate.objects.active_on(day or timezone.localdate())
        .filter(assembly_id=sitting.assembly_id, user__is_active=True, user__is_staff=False)
        .select_related("territory")
    )


def present_user_ids(sitting: Sitting) -> set[int]:
    return set(
        Attendance.objects.filter(sitting=sitting, checked_out_at__isnull=True).values_list("user_id", flat=True)
    )


def proxy_holders(sitting: Sitting, *, giver: User) -> QuerySet[User]:
    """Who GIVER may give their vote to (the rule of `services.sittings.proxy_give`), by name.

    Members of the sitting's assembly (staff excluded) other than the giver, present or not,
    except those who have given their own vote away for this sitting.
    """
    mandates = sitting_mandates(sitting).exclude(user=giver)
    given_away = Proxy.objects.filter(sitting=sitting, state__in=Proxy.LIVE_STATES).values("giver_id")
    return (
        User.objects.filter(pk__in=mandates.values("user_id"))
        .exclude(pk__in=given_away)
        .order_by("last_name", "first_name", "pk")
    )


def is_present(*, sitting: Sitting, user: User) -> bool:
    return Attendance.objects.filter(sitting=sitting, user=user, checked_out_at__isnull=True).exists()


@dataclass(frozen=True)
class Elector:
    """One member who may vote at a ballot opened now; `holder_id` votes for them by proxy."""

    user_id: int
    college: str
    gender: str
    departement: str
    holder_id: int | None = None


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    represented: int
    percent: int
    counts_proxies: bool

    @property
    def counted(self) -> int:
        return self.present + (self.represented if self.counts_proxies else 0)

    @property
    def required(self) -> int:
        """The smallest count that is strictly more than `percent` % of the members."""
        return (self.members * self.percent) // 100 + 1

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.counted >= self.required

    def as_dict(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "present": self.present,
            "represented": self.represented,
            "counted": self.counted,
            "required": self.required,
            "percent": self.percent,
            "reached": self.reached,
        }


def electorate(sitting: Sitting) -> list[Elector]:
    """Who may vote if a ballot opens now: members present, and absent members represented.

    A member is represented when they gave a validated proxy to a member who is present.
    Three queries whatever the size of the assembly.
    """
    # Plain rows, not model instances: a ballot opening waits for this (5,000 members: 30 ms
    # instead of a quarter of a second).
    mandates = {
        uid: (college, gender, departement)
        for uid, college, gender, departement in sitting_mandates(sitting).values_list(
            "user_id", "college", "gender", "territory__departement_id"
        )
    }
    present = present_user_ids(sitting) & set(mandates)
    electors = [Elector(uid, *mandates[uid]) for uid in sorted(present)]
    proxies = Proxy.objects.filter(sitting=sitting, state=Proxy.State.VALIDATED).values_list("giver_id", "holder_id")
    for giver_id, holder_id in sorted(proxies):
        if giver_id in mandates and giver_id not in present and holder_id in present:
            electors.append(Elector(giver_id, *mandates[giver_id], holder_id=holder_id))
    return electors


def quorum(sitting: Sitting) -> Quorum:
    """Members, present and represented right now, against the sitting's quorum rule.

    The same people as `electorate()`, counted from ids only: the live room recomputes the
    quorum on every attendance change, and building an elector (mandate and territory rows)
    for each of thousands of members cost a quarter of a second there.
    """
    member_ids = set(sitting_mandates(sitting).values_list("user_id", flat=True))
    present = present_user_ids(sitting) & member_ids
    proxies = Proxy.objects.filter(sitting=sitting, state=Proxy.State.VALIDATED).values_list("giver_id", "holder_id")
    represented = sum(
        1
        for giver_id, holder_id in proxies
        if giver_id in member_ids and giver_id not in present and holder_id in present
    )
    return Quorum(
        members=sitting_mandates(sitting).count(),
        present=len(present),
        represented=represented,
        percent=sitting.quorum_percent,
        counts_proxies=sitting.quorum_counts_proxies,
    )


def agenda(sitting: Sitting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(sitting=sitting).order_by("position")


def current_agenda_item(sitting: Sitting) -> dict[str, Any] | None:
    """The item in progress, as the live room shows it ("Point n en cours"), or None: one query."""
    item = AgendaItem.objects.filter(sitting=sitting, state=AgendaItem.State.CURRENT).first()
    if item is None:
        return None
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title,
        "kind": item.kind,
        "planned_minutes": item.planned_minutes,
        "started_at": item.started_at.isoformat() if item.started_at else None,
    }


def sittings_for_staff() -> QuerySet[Sitting]:
    return Sitting.objects.select_related("meeting", "assembly").order_by("-starts_at", "-id")


def open_sittings(assembly_ids: frozenset[int] | set[int]) -> QuerySet[Sitting]:
    return (
        Sitting.objects.filter(assembly_id__in=assembly_ids, state=Sitting.State.OPEN)
        .select_related("meeting")
        .order_by("starts_at")
    )


def meetings_list(assembly_id: int | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("assembly", "territory")
    if assembly_id is not None:
        qs = qs.filter(assembly_id=assembly_id)
    return qs.order_by("-date", "-id")


def attendance_list(sitting: Sitting) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(sitting=sitting)
        .select_related("user", "marked_by")
        .order_by("user__last_name", "user__first_name")
    )


def proxies_of(sitting: Sitting, *, state: str | None = None) -> QuerySet[Proxy]:
    qs = Proxy.objects.filter(sitting=sitting).select_related("giver", "holder", "decided_by")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("created_at", "id")


def held_proxies(*, sitting: Sitting, holder: User) -> QuerySet[Proxy]:
    return Proxy.objects.filter(sitting=sitting, holder=holder, state=Proxy.State.VALIDATED).select_related("giver")


def sitting_summary(sitting: Sitting) -> dict[str, Any]:
    """JSON-ready description of a sitting with its agenda and live quorum."""
    return {
        "id": sitting.pk,
        "title": sitting.title,
        "state": sitting.state,
        "starts_at": sitting.starts_at.isoformat(),
        "meeting": {
            "id": sitting.meeting_id,
            "title": sitting.meeting.title,
            "kind": sitting.meeting.kind,
            "date": sitting.meeting.date.isoformat(),
            "place": sitting.meeting.place,
        },
        "agenda": [
            {
                "id": item.pk,
                "position": item.position,
                "title": item.title,
                "description": item.description,
                "kind": item.kind,
                "planned_minutes": item.planned_minutes,
                "proposal": item.proposal_id,
                "state": item.state,
            }
            for item in agenda(sitting)
        ],
        "quorum": quorum(sitting).as_dict(),
    }


@dataclass(frozen=True)
class SheetLine:
    """One member on a sitting's attendance sheet: present, represented (by HOLDER_NAME) or absent."""

    PRESENT = "present"
    REPRESENTED = "represented"
    ABSENT = "absent"

    user_id: int
    last_name: str
    first_name: str
    name: str
    college: str
    territory: str
    status: str
    holder_name: str = ""
    checked_in_at: dt.datetime | None = None
    checked_out_at: dt.datetime | None = None
    holds: tuple[str, ...] = ()


def attendance_sheet(sitting: Sitting) -> list[SheetLine]:
    """Every member of the sitting's assembly on the sitting's day, by name, with how they took part.

    Present: checked in during the sitting (the row stays after checking out). Represented: absent,
    having given a validated proxy to a member who was present (the same rule as `quorum`). Absent:
    the others; Agora records no excused absence. `holds` names the members a present one represented.
    Four queries whatever the size of the assembly.
    """
    day = timezone.localdate(sitting.starts_at)
    mandates = list(
        sitting_mandates(sitting, day)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id", "start_date")
    )
    attendance = {a.user_id: a for a in Attendance.objects.filter(sitting=sitting)}
    members = {m.user_id: m for m in mandates}
    proxies = Proxy.objects.filter(sitting=sitting, state=Proxy.State.VALIDATED).values_list("giver_id", "holder_id")
    holder_of = {
        giver: holder
        for giver, holder in proxies
        if giver in members and giver not in attendance and holder in attendance and holder in members
    }
    held: dict[int, list[str]] = {}
    for giver, holder in sorted(holder_of.items(), key=lambda gh: (members[gh[0]].user.last_name, gh[0])):
        held.setdefault(holder, []).append(members[giver].user.display_name)
    lines = []
    for user_id, mandate in members.items():
        user, row = mandate.user, attendance.get(user_id)
        status = SheetLine.PRESENT if row else SheetLine.REPRESENTED if user_id in holder_of else SheetLine.ABSENT
        lines.append(
            SheetLine(
                user_id=user_id,
                last_name="" if user.erased_at else user.last_name,
                first_name="" if user.erased_at else user.first_name,
                name=user.display_name,
                college=mandate.get_college_display(),
                territory=str(mandate.territory),
                status=status,
                holder_name=members[holder_of[user_id]].user.display_name if user_id in holder_of else "",
                checked_in_at=row.checked_in_at if row else None,
                checked_out_at=row.checked_out_at if row else None,
                holds=tuple(held.get(user_id, ())),
            )
        )
    return lines
