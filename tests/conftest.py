"""Fixtures shared by every test: people in each role, clients signed in as them, a sitting with members
in the room, and a mail server that is down."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import Meeting
from tests import factories
from tests.shared.people import signed_in

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


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def member_client(member) -> Client:
    return signed_in(member)


@pytest.fixture
def copresident_client(copresident) -> Client:
    return signed_in(copresident)


@pytest.fixture
def former_member_client(former_member) -> Client:
    return signed_in(former_member)


@pytest.fixture
def partner_client(partner) -> Client:
    return signed_in(partner)


@pytest.fixture
def staff_client(staff) -> Client:
    return signed_in(staff)


@pytest.fixture
def admin_client(admin_user) -> Client:
    return signed_in(admin_user)


@pytest.fixture
def sitting(assembly):
    """An open sitting of a meeting of the assembly."""
    return factories.SittingFactory(meeting__assembly=assembly)


@pytest.fixture
def present_members(assembly, sitting, staff):
    """Four members checked in: two elected (woman, man) and two citizens (woman, man)."""
    from assembly.models import College, Gender
    from meetings.services import attendance as attendance_services

    people = []
    for college in (College.ELECTED, College.CITIZEN):
        for gender in (Gender.WOMAN, Gender.MAN):
            user = factories.MandateFactory(assembly=assembly, college=college, gender=gender).user
            attendance_services.attendance_mark_present(by=staff, sitting=sitting, user=user)
            people.append(user)
    return people


@pytest.fixture
def mail_server_down(settings):
    """Every email fails: the mail server refuses the connection (sending happens after the commit)."""
    settings.EMAIL_BACKEND = "tests.shared.mail.FailingBackend"
