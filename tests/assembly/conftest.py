import pytest


@pytest.fixture(autouse=True)
def _french(settings):
    settings.LANGUAGE_CODE = "fr"
    settings.SITE_URL = "https://agora.example.org"
