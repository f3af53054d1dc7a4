"""Daily job: remind the representatives of subregions that have not answered an open review round near its deadline.

Run it once a day (cron, systemd timer). The rule (which rounds, whom, once a day) is reviews.round_send_reminders;
e-mail goes through the configured mailer (the console in development, SMTP in production).
"""

from django.core.management.base import BaseCommand

from documents import reviews


class Command(BaseCommand):
    help = "Skicka påminnelser om remisser vars sista svarsdag närmar sig till delregioner som inte har svarat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=3,
            help="Påminn när sista svarsdag är inom så här många dagar (standard 3).",
        )

    def handle(self, *args, days_before, **options):
        sent = reviews.round_send_reminders(days_before=days_before)
        self.stdout.write("Skickade 1 påminnelse." if sent == 1 else f"Skickade {sent} påminnelser.")
