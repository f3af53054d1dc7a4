"""Import of today's budget spreadsheet (issue 11, item 2): an .xlsx or CSV file read into budget lines, a preview of
every line and every error, and the service that replaces a plan's budget with the lines, all or nothing.

The file has a header row with Benämning, Budget and either a key column (Nyckel / Fördelningsnyckel: a key's name,
or the shares "70/30" VGR/kommuner) or the columns Kommun and VGR (as seed 003's table). An optional Rubrik column
gives each line's heading; without it, a row with only a Benämning and no amount (seed 003's "Vidmakthållande …")
is the heading of the lines below. A row "Totalt" or "Summa" is checked against the lines above and not imported.

- From Kommun and VGR the key is inferred: a key valid for the plan's year (budget.key_valid_for_year) whose split
  (money.split, the one rounding rule) gives exactly the row's Kommun and VGR. Several such keys: the one whose name
  shares a word with the line's, else the first by name; the preview says which key was inferred.
- A line whose figures match no key waits for the coordinator's decision (`Line.undecided`): an own share (only when
  money.split reproduces the row's figures exactly to the öre, `Line.own_option`) or a key. Nothing is saved until
  every line is decided and the file has no errors.
- Every error is Swedish and names the line number as in the file and the column as its header says.

Pure reading apart from the keys (one query); `budget_import` is the only write.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import audit
from core.audit import lock as _lock
from governance.permissions import require as _require

from . import budget, money, rules
from .models import AllocationKey, Budget, BudgetLine, ManagementPlan
from .services import budget_line_errors, plan_snapshot, refuse

MAX_BYTES = 2_000_000
MAX_TEXT = 200  # BudgetLine.name and .heading
_HEADER_SEARCH = 10  # the header row may follow a few title rows

# --- Messages -----------------------------------------------------------------------------------------------------

EMPTY = _lazy("Filen är tom. Välj filen med budgeten och ladda upp den igen.")
TOO_LARGE = _lazy("Filen är större än 2 MB. Välj en fil med bara budgettabellen.")
NOT_A_SPREADSHEET = _lazy(
    "Filen går inte att läsa som ett Excel-kalkylblad (.xlsx). Spara den på nytt i Excel som .xlsx eller som CSV "
    "och ladda upp den igen."
)
UNREADABLE = _lazy(
    "Filen går inte att läsa som text. Spara budgeten som .xlsx eller som CSV (semikolonseparerad text) och ladda "
    "upp den igen."
)
MISSING_COLUMNS = _lazy(
    "Rubrikraden saknar %(cols)s. Filen behöver kolumnerna Benämning och Budget och antingen Nyckel eller Kommun "
    "och VGR."
)
NO_LINES = _lazy("Filen har inga budgetrader under rubrikraden. Skriv en rad per kostnad och ladda upp filen igen.")
CELL = _lazy("Rad %(line)d, kolumn %(col)s: %(message)s")
NAME_MISSING = _lazy("Rad %(line)d, kolumn %(col)s: benämningen saknas. Skriv vad beloppet gäller.")
TEXT_TOO_LONG = _lazy("Rad %(line)d, kolumn %(col)s: texten är längre än 200 tecken. Korta den.")
PARTS_MISMATCH = _lazy(
    "Rad %(line)d, kolumnerna %(k)s och %(v)s: tillsammans %(parts)s, men kolumn %(b)s är %(amount)s. Rätta "
    "beloppen så att %(k)s och %(v)s blir lika med %(b)s."
)
PART_MISSING = _lazy(
    "Rad %(line)d, kolumn %(col)s: beloppet saknas. Skriv både kommunernas och VGR:s del, eller en nyckel."
)
KEY_NOT_100 = _lazy(
    "Rad %(line)d, kolumn %(col)s: ”%(value)s” blir %(total)s och inte 100 %%. Skriv VGR:s och kommunernas andelar "
    "så att de blir 100, t.ex. 70/30 eller 50/50."
)
KEY_UNKNOWN = _lazy(
    "Rad %(line)d, kolumn %(col)s: det finns ingen fördelningsnyckel ”%(value)s”. Skriv namnet på en nyckel "
    "(%(known)s) eller andelarna VGR/kommuner, t.ex. 70/30."
)
KEY_MISSING = _lazy(
    "Rad %(line)d, kolumn %(col)s: nyckeln saknas. Skriv namnet på en nyckel eller andelarna VGR/kommuner, t.ex. 70/30."
)
KEY_DISAGREES = _lazy(
    "Rad %(line)d, kolumn %(col)s: nyckeln ”%(key)s” ger %(want)s, men filen har %(have)s. Rätta beloppet eller "
    "nyckeln."
)
SUM_MISMATCH = _lazy(
    "Rad %(line)d, kolumn %(col)s: summan %(given)s stämmer inte med raderna ovan, som tillsammans är %(sum)s. "
    "Rätta summan eller raderna."
)
UNDECIDED = _lazy(
    "Rad %(line)d (%(name)s): beloppen stämmer inte med någon fördelningsnyckel. Välj en nyckel eller egen "
    "fördelning för raden."
)
UNDECIDED_NO_OWN = _lazy(
    "Rad %(line)d (%(name)s): beloppen stämmer inte med någon fördelningsnyckel och inte heller exakt med en egen "
    "andel för VGR. Skriv en nyckel i filen eller rätta beloppen."
)
CHOICE_UNKNOWN = _lazy("Rad %(line)d (%(name)s): valet finns inte längre. Välj en nyckel eller egen fördelning igen.")
NOTHING_TO_IMPORT = _lazy("Det finns inga budgetrader att importera.")
LINE_REFUSED = _lazy("Raden ”%(name)s”: %(message)s")

OWN = "egen"
KEY_PREFIX = "nyckel-"

# Header texts, normalised (lower case, single spaces, no parenthesis, no trailing colon).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("benämning", "benamning", "namn", "budgetpost", "post", "kostnad", "kostnadsslag"),
    "amount": ("budget", "belopp", "budgetbelopp", "totalt belopp", "summa budget"),
    "municipalities": ("kommun", "kommuner", "kommunerna", "vgk", "kommunernas del", "kommunal del", "kommunal andel"),
    "region": ("vgr", "region", "regionen", "västra götalandsregionen", "vgr:s del", "regionens del"),
    "key": ("nyckel", "fördelningsnyckel", "fordelningsnyckel", "fördelning", "fördelningsnycklar"),
    "heading": ("rubrik", "avsnitt", "grupp", "område"),
}
LABELS = {
    "name": "Benämning",
    "amount": "Budget",
    "municipalities": "Kommun",
    "region": "VGR",
    "key": "Nyckel",
    "heading": "Rubrik",
}
_TOTAL = re.compile(r"^(?:totalt|total|summa|summa totalt|totalsumma|totalbudget)\b", re.I)
_RATIO = re.compile(r"^\s*([0-9]+(?:[,.][0-9]+)?)\s*%?\s*/\s*([0-9]+(?:[,.][0-9]+)?)\s*%?\s*$")
_WORD = re.compile(r"[a-zåäöéü]{3,}")
_STOP = {"och", "för", "med", "samt", "inkl", "inkluderat", "ev"}


def _norm(text: object) -> str:
    value = re.sub(r"\([^)]*\)", " ", str(text or "")).replace("\u00a0", " ")
    value = re.sub(r"\s+", " ", value).strip().rstrip(":").strip().lower()
    return re.sub(r"\s+(kr|sek|kronor|\d{4})$", "", value)


def _column_of(header: object) -> str | None:
    raw = re.sub(r"\s+", " ", str(header or "").replace("\u00a0", " ")).strip().lower()
    for candidate in (raw, _norm(header)):
        for column, names in COLUMNS.items():
            if candidate in names:
                return column
    return None


# --- What a file reads as ------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One budget line of the file, with its figures and how it is split."""

    line: int  # the row number as in the file
    heading: str
    name: str
    amount: Decimal
    municipalities: Decimal
    region: Decimal
    key_id: int | None = None
    key_name: str = ""
    own_percent: Decimal | None = None
    inferred: bool = False  # the key was inferred from the figures, not named in the file
    undecided: bool = False  # matches no key: the coordinator chooses (see `choices`)
    own_option: Decimal | None = None  # the own share that reproduces the row's figures exactly, if any
    choice: str = ""  # the coordinator's choice for an undecided line: OWN or KEY_PREFIX + pk

    @property
    def decided(self) -> bool:
        return self.key_id is not None or self.own_percent is not None

    @property
    def split_label(self) -> str:
        if self.key_id is not None:
            return self.key_name
        if self.own_percent is not None:
            return _("Egen fördelning %(p)s VGR") % {"p": money.format_percent(self.own_percent)}
        return ""

    @property
    def shown(self) -> dict[str, str]:
        return {
            "amount": money.format_amount(self.amount),
            "municipalities": money.format_amount(self.municipalities),
            "region": money.format_amount(self.region),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "heading": self.heading,
            "name": self.name,
            "amount": str(self.amount),
            "municipalities": str(self.municipalities),
            "region": str(self.region),
            "key_id": self.key_id,
            "key_name": self.key_name,
            "own_percent": None if self.own_percent is None else str(self.own_percent),
            "inferred": self.inferred,
            "undecided": self.undecided,
            "own_option": None if self.own_option is None else str(self.own_option),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Line":
        def dec(value):
            return None if value is None else Decimal(value)

        return cls(
            line=int(data["line"]),
            heading=str(data["heading"]),
            name=str(data["name"]),
            amount=Decimal(data["amount"]),
            municipalities=Decimal(data["municipalities"]),
            region=Decimal(data["region"]),
            key_id=None if data["key_id"] is None else int(data["key_id"]),
            key_name=str(data["key_name"]),
            own_percent=dec(data["own_percent"]),
            inferred=bool(data["inferred"]),
            undecided=bool(data["undecided"]),
            own_option=dec(data["own_option"]),
        )


@dataclass
class Preview:
    lines: list[Line] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    keys: list[AllocationKey] = field(default_factory=list)  # the keys valid for the year, by name

    @property
    def undecided(self) -> list[Line]:
        return [line for line in self.lines if line.undecided]

    @property
    def ok(self) -> bool:
        """No errors and every line decided: ready to import."""
        return not self.errors and all(line.decided for line in self.lines)

    @property
    def totals(self) -> dict[str, Decimal]:
        zero = Decimal("0.00")
        return {
            "amount": sum((line.amount for line in self.lines), zero),
            "municipalities": sum((line.municipalities for line in self.lines), zero),
            "region": sum((line.region for line in self.lines), zero),
        }

    @property
    def totals_shown(self) -> dict[str, str]:
        return {name: money.format_amount(value) for name, value in self.totals.items()}

    def options(self, line: Line) -> list[tuple[str, str]]:
        """The choices for an undecided line: its own share (when it reproduces the figures) and every key."""
        found = []
        if line.own_option is not None:
            found.append(
                (OWN, _("Egen fördelning %(p)s VGR (som i filen)") % {"p": money.format_percent(line.own_option)})
            )
        for key in self.keys:
            parts = money.split(line.amount, key.region_percent)
            found.append(
                (
                    f"{KEY_PREFIX}{key.pk}",
                    _("%(k)s (ger Kommun %(m)s, VGR %(r)s)")
                    % {
                        "k": key.name,
                        "m": money.format_amount(parts.municipalities),
                        "r": money.format_amount(parts.region),
                    },
                )
            )
        return found


# --- Reading the file -----------------------------------------------------------------------------------------------


class _Unreadable(Exception):
    def __init__(self, message) -> None:
        self.message = str(message)


def _is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04")


def _xlsx_rows(data: bytes) -> list[tuple[int, list[object]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.active or workbook.worksheets[0]
            rows = [(n, list(values)) for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
        finally:
            workbook.close()
    except Exception:  # a corrupt zip, a zip that is no workbook, a broken sheet: openpyxl raises many kinds
        raise _Unreadable(NOT_A_SPREADSHEET) from None
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")) or b"\x00" in data:
        raise _Unreadable(UNREADABLE)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text):
            raise _Unreadable(UNREADABLE)
        return text
    raise _Unreadable(UNREADABLE)


def _csv_rows(text: str) -> list[tuple[int, list[object]]]:
    """The rows with their line numbers, split by the separator (; tab ,) that finds the header's columns."""
    best: list[tuple[int, list[object]]] = []
    best_score = -1
    for delimiter in (";", "\t", ","):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[tuple[int, list[object]]] = []
        try:
            for cells in reader:
                rows.append((reader.line_num, list(cells)))
        except csv.Error:
            raise _Unreadable(UNREADABLE) from None
        score = max((sum(1 for c in cells if _column_of(c)) for _n, cells in rows[:_HEADER_SEARCH]), default=0)
        if score > best_score:
            best, best_score = rows, score
    return best


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def _blank(value: object) -> bool:
    return _text(value) == ""


def read_rows(data: bytes, filename: str = "") -> list[tuple[int, list[object]]]:
    """The file's rows as (line number, cells); raises _Unreadable with the Swedish reason."""
    if not data or not data.strip():
        raise _Unreadable(EMPTY)
    if len(data) > MAX_BYTES:
        raise _Unreadable(TOO_LARGE)
    rows = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(_decode(data))
    rows = [(n, cells) for n, cells in rows if any(not _blank(c) for c in cells)]
    if not rows:
        raise _Unreadable(EMPTY)
    return rows


def valid_keys(year: int) -> list[AllocationKey]:
    return [key for key in AllocationKey.objects.order_by("name") if budget.key_valid_for_year(key, year)]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _prefer(keys: list[AllocationKey], name: str) -> AllocationKey:
    """Among keys that split alike: the first (by name) sharing a word with the line's name, else the first."""
    words = _words(name)
    return next((key for key in keys if _words(key.name) & words), keys[0])


def _own_share(amount: Decimal, region: Decimal) -> Decimal | None:
    """The region's share, in hundredths of a percent, that money.split turns into exactly `region` of `amount`."""
    if amount == 0:
        return Decimal("0.00") if region == 0 else None
    hundredths = round(region * 10_000 / amount)
    if not 0 <= hundredths <= 10_000:
        return None
    percent = Decimal(hundredths).scaleb(-2)
    return percent if money.split(amount, percent).region == region else None


def parse(data: bytes, *, year: int, filename: str = "", keys: list[AllocationKey] | None = None) -> Preview:
    """The file read into lines for a plan of `year`: every line and every error (nothing is saved)."""
    keys = valid_keys(year) if keys is None else keys
    preview = Preview(keys=keys)
    try:
        rows = read_rows(data, filename)
    except _Unreadable as problem:
        preview.errors.append(problem.message)
        return preview
    header_at, columns = _find_header(rows)
    if missing := _missing(columns):
        preview.errors.append(str(MISSING_COLUMNS % {"cols": missing}))
        return preview
    _Reader(preview, rows, header_at, columns, year).read()
    if not preview.lines and not preview.errors:
        preview.errors.append(str(NO_LINES))
    return preview


def _find_header(rows) -> tuple[int, dict[str, tuple[int, str]]]:
    """The index of the header row (the first of the first rows with the most known columns) and its columns:
    column → (cell index, the header as written)."""
    best_at, best = 0, dict[str, tuple[int, str]]()
    for at, (_n, cells) in enumerate(rows[:_HEADER_SEARCH]):
        found: dict[str, tuple[int, str]] = {}
        for index, cell in enumerate(cells):
            column = _column_of(cell)
            if column and column not in found:
                found[column] = (index, _text(cell))
        if len(found) > len(best):
            best_at, best = at, found
    return best_at, best


def _missing(columns) -> str:
    names = [LABELS[c] for c in ("name", "amount") if c not in columns]
    if "key" not in columns:
        parts = [LABELS[c] for c in ("municipalities", "region") if c not in columns]
        if len(parts) == 2:
            names.append(_("Nyckel (eller Kommun och VGR)"))
        elif parts:
            names.append(parts[0])
    if not names:
        return ""
    if len(names) == 1:
        return _("kolumnen %(c)s") % {"c": names[0]}
    return _("kolumnerna %(c)s") % {"c": ", ".join(names[:-1]) + _(" och ") + names[-1]}


class _Reader:
    def __init__(self, preview: Preview, rows, header_at: int, columns, year: int) -> None:
        self.preview, self.rows, self.header_at, self.columns, self.year = preview, rows, header_at, columns, year
        self.by_name = {_norm_key(key.name): key for key in AllocationKey.objects.all()}
        self.valid = {key.pk for key in preview.keys}
        self.heading = ""

    def cell(self, cells, column: str) -> object:
        if column not in self.columns:
            return None
        index = self.columns[column][0]
        return cells[index] if index < len(cells) else None

    def col(self, column: str) -> str:
        return self.columns[column][1]

    def error(self, message) -> None:
        self.preview.errors.append(str(message))

    def amount(self, n: int, cells, column: str) -> Decimal | None:
        try:
            return money.amount_from_cell(self.cell(cells, column))
        except money.AmountError as problem:
            self.error(CELL % {"line": n, "col": self.col(column), "message": problem.message})
            return None

    def read(self) -> None:
        for n, cells in self.rows[self.header_at + 1 :]:
            name = _text(self.cell(cells, "name"))
            given = {c: self.cell(cells, c) for c in ("amount", "municipalities", "region", "key")}
            if _TOTAL.match(name):
                self.total(n, cells)
                continue
            if all(_blank(v) for v in given.values()):
                if len(name) > MAX_TEXT:
                    self.error(TEXT_TOO_LONG % {"line": n, "col": self.col("name")})
                elif name:  # a heading row
                    self.heading = name
                continue
            self.line(n, cells, name)

    def line(self, n: int, cells, name: str) -> None:
        heading = _text(self.cell(cells, "heading")) if "heading" in self.columns else ""
        heading = heading or self.heading
        ok = True
        if not name:
            self.error(NAME_MISSING % {"line": n, "col": self.col("name")})
            ok = False
        elif len(name) > MAX_TEXT:
            self.error(TEXT_TOO_LONG % {"line": n, "col": self.col("name")})
            ok = False
        if len(heading) > MAX_TEXT:
            self.error(TEXT_TOO_LONG % {"line": n, "col": self.col("heading") if "heading" in self.columns else "-"})
            ok = False
        amount = self.amount(n, cells, "amount")
        parts = self.parts(n, cells, amount)
        key_text = _text(self.cell(cells, "key"))
        if amount is None or parts is False or not ok:
            if key_text:
                self.key(n, key_text, name, Decimal(0))  # its errors too
            return
        line = Line(line=n, heading=heading, name=name, amount=amount, municipalities=amount, region=Decimal("0.00"))
        if key_text:
            if not self.key_line(n, line, key_text, parts):
                return
        elif parts is None:
            self.error(KEY_MISSING % {"line": n, "col": self.col("key")})
            return
        else:
            line.municipalities, line.region = parts
            self.infer(line)
        self.preview.lines.append(line)

    def parts(self, n: int, cells, amount: Decimal | None) -> tuple[Decimal, Decimal] | None | Literal[False]:
        """The row's (Kommun, VGR), None when the file has no such columns or the row leaves both empty, False on an
        error (reported)."""
        if "municipalities" not in self.columns or "region" not in self.columns:
            return None
        m_cell, r_cell = self.cell(cells, "municipalities"), self.cell(cells, "region")
        if _blank(m_cell) and _blank(r_cell) and "key" in self.columns:
            return None
        ok = True
        values = []
        for column, value in (("municipalities", m_cell), ("region", r_cell)):
            if _blank(value):
                self.error(PART_MISSING % {"line": n, "col": self.col(column)})
                ok = False
                continue
            parsed = self.amount(n, cells, column)
            ok = ok and parsed is not None
            values.append(parsed)
        if not ok:
            return False
        municipalities, region = values
        assert municipalities is not None and region is not None
        if amount is not None and municipalities + region != amount:
            self.error(
                PARTS_MISMATCH
                % {
                    "line": n,
                    "k": self.col("municipalities"),
                    "v": self.col("region"),
                    "b": self.col("amount"),
                    "parts": money.format_amount(municipalities + region),
                    "amount": money.format_amount(amount),
                }
            )
            return False
        return municipalities, region

    def key(self, n: int, text: str, name: str, amount: Decimal) -> tuple[AllocationKey | None, Decimal] | None:
        """A key column's text: (a key, its share) for a key's name or a ratio that a key has, (None, share) for a ratio
        no key has; None on an error (reported)."""
        col = self.col("key")
        ratio = _RATIO.match(text)
        if ratio:
            try:
                region, municipalities = (money.parse_percent(p) for p in ratio.groups())
            except money.PercentError as problem:
                self.error(CELL % {"line": n, "col": col, "message": problem.message})
                return None
            if region + municipalities != 100:
                whole = f"{(region + municipalities).normalize():f}".replace(".", ",")
                total = f"{whole}\u00a0%"
                self.error(KEY_NOT_100 % {"line": n, "col": col, "value": text, "total": total})
                return None
            alike = [key for key in self.preview.keys if key.region_percent == region]
            return (_prefer(alike, name) if alike else None), region
        key = self.by_name.get(_norm_key(text))
        if key is None:
            known = ", ".join(f"”{k.name}”" for k in self.preview.keys) or _("inga nycklar finns")
            self.error(KEY_UNKNOWN % {"line": n, "col": col, "value": text, "known": known})
            return None
        if key.pk not in self.valid:
            message = rules.KEY_NOT_VALID_FOR_YEAR % {"k": key.name, "y": self.year}
            self.error(CELL % {"line": n, "col": col, "message": message})
            return None
        return key, key.region_percent

    def key_line(self, n: int, line: Line, text: str, parts) -> bool:
        found = self.key(n, text, line.name, line.amount)
        if found is None:
            return False
        key, share = found
        split = money.split(line.amount, share)
        if parts is not None:
            for column, want, have in (
                ("municipalities", split.municipalities, parts[0]),
                ("region", split.region, parts[1]),
            ):
                if want != have:
                    self.error(
                        KEY_DISAGREES
                        % {
                            "line": n,
                            "col": self.col(column),
                            "key": key.name if key else text,
                            "want": money.format_amount(want),
                            "have": money.format_amount(have),
                        }
                    )
                    return False
        line.municipalities, line.region = split.municipalities, split.region
        if key is not None:
            line.key_id, line.key_name, line.inferred = key.pk, key.name, _RATIO.match(text) is not None
        else:
            line.undecided, line.own_option = True, share
        return True

    def infer(self, line: Line) -> None:
        matching = [
            key
            for key in self.preview.keys
            if money.split(line.amount, key.region_percent) == (line.region, line.municipalities)
        ]
        if matching:
            key = _prefer(matching, line.name)
            line.key_id, line.key_name, line.inferred = key.pk, key.name, True
        else:
            line.undecided, line.own_option = True, _own_share(line.amount, line.region)

    def total(self, n: int, cells) -> None:
        """A Totalt/Summa row: each of its amounts must be the sum of all lines above it, or of the lines under the
        last heading (a subtotal)."""
        sums = self.preview.totals
        lines = self.preview.lines
        group: list[Line] = []
        for line in reversed(lines):
            if line.heading != lines[-1].heading:
                break
            group.append(line)
        subtotals = Preview(lines=group).totals
        for column in ("amount", "municipalities", "region"):
            if column not in self.columns or _blank(self.cell(cells, column)):
                continue
            given = self.amount(n, cells, column)
            if given is not None and given not in (sums[column], subtotals[column]):
                self.error(
                    SUM_MISMATCH
                    % {
                        "line": n,
                        "col": self.col(column),
                        "given": money.format_amount(given),
                        "sum": money.format_amount(sums[column]),
                    }
                )


def _norm_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip().lower()


# --- Decisions and the signed payload --------------------------------------------------------------------------------


def decide(preview: Preview, choices: dict[int, str]) -> list[str]:
    """Apply the coordinator's choice per undecided line (line number → OWN or KEY_PREFIX + pk); the lines still
    undecided, or chosen wrongly, as Swedish errors."""
    keys = {f"{KEY_PREFIX}{key.pk}": key for key in preview.keys}
    problems = []
    for line in preview.undecided:
        choice = choices.get(line.line, "")
        line.choice, line.key_id, line.key_name, line.own_percent = choice, None, "", None
        if choice == OWN and line.own_option is not None:
            line.own_percent = line.own_option
        elif choice in keys:
            key = keys[choice]
            parts = money.split(line.amount, key.region_percent)
            line.key_id, line.key_name = key.pk, key.name
            line.municipalities, line.region = parts.municipalities, parts.region
        elif choice:
            problems.append(str(CHOICE_UNKNOWN % {"line": line.line, "name": line.name}))
        else:
            problems.append(str(UNDECIDED % {"line": line.line, "name": line.name}))
    return problems


def decide_as_own(preview: Preview) -> list[str]:
    """The command's decision: an undecided line that reproduces exactly as an own share is imported as one; any
    other is refused with its line named."""
    problems = []
    for line in preview.undecided:
        if line.own_option is not None:
            line.own_percent = line.own_option
        else:
            problems.append(str(UNDECIDED_NO_OWN % {"line": line.line, "name": line.name}))
    return problems


def payload(preview: Preview) -> list[dict[str, Any]]:
    return [line.to_dict() for line in preview.lines]


def from_payload(data: object, *, year: int) -> Preview | None:
    """The lines carried by the signed payload, against the keys valid now; None when the payload is no list of
    lines."""
    if not isinstance(data, list):
        return None
    try:
        lines = [Line.from_dict(item) for item in data]
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    preview = Preview(lines=lines, keys=valid_keys(year))
    valid = {key.pk: key for key in preview.keys}
    for line in lines:
        if not line.undecided and line.key_id is not None and line.key_id not in valid:
            preview.errors.append(
                str(
                    CELL
                    % {
                        "line": line.line,
                        "col": LABELS["key"],
                        "message": rules.KEY_NOT_VALID_FOR_YEAR % {"k": line.key_name, "y": year},
                    }
                )
            )
    return preview


def budget_lines(preview: Preview) -> list[BudgetLine]:
    """The decided lines as unsaved BudgetLines, in the file's order."""
    keys = {key.pk: key for key in preview.keys}
    found = []
    for line in preview.lines:
        item = BudgetLine(heading=line.heading, name=line.name, amount=line.amount, note="")
        if line.key_id is not None:
            item.key = keys.get(line.key_id) or AllocationKey.objects.filter(pk=line.key_id).first()
            item.key_id = line.key_id
        else:
            item.own_region_percent = line.own_percent
        found.append(item)
    return found


# --- The service ---------------------------------------------------------------------------------------------------


@transaction.atomic
def budget_import(*, actor, plan: ManagementPlan, lines: list[BudgetLine]) -> int:
    """Replace the plan's budget lines by `lines` (unsaved, in order): all or nothing, while the budget may be edited
    (rules.budget_edit_check) by someone who may edit the plan. Each line is checked as a line typed in
    (services.budget_line_errors); the budget is made when the plan has none. Returns the number of lines imported.
    Every removal and creation leaves a history row naming the actor and the import."""
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)  # two imports at once: the second waits, then replaces the first one's lines
    refuse(rules.budget_edit_check(actor, plan))
    if not lines:
        raise ValidationError(str(NOTHING_TO_IMPORT))
    problems = []
    for line in lines:
        for message in budget_line_errors(plan=plan, line=line).values():
            problems.append(str(LINE_REFUSED % {"name": line.name, "message": message}))
    if problems:
        raise ValidationError(problems)
    reason = _("Budgeten importerad från fil")
    found = Budget.objects.filter(plan=plan).first()
    plan_budget = found or audit.create(Budget, actor=actor, reason=_("Budget skapad"), plan=plan)
    for old in list(plan_budget.lines.all()):
        audit.delete(old, actor=actor, reason=_("Budgetraden ersatt vid import: %(n)s") % {"n": old.name})
    for position, line in enumerate(lines, start=1):
        line.budget, line.position = plan_budget, position
        line.full_clean(exclude=["budget", "decision"])
        audit.save(line, actor=actor, reason=reason)
    plan_snapshot(plan=plan, actor=actor, note=reason)  # the draft's version carries the imported budget
    return len(lines)
