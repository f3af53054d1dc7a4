"""Follow-up of a plan's budget (issue 11 item 7): outcome (utfall) per line per quarter, forecast and deviation, the
chart beside the table, the import of outcome from CSV, and the quarterly report to the steering group, kept as issued.

The figures (`table`), exact to the öre:
- Budget: the line's amount. The groups (headings) are documents.budget.table's, never split again here.
- Utfall hittills: the sum of the line's BudgetOutcome rows (through `through`, when a report asks for a quarter).
- Prognos för året: the coordinator's BudgetLine.forecast when she entered one. Otherwise outcome to date plus the
  budget's share of the quarters still to come: `outcome + budget × (4 − elapsed) / 4`, rounded to the öre half away
  from zero (money's rounding). `elapsed` is ONE figure for the whole budget: the last quarter in which any line has
  outcome (a line without outcome in an elapsed quarter spent nothing then). No outcome at all: elapsed 0, the
  forecast is the budget.
- Avvikelse: budget − forecast; positive = under budget, negative = over budget.
- Each heading's sums and the total are sums of the rows' figures (never computed from summed amounts), so every
  column adds up.

Outcome may be negative: an accounting credit (a refund, a correction) can make a line's quarter negative.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import audit, store
from core.audit import lock as _lock
from core.pdf import html_to_pdf

from . import budget as budget_table
from . import money, rules
from .models import Budget, BudgetLine, BudgetOutcome, ManagementPlan, QuarterlyReport

QUARTERS = (1, 2, 3, 4)
ZERO = Decimal("0.00")

NO_BUDGET = _lazy("Planen har ingen budget att följa upp.")
UNKNOWN_LINE = _lazy("Raden finns inte i planens budget. Ladda om sidan och försök igen.")
BAD_QUARTER = _lazy("Kvartalet måste vara 1, 2, 3 eller 4.")
REPORT_ISSUED = _lazy("Kvartalsrapporten är redan utfärdad och kan inte ändras.")
REPORT_NOT_SAVED = _lazy("Spara rapportens utkast innan den utfärdas.")


# --- the figures -------------------------------------------------------------------------------


@dataclass
class Figures:
    """One row's (or heading's, or the total's) figures."""

    budget: Decimal = ZERO
    quarters: list[Decimal] = field(default_factory=lambda: [ZERO] * 4)
    outcome: Decimal = ZERO
    forecast: Decimal = ZERO
    deviation: Decimal = ZERO
    shown: dict = field(default_factory=dict)

    def add(self, other: "Figures") -> None:
        self.budget += other.budget
        self.quarters = [a + b for a, b in zip(self.quarters, other.quarters, strict=True)]
        self.outcome += other.outcome
        self.forecast += other.forecast
        self.deviation += other.deviation


@dataclass
class Row(Figures):
    line: BudgetLine | None = None
    has_quarter: list[bool] = field(default_factory=lambda: [False] * 4)
    forecast_entered: bool = False

    @property
    def name(self) -> str:
        return self.line.name if self.line is not None else ""


@dataclass
class Group:
    heading: str
    rows: list[Row] = field(default_factory=list)
    sums: Figures = field(default_factory=Figures)


@dataclass
class Table:
    groups: list[Group]
    total: Figures
    elapsed: int  # the last quarter with outcome on any line (0: none)
    through: int  # the last quarter counted (4, or the report's quarter)

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def has_outcome(self) -> bool:
        return self.elapsed > 0


def remaining_share(budget: Decimal, elapsed: int) -> Decimal:
    """The budget's share of the quarters after `elapsed`, to the öre (half away from zero)."""
    return (Decimal(budget) * (4 - elapsed) / 4).quantize(money.ORE, rounding=ROUND_HALF_UP)


def compute(lines: list[BudgetLine], outcomes: list[BudgetOutcome], *, through: int = 4) -> Table:
    """The follow-up table of `lines` (ordered) from their outcome rows: no query."""
    by_line: dict[int, dict[int, Decimal]] = {}
    for o in outcomes:
        if o.quarter <= through:
            by_line.setdefault(o.line_id, {})[o.quarter] = Decimal(o.amount)
    elapsed = max((q for quarters in by_line.values() for q in quarters), default=0)
    split = budget_table.table(None, lines)  # its groups; the split itself is not needed here
    groups: list[Group] = []
    total = Figures()
    for source in split.groups:
        group = Group(source.heading)
        for brow in source.rows:
            line = brow.line
            entered = by_line.get(line.pk, {})
            quarters = [entered.get(q, ZERO) for q in QUARTERS]
            outcome = sum(quarters, ZERO)
            if line.forecast is not None:
                forecast = Decimal(line.forecast)
            else:
                forecast = outcome + remaining_share(line.amount, elapsed)
            row = Row(
                budget=Decimal(line.amount),
                quarters=quarters,
                outcome=outcome,
                forecast=forecast,
                deviation=Decimal(line.amount) - forecast,
                line=line,
                has_quarter=[q in entered for q in QUARTERS],
                forecast_entered=line.forecast is not None,
            )
            group.rows.append(row)
            group.sums.add(row)
        total.add(group.sums)
        groups.append(group)
    _show([total, *(g.sums for g in groups), *(r for g in groups for r in g.rows)], elapsed)
    return Table(groups, total, elapsed, through)


def _show(items: list[Figures], elapsed: int) -> None:
    """Each figure as shown, with öre throughout when any has öre; a quarter after the last with outcome as "–"."""
    figures = [v for f in items for v in (f.budget, f.outcome, f.forecast, f.deviation, *f.quarters)]
    ore = money.has_ore(figures) or None
    for f in items:
        f.shown = {
            "budget": money.format_amount(f.budget, ore=ore),
            "outcome": money.format_amount(f.outcome, ore=ore),
            "forecast": money.format_amount(f.forecast, ore=ore),
            "deviation": money.format_amount(f.deviation, ore=ore),
            "quarters": [money.format_amount(q, ore=ore) if i < elapsed else "–" for i, q in enumerate(f.quarters)],
        }


def budget_of(plan: ManagementPlan) -> Budget | None:
    return Budget.objects.filter(plan=plan).first()


def table(budget: Budget | None, *, through: int = 4) -> Table:
    """The budget's follow-up table in two queries (its lines with their keys, their outcome rows), however many."""
    if budget is None:
        return compute([], [])
    lines = budget_table.lines_of(budget)
    outcomes = list(BudgetOutcome.objects.filter(line__budget=budget).only("line_id", "quarter", "amount"))
    return compute(lines, outcomes, through=through)


def deviation_word(amount: Decimal) -> str:
    if amount > 0:
        return _("under budget")
    if amount < 0:
        return _("över budget")
    return _("enligt budget")


def economy_summary(t: Table, quarter: int) -> str:
    """The report's prefilled "Ekonomi": the follow-up figures through `quarter`, in plain sentences."""
    total = t.total
    if t.is_empty:
        return _("Planen har ingen budget.")
    lines = [
        _("Utfall kvartal %(q)d: %(a)s.") % {"q": quarter, "a": money.format_amount(total.quarters[quarter - 1])},
        _("Utfall hittills (kvartal 1–%(q)d): %(o)s av budgeten %(b)s.")
        % {"q": quarter, "o": total.shown["outcome"], "b": total.shown["budget"]},
        _("Prognos för året: %(f)s, en avvikelse på %(d)s (%(w)s).")
        % {"f": total.shown["forecast"], "d": total.shown["deviation"], "w": deviation_word(total.deviation)},
    ]
    off = [r for r in t.rows if r.deviation != 0]
    if off:
        lines.append(_("Avvikelser per rad:"))
        lines += [f"– {r.name}: {r.shown['deviation']} ({deviation_word(r.deviation)})" for r in off]
    return "\n".join(lines)


# --- the chart ---------------------------------------------------------------------------------

CHART_WIDTH = 720
CHART_LABEL_X = 8
BAR_X = 8
BAR_MAX = 420
BAR_HEIGHT = 14
BAR_GAP = 4
NAME_HEIGHT = 20
LINE_GAP = 14
SERIES = (("budget", _lazy("Budget"), "bar-budget"), ("outcome", _lazy("Utfall hittills"), "bar-outcome"),
          ("forecast", _lazy("Prognos"), "bar-forecast"))  # fmt: skip


def chart(t: Table) -> dict:
    """The bar chart's geometry (budget, outcome to date and forecast per line), for the inline SVG: every bar
    carries its figure as text, and `desc` says the same in sentences. A negative figure draws no bar."""
    rows = t.rows
    top = max((max(r.budget, r.outcome, r.forecast) for r in rows), default=ZERO)
    scale = (Decimal(BAR_MAX) / top) if top > 0 else Decimal(0)
    y = 0
    items = []
    for r in rows:
        bars = []
        name_y = y + 14
        y += NAME_HEIGHT
        for key, label, css in SERIES:
            value = getattr(r, key)
            width = int((value * scale).to_integral_value(ROUND_HALF_UP)) if value > 0 else 0
            bars.append(
                {
                    "label": str(label),
                    "css": css,
                    "x": BAR_X,
                    "y": y,
                    "width": width,
                    "text_x": BAR_X + width + 6,
                    "text_y": y + BAR_HEIGHT - 3,
                    "shown": r.shown[key],
                }
            )
            y += BAR_HEIGHT + BAR_GAP
        items.append({"name": r.name, "name_y": name_y, "bars": bars})
        y += LINE_GAP
    desc = " ".join(
        _("%(n)s: budget %(b)s, utfall hittills %(o)s, prognos %(f)s.")
        % {
            "n": r.name,
            "b": r.shown["budget"],
            "o": r.shown["outcome"],
            "f": r.shown["forecast"],
        }
        for r in rows
    )
    return {"items": items, "width": CHART_WIDTH, "height": max(y, 1), "bar_height": BAR_HEIGHT, "desc": desc}


# --- entering outcome --------------------------------------------------------------------------


def _budget_for_write(actor, plan: ManagementPlan) -> Budget:
    """Inside the transaction: the right and the state (follow_up_check), the plan row locked, its budget."""
    _lock(plan)
    refusals = rules.follow_up_check(actor, plan)
    if refusals:
        raise ValidationError(refusals)
    b = budget_of(plan)
    if b is None:
        raise ValidationError(str(NO_BUDGET))
    return b


def _write_outcome(actor, lines: dict[int, BudgetLine], existing: dict, key: tuple[int, int], amount, reason: str):
    line_id, quarter = key
    row = existing.get(key)
    if amount is None:
        if row is not None:
            audit.delete(row, actor=actor, reason=reason)
        return
    if row is None:
        audit.create(BudgetOutcome, actor=actor, reason=reason, line=lines[line_id], quarter=quarter, amount=amount)
    elif Decimal(row.amount) != Decimal(amount):
        row.amount = amount
        audit.save(row, actor=actor, reason=reason)


def outcome_save(
    *,
    actor,
    plan: ManagementPlan,
    quarter: int,
    amounts: dict[int, Decimal | None],
    forecasts: dict[int, Decimal | None] | None = None,
) -> None:
    """One quarter's outcome per line (None: no outcome, a stored one is removed), and, when given, each line's
    forecast for the year (None: computed). Atomic; history through core.audit."""
    if quarter not in QUARTERS:
        raise ValidationError(str(BAD_QUARTER))
    with transaction.atomic():
        b = _budget_for_write(actor, plan)
        lines = {line.pk: line for line in b.lines.all()}
        if set(amounts) - set(lines) or set(forecasts or {}) - set(lines):
            raise ValidationError(str(UNKNOWN_LINE))
        existing = {(o.line_id, o.quarter): o for o in BudgetOutcome.objects.filter(line__budget=b, quarter=quarter)}
        reason = _("Utfall kvartal %(q)d") % {"q": quarter}
        for line_id, amount in amounts.items():
            _write_outcome(actor, lines, existing, (line_id, quarter), amount, reason)
        for line_id, forecast in (forecasts or {}).items():
            line = lines[line_id]
            if line.forecast != forecast:
                line.forecast = forecast
                audit.save(line, actor=actor, reason=_("Prognos för året"))


def outcome_import(*, actor, plan: ManagementPlan, entries: dict[tuple[int, int], Decimal]) -> int:
    """An imported file's outcome: (line id, quarter) → amount, all or nothing. Quarters the file does not name are
    left as they are. Returns how many figures were written."""
    with transaction.atomic():
        b = _budget_for_write(actor, plan)
        lines = {line.pk: line for line in b.lines.all()}
        if {line_id for line_id, _q in entries} - set(lines) or {q for _l, q in entries} - set(QUARTERS):
            raise ValidationError(str(UNKNOWN_LINE))
        existing = {(o.line_id, o.quarter): o for o in BudgetOutcome.objects.filter(line__budget=b)}
        reason = _("Utfall importerat från fil")
        for key, amount in entries.items():
            _write_outcome(actor, lines, existing, key, amount, reason)
        return len(entries)


# --- importing outcome from CSV ----------------------------------------------------------------

MAX_BYTES = 1_000_000
_QUARTER_HEADER = re.compile(r"^(?:q|kv|kvartal)\s*([1-4])$", re.I)


@dataclass
class Entry:
    row: int  # the file's line number
    line: BudgetLine
    quarter: int
    amount: Decimal
    previous: Decimal | None = None

    @property
    def shown(self) -> str:
        return money.format_amount(self.amount)

    @property
    def previous_shown(self) -> str:
        return money.format_amount(self.previous) if self.previous is not None else ""


@dataclass
class Preview:
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.entries)

    def as_entries(self) -> dict[tuple[int, int], Decimal]:
        return {(e.line.pk, e.quarter): e.amount for e in self.entries}


def decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _quarter_of(value: str) -> int | None:
    text = value.strip()
    if text in ("1", "2", "3", "4"):
        return int(text)
    m = _QUARTER_HEADER.match(text) or re.match(r"^\d{4}-q([1-4])$", text, re.I)
    return int(m.group(1)) if m else None


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def preview_text(text: str, budget: Budget | None) -> Preview:
    """Read an outcome file against the budget's lines: every figure, and every error with its line and column.
    Columns: Benämning;Kvartal;Utfall, or Benämning and one column per quarter (Q1..Q4 or "Kvartal 1".."Kvartal 4")."""
    result = Preview()
    if budget is None:
        result.errors.append(str(NO_BUDGET))
        return result
    lines = list(budget.lines.order_by("position", "id"))
    by_name: dict[str, list[BudgetLine]] = {}
    for line in lines:
        by_name.setdefault(_norm(line.name), []).append(line)
    stored = {(o.line_id, o.quarter): Decimal(o.amount) for o in BudgetOutcome.objects.filter(line__budget=budget)}
    delimiter = ";" if ";" in text.split("\n", 1)[0] else "\t"
    rows = [
        (n, r)
        for n, r in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        if any(c.strip() for c in r)
    ]
    if not rows:
        result.errors.append(_("Filen är tom. Den ska ha rubrikerna Benämning;Kvartal;Utfall."))
        return result
    header_line, header = rows[0]
    names = [h.strip() for h in header]
    lowered = [h.casefold() for h in names]
    if "benämning" not in lowered:
        result.errors.append(
            _("Rad %(r)d: kolumnen Benämning saknas. Rubrikerna ska vara Benämning;Kvartal;Utfall eller Benämning och "
              "Q1–Q4.") % {"r": header_line}
        )  # fmt: skip
        return result
    name_col = lowered.index("benämning")
    # The long form (Benämning;Kvartal;Utfall) reads its two columns; the wide form one column per quarter.
    long = "kvartal" in lowered and "utfall" in lowered
    q_col, a_col = (lowered.index("kvartal"), lowered.index("utfall")) if long else (-1, -1)
    columns: list[tuple[int, int, str]] = []
    if not long:
        columns = [(i, q, names[i]) for i, h in enumerate(names) if (q := _quarter_of(h)) is not None]
        if not columns:
            result.errors.append(
                _("Rad %(r)d: kolumnerna Kvartal och Utfall, eller en kolumn per kvartal (Q1–Q4), saknas.")
                % {"r": header_line}
            )
            return result
    seen: dict[tuple[int, int], int] = {}

    def cell(row: list[str], index: int) -> str:
        return row[index].strip() if index < len(row) else ""

    for number, row in rows[1:]:
        name = cell(row, name_col)
        matches = by_name.get(_norm(name), [])
        if not name:
            result.errors.append(_("Rad %(r)d, kolumn Benämning: raden saknar benämning.") % {"r": number})
            continue
        if not matches:
            result.errors.append(
                _("Rad %(r)d, kolumn Benämning: budgetraden ”%(n)s” finns inte i budgeten.") % {"r": number, "n": name}
            )
            continue
        if len(matches) > 1:
            result.errors.append(
                _("Rad %(r)d, kolumn Benämning: budgeten har flera rader som heter ”%(n)s”; registrera dem i "
                  "formuläret.") % {"r": number, "n": name}
            )  # fmt: skip
            continue
        line = matches[0]
        cells: list[tuple[int, str, str]]
        if long:
            quarter = _quarter_of(cell(row, q_col))
            if quarter is None:
                result.errors.append(
                    _("Rad %(r)d, kolumn Kvartal: skriv kvartalet som 1, 2, 3 eller 4 (”%(v)s”).")
                    % {"r": number, "v": cell(row, q_col)}
                )
                continue
            cells = [(quarter, cell(row, a_col), "Utfall")]
        else:
            cells = [(q, cell(row, i), label) for i, q, label in columns if cell(row, i)]
        for quarter, value, label in cells:
            try:
                amount = money.parse_amount(value, allow_negative=True)
            except money.AmountError as error:
                result.errors.append(
                    _("Rad %(r)d, kolumn %(c)s: %(m)s") % {"r": number, "c": label, "m": error.message}
                )
                continue
            key = (line.pk, quarter)
            if key in seen:
                result.errors.append(
                    _("Rad %(r)d, kolumn %(c)s: ”%(n)s” kvartal %(q)d finns redan på rad %(f)d.")
                    % {"r": number, "c": label, "n": line.name, "q": quarter, "f": seen[key]}
                )
                continue
            seen[key] = number
            result.entries.append(Entry(number, line, quarter, amount, stored.get(key)))
    if not result.entries and not result.errors:
        result.errors.append(_("Filen har inga utfall att spara."))
    return result


# --- the quarterly report ----------------------------------------------------------------------

REPORT_FIELDS = ("economy", "services_status", "development", "deviations", "other")


def report_of(b: Budget, quarter: int) -> QuarterlyReport | None:
    return QuarterlyReport.objects.filter(budget=b, quarter=quarter).first()


def report_save(*, actor, plan: ManagementPlan, quarter: int, fields: dict[str, str]) -> QuarterlyReport:
    """The report's draft (the agreement's list), created on first save; an issued report never changes."""
    if quarter not in QUARTERS:
        raise ValidationError(str(BAD_QUARTER))
    with transaction.atomic():
        b = _budget_for_write(actor, plan)
        report = QuarterlyReport.objects.select_for_update().filter(budget=b, quarter=quarter).first()
        if report is not None and report.is_issued:
            raise ValidationError(str(REPORT_ISSUED))
        reason = _("Kvartalsrapport %(q)d, utkast") % {"q": quarter}
        values = {k: (fields.get(k) or "").strip() for k in REPORT_FIELDS}
        if report is None:
            return audit.create(QuarterlyReport, actor=actor, reason=reason, budget=b, quarter=quarter, **values)
        if any(getattr(report, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(report, k, v)
            audit.save(report, actor=actor, reason=reason)
        return report


def render_report_pdf(report: QuarterlyReport, *, actor=None, issued_at=None) -> bytes:
    plan = report.budget.plan
    t = table(report.budget, through=report.quarter)
    with translation.override("sv"):
        html = render_to_string(
            "documents/pdf/quarterly_report.html",
            {
                "report": report,
                "plan": plan,
                "followup": t,
                "quarters": QUARTERS,
                "issued_at": issued_at or timezone.now(),
                "issued_by": actor,
            },
        )
    return html_to_pdf(html)


def report_issue(*, actor, report: QuarterlyReport) -> QuarterlyReport:
    """Issue the report: its PDF rendered once and stored (core.store) with its SHA-256 and size; from then on the
    report never changes. Two at once give one PDF: the plan row is locked and the report read again inside."""
    with transaction.atomic():
        plan = ManagementPlan.objects.select_related("managed_object").get(pk=report.budget.plan_id)
        _budget_for_write(actor, plan)
        current = QuarterlyReport.objects.select_for_update().select_related("budget__plan__managed_object")
        report = current.get(pk=report.pk)
        if report.is_issued:
            raise ValidationError(str(REPORT_ISSUED))
        now = timezone.now()
        data = render_report_pdf(report, actor=actor, issued_at=now)
        stored = store.put(report.pdf, data)
        report.pdf_sha256, report.pdf_size = stored.sha256, stored.size
        report.issued_at, report.issued_by = now, actor
        audit.save(report, actor=actor, reason=_("Kvartalsrapport %(q)d utfärdad") % {"q": report.quarter})
        return report


def report_file_name(report: QuarterlyReport) -> str:
    plan = report.budget.plan
    return f"kvartalsrapport-{plan.managed_object.slug}-{plan.year}-q{report.quarter}.pdf"
