"""Email each person registered to tomorrow's meetings, once (safe to run several times a day)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from meetings.services.calendar import reminders_send


class Command(BaseCommand):
    help = "Send the day-before reminder of meetings to the people registered (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", type=dt.date.fromisoformat, default=None, help="Act as if today were DAY.")

    def handle(self, *args, day: dt.date | None = None, **options) -> None:
        sent = reminders_send(day=day)
        self.stdout.write(f"{sent} reminder(s) sent.")
