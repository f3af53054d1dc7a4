"""Reading population figures from a file: SCB's statistical-database CSV export or a plain kommunkod;år;folkmängd.

`preview(data)` reads the file (bytes, any of the encodings SCB exports: UTF-8 with or without BOM, ISO-8859-1/cp1252;
semicolon, comma or tab separated; quoted or not) and returns what an import would write – every row with the figure
it replaces – and every error, each naming the line and the column in Swedish. Nothing is written here; the service
governance.services.population_import writes a preview's rows, all or none.

The rule for a year: every year in the file must give a figure for all of the county's municipalities (the 49),
or the file is refused with an error naming the missing ones. An invoicing basis splits by the figures of one
year, so a year with a gap would silently split among fewer; a partial file is an error, never a warning.
A row that is not a municipality (a county "14 Västra Götalands län", "00 Riket") is skipped with a warning.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Organisation, PopulationFigure

MAX_BYTES = 2_000_000  # a county's figures for decades fit in a few hundred kilobytes
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_POPULATION = 100_000_000  # far above any municipality, far below the column's limit

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

_CODE = re.compile(r"^\s*(\d{4})(?:\s+(.*\S))?\s*$")  # "1480 Göteborg" or "1480"
_NOT_MUNICIPALITY = re.compile(r"^\s*(\d{2}|\d{2}\D.*)$")  # "14 Västra Götalands län", "00 Riket"
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


@dataclass(frozen=True)
class Row:
    """One figure the import writes (or leaves as it is): where it came from and what it replaces."""

    line: int
    organisation_id: int
    code: str
    name: str
    year: int
    population: int
    previous: int | None = None

    @property
    def state(self) -> str:
        if self.previous is None:
            return NEW
        return UNCHANGED if self.previous == self.population else CHANGED

    @property
    def state_label(self) -> str:
        return {NEW: _("Ny"), CHANGED: _("Ändras"), UNCHANGED: _("Oförändrad")}[self.state]


@dataclass
class Preview:
    """What an import of the file would do: its rows, its errors (nothing may be written while there is one) and
    its warnings (rows skipped on purpose)."""

    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = ""  # "scb" or "plain"

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.rows})

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    def summary(self) -> str:
        """One sentence: what the import would do."""
        return _("%(n)d folkmängder för %(y)s: %(new)d nya, %(changed)d ändrade, %(same)d oförändrade.") % {
            "n": len(self.rows),
            "y": ", ".join(str(y) for y in self.years) or "–",
            "new": self.count(NEW),
            "changed": self.count(CHANGED),
            "same": self.count(UNCHANGED),
        }


# --- messages --------------------------------------------------------------------------------------------------

UNREADABLE = _("Filen går inte att läsa som text. Spara den som CSV (semikolonseparerad text) och ladda upp den igen.")
TOO_LARGE = _("Filen är större än 2 MB. Välj en fil med bara kommunernas folkmängder.")
EMPTY = _("Filen är tom. Välj filen med folkmängderna och ladda upp den igen.")
NO_FIGURES = _(
    "Filen innehåller inga folkmängder. Använd SCB:s export (en kolumn ”region” och en kolumn per år) eller "
    "raderna kommunkod;år;folkmängd."
)
UNKNOWN_FORMAT = _(
    "Rad %(line)d: raden har %(n)d kolumner men ska ha tre: kommunkod;år;folkmängd. Rätta raden eller använd "
    "SCB:s export med en kolumn per år."
)
NOT_A_NUMBER = _("Rad %(line)d, kolumn %(col)s: ”%(value)s” är inte ett tal. Skriv folkmängden som ett heltal.")
MISSING_NUMBER = _("Rad %(line)d, kolumn %(col)s: folkmängden saknas. Skriv folkmängden som ett heltal.")
NEGATIVE = _("Rad %(line)d, kolumn %(col)s: %(value)s är negativt. Skriv folkmängden som ett heltal, 0 eller större.")
TOO_BIG = _(
    "Rad %(line)d, kolumn %(col)s: %(value)s är större än en kommuns folkmängd kan vara. Skriv folkmängden som ett "
    "heltal, t.ex. 604616."
)
BAD_YEAR = _("Rad %(line)d, kolumn %(col)s: ”%(value)s” är inget år. Skriv året med fyra siffror, t.ex. 2023.")
BAD_CODE = _(
    "Rad %(line)d, kolumn %(col)s: ”%(value)s” börjar inte med en kommunkod. Skriv koden med fyra siffror, t.ex. "
    "”1480 Göteborg” eller 1480."
)
UNKNOWN_CODE = _(
    "Rad %(line)d, kolumn %(col)s: %(code)s är inte någon av länets kommuner. Kontrollera kommunkoden eller ta bort "
    "raden."
)
DUPLICATE = _(
    "Rad %(line)d, kolumn %(col)s: %(name)s (%(code)s) år %(year)d finns redan på rad %(first)d. Ta bort den ena raden."
)
YEAR_INCOMPLETE = _(
    "År %(year)d: folkmängd saknas för %(missing)s. Alla %(n)d kommuner måste ha en folkmängd för året; lägg till "
    "raderna eller ta bort året ur filen."
)
SKIPPED = _("Rad %(line)d: ”%(value)s” är inte en kommun och läses inte in.")


# --- reading ---------------------------------------------------------------------------------------------------


def decode(data: bytes) -> str | None:
    """The file's text, or None when it is not text (a spreadsheet, a PDF, an image). UTF-8 (with or without BOM) is
    tried first; anything else is read as cp1252, SCB's ISO-8859-1 export included (cp1252 agrees with it on
    every letter; its control range is read as ISO-8859-1)."""
    if data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")) or b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
        return None if controls else text
    return None  # pragma: no cover - latin-1 decodes any byte


def _delimiters(text: str) -> list[str]:
    """The separators to try, the likeliest first: csv.Sniffer's guess on the lines that have one, then ; tab ,"""
    candidates = [";", "\t", ","]
    lines = [line for line in text.splitlines() if any(d in line for d in candidates)]
    try:
        guess = csv.Sniffer().sniff("\n".join(lines[-20:]), delimiters="".join(candidates)).delimiter
    except csv.Error:
        guess = max(candidates, key=lambda d: sum(line.count(d) for line in lines))
    return [guess] + [d for d in candidates if d != guess]


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', skipinitialspace=True)
    rows = []
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error:
        return []
    return rows


def _scb_header(rows) -> tuple[int, dict[int, int]] | None:
    """The index of SCB's header row ("region" or "kommun", then year columns) and its year columns {column index:
    year}."""
    for index, (_line, cells) in enumerate(rows[:30]):
        if cells and cells[0].casefold().startswith(("region", "kommun")) and cells[0].casefold() != "kommunkod":
            years = {}
            for col, cell in enumerate(cells[1:], start=1):
                found = _YEAR.search(cell)
                if found:
                    years[col] = int(found.group(1))
            if years:
                return index, years
    return None


def _number(value: str) -> int | str:
    """The integer in a cell ("604616", "604 616"), or the reason it is not one (a message key)."""
    cleaned = _SPACES.sub("", value)
    if cleaned in ("", "..", ".", "-", "–"):
        return "missing"
    negative = cleaned.startswith(("-", "−", "–"))
    digits = cleaned.lstrip("-−–")
    if not digits.isdigit() or not digits.isascii():
        return "text"
    if negative:
        return "negative"
    return int(digits) if len(digits) <= 9 and int(digits) <= MAX_POPULATION else "big"


class _Reader:
    """Collects rows and errors over one file, against the municipalities and the figures already stored."""

    def __init__(self, municipalities: dict[str, Organisation]):
        self.municipalities = municipalities
        self.found: list[tuple[int, Organisation, int, int]] = []  # line, organisation, year, population
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.seen: dict[tuple[str, int], int] = {}
        self.tried: set[tuple[int, str]] = set()  # (year, code) of every cell read, with or without an error

    def municipality(self, line: int, col: str, code: str) -> Organisation | None:
        org = self.municipalities.get(code)
        if org is None:
            self.errors.append(UNKNOWN_CODE % {"line": line, "col": col, "code": code})
        return org

    def figure(self, line: int, col: str, value: str) -> int | None:
        number = _number(value)
        if isinstance(number, int):
            return number
        message = {"missing": MISSING_NUMBER, "text": NOT_A_NUMBER, "negative": NEGATIVE, "big": TOO_BIG}[number]
        self.errors.append(message % {"line": line, "col": col, "value": value})
        return None

    def add(self, line: int, col: str, org: Organisation, year: int, population: int) -> None:
        first = self.seen.setdefault((org.code, year), line)
        if first != line:
            self.errors.append(
                DUPLICATE % {"line": line, "col": col, "name": org.name, "code": org.code, "year": year, "first": first}
            )
            return
        self.found.append((line, org, year, population))

    def scb(self, rows, header: int, years: dict[int, int]) -> None:
        head = rows[header][1]
        for line, cells in rows[header + 1 :]:
            region = cells[0]
            values = {col: cells[col] if col < len(cells) else "" for col in years}
            if not any(values.values()) and not region[:1].isdigit():
                continue  # a footnote or a title under the table
            match = _CODE.match(region)
            if match is None:
                if _NOT_MUNICIPALITY.match(region):
                    self.warnings.append(SKIPPED % {"line": line, "value": region})
                else:
                    self.errors.append(BAD_CODE % {"line": line, "col": head[0], "value": region})
                continue
            org = self.municipality(line, head[0], match.group(1))
            for col, year in years.items():
                if org is not None:
                    self.tried.add((year, org.code))
                population = self.figure(line, head[col], values[col])
                if org is not None and population is not None:
                    self.add(line, head[col], org, year, population)

    def plain(self, rows) -> None:
        names = (_("kommunkod"), _("år"), _("folkmängd"))
        if rows and not _CODE.match(rows[0][1][0]):
            rows = rows[1:]  # the header line
        for line, cells in rows:
            if len(cells) != 3:
                self.errors.append(UNKNOWN_FORMAT % {"line": line, "n": len(cells)})
                continue
            code, year_text, value = cells
            match = _CODE.match(code)
            org = None
            if match is None:
                self.errors.append(BAD_CODE % {"line": line, "col": names[0], "value": code})
            else:
                org = self.municipality(line, names[0], match.group(1))
            year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
            if year is None or not MIN_YEAR <= year <= MAX_YEAR:
                self.errors.append(BAD_YEAR % {"line": line, "col": names[1], "value": year_text})
                year = None
            if org is not None and year is not None:
                self.tried.add((year, org.code))
            population = self.figure(line, names[2], value)
            if org is not None and year is not None and population is not None:
                self.add(line, names[2], org, year, population)


def municipalities() -> dict[str, Organisation]:
    """The county's municipalities by code (one query)."""
    rows = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(code="").only("name", "code")
    return {o.code: o for o in rows}


def coverage_errors(found: Iterable[tuple[int, str]], known: dict[str, Organisation]) -> list[str]:
    """Years that lack a figure for some municipality: (year, code) pairs against all the known ones."""
    by_year: dict[int, set[str]] = {}
    for year, code in found:
        by_year.setdefault(year, set()).add(code)
    errors = []
    for year in sorted(by_year):
        missing = sorted((c for c in known if c not in by_year[year]), key=int)
        if missing:
            shown = ", ".join(f"{known[c].name} ({c})" for c in missing)
            errors.append(YEAR_INCOMPLETE % {"year": year, "missing": shown, "n": len(known)})
    return errors


def preview(data: bytes) -> Preview:
    """Read a file of population figures; see the module's docstring. Two queries: the municipalities, and the
    figures already stored for the file's years."""
    if len(data) > MAX_BYTES:
        return Preview(errors=[str(TOO_LARGE)])
    text = decode(data)
    if text is None:
        return Preview(errors=[str(UNREADABLE)])
    return preview_text(text)


def preview_text(text: str) -> Preview:
    """`preview` of text already decoded (what the confirm step re-reads from its signed field)."""
    if not text.strip():
        return Preview(errors=[str(EMPTY)])
    known = municipalities()
    reader, kind = _read(text, known)
    if reader is None:
        return Preview(errors=[str(NO_FIGURES)])
    # a cell already in error is not reported missing as well
    errors = reader.errors + coverage_errors(reader.tried, known)
    stored = _stored({y for _l, _o, y, _p in reader.found})
    rows = [
        Row(
            line=line,
            organisation_id=org.pk,
            code=org.code,
            name=org.name,
            year=year,
            population=population,
            previous=stored.get((org.pk, year)),
        )
        for line, org, year, population in sorted(reader.found, key=lambda f: (-f[2], org_sort(f[1])))
    ]
    if not rows and not errors:
        errors = [str(NO_FIGURES)]
    return Preview(rows=rows, errors=errors, warnings=reader.warnings, format=kind)


def org_sort(org: Organisation) -> int:
    return int(org.code)


def _read(text: str, known) -> tuple[_Reader | None, str]:
    """Try each separator: the first that gives SCB's header, or three columns on the first row, decides."""
    fallback: tuple[_Reader | None, str] = (None, "")
    for delimiter in _delimiters(text):
        rows = _rows(text, delimiter)
        if not rows:
            continue
        header = _scb_header(rows)
        if header is not None:
            reader = _Reader(known)
            reader.scb(rows, *header)
            return reader, "scb"
        data_rows = rows[1:] if not _CODE.match(rows[0][1][0]) else rows
        if data_rows and len(data_rows[0][1]) == 3:
            reader = _Reader(known)
            reader.plain(rows)
            return reader, "plain"
        if fallback[0] is None and delimiter == ";" and data_rows:
            reader = _Reader(known)
            reader.plain(rows)
            fallback = (reader, "plain")
    return fallback


def _stored(years: set[int]) -> dict[tuple[int, int], int]:
    if not years:
        return {}
    rows = PopulationFigure.objects.filter(year__in=years).values_list("organisation_id", "year", "population")
    return {(org, year): population for org, year, population in rows}


def rows_errors(rows: Sequence[Row], known: dict[str, Organisation]) -> list[str]:
    """What the service re-checks of rows it is given (they may not come from `preview`): a known municipality, a
    figure of 0 or more, one row per municipality and year, every year complete."""
    errors = []
    seen: dict[tuple[str, int], int] = {}
    ids = {o.pk: o for o in known.values()}
    for row in rows:
        col = str(row.year)
        org = ids.get(row.organisation_id)
        if org is None or org.code != row.code:
            errors.append(UNKNOWN_CODE % {"line": row.line, "col": _("kommunkod"), "code": row.code})
            continue
        if not isinstance(row.population, int) or row.population < 0:
            errors.append(NEGATIVE % {"line": row.line, "col": col, "value": row.population})
        elif row.population > MAX_POPULATION:
            errors.append(TOO_BIG % {"line": row.line, "col": col, "value": row.population})
        first = seen.get((row.code, row.year))
        if first is not None:
            errors.append(
                DUPLICATE
                % {"line": row.line, "col": col, "name": org.name, "code": org.code, "year": row.year, "first": first}
            )
        seen[(row.code, row.year)] = row.line
    return errors + coverage_errors(((r.year, r.code) for r in rows), known)


def latest_complete_year(*, before: int) -> int | None:
    """The latest year before `before` (a budget year) for which every municipality has a figure, or None: what an
    invoicing basis splits by unless told otherwise. Two queries (the municipalities, the figures per year)."""
    needed = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(code="").count()
    counts = (
        PopulationFigure.objects.filter(year__lt=before, organisation__kind=Organisation.Kind.MUNICIPALITY)
        .exclude(organisation__code="")
        .values("year")
        .annotate(n=Count("organisation"))
        .order_by("-year")
    )
    return next((row["year"] for row in counts if row["n"] == needed), None)
