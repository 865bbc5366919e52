"""Shared email helpers: absolute links, and sending after commit that never breaks the request."""

import logging

import pytest
from django.db import transaction
from django.test import TestCase

from core.emails import absolute_url, send_after_commit


def test_absolute_url_from_a_name_or_a_path(settings):
    settings.SITE_URL = "https://agora.example/"
    assert absolute_url("proposals:detail", 7) == "https://agora.example/propositions/7/"
    assert absolute_url("/aide/") == "https://agora.example/aide/"


@pytest.mark.django_db
def test_a_failing_send_after_commit_is_logged_not_raised(caplog):
    def send():
        raise OSError("mail server down")

    capture = TestCase.captureOnCommitCallbacks(execute=True)
    with caplog.at_level(logging.ERROR, logger="agora.emails"), capture, transaction.atomic():
        send_after_commit(send, what="test email")
    assert "Email not sent: test email" in caplog.text
