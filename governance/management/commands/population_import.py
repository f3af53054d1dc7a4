"""Import population figures per municipality and year from a file: SCB's statistical-database CSV export ("1480
Göteborg" rows, one column per year) or plain kommunkod;år;folkmängd lines (governance.population reads both).

    manage.py population_import FILE [--dry-run] [--source TEXT] [--user USERNAME]

Prints what the import does (or would do, with --dry-run) and every error with its line and column; on an error
nothing is written and the exit code is 1. The history records the user (--user, by default the first active
administrator account).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance import population, services


class Command(BaseCommand):
    help = "Importera folkmängd per kommun och år från SCB:s CSV-export eller en fil med kommunkod;år;folkmängd."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Filen att läsa (CSV från SCB:s statistikdatabas eller kommunkod;år;folkmängd)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle sparas, men spara inget.")
        parser.add_argument("--source", default="SCB", help="Källan som sparas med varje folkmängd (standard SCB).")
        parser.add_argument("--user", help="Kontot som står i historiken (standard: portalens administratör).")

    def handle(self, *args, file, dry_run, source, user, **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read(population.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Filen {file} går inte att öppna ({error.strerror}). Kontrollera sökvägen.") from None
        result = population.preview(data)
        for warning in result.warnings:
            self.stdout.write(f"Obs: {warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"Fel: {error}")
            raise CommandError(f"Inget sparades: filen har {len(result.errors)} fel. Rätta filen och kör igen.")
        self.stdout.write(result.summary())
        for row in result.rows:
            if row.state != population.UNCHANGED:
                was = f" (var {row.previous})" if row.previous is not None else ""
                self.stdout.write(f"  {row.code} {row.name} {row.year}: {row.population}{was}")
        if dry_run:
            self.stdout.write("Provkörning: inget sparades.")
            return
        actor = self._actor(user)
        try:
            created, changed = services.population_import(actor=actor, rows=result.rows, source=source)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("Inget sparades: " + " ".join(messages)) from None
        self.stdout.write(f"Sparade {created} nya och {changed} ändrade folkmängder.")

    def _actor(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"Det finns inget aktivt konto {username}. Ange ett annat med --user.")
            return actor
        actor = users.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Det finns ingen administratör. Ange kontot som importerar med --user.")
        return actor
