"""Send the daily digest of proposal notifications (run once a day, e.g. from cron)."""

from django.core.management.base import BaseCommand

from proposals.services import send_digests


class Command(BaseCommand):
    help = "Email each person who chose the daily digest the notifications waiting for them."

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
