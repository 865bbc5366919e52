"""Fixtures shared by every test: people in each role, and clients signed in as them."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting
from tests import factories

# API rate limits are per address, and every test client is 127.0.0.1: lift them for the
# suite (server processes started by tests inherit this); test_api_throttling sets its own.
os.environ.setdefault("API_THROTTLE_ANON", "1000000/min")
os.environ.setdefault("API_THROTTLE_USER", "1000000/min")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached values do not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _scratch_media(settings, tmp_path_factory):
    """Uploaded files written by a test land in a scratch folder, never in the project's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def assembly(db):
    return factories.AssemblyFactory()


@pytest.fixture
def future_meeting(assembly):
    """A field meeting of ASSEMBLY in ten days (registrations open)."""
    return Meeting.objects.create(
        assembly=assembly,
        kind=Meeting.Kind.FIELD,
        title="Atelier territorial mobilités",
        date=timezone.localdate() + dt.timedelta(days=10),
        place="Salle des fêtes",
        address="1 place de la Mairie\n34150 Gignac",
    )


@pytest.fixture
def member(assembly):
    return factories.MandateFactory(assembly=assembly).user


@pytest.fixture
def copresident(assembly):
    return factories.MandateFactory(assembly=assembly, is_copresident=True).user


@pytest.fixture
def former_member(assembly):
    return factories.MandateFactory(assembly=assembly, ended=True).user


@pytest.fixture
def partner(assembly):
    return factories.PartnerRepresentativeFactory(organisation__assembly=assembly).user


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True)


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def member_client(member) -> Client:
    return _client_for(member)


@pytest.fixture
def copresident_client(copresident) -> Client:
    return _client_for(copresident)


@pytest.fixture
def former_member_client(former_member) -> Client:
    return _client_for(former_member)


@pytest.fixture
def partner_client(partner) -> Client:
    return _client_for(partner)


@pytest.fixture
def staff_client(staff) -> Client:
    return _client_for(staff)


@pytest.fixture
def admin_client(admin_user) -> Client:
    return _client_for(admin_user)
