"""Create (or complete) the demo assembly and its content. Idempotent: a second run changes nothing.

Each domain app that has demo content provides `<app>/demo.py` with
`seed(*, stdout) -> None`, itself idempotent. They run in the order of INSTALLED_APPS, which
is the dependency order (assembly first), so a later app finds the earlier apps' data.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Create the demo assembly (départements, territories, members, partners, staff) and content."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            # The demo accounts (an admin among them) share one published password.
            raise CommandError("seed_demo: refused when AGORA_ENV=production")
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            # The demo's notifications (answers, invitations…) are kept, not printed or sent.
            # (The transaction commits, and its on-commit emails leave, inside the override.)
            locmem = "django.core.mail.backends.locmem.EmailBackend"
            with override_settings(EMAIL_BACKEND=locmem), transaction.atomic():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
