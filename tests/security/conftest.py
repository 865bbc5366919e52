import pytest

from tests.security.world import World


@pytest.fixture
def world(db) -> World:
    """One person per role and, built when first asked for, the objects the routes point at."""
    return World()
