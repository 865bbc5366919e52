"""iCalendar (RFC 5545) feeds of meetings, built with the `icalendar` library. Pure: takes rows, returns bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from meetings.models import Meeting

DEFAULT_START = dt.time(9, 30)
DEFAULT_END = dt.time(17, 0)


def _times(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    details = getattr(meeting, "details", None) if hasattr(meeting, "details") else None
    start = getattr(details, "start_time", None) or DEFAULT_START
    end = getattr(details, "end_time", None) or DEFAULT_END
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(meeting.date, start, zone), dt.datetime.combine(meeting.date, end, zone)


def build_feed(meetings: Iterable[Meeting], *, name: str, site_url: str, host: str = "agora") -> bytes:
    """A calendar with one VEVENT per meeting (stable UID, so phones update rather than duplicate)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Agora//Meetings//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for meeting in meetings:
        start, end = _times(meeting)
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", meeting.title)
        location = ", ".join(part for part in (meeting.place, " ".join(meeting.address.split())) if part)
        if location:
            event.add("location", location)
        details = getattr(meeting, "details", None) if hasattr(meeting, "details") else None
        description = (getattr(details, "programme", "") or meeting.theme or "").strip()
        if description:
            event.add("description", description)
        event.add("url", f"{site_url}/reunions/calendrier/{meeting.pk}/")
        calendar.add_component(event)
    return calendar.to_ical()
