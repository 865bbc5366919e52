"""The one rule-check helper of the services (core.services), shared by the apps."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

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


def test_every_app_s_services_use_the_one_rule_check_and_text_cleaner():
    modules = [
        *(
            importlib.import_module(f"assembly.services.{name}")
            for name in ("mandates", "invitations", "erasure", "profile")
        ),
        *(
            importlib.import_module(f"recommendations.services.{name}")
            for name in ("recommendations", "dossiers", "answers")
        ),
        *(
            importlib.import_module(f"proposals.services.{name}")
            for name in ("writing", "lifecycle", "cosignatures", "conversation", "moderation", "attachments")
        ),
    ]
    for module in modules:
        assert module.require is require, f"{module.__name__} keeps its own rule check"
        if hasattr(module, "clean_text"):
            assert module.clean_text is clean_text, f"{module.__name__} keeps its own text cleaner"


def test_a_proposal_status_change_by_nobody_is_refused_unless_it_is_the_system_recording_a_verdict():
    """`require` refuses None; only the verdict path names the system (None) as its actor, explicitly."""
    import proposals.services as proposal_services

    proposal = factories.ProposalFactory(status="put_to_vote")
    with pytest.raises(PermissionDenied):
        require(None, "proposals.change_status", proposal)
    assert proposal_services.proposal_record_verdict(by=None, proposal=proposal, adopted=True).status == "adopted"


def test_clean_text_refuses_too_long_text_on_its_field_in_french():
    with translation.override("fr"), pytest.raises(ValidationFailed) as error:
        clean_text("x" * 11, field="reason", max_length=10)
    assert error.value.field == "reason"
    with translation.override("fr"):
        assert "trop long" in str(error.value.message)
    assert clean_text("  ok  ", field="reason", max_length=10) == "ok"
