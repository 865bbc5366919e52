"""Sending emails from services: absolute links, and sending only once the change is committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

logger = logging.getLogger("agora.emails")


def absolute_url(name: str, *args: Any, **kwargs: Any) -> str:
    """The absolute address of the URL named NAME (or of a path starting with "/"), from settings.SITE_URL.

    Every email builds its links here: they are opened from a mail app, far from the site.
    """
    path = name if name.startswith("/") else reverse(name, args=args or None, kwargs=kwargs or None)
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_after_commit(send: Callable[[], Any], *, what: str) -> None:
    """Run SEND (which sends emails) once the transaction commits; a failure is logged, never raised.

    The change is already committed when the mail server answers: an exception there would turn a
    successful request into a 500, and a retry would record the change twice.
    """

    def run() -> None:
        try:
            send()
        except Exception:
            logger.exception("Email not sent: %s", what)

    transaction.on_commit(run)
