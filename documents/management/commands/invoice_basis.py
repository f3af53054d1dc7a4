"""The invoicing basis of a year's budget for the finance system (issue 11, item 6).

    manage.py invoice_basis --plan-year 2024 [--managed-object shvo] [--population-year 2023] [--period 2024-03]
                            [--format csv|xlsx] [--output FILE]

CSV (UTF-8, ';'-separated, decimal comma: kommunkod;kommun;period;belopp) to standard output unless --output names a
file; Excel needs --output. The population year used, and why, is written to standard error. Every refusal is a
CommandError in Swedish (exit code 1), and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents import invoicing, money
from documents.models import ManagementPlan


class Command(BaseCommand):
    help = "Skriv faktureringsunderlaget för ett års budget som CSV eller Excel (till ekonomisystemet)."

    def add_arguments(self, parser):
        parser.add_argument("--plan-year", type=int, required=True, help="Budgetåret, t.ex. 2024.")
        parser.add_argument("--managed-object", help="Förvaltningsobjektets kortnamn i adressen (slug), t.ex. shvo.")
        parser.add_argument(
            "--population-year", type=int, help="Folkmängd från detta år (standard: faktureringsplanens val)."
        )
        parser.add_argument("--period", help="Bara en period: 2024-03, 2024-Q1 eller 2024-H1.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="csv (standard) eller xlsx.")
        parser.add_argument("--output", help="Filen att skriva (standard för CSV: standard ut). Krävs för xlsx.")

    def handle(self, *args, plan_year, managed_object, population_year, period, format, output, **options):
        if format == "xlsx" and not output:
            raise CommandError("Excel skrivs till en fil: ange --output FIL.xlsx.")
        plan = self._plan(plan_year, managed_object)
        try:
            result = invoicing.basis(plan, population_year=population_year)
            rows = invoicing.only_period(result, period) if period else result.rows
        except (invoicing.InvoicingError, money.MoneyError) as error:
            raise CommandError(error.message) from None
        if result.population_year is not None:
            self.stderr.write(f"Folkmängd från {result.population_year} ({result.population_source}).")
        if format == "csv":
            text = invoicing.to_csv(rows)
            if output:
                self._write(output, text.encode("utf-8"))
            else:
                self.stdout.write(text, ending="")
        else:
            self._write(output, invoicing.to_xlsx(rows, title=f"Faktureringsunderlag {plan}"))
        if output:
            self.stderr.write(f"Skrev {len(rows)} rader till {output}.")

    def _plan(self, year: int, slug: str | None) -> ManagementPlan:
        plans = ManagementPlan.objects.filter(year=year).select_related("managed_object")
        if slug:
            plans = plans.filter(managed_object__slug=slug)
        found = list(plans)
        if not found:
            where = f" för {slug}" if slug else ""
            raise CommandError(f"Det finns ingen förvaltningsplan för {year}{where}. Kontrollera året.")
        if len(found) > 1:
            names = ", ".join(sorted(p.managed_object.slug for p in found))
            raise CommandError(f"Det finns flera planer för {year} ({names}). Välj en med --managed-object.")
        return found[0]

    def _write(self, output: str, data: bytes) -> None:
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(
                f"Filen {output} går inte att skriva ({error.strerror}). Kontrollera sökvägen."
            ) from None
