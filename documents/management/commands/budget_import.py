"""Replace the budget of a year's management plan with the lines of a spreadsheet (.xlsx or CSV), as the import page
does (documents.budget_import):

    manage.py budget_import FILE --plan-year 2024 [--managed-object shvo] [--create-plan] [--user USERNAME]
                                 [--dry-run]

The plan must be a draft or on review and its budget not decided (rules.budget_edit_check, asked for the user);
otherwise nothing is written and the exit code is 1 with the reason. A line whose figures match no allocation key is
imported with its own share when money.split reproduces its figures exactly (and printed as such); otherwise it is
refused with its line named. With --create-plan the plan is created (documents.services.plan_create) when there is
none. The history records --user; by default the first active coordinator by username (the demo's "samordnare").
Prints every line and the totals (Budget, Kommun, VGR) the Swedish way; --dry-run writes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from documents import budget_import as importing
from documents import money, rules, services
from documents.models import ManagedObject, ManagementPlan
from governance import permissions


class Command(BaseCommand):
    help = "Ersätt budgeten i ett års förvaltningsplan med raderna i en .xlsx- eller CSV-fil."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Budgetfilen (.xlsx eller CSV med Benämning, Budget och Nyckel eller Kommun/VGR)."
        )
        parser.add_argument("--plan-year", type=int, required=True, help="Planens år, t.ex. 2024.")
        parser.add_argument(
            "--managed-object",
            default="",
            help="Förvaltningsobjektets kortadress (slug), t.ex. shvo. Behövs om det finns flera.",
        )
        parser.add_argument("--create-plan", action="store_true", help="Skapa planen om den inte finns.")
        parser.add_argument("--user", help="Kontot som står i historiken (standard: den första aktiva samordnaren).")
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle importeras, men spara inget.")

    def handle(self, *args, file, plan_year, managed_object, create_plan, user, dry_run, **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read(importing.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Filen {file} går inte att öppna ({error.strerror}). Kontrollera sökvägen.") from None
        managed = self._managed_object(managed_object)
        actor = self._actor(user)
        plan = ManagementPlan.objects.filter(managed_object=managed, year=plan_year).first()
        if plan is None and not create_plan:
            raise CommandError(
                f"Det finns ingen förvaltningsplan för {managed.short_name} {plan_year}. Skapa den med --create-plan."
            )
        if plan is not None and (refusals := rules.budget_edit_check(actor, plan)):
            raise CommandError("Inget sparades: " + " ".join(refusals))
        preview = importing.parse(data, year=plan_year, filename=file)
        problems = preview.errors + importing.decide_as_own(preview)
        if problems:
            for problem in problems:
                self.stderr.write(f"Fel: {problem}")
            raise CommandError(f"Inget sparades: filen har {len(problems)} fel. Rätta filen och kör igen.")
        self._print(preview)
        if dry_run:
            self.stdout.write("Provkörning: inget sparades.")
            return
        try:
            with transaction.atomic():
                if plan is None:
                    plan = services.plan_create(actor=actor, managed_object=managed, year=plan_year)
                    self.stdout.write(f"Skapade förvaltningsplanen {managed.short_name} {plan_year}.")
                count = importing.budget_import(actor=actor, plan=plan, lines=importing.budget_lines(preview))
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(rules.NOT_ALLOWED)]
            raise CommandError("Inget sparades: " + " ".join(messages)) from None
        self.stdout.write(f"Budgeten för {managed.short_name} {plan_year} är ersatt med {count} rader.")

    def _print(self, preview: importing.Preview) -> None:
        for line in preview.lines:
            how = line.split_label + (" (härledd)" if line.inferred else "")
            heading = f"{line.heading} / " if line.heading else ""
            shown = line.shown
            self.stdout.write(
                f"  Rad {line.line}: {heading}{line.name}: {shown['amount']} = Kommun {shown['municipalities']} "
                f"+ VGR {shown['region']} · {how}"
            )
        totals = preview.totals
        self.stdout.write(
            f"{len(preview.lines)} rader. Totalt: Budget {money.format_amount(totals['amount'])}, "
            f"Kommun {money.format_amount(totals['municipalities'])}, VGR {money.format_amount(totals['region'])}."
        )

    def _managed_object(self, slug: str) -> ManagedObject:
        if slug:
            found = ManagedObject.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"Det finns inget förvaltningsobjekt {slug}. Ange kortadressen, t.ex. shvo.")
            return found
        objects = list(ManagedObject.objects.order_by("slug")[:2])
        if len(objects) != 1:
            raise CommandError("Ange förvaltningsobjektet med --managed-object, t.ex. --managed-object shvo.")
        return objects[0]

    def _actor(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"Det finns inget aktivt konto {username}. Ange ett annat med --user.")
            return actor
        for candidate in users.order_by("username"):
            if permissions.is_coordinator(candidate):
                return candidate
        raise CommandError("Det finns ingen aktiv samordnare. Ange kontot som importerar med --user.")
