"""The invoicing basis of a budget (issue 11, item 6): the municipalities' share, split among the 49 by population and
each municipality's year into its invoicing periods, exact to the öre; the yearly reconciliation; the invoicing plan's
service.

- The share is `documents.budget.table(...).total.municipalities`, the one split of a budget; never re-added here.
- The population year is the invoicing plan's `population_year` when set ("valt"), else
  `governance.population.latest_complete_year(before=plan.year)` ("senaste året med folkmängd för alla 49"). A year
  that lacks a figure for some municipality is refused, naming which.
- The share is split among the municipalities by `money.largest_remainder` over their populations (ties to the lower
  municipality code: the keys are the four-digit codes, ordered as numbers), then each municipality's year over the
  periods by `money.split_periods` (the remainder öre to the earliest periods). So every amount is whole öre and the
  rows add up to the share exactly.
- Timing (in advance / in arrears) changes only the invoice date of a period (advance: its first day; arrears: the
  day after it ends), never the amounts.
- One counterparty (e.g. VästKom): one row per period for that organisation with the whole share; no population.
- The reconciliation compares what each municipality was invoiced (the basis by the year used) with its share by the
  final figures: the budget year's own population (31 December of the budget year, SCB publishes it the following
  spring). The differences add up to 0 exactly, since both splits add up to the share.

`split_share` is pure (no database) and is what the property-based tests exercise; `basis` and `reconciliation`
read the database in a fixed number of queries, however many years of population figures there are.
"""

import csv
import datetime
import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import audit
from core.audit import lock as _lock
from governance import population
from governance.models import Organisation, PopulationFigure
from governance.permissions import require as _require

from . import budget as budget_table
from . import money, rules
from .models import Budget, BudgetLine, InvoicingPlan, ManagementPlan

ZERO = Decimal("0.00")
SOURCE_LATEST = _("senaste året med folkmängd för alla 49")
SOURCE_CHOSEN = _("valt")
CSV_HEADER = ["kommunkod", "kommun", "period", "belopp"]
SHEET_TITLE = "Faktureringsunderlag"
# Excel's format codes are locale-independent: "#,##0.00" is shown as 12 345,67 in a Swedish Excel.
XLSX_AMOUNT_FORMAT = "#,##0.00"

NO_BUDGET_LINES = _(
    "Budgeten har inga rader ännu. Lägg till budgetraderna först; sedan kan faktureringen planeras och underlaget tas fram."
)
NO_COMPLETE_YEAR = _(
    "Det finns ingen folkmängd för alla %(n)d kommuner för något år före %(y)d. Importera folkmängden på "
    "/folkmangd/importera/ (SCB:s statistikdatabas) och försök igen."
)
YEAR_INCOMPLETE = _(
    "Folkmängden för %(y)d saknas för %(missing)s. Importera folkmängden för %(y)d på /folkmangd/importera/ eller "
    "välj ett annat år."
)
NO_MUNICIPALITIES = _("Det finns inga kommuner med kommunkod att fakturera. Be administratören lägga in kommunerna.")
SINGLE_NEEDS_ORGANISATION = _("Välj vilken organisation som faktureras, t.ex. VästKom.")
ORGANISATION_ONLY_FOR_SINGLE = _(
    "Välj organisation bara när en motpart faktureras. Töm fältet eller välj ”En motpart”."
)
ORGANISATION_IS_MUNICIPALITY = _(
    "%(o)s är en av kommunerna. Välj ”Varje kommun efter folkmängd” eller en annan organisation, t.ex. VästKom."
)
PERIOD_NOT_IN_PLAN = _("Perioden %(p)s finns inte i faktureringsplanen (%(f)s). Välj en av %(first)s … %(last)s.")
SINGLE_NO_RECONCILIATION = _(
    "%(o)s faktureras hela kommunernas andel, så det finns ingen avstämning per kommun. Ändra faktureringsplanen "
    "till ”Varje kommun efter folkmängd” för att stämma av per kommun."
)
FINAL_MISSING = _(
    "Den slutliga folkmängden för %(y)d är inte inläst för alla kommuner än (saknas för %(missing)s). Importera den på "
    "/folkmangd/importera/ när SCB har publicerat den."
)


class InvoicingError(ValueError):
    """A basis that cannot be made; `message` is the Swedish text that says what to do."""

    def __init__(self, message: object) -> None:
        self.message = str(message)
        super().__init__(self.message)


# --- pure computation ---------------------------------------------------------------------------------------------


def _code_order(code: str) -> tuple[int, str]:
    """Municipality codes in numeric order (all four digits, so also their string order)."""
    return (int(code), code) if code.isdigit() else (10**9, code)


def split_share(
    share: Decimal, populations: Mapping[str, int], periods: Sequence[str]
) -> dict[str, dict[str, Decimal]]:
    """`share` split among the municipalities (code → population) by the largest-remainder method, ties to the lower
    code, then each municipality's year over `periods` (the remainder öre to the earliest). Ordered by code, then
    period; adds up to `share` exactly."""
    yearly = money.largest_remainder(share, dict(populations), tie_order=_code_order)
    return {code: money.split_periods(amount, periods) for code, amount in yearly.items()}


def period_start(label: str) -> datetime.date:
    """The first day of a period: "2024-03" → 2024-03-01, "2024-Q2" → 2024-04-01, "2024-H2" → 2024-07-01."""
    frequency = money.period_frequency(label)
    year, rest = int(label[:4]), label[5:]
    month = {
        "monthly": lambda: int(rest),
        "quarterly": lambda: 3 * int(rest[1]) - 2,
        "half_yearly": lambda: 6 * int(rest[1]) - 5,
    }[frequency]()
    return datetime.date(year, month, 1)


def period_after(label: str) -> datetime.date:
    """The day after a period ends (the first day of the next one)."""
    months = {"monthly": 1, "quarterly": 3, "half_yearly": 6}[money.period_frequency(label)]
    start = period_start(label)
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@functools.cache
def invoice_date(label: str, timing: str) -> datetime.date:
    """When a period is invoiced: in advance its first day, in arrears the day after it ends (one reckoning per period
    and timing: the 49 municipalities' rows share them)."""
    return period_after(label) if timing == InvoicingPlan.Timing.ARREARS else period_start(label)


# --- the basis ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    kommunkod: str
    kommun: str
    period: str
    belopp: Decimal
    fakturadatum: datetime.date


@dataclass
class Line:
    """One counterparty's row of the table: its amount per period and its year."""

    kommunkod: str
    kommun: str
    amounts: list[Decimal]
    total: Decimal
    population: int | None = None
    shown: list[tuple[str, str]] = field(default_factory=list)  # (period, amount as shown)
    shown_total: str = ""


@dataclass
class Basis:
    plan: ManagementPlan
    invoicing: InvoicingPlan  # the saved plan, or the default (not saved)
    share: Decimal
    periods: list[str]
    rows: list[Row]
    totals: dict[str, Decimal]  # kommunkod → the year's total
    population_year: int | None
    population_source: str
    names: dict[str, str] = field(default_factory=dict)
    populations: dict[str, int] = field(default_factory=dict)
    budget: Budget | None = None

    @property
    def grand_total(self) -> Decimal:
        return sum((r.belopp for r in self.rows), ZERO)

    @property
    def invoice_dates(self) -> list[tuple[str, datetime.date]]:
        return [(p, invoice_date(p, self.invoicing.timing)) for p in self.periods]

    def lines(self) -> list[Line]:
        """The table municipality × periods, each figure also as shown."""
        by_code: dict[str, dict[str, Decimal]] = {}
        for row in self.rows:
            by_code.setdefault(row.kommunkod, {})[row.period] = row.belopp
        ore = money.has_ore(r.belopp for r in self.rows) or money.has_ore(self.totals.values()) or None
        result = []
        for code, amounts in by_code.items():
            values = [amounts.get(p, ZERO) for p in self.periods]
            total = self.totals[code]
            result.append(
                Line(
                    code,
                    self.names.get(code, code),
                    values,
                    total,
                    self.populations.get(code),
                    [(p, money.format_amount(v, ore=ore)) for p, v in zip(self.periods, values, strict=True)],
                    money.format_amount(total, ore=ore),
                )
            )
        return result

    def period_sums(self) -> list[tuple[str, str]]:
        ore = money.has_ore(r.belopp for r in self.rows) or None
        sums = {p: ZERO for p in self.periods}
        for row in self.rows:
            sums[row.period] += row.belopp
        return [(p, money.format_amount(sums[p], ore=ore)) for p in self.periods]

    @property
    def population_total(self) -> int:
        return sum(self.populations.values())

    @property
    def shown_share(self) -> str:
        return money.format_amount(self.share)


def invoicing_of(budget: Budget | None) -> InvoicingPlan:
    """The budget's invoicing plan, or the default one (seed 003: each municipality, monthly, in advance), unsaved."""
    found = getattr(budget, "invoicing", None) if budget is not None and budget.pk else None
    if found is not None:
        return found
    return InvoicingPlan(
        budget=budget,
        counterparty=InvoicingPlan.Counterparty.MUNICIPALITIES,
        frequency=InvoicingPlan.Frequency.MONTHLY,
        timing=InvoicingPlan.Timing.ADVANCE,
    )


def budget_of(plan: ManagementPlan) -> Budget | None:
    """The plan's budget with its invoicing plan and its decision (for rules.budget_edit_check), in one query."""
    related = ("invoicing__organisation", "decision__item__meeting", "decision__body")
    return Budget.objects.filter(plan=plan).select_related(*related).first()


def _missing_names(known: Mapping[str, Organisation], have: set[str]) -> str:
    missing = sorted((c for c in known if c not in have), key=_code_order)
    return ", ".join(f"{known[c].name} ({c})" for c in missing)


def figures(year: int, known: Mapping[str, Organisation]) -> dict[str, int]:
    """The year's population per municipality code (one query); an InvoicingError naming the municipalities that lack
    a figure."""
    rows = PopulationFigure.objects.filter(year=year, organisation__code__in=list(known)).values_list(
        "organisation__code", "population"
    )
    found = dict(rows)
    if set(known) - set(found):
        raise InvoicingError(YEAR_INCOMPLETE % {"y": year, "missing": _missing_names(known, set(found))})
    return found


def share_of(budget: Budget | None, lines: list[BudgetLine] | None = None) -> Decimal:
    """The municipalities' share of the budget: the budget table's total (never re-added). InvoicingError without
    lines."""
    if budget is None:
        raise InvoicingError(NO_BUDGET_LINES)
    table = budget_table.table(budget, lines)
    if table.is_empty:
        raise InvoicingError(NO_BUDGET_LINES)
    return table.total.municipalities


def population_year_for(plan: ManagementPlan, invoicing: InvoicingPlan, override: int | None = None) -> tuple[int, str]:
    """The population year the basis uses and why: `override` (the command's --population-year) or the plan's
    choice ("valt"), else the latest complete year before the budget year."""
    chosen = override if override is not None else invoicing.population_year
    if chosen is not None:
        return chosen, str(SOURCE_CHOSEN)
    latest = population.latest_complete_year(before=plan.year)
    if latest is None:
        n = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(code="").count()
        raise InvoicingError(NO_COMPLETE_YEAR % {"n": n, "y": plan.year})
    return latest, str(SOURCE_LATEST)


def basis(plan: ManagementPlan, *, population_year: int | None = None) -> Basis:
    """The plan's invoicing basis. An InvoicingError (Swedish, saying what to do) when the budget has no lines, or
    there is no population year with figures for every municipality."""
    budget = budget_of(plan)
    share = share_of(budget)
    invoicing = invoicing_of(budget)
    periods = money.period_labels(plan.year, invoicing.frequency)  # type: ignore[arg-type]
    if invoicing.counterparty == InvoicingPlan.Counterparty.SINGLE and invoicing.organisation is not None:
        org = invoicing.organisation
        code = org.code or org.org_number or str(org.pk)
        amounts = money.split_periods(share, periods)
        rows = [Row(code, org.name, p, amounts[p], invoice_date(p, invoicing.timing)) for p in periods]
        return Basis(plan, invoicing, share, periods, rows, {code: share}, None, "", {code: org.name}, budget=budget)
    year, source = population_year_for(plan, invoicing, population_year)
    known = population.municipalities()
    if not known:
        raise InvoicingError(NO_MUNICIPALITIES)
    pops = figures(year, known)
    split = split_share(share, pops, periods)
    rows = [
        Row(code, known[code].name, p, amount, invoice_date(p, invoicing.timing))
        for code, by_period in split.items()
        for p, amount in by_period.items()
    ]
    totals = {code: sum(by_period.values(), ZERO) for code, by_period in split.items()}
    names = {code: known[code].name for code in split}
    return Basis(plan, invoicing, share, periods, rows, totals, year, source, names, pops, budget)


def only_period(result: Basis, period: str) -> list[Row]:
    """The rows of one period (the command's --period); an InvoicingError when the plan has no such period."""
    money.period_frequency(period)  # a MoneyError for a label that is no period
    if period not in result.periods:
        raise InvoicingError(
            PERIOD_NOT_IN_PLAN
            % {
                "p": period,
                "f": result.invoicing.get_frequency_display().lower(),
                "first": result.periods[0],
                "last": result.periods[-1],
            }
        )
    return [r for r in result.rows if r.period == period]


# --- files --------------------------------------------------------------------------------------------------------


def sorted_rows(rows: Sequence[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (_code_order(r.kommunkod), r.period))


def to_csv(rows: Sequence[Row]) -> str:
    """UTF-8 text, ';'-separated, decimal comma, no thousands separator: kommunkod;kommun;period;belopp."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in sorted_rows(rows):
        writer.writerow([r.kommunkod, r.kommun, r.period, money.format_plain(r.belopp)])
    return out.getvalue()


def to_xlsx(rows: Sequence[Row], *, title: str = "") -> bytes:
    """An Excel workbook, sheet "Faktureringsunderlag": the same columns as the CSV, amounts as numbers with the
    format "#,##0.00" (Excel shows it with Swedish separators in a Swedish locale), kommunkod as text, then a sum row
    whose amount is the exact sum written as a number, with a SUM formula beside it as a check."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)  # streamed rows: several times faster for 588 rows than the cell-by-cell API
    sheet = book.create_sheet(SHEET_TITLE)
    bold = Font(bold=True)

    def cell(value, *, number_format=None, font=None):
        c = WriteOnlyCell(sheet, value=value)
        if number_format:
            c.number_format = number_format
        if font:
            c.font = font
        return c

    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["D"].width = 16
    sheet.column_dimensions["E"].width = 18
    sheet.append([cell(h, font=bold) for h in CSV_HEADER] + [cell("kontroll (formel)", font=bold)])
    ordered = sorted_rows(rows)
    for r in ordered:
        sheet.append(
            [
                cell(r.kommunkod, number_format="@"),
                r.kommun,
                r.period,
                cell(float(r.belopp), number_format=XLSX_AMOUNT_FORMAT),
            ]
        )
    last = len(ordered) + 1
    total = sum((r.belopp for r in ordered), ZERO)
    sheet.append(
        [
            "",
            cell("Summa", font=bold),
            "",
            cell(float(total), number_format=XLSX_AMOUNT_FORMAT, font=bold),
            cell(f"=SUM(D2:D{last})", number_format=XLSX_AMOUNT_FORMAT, font=bold),
        ]
    )
    if title:
        book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(plan: ManagementPlan, ext: str) -> str:
    return f"faktureringsunderlag-{plan.managed_object.slug}-{plan.year}.{ext}"


# --- the reconciliation -------------------------------------------------------------------------------------------


@dataclass
class Settlement:
    kommunkod: str
    kommun: str
    invoiced: Decimal
    final: Decimal

    @property
    def difference(self) -> Decimal:
        """What is left to settle: positive, the municipality pays more; negative, it is credited."""
        return self.final - self.invoiced

    @property
    def shown(self) -> dict[str, str]:
        return {
            "invoiced": money.format_amount(self.invoiced, ore=True),
            "final": money.format_amount(self.final, ore=True),
            "difference": money.format_amount(self.difference, ore=True),
        }


@dataclass
class Reconciliation:
    basis: Basis
    final_year: int
    rows: list[Settlement]

    @property
    def total_difference(self) -> Decimal:
        return sum((r.difference for r in self.rows), ZERO)

    @property
    def shown_totals(self) -> dict[str, str]:
        return {
            "invoiced": money.format_amount(sum((r.invoiced for r in self.rows), ZERO), ore=True),
            "final": money.format_amount(sum((r.final for r in self.rows), ZERO), ore=True),
            "difference": money.format_amount(self.total_difference, ore=True),
        }


def reconciliation(plan: ManagementPlan) -> Reconciliation:
    """What each municipality was invoiced (the basis) against its share by the final population figures (the budget
    year's own), and the difference to settle. InvoicingError when the basis cannot be made or the final figures are
    not imported yet."""
    result = basis(plan)
    if result.invoicing.counterparty == InvoicingPlan.Counterparty.SINGLE:
        organisation = result.invoicing.organisation
        raise InvoicingError(SINGLE_NO_RECONCILIATION % {"o": organisation.name if organisation else ""})
    known = population.municipalities()
    try:
        final_pops = figures(plan.year, known)
    except InvoicingError:
        have = set(
            PopulationFigure.objects.filter(year=plan.year, organisation__code__in=list(known)).values_list(
                "organisation__code", flat=True
            )
        )
        raise InvoicingError(FINAL_MISSING % {"y": plan.year, "missing": _missing_names(known, have)}) from None
    final = money.largest_remainder(result.share, final_pops, tie_order=_code_order)
    rows = [Settlement(code, known[code].name, result.totals.get(code, ZERO), final[code]) for code in final]
    return Reconciliation(result, plan.year, rows)


# --- the service --------------------------------------------------------------------------------------------------


def invoicing_plan_errors(
    *, counterparty: str, organisation: Organisation | None, population_year: int | None
) -> dict[str, list[str]]:
    """The invoicing plan's own rules, per field."""
    errors: dict[str, list[str]] = {}
    if counterparty == InvoicingPlan.Counterparty.SINGLE:
        if organisation is None:
            errors["organisation"] = [str(SINGLE_NEEDS_ORGANISATION)]
        elif organisation.kind == Organisation.Kind.MUNICIPALITY:
            errors["organisation"] = [ORGANISATION_IS_MUNICIPALITY % {"o": organisation.name}]
    elif organisation is not None:
        errors["organisation"] = [str(ORGANISATION_ONLY_FOR_SINGLE)]
    if population_year is not None and counterparty != InvoicingPlan.Counterparty.SINGLE:
        try:
            figures(population_year, population.municipalities())
        except InvoicingError as error:
            errors["population_year"] = [error.message]
    return errors


@transaction.atomic
def invoicing_plan_save(
    *,
    actor,
    plan: ManagementPlan,
    counterparty: str,
    organisation: Organisation | None = None,
    frequency: str,
    timing: str,
    population_year: int | None = None,
) -> InvoicingPlan:
    """Save the budget's invoicing plan while the budget may be written (rules.budget_edit_check): the plan editable
    and the budget not decided. The budget must have lines."""
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)
    budget = Budget.objects.filter(plan=plan).select_related("decision__item__meeting", "decision__body").first()
    refuse = rules.budget_edit_check(actor, plan, budget)
    if refuse:
        raise ValidationError(refuse)
    if budget is None or not budget.lines.exists():
        raise ValidationError(str(NO_BUDGET_LINES))
    if errors := invoicing_plan_errors(
        counterparty=counterparty, organisation=organisation, population_year=population_year
    ):
        raise ValidationError(errors)
    invoicing = InvoicingPlan.objects.filter(budget=budget).first() or InvoicingPlan(budget=budget)
    invoicing.counterparty = counterparty
    invoicing.organisation = organisation
    invoicing.frequency = frequency
    invoicing.timing = timing
    invoicing.population_year = population_year
    invoicing.full_clean(exclude=["budget"])
    audit.save(invoicing, actor=actor, reason=str(_("Faktureringsplan sparad")))
    return invoicing
