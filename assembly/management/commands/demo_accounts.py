"""Print the demo sign-ins made by `seed_demo` (development only)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from assembly.demo import DEMO_ACCOUNTS
from assembly.models import User


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            self.stderr.write("demo_accounts: not available when AGORA_ENV=production")
            return
        existing = set(User.objects.filter(email__in=[e for e, _ in DEMO_ACCOUNTS]).values_list("email", flat=True))
        self.stdout.write(f"Sign in at {settings.SITE_URL}{reverse('assembly:sign_in')}")
        for email, role in DEMO_ACCOUNTS:
            status = "" if email in existing else "  (missing: run `manage.py seed_demo`)"
            self.stdout.write(f"  {email:<26} {role}{status}")
        self.stdout.write(f"  password: {settings.AGORA_DEMO_PASSWORD}")
