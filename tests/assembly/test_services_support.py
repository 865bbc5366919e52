"""The one rule-check helper of the services (core.services), shared by the apps."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

import assembly.services
import recommendations.services
from core.errors import PermissionDenied, ValidationFailed
from core.services import clean_text, require
from tests import factories

pytestmark = pytest.mark.django_db


def test_require_refuses_nobody_anonymous_and_people_without_the_rule():
    member = factories.UserFactory()
    for user in (None, AnonymousUser(), member):
        with pytest.raises(PermissionDenied):
            require(user, "assembly.view_members")


def test_require_lets_a_holder_of_the_rule_through():
    require(factories.UserFactory(is_staff=True), "assembly.view_members")


def test_assembly_and_recommendations_services_use_the_shared_helper():
    for module in (assembly.services, recommendations.services):
        assert module.require is require
        assert not hasattr(module, "_require"), f"{module.__name__} keeps its own copy"


def test_clean_text_refuses_too_long_text_on_its_field_in_french():
    with translation.override("fr"), pytest.raises(ValidationFailed) as error:
        clean_text("x" * 11, field="reason", max_length=10)
    assert error.value.field == "reason"
    with translation.override("fr"):
        assert "trop long" in str(error.value.message)
    assert clean_text("  ok  ", field="reason", max_length=10) == "ok"
