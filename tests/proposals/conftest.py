import pytest
from django.test import Client

from tests import factories


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def theme(db):
    return factories.ThemeFactory(name="Mobilités et transports")


@pytest.fixture
def other_member(assembly):
    return factories.MandateFactory(assembly=assembly).user


@pytest.fixture
def other_member_client(other_member) -> Client:
    client = Client()
    client.force_login(other_member)
    return client


@pytest.fixture
def proposal(member, assembly, theme):
    """A published proposal written by `member`."""
    return factories.ProposalFactory(
        assembly=assembly, author=member, territory=member.mandates.first().territory, themes=[theme]
    )


@pytest.fixture
def others_proposal(other_member, assembly, theme):
    """A published proposal written by `other_member`."""
    return factories.ProposalFactory(
        assembly=assembly, author=other_member, territory=other_member.mandates.first().territory, themes=[theme]
    )
