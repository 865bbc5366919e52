"""Email staff the recommendations whose answer from the Region is overdue (run daily from cron)."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from recommendations.services import parse_date, reminders_send


class Command(BaseCommand):
    help = "Remind staff of overdue answers from the Region (each recommendation at most once a week)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Date to check against, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        try:
            today = parse_date(options.get("today"), field="today", required=False)
        except ValidationFailed as error:
            raise CommandError(str(error.message)) from None
        overdue = reminders_send(today=today)
        self.stdout.write(f"{len(overdue)} overdue answer(s) reminded.")
