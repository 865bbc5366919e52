"""The REST API limits request rates (DRF throttling), per address for anonymous callers."""

import pytest
from rest_framework.throttling import AnonRateThrottle


@pytest.fixture
def low_anonymous_rate(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})


def test_anonymous_callers_beyond_the_rate_get_429_with_the_error_shape(anonymous_client, db, low_anonymous_rate):
    statuses = [anonymous_client.get("/api/v1/proposals/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    body = anonymous_client.get("/api/v1/proposals/").json()
    assert body["error"]["code"] == "throttled"


def test_seed_demo_refuses_production(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
