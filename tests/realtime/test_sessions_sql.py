"""realtime/sessions_sql.py's statements answer what the ORM answers, on random sessions (live,
expired, unknown) and users (active or not), on the suite's database."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from assembly.models import User
from realtime.sessions_sql import live_session_data, session_and_password
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_session_statements_answer_as_the_orm(seed):
    rng = random.Random(seed)
    now = timezone.now()
    people = [factories.UserFactory(is_active=rng.random() < 0.7) for _ in range(5)]
    keys = []
    for i in range(12):
        key = f"k{seed}x{i:02d}" + "a" * 20
        expire = now + dt.timedelta(minutes=rng.choice([-60, -1, 1, 60]))
        Session.objects.create(session_key=key, session_data=f"data-{i}", expire_date=expire)
        keys.append(key)
    keys.append("unknown" + "b" * 25)
    for key in keys:
        live = Session.objects.filter(session_key=key, expire_date__gt=timezone.now())
        expected = live.values_list("session_data", flat=True).first()
        assert live_session_data(Session, key) == expected
        for person in people:
            password = User.objects.filter(pk=person.pk, is_active=True).values_list("password", flat=True).first()
            both = None if expected is None or password is None else (expected, password)
            assert session_and_password(Session, key, person.pk) == both
        assert session_and_password(Session, key, 10**9) is None
