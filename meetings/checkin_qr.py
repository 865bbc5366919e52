"""The door's QR code: a fresh check-in link of a sitting, drawn as inline SVG, and when to draw the next one.

The check-in link carries a signed token valid `MEETINGS_CHECKIN_TOKEN_MAX_AGE` seconds
(`services.attendance.checkin_token`). Pages that show the code (the staff sitting page, the room
screen between items) ask for a new one every `MEETINGS_CHECKIN_QR_ROTATION` seconds through a small
JSON endpoint (`static/js/checkin-qr.js`), so the code on the wall is always valid for longer than
the time until the next one: a member scanning just before the change still checks in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.urls import reverse

from core.qr import qr_svg
from meetings.models import Sitting
from meetings.services import attendance as attendance_services


class CheckinQr(TypedDict):
    url: str
    svg: str
    rotation: int
    max_age: int


def rotation_seconds() -> int:
    """Seconds between two fresh codes (always at most half a code's life, checked by the settings)."""
    return int(settings.MEETINGS_CHECKIN_QR_ROTATION)


def checkin_qr(*, sitting: Sitting, absolute: Callable[[str], str]) -> CheckinQr:
    """A fresh check-in link of SITTING (ABSOLUTE makes it a full address) and its QR code."""
    path = reverse("meetings:check_in", args=[sitting.pk]) + "?t=" + attendance_services.checkin_token(sitting=sitting)
    url = absolute(path)
    return {
        "url": url,
        "svg": qr_svg(url),
        "rotation": rotation_seconds(),
        "max_age": attendance_services.checkin_token_max_age(),
    }
