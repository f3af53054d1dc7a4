"""A plan's budget as a table: each line split between VGR and the municipalities, headings and totals (issue 11).

The one place the split of a budget is computed; the plan page (and later the PDF and invoicing) show what this
returns and never add amounts themselves.

- Each line is split by `money.split` with its key's region share, or its own share when it has no key.
- A heading's sums and the grand total are the sums of the lines' parts, never a split of the summed amount:
  so every column adds up exactly (Budget = Kommun + VGR on every row, and each total is the sum of the rows
  above it), even where a split of the total would round an öre differently. Seed 003: 15 314 000 kr →
  Kommun 5 318 200 kr, VGR 9 995 800 kr.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from . import money, rules
from .models import AllocationKey, Budget, BudgetLine

ZERO = Decimal("0.00")


@dataclass
class Row:
    line: BudgetLine
    amount: Decimal
    region: Decimal
    municipalities: Decimal
    key_label: str
    shown: dict[str, str] = field(default_factory=dict)
    decision: str = ""  # the decision that set the line's figures ("SITIV § 12/2026 (2026-11-18)"), if any


@dataclass
class Sums:
    amount: Decimal = ZERO
    region: Decimal = ZERO
    municipalities: Decimal = ZERO
    shown: dict[str, str] = field(default_factory=dict)

    def add(self, row: "Row | Sums") -> None:
        self.amount += row.amount
        self.region += row.region
        self.municipalities += row.municipalities


@dataclass
class Group:
    heading: str
    rows: list[Row] = field(default_factory=list)
    sums: Sums = field(default_factory=Sums)


@dataclass
class Table:
    groups: list[Group]
    total: Sums
    budget: Budget | None = None

    @property
    def decided(self) -> bool:
        return self.budget is not None and self.budget.is_decided

    @property
    def decision_label(self) -> str:
        return rules.decision_label(self.budget.decision) if self.budget is not None and self.budget.decision else ""

    @property
    def uplift_label(self) -> str:
        """ "2,5 %": the index the budget was uplifted by, as typed (no trailing zeros)."""
        b = self.budget
        if b is None or b.uplift_percent is None:
            return ""
        return f"{b.uplift_percent.normalize():f}".replace(".", ",") + "\u00a0%"

    @property
    def has_decisions(self) -> bool:
        return any(row.decision for group in self.groups for row in group.rows)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def key_label(line: BudgetLine) -> str:
    """What the Nyckel column shows: the key's name, or the line's own share as "egen 70/30"."""
    if line.key_id is not None:
        return line.key.name
    percent = line.own_region_percent or Decimal(0)
    return f"Egen fördelning {money.format_percent(percent)} VGR"


# What a line's row shows beside its figures: its key and the decision that set it (body, meeting, §).
LINE_RELATED = ("key", "decision__item__meeting", "decision__body")


def lines_of(budget: Budget) -> list[BudgetLine]:
    """The budget's lines in order, with what their rows show, in one query."""
    return list(budget.lines.select_related(*LINE_RELATED).order_by("position", "id"))


def table(budget: Budget | None, lines: list[BudgetLine] | None = None) -> Table:
    """The budget's table; `lines` (ordered, with LINE_RELATED) when the caller has them, else read in one query."""
    if lines is None:
        lines = lines_of(budget) if budget else []
    groups: list[Group] = []
    total = Sums()
    for line in lines:
        share = line.region_percent if line.region_percent is not None else Decimal(0)
        parts = money.split(line.amount, share)
        row = Row(line, line.amount, parts.region, parts.municipalities, key_label(line))
        if line.decision_id is not None:
            row.decision = rules.decision_label(line.decision)
        if not groups or groups[-1].heading != line.heading:
            groups.append(Group(line.heading))
        groups[-1].rows.append(row)
        groups[-1].sums.add(row)
        total.add(row)
    _show([total, *(g.sums for g in groups), *(r for g in groups for r in g.rows)])
    return Table(
        groups, total, budget if budget is not None else (lines[0].budget if lines and lines[0].budget_id else None)
    )


def _show(rows: "list[Row | Sums]") -> None:
    """Each figure as shown (money.format_amount): with öre throughout when any figure of the table has öre."""
    ore = money.has_ore(getattr(r, column) for r in rows for column in ("amount", "region", "municipalities")) or None
    for r in rows:
        r.shown = {c: money.format_amount(getattr(r, c), ore=ore) for c in ("amount", "region", "municipalities")}


def key_valid_for_year(key: AllocationKey, year: int) -> bool:
    """Whether the key's validity period covers the whole of `year` (the plan's year)."""
    return key.valid_from <= datetime.date(year, 1, 1) and (
        key.valid_to is None or key.valid_to >= datetime.date(year, 12, 31)
    )


def deadline(plan) -> datetime.date:
    """The budget of a plan for year Y is to be ready by 1 September of Y − 1 (issue 11, item 4)."""
    return datetime.date(plan.year - 1, 9, 1)


def snapshot(plan) -> list[dict]:
    """The plan's budget lines as plain data, stored in each version (services.plan_content): the review round shows
    the budget that was sent, and version comparisons show what changed."""
    lines = BudgetLine.objects.filter(budget__plan=plan).select_related("key").order_by("position", "id")
    return [
        {
            "heading": line.heading,
            "name": line.name,
            "amount": str(line.amount),
            "key": line.key.name if line.key_id is not None else None,
            "region_percent": str(line.region_percent),
        }
        for line in lines
    ]


def from_snapshot(rows: list[dict]) -> Table:
    """The table of a version's budget (snapshot's rows), split as the live one is."""
    lines = []
    for r in rows:
        line = BudgetLine(heading=r["heading"], name=r["name"], amount=Decimal(r["amount"]))
        if r.get("key"):
            line.key = AllocationKey(pk=0, name=r["key"], region_percent=Decimal(r["region_percent"]))
        else:
            line.own_region_percent = Decimal(r["region_percent"])
        lines.append(line)
    return table(None, lines)


def snapshot_text(rows: list[dict]) -> str:
    """A version's budget as lines of text, for comparing versions word by word."""
    return "\n".join(
        f"{r['heading']}: {r['name']} – {money.format_amount(Decimal(r['amount']))}"
        f" ({r['key'] or 'egen fördelning ' + money.format_percent(Decimal(r['region_percent'])) + ' VGR'})"
        for r in rows
    )
