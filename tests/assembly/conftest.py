import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """Throttle counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french(settings):
    settings.LANGUAGE_CODE = "fr"
    settings.SITE_URL = "https://agora.example.org"
