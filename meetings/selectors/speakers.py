"""Reads of the speakers list: the list of an item, who has the floor and for how long, and parity.

`floor` is what the live room carries (votes/live/state.py, docs/realtime-protocol.md): its
public part for phones and the projector, and the staff's part with the waiting list by name and
the speaking time by college and gender (the assembly is built on parity). Three queries at most.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from assembly.models import College, Gender, Mandate
from meetings.models import AgendaItem, Sitting, SpeakerRequest

PARTNER = "partner"  # the speaking time of people without a mandate (partners), apart from both colleges


def speaker_requests(item: AgendaItem | int) -> QuerySet[SpeakerRequest]:
    """Every request to speak on ITEM, in the list's order, with the person."""
    return SpeakerRequest.objects.filter(agenda_item=item).select_related("person").order_by("position", "pk")


def waiting_list(item: AgendaItem | int) -> QuerySet[SpeakerRequest]:
    return speaker_requests(item).filter(state=SpeakerRequest.State.WAITING)


def seconds_left(request: SpeakerRequest, now: dt.datetime | None = None) -> int | None:
    """Seconds of the granted speaking time left (negative once over), or None when not speaking."""
    if request.state != SpeakerRequest.State.SPEAKING or request.started_at is None or request.granted_seconds is None:
        return None
    spoken = ((now or timezone.now()) - request.started_at).total_seconds()
    return int(request.granted_seconds - spoken)


def live_speaker(item: AgendaItem | int) -> SpeakerRequest | None:
    """Who has the floor on ITEM, or None."""
    return speaker_requests(item).filter(state=SpeakerRequest.State.SPEAKING).first()


def _spoken_seconds(request: SpeakerRequest, now: dt.datetime) -> int:
    if request.started_at is None:
        return 0
    return max(0, int(((request.ended_at or now) - request.started_at).total_seconds()))


def speaking_parity(sitting: Sitting, now: dt.datetime | None = None) -> dict[str, Any]:
    """Speaking time of the sitting (every item, the speech in progress included) by college and gender.

    A speaker's college and gender are those of their mandate in the sitting's assembly (the
    latest one, for someone whose mandate changed); people without one (partners) count apart.
    `running` is the college and gender of the speech in progress (or None) and `at` the moment
    of the figures, so that a page keeps the time running. Two queries.
    """
    now = now or timezone.now()
    spoken = list(
        SpeakerRequest.objects.filter(agenda_item__sitting=sitting, started_at__isnull=False).only(
            "person_id", "state", "started_at", "ended_at"
        )
    )
    seats: dict[int, tuple[str, str]] = {}
    for user_id, college, gender in (
        Mandate.objects.filter(assembly_id=sitting.assembly_id, user_id__in={r.person_id for r in spoken})
        .order_by("start_date", "pk")
        .values_list("user_id", "college", "gender")
    ):
        seats[user_id] = (college, gender)
    colleges = [*College.values, PARTNER]
    cells = {(c, g): {"seconds": 0, "speeches": 0} for c in colleges for g in [*Gender.values, ""]}
    for request in spoken:
        college, gender = seats.get(request.person_id, (PARTNER, ""))
        cell = cells[(college, gender)]
        cell["seconds"] += _spoken_seconds(request, now)
        cell["speeches"] += 1
    shown = [
        (c, g, cell)
        for (c, g), cell in cells.items()
        if cell["speeches"] or (c != PARTNER and g)  # the four parity cells always, partners when they spoke
    ]
    rows = [{"college": c, "gender": g, **cell} for c, g, cell in shown]
    by_college = {c: sum(cell["seconds"] for college, _g, cell in shown if college == c) for c in colleges}
    by_gender = {g: sum(cell["seconds"] for _c, gender, cell in shown if gender == g) for g in Gender.values}
    speaking = next((r for r in spoken if r.state == SpeakerRequest.State.SPEAKING), None)
    running = None
    if speaking is not None:  # the page keeps the time running from `at` for this cell
        college, gender = seats.get(speaking.person_id, (PARTNER, ""))
        running = {"college": college, "gender": gender}
    return {
        "rows": rows,
        "by_college": by_college,
        "by_gender": by_gender,
        "total": sum(by_college.values()),
        "running": running,
        "at": now.isoformat(),
    }


def _speaker(request: SpeakerRequest) -> dict[str, Any]:
    return {
        "request": request.pk,
        "person": request.person_id,
        "name": request.person.display_name,
        "started_at": request.started_at.isoformat() if request.started_at else None,
        "seconds": request.granted_seconds,
        "ends_at": (request.started_at + dt.timedelta(seconds=request.granted_seconds)).isoformat()
        if request.started_at and request.granted_seconds
        else None,
    }


def floor(sitting: Sitting, item_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The floor of the item in progress ITEM_ID: (public part, staff part).

    Public: who speaks (name, start, seconds granted), the waiting people's ids in order (a phone
    finds its own place) and their number, and whether partners may ask. Staff: the same, with the
    waiting list by name and the sitting's speaking time by college and gender.
    """
    now = timezone.now()
    requests = list(speaker_requests(item_id))
    speaking = next((r for r in requests if r.state == SpeakerRequest.State.SPEAKING), None)
    waiting = [r for r in requests if r.state == SpeakerRequest.State.WAITING]
    public = {
        "speaker": _speaker(speaking) if speaking else None,
        "waiting": [r.person_id for r in waiting],
        "queue_length": len(waiting),
        "partners_may_speak": sitting.partners_may_speak,
        "speaking_seconds": sitting.speaking_seconds,
    }
    staff = {
        **public,
        "queue": [{"request": r.pk, "person": r.person_id, "name": r.person.display_name} for r in waiting],
        "spoken": [
            {"request": r.pk, "name": r.person.display_name, "seconds": _spoken_seconds(r, now)}
            for r in requests
            if r.state == SpeakerRequest.State.DONE
        ],
        "parity": speaking_parity(sitting, now),
    }
    return public, staff
