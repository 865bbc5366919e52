"""The "live sitting" panel of the member home page: sittings in session and their open ballots."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from assembly.selectors import roles_of
from meetings.selectors import sittings as meeting_selectors
from votes.models import Ballot


def live_sitting_panel(request: HttpRequest) -> dict[str, Any] | None:
    roles = roles_of(request.user)
    if not roles.member_of and not roles.partner_of:
        return None
    sittings = list(meeting_selectors.open_sittings(roles.member_of | roles.partner_of)[:5])
    if not sittings:
        return None
    open_counts: dict[int, int] = {}
    for sitting_id in Ballot.objects.filter(sitting__in=sittings, state=Ballot.State.OPEN).values_list(
        "sitting_id", flat=True
    ):
        open_counts[sitting_id] = open_counts.get(sitting_id, 0) + 1
    rows = []
    for sitting in sittings:
        try:
            url = reverse("votes:live_phone", args=[sitting.pk])
        except NoReverseMatch:
            url = ""
        rows.append({"sitting": sitting, "open_ballots": open_counts.get(sitting.pk, 0), "url": url})
    return {"live_sittings": rows}
