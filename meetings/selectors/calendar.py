"""Reads of the meetings calendar, each in a bounded number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from assembly.models import Mandate, User
from meetings.models import CalendarFeedToken, Meeting, MeetingDocument, Registration

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _Counted(TypedDict):
        registered_count: int

    # A meeting as the calendar reads it: with the number of people registered.
    CalendarMeeting: TypeAlias = WithAnnotations[Meeting, _Counted]


def calendar_meetings(*, upcoming: bool | None = None) -> QuerySet[CalendarMeeting]:
    """Published meetings (no details row counts as published), with details, themes and registration counts."""
    qs = (
        Meeting.objects.exclude(details__published=False)
        .select_related("details", "territory", "assembly")
        .prefetch_related("details__themes", Prefetch("documents", queryset=MeetingDocument.objects.order_by("kind")))
        .annotate(registered_count=Count("registrations", distinct=True))
    )
    today = timezone.localdate()
    if upcoming is True:
        qs = qs.filter(date__gte=today).order_by("date", "id")
    elif upcoming is False:
        qs = qs.filter(date__lt=today).order_by("-date", "-id")
    else:
        qs = qs.order_by("date", "id")
    return qs


def visible_meetings(user: User | AnonymousUser | None, *, upcoming: bool | None = None) -> QuerySet[CalendarMeeting]:
    """`calendar_meetings` that USER may see: the queryset form of the `meetings.view_meeting` rule.

    A meeting that took place is public; an upcoming one is for signed-in people only.
    """
    qs = calendar_meetings(upcoming=upcoming)
    if user is None or not user.is_authenticated:
        qs = qs.filter(date__lt=timezone.localdate())
    return qs


def feed_token_of(user: User) -> str | None:
    """The secret of USER's personal feed address, or None if they never asked for one (no write)."""
    if not user.is_authenticated:
        return None
    return CalendarFeedToken.objects.filter(user=user).values_list("token", flat=True).first()


def registered_meeting_ids(user: User | AnonymousUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Registration.objects.filter(user=user).values_list("meeting_id", flat=True))


def member_feed_meetings(token: str) -> tuple[User, QuerySet[CalendarMeeting]] | None:
    """The person owning the feed TOKEN and the meetings they registered to, or None."""
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user, calendar_meetings().filter(registrations__user=feed.user)


def registrations_of(meeting: Meeting) -> list[dict[str, Any]]:
    """Registered people with their college and territory (active mandate in the meeting's assembly), by name."""
    rows = list(
        Registration.objects.filter(meeting=meeting)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    mandates = {
        m.user_id: m
        for m in Mandate.objects.active_on(meeting.date)
        .filter(assembly_id=meeting.assembly_id, user_id__in=[r.user_id for r in rows])
        .select_related("territory")
    }
    return [{"registration": r, "user": r.user, "mandate": mandates.get(r.user_id)} for r in rows]
