"""The door's check-in QR code: drawn on the server, on the staff page and the room screen, renewed
before it expires (meetings/checkin_qr.py, static/js/checkin-qr.js)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.errors import ValidationFailed
from meetings.models import Attendance
from meetings.services import attendance as attendance_services
from meetings.services import sittings as sitting_services
from tests import factories
from votes.live.access import screen_token

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg[^>]*viewBox=\"0 0 \d+ \d+\"[^>]*><path d=\"M[^\"]+\"")


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["t"][0]


def _refresh_url(sitting):
    return reverse("meetings:manage_sitting_checkin_qr", args=[sitting.pk])


def _screen(sitting):
    return reverse("votes:live_projector", args=[sitting.pk]) + "?t=" + screen_token(sitting=sitting)


def test_the_staff_page_draws_the_code_and_says_where_to_renew_it(staff_client, sitting):
    body = staff_client.get(reverse("meetings:manage_sitting", args=[sitting.pk])).content.decode()
    assert SVG.search(body), "an inline SVG QR code"
    assert f'data-refresh-url="{_refresh_url(sitting)}"' in body
    assert 'data-rotation="60"' in body and 'data-max-age="900"' in body
    assert "js/checkin-qr" in body


def test_the_renewal_gives_a_fresh_code_that_checks_a_member_in(staff_client, sitting, member):
    data = staff_client.get(_refresh_url(sitting)).json()
    assert set(data) == {"url", "svg", "rotation", "max_age"}
    assert SVG.match(data["svg"])
    assert data["url"].startswith("http://testserver" + reverse("meetings:check_in", args=[sitting.pk]) + "?t=")
    assert data["rotation"] < data["max_age"]
    attendance_services.attendance_check_in(user=member, token=_token(data["url"]))
    assert Attendance.objects.filter(sitting=sitting, user=member, checked_out_at=None).exists()


def test_a_code_outlives_its_rotation_and_expires_after_its_life(staff_client, sitting, member, settings):
    token = _token(staff_client.get(_refresh_url(sitting)).json()["url"])
    rotation, life = settings.MEETINGS_CHECKIN_QR_ROTATION, settings.MEETINGS_CHECKIN_TOKEN_MAX_AGE
    assert rotation * 2 <= life
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=life + 1)):
        with pytest.raises(ValidationFailed) as refused:
            attendance_services.attendance_check_in(user=member, token=token)
        assert refused.value.code == "token_expired"
    # Scanned just as the next code replaces it: still valid.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=rotation + 5)):
        attendance_services.attendance_check_in(user=member, token=token)
    assert Attendance.objects.filter(sitting=sitting, user=member).exists()


def test_the_rotation_is_a_setting(staff_client, sitting, settings):
    settings.MEETINGS_CHECKIN_QR_ROTATION = 45
    assert staff_client.get(_refresh_url(sitting)).json()["rotation"] == 45
    body = staff_client.get(reverse("meetings:manage_sitting", args=[sitting.pk])).content.decode()
    assert 'data-rotation="45"' in body


def test_only_staff_get_a_code(sitting, member_client, partner_client, anonymous_client, settings):
    assert member_client.get(_refresh_url(sitting)).status_code == 403
    assert partner_client.get(_refresh_url(sitting)).status_code == 403
    response = anonymous_client.get(_refresh_url(sitting))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    )


def test_unknown_sitting_is_404(staff_client):
    assert staff_client.get("/reunions/gestion/seances/99999/emargement.json").status_code == 404


def test_the_room_screen_shows_the_door_code_between_items(client, sitting, member):
    body = client.get(_screen(sitting)).content.decode()
    assert body.count("<svg") >= 3  # the door's code, the join code, the join code of the footer
    refresh = re.search(r'data-checkin-qr data-refresh-url="([^"]+)"', body).group(1).replace("&amp;", "&")
    # In the idle scene, which the screen shows when no ballot is open.
    idle = body[body.index('data-scene="idle"') : body.index('data-scene="ballot"')]
    assert "data-checkin-qr" in idle
    data = client.get(refresh).json()
    attendance_services.attendance_check_in(user=member, token=_token(data["url"]))
    assert Attendance.objects.filter(sitting=sitting, user=member).exists()


def test_the_screen_renewal_needs_the_screen_link(client, sitting, assembly):
    url = reverse("votes:live_projector_checkin", args=[sitting.pk])
    assert client.get(url).status_code == 404
    assert client.get(url + "?t=forged").status_code == 404
    other = factories.SittingFactory(meeting__assembly=assembly)
    assert client.get(url + "?t=" + screen_token(sitting=other)).status_code == 404
    assert client.get(url + "?t=" + screen_token(sitting=sitting)).status_code == 200


def test_a_closed_sitting_shows_no_door_code(client, sitting, staff):
    sitting_services.sitting_close(by=staff, sitting=sitting)
    body = client.get(_screen(sitting)).content.decode()
    assert "data-checkin-qr" not in body
    url = reverse("votes:live_projector_checkin", args=[sitting.pk]) + "?t=" + screen_token(sitting=sitting)
    assert client.get(url).status_code == 404
