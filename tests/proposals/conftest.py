import pytest
from django.test import Client

from tests import factories
from tests.shared.people import signed_in


@pytest.fixture
def theme(db):
    return factories.ThemeFactory(name="Mobilités et transports")


@pytest.fixture
def other_member(assembly):
    return factories.MandateFactory(assembly=assembly).user


@pytest.fixture
def other_member_client(other_member) -> Client:
    return signed_in(other_member)


@pytest.fixture
def proposal(member, assembly, theme):
    """A published proposal written by `member` (in the territory of their mandate)."""
    return factories.ProposalFactory(assembly=assembly, author=member, themes=[theme])


@pytest.fixture
def others_proposal(other_member, assembly, theme):
    """A published proposal written by `other_member`."""
    return factories.ProposalFactory(assembly=assembly, author=other_member, themes=[theme])
