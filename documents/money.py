"""Money, exact to the öre: reading and writing amounts the Swedish way, and splitting them so the parts add up.

The one place the budget, invoicing and import code calls for amounts (issue 11). Pure: no models, no database.

- Amounts are `Decimal`s in kronor with at most two decimals (öre); every amount returned has exactly two
  (`Decimal("2323800.00")`). All arithmetic is done in whole öre as `int`, so nothing is ever rounded by accident;
  a `float` is refused (`TypeError`), because it cannot hold 0,10 kr exactly.
- Bad input raises a `MoneyError` (a `ValueError`) whose `message` is Swedish and says what to do: `AmountError`
  for amounts, `PercentError` for allocation keys and index percentages, `AllocationError` for splits. Callers
  (forms, imports) show it beside the field, line or column; none of it is ever a 500.
- Shown amounts use U+00A0 NO-BREAK SPACE between thousands and before "kr" ("15 314 000 kr", "1 234,50 kr"),
  the same separator as Django's Swedish number format (shvo/formats/sv), so a figure never breaks over two lines
  on screen or in the PDF and every font WeasyPrint embeds has the glyph (U+202F NARROW NO-BREAK SPACE often has
  none). A negative amount is shown with U+2212 MINUS SIGN ("−1 234,50 kr"); CSV gets plain "-1234,50".
- Splits (`split`, `largest_remainder`, `split_periods`) always add up exactly to what was split, no part differs
  from its exact share by one öre or more, and the result does not depend on the order of the input.
"""

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.utils.translation import gettext_lazy as _

ORE = Decimal("0.01")
# The model fields that store amounts: DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=2).
AMOUNT_MAX_DIGITS = 14
MAX_AMOUNT = Decimal("999999999999.99")  # the largest amount AMOUNT_MAX_DIGITS hold; beyond it, a refusal, not a 500
NBSP = "\u00a0"
MINUS = "\u2212"

_MAX_ORE = 99_999_999_999_999
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space: all thousands separators

Frequency = Literal["monthly", "quarterly", "half_yearly"]
UpliftUnit = Literal["ore", "krona", "thousand"]

# --- Messages (one constant each; %-placeholders where they name what was typed) -----------------------------------

AMOUNT_EMPTY = _("Skriv ett belopp i kronor, t.ex. 15 314 000 eller 1 234,50.")
AMOUNT_NOT_A_NUMBER = _("Skriv beloppet som ett tal i kronor, t.ex. 15 314 000 eller 1 234,50.")
AMOUNT_TOO_MANY_DECIMALS = _(
    "Beloppet kan ha högst två decimaler (öre). Skriv öre efter komma och tusental med mellanslag, t.ex. 1 234,50."
)
AMOUNT_AMBIGUOUS_DOT = _(
    "I %(text)s kan punkten betyda både decimaltecken och tusental. Skriv tusental med mellanslag och öre efter "
    "komma, t.ex. 15 314 000 eller 1 234,50."
)
AMOUNT_BAD_GROUPING = _(
    "Siffrorna i %(text)s är grupperade fel. Skriv tusental med mellanslag i grupper om tre, t.ex. 15 314 000."
)
AMOUNT_NEGATIVE = _("Beloppet kan inte vara negativt. Skriv 0 kr eller mer.")
AMOUNT_TOO_LARGE = _("Beloppet är för stort. Skriv ett belopp under 1 000 000 000 000 kr.")

PERCENT_EMPTY = _("Skriv andelen i procent, t.ex. 70 eller 70,5.")
PERCENT_NOT_A_NUMBER = _("Skriv andelen som ett tal i procent, t.ex. 70, 70 % eller 70,5.")
PERCENT_OUT_OF_RANGE = _("Andelen måste vara mellan 0 och 100 %. Skriv t.ex. 70 eller 70,5.")
PERCENT_TOO_MANY_DECIMALS = _("Andelen kan ha högst två decimaler, t.ex. 33,33 %.")
UPLIFT_OUT_OF_RANGE = _(
    "Uppräkningen måste vara större än −100 % och högst 100 %. Skriv t.ex. 2,5 för vårdprisindex 2,5 %."
)
UPLIFT_TOO_MANY_DECIMALS = _("Uppräkningen kan ha högst fyra decimaler, t.ex. 2,5 eller 2,4712.")
UPLIFT_UNKNOWN_UNIT = _("Välj att avrunda till öre, till hela kronor eller till hela tusental kronor.")

WEIGHTS_ALL_ZERO = _(
    "Det finns ingen folkmängd att fördela efter: minst en kommun måste ha en folkmängd över 0. "
    "Läs in folkmängden för året först."
)
WEIGHT_INVALID = _("Folkmängden för %(key)s måste vara ett heltal, 0 eller mer.")
PERIODS_EMPTY = _("Välj minst en period att fördela beloppet på.")
PERIOD_UNKNOWN = _(
    "%(label)s är ingen period. Skriv en månad (2024-03), ett kvartal (2024-Q1) eller ett halvår (2024-H1)."
)
PERIODS_MIXED = _("Perioderna måste vara av samma slag: bara månader, bara kvartal eller bara halvår.")
PERIOD_TWICE = _("%(label)s finns med två gånger. Ta med varje period en gång.")
FREQUENCY_UNKNOWN = _("Välj fakturering per månad, kvartal eller halvår.")
YEAR_OUT_OF_RANGE = _("Skriv året med fyra siffror, t.ex. 2024.")


class MoneyError(ValueError):
    """An amount, share or split that cannot be used; `message` is the Swedish text that says what to do."""

    def __init__(self, message: Any) -> None:
        self.message = str(message)
        super().__init__(self.message)


class AmountError(MoneyError):
    """An amount that is not a number of kronor with at most two decimals, or outside what may be stored."""


class PercentError(MoneyError):
    """An allocation key or index percentage that cannot be used."""


class AllocationError(MoneyError):
    """A split that cannot be made: nothing to split by, or periods that are not periods."""


# --- Exact conversion (kronor ↔ whole öre, percent ↔ hundredths) --------------------------------------------------


def _scaled(value: Decimal | int, places: int) -> int | None:
    """`value` × 10**places as an exact int, or None when it has more than `places` decimals (never rounds)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"an exact Decimal or int is needed, not {type(value).__name__}")
    if isinstance(value, int):
        return value * 10**places
    if not value.is_finite():
        return None
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    kept = list(digits)
    while exponent < -places and len(kept) > 1 and kept[-1] == 0:  # "1.230" is 1,23: trailing zeros are no öre
        kept.pop()
        exponent += 1
    if exponent < -places and kept != [0]:
        return None
    if value.adjusted() > 30:  # far beyond any limit; refused by the caller without building a huge int
        return 10**32
    number = int("".join(map(str, kept))) * 10 ** max(exponent + places, 0)
    return -number if sign else number


def _to_ore(amount: Decimal | int) -> int:
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise AmountError(AMOUNT_NOT_A_NUMBER)
    ore = _scaled(amount, 2)
    if ore is None:
        raise AmountError(AMOUNT_TOO_MANY_DECIMALS)
    if abs(ore) > _MAX_ORE:
        raise AmountError(AMOUNT_TOO_LARGE)
    return ore


def _from_ore(ore: int) -> Decimal:
    return Decimal(ore).scaleb(-2)


def _hundredths(percent: Decimal | int) -> int:
    """A key's percentage in hundredths of a percent (70 → 7000), checked to lie within 0–100 %."""
    if isinstance(percent, Decimal) and not percent.is_finite():
        raise PercentError(PERCENT_NOT_A_NUMBER)
    scaled = _scaled(percent, 2)
    if scaled is None:
        raise PercentError(PERCENT_TOO_MANY_DECIMALS)
    if not 0 <= scaled <= 10_000:
        raise PercentError(PERCENT_OUT_OF_RANGE)
    return scaled


def _div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest int, a half away from zero (so −x rounds as −(x))."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return -quotient if numerator < 0 else quotient


# --- Reading --------------------------------------------------------------------------------------------------------

_SUFFIX = re.compile(r"(?i)(?:kr\.?|kronor|sek|:-|,-)$")
_SIGN = re.compile(r"^([-\u2212+])\s*")
_NUMERIC = re.compile(rf"^[0-9{_SPACES}.,]+$")
_GROUPED = re.compile(rf"^[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})*$")


def parse_amount(text: str | None, *, allow_negative: bool = False) -> Decimal:
    """The amount written in `text` the Swedish way, in kronor, exact to the öre.

    Accepted: "15 314 000", "15 314 000 kr", "1 234,50", "1234,5", "100:-", with a space, a no-break space (U+00A0),
    a narrow no-break space (U+202F) or a thin space between thousands in groups of three. A dot is read as the
    decimal separator only where it cannot be a thousands separator: one dot, one or two digits after it and no
    comma ("1234.50", "1 234.5"); "1.234", "15.314.000" and "1.234,50" are refused. A sign ("-" or "−") is accepted
    with `allow_negative` (credits, outcome corrections); budget amounts are never negative, so it is off by default.
    Refused with an `AmountError`: empty text, words, more than two decimals, a negative amount when not allowed,
    and amounts above MAX_AMOUNT.
    """
    stripped = (text or "").strip()
    if not stripped:
        raise AmountError(AMOUNT_EMPTY)
    body = re.sub(rf"[{_SPACES}]+", " ", _SUFFIX.sub("", stripped).strip())
    sign = _SIGN.match(body)
    negative = bool(sign and sign.group(1) != "+")
    if sign:
        body = body[sign.end() :]
    if not body or not _NUMERIC.match(body) or not body[0].isdigit():
        raise AmountError(AMOUNT_NOT_A_NUMBER)
    whole, fraction = _whole_and_fraction(body, stripped)
    if not _GROUPED.match(whole) and not whole.isdigit():
        raise AmountError(AMOUNT_BAD_GROUPING % {"text": stripped})
    if len(fraction) > 2:
        raise AmountError(AMOUNT_TOO_MANY_DECIMALS)
    digits = "".join(c for c in whole if c.isdigit())
    if len(digits.lstrip("0")) > AMOUNT_MAX_DIGITS - 2:
        raise AmountError(AMOUNT_TOO_LARGE)
    ore = int(digits) * 100 + int(fraction.ljust(2, "0"))
    if negative and ore:
        if not allow_negative:
            raise AmountError(AMOUNT_NEGATIVE)
        ore = -ore
    return _from_ore(ore)


def _whole_and_fraction(body: str, typed: str) -> tuple[str, str]:
    """Split "1 234,50" into ("1 234", "50"); refuse a dot that could mean thousands."""
    commas, dots = body.count(","), body.count(".")
    if dots and (commas or dots > 1):
        raise AmountError(AMOUNT_AMBIGUOUS_DOT % {"text": typed})
    if commas > 1:
        raise AmountError(AMOUNT_BAD_GROUPING % {"text": typed})
    separator = "," if commas else "." if dots else None
    if separator is None:
        return body, ""
    whole, fraction = body.split(separator)
    if not fraction.isdigit() or not whole or whole[-1] in _SPACES:
        raise AmountError(AMOUNT_NOT_A_NUMBER)
    if separator == "." and len(fraction) == 3:
        raise AmountError(AMOUNT_AMBIGUOUS_DOT % {"text": typed})
    return whole, fraction


def amount_from_cell(value: object, *, allow_negative: bool = False) -> Decimal:
    """An amount from a spreadsheet cell: text is read by `parse_amount`; a number (int, Decimal, or the float
    openpyxl gives for a numeric cell, read to Excel's 15 significant digits: 1234.5 → 1 234,50) must be whole öre.
    An empty cell (None) is refused like empty text."""
    if value is None or isinstance(value, str):
        return parse_amount(value, allow_negative=allow_negative)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise AmountError(AMOUNT_NOT_A_NUMBER)
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else value  # Excel keeps 15 significant digits
    ore = _to_ore(number)
    if ore < 0 and not allow_negative:
        raise AmountError(AMOUNT_NEGATIVE)
    return _from_ore(ore)


_PERCENT = re.compile(r"^([-\u2212+]?)\s*([0-9]+)(?:[,.]([0-9]+))?\s*%?$")


def parse_percent(text: str | None) -> Decimal:
    """An allocation key's percentage written the Swedish way: "70", "70 %", "70%", "70,5", "33,33" (a dot is also
    read as decimal separator: a percentage has no thousands). Between 0 and 100 with at most two decimals;
    otherwise a `PercentError`."""
    stripped = (text or "").strip()
    if not stripped:
        raise PercentError(PERCENT_EMPTY)
    match = _PERCENT.match(stripped)
    if not match:
        raise PercentError(PERCENT_NOT_A_NUMBER)
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    if len(fraction) > 2:
        raise PercentError(PERCENT_TOO_MANY_DECIMALS)
    value = int(whole) * 100 + int(fraction.ljust(2, "0"))
    if (sign and sign != "+" and value) or value > 10_000:
        raise PercentError(PERCENT_OUT_OF_RANGE)
    return Decimal(value).scaleb(-2)


_UPLIFT = re.compile(r"^([-\u2212+]?)\s*([0-9]+)(?:[,.]([0-9]+))?\s*%?$")
UPLIFT_EMPTY = _("Skriv uppräkningen i procent, t.ex. 2,5 för vårdprisindex 2,5 %.")
UPLIFT_NOT_A_NUMBER = _("Skriv uppräkningen som ett tal i procent, t.ex. 2,5 eller 2,5 %.")


def parse_uplift(text: str | None) -> Decimal:
    """An index uplift written the Swedish way: "2,5", "2,5 %", "−1,2" (a decrease); at most four decimals, above
    −100 % and at most 100 % (as `uplift` takes it); otherwise a `PercentError`."""
    stripped = (text or "").strip()
    if not stripped:
        raise PercentError(UPLIFT_EMPTY)
    match = _UPLIFT.match(stripped)
    if not match:
        raise PercentError(UPLIFT_NOT_A_NUMBER)
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    if len(fraction) > 4:
        raise PercentError(UPLIFT_TOO_MANY_DECIMALS)
    value = int(whole) * 10_000 + int(fraction.ljust(4, "0"))
    if sign in ("-", MINUS):
        value = -value
    if not -1_000_000 < value <= 1_000_000:
        raise PercentError(UPLIFT_OUT_OF_RANGE)
    return Decimal(value).scaleb(-4).normalize() if value else Decimal(0)


# --- Writing --------------------------------------------------------------------------------------------------------


def _round_ore_to(ore: int, unit_ore: int) -> int:
    return _div_half_up(ore, unit_ore) * unit_ore


def format_amount(amount: Decimal | int, *, ore: bool | None = None) -> str:
    """An amount as the screen and the PDF show it: "15 314 000 kr", "1 234,50 kr", "−1 234,50 kr".

    Thousands are separated, and "kr" attached, by U+00A0 NO-BREAK SPACE; a negative amount starts with U+2212.
    `ore=None` shows öre only when there are any; `ore=True` always ("15 314 000,00 kr"), for a column where
    some amount has öre (see `has_ore`); `ore=False` shows whole kronor, the öre rounded half away from zero
    (for overviews only: the stored figure is unchanged, and rounded rows need not add up to a rounded total).
    """
    value = _to_ore(amount)
    if ore is False:
        value = _round_ore_to(value, 100)
    kronor, rest = divmod(abs(value), 100)
    text = f"{kronor:,}".replace(",", NBSP)
    if ore or (ore is None and rest):
        text += f",{rest:02d}"
    return f"{MINUS if value < 0 else ''}{text}{NBSP}kr"


def has_ore(amounts: Iterable[Decimal | int]) -> bool:
    """Whether any of the amounts has öre: a table column is then shown with `format_amount(..., ore=True)`."""
    return any(_to_ore(a) % 100 for a in amounts)


def format_plain(amount: Decimal | int) -> str:
    """An amount for CSV and the finance system: decimal comma, always two decimals, no thousands separator, no
    unit, ASCII minus: "1234,50", "15314000,00", "-250,00"."""
    value = _to_ore(amount)
    kronor, rest = divmod(abs(value), 100)
    return f"{'-' if value < 0 else ''}{kronor},{rest:02d}"


def format_percent(percent: Decimal | int) -> str:
    """A key's percentage as shown: "70 %", "70,5 %", "33,33 %" (no-break space before the sign)."""
    value = _hundredths(percent)
    whole, rest = divmod(value, 100)
    decimals = f",{rest:02d}".rstrip("0") if rest else ""
    return f"{whole}{decimals}{NBSP}%"


# --- Splits ---------------------------------------------------------------------------------------------------------


class Split(NamedTuple):
    """A budget line's amount split by its allocation key: the region's part and the municipalities' part."""

    region: Decimal
    municipalities: Decimal


def split(amount: Decimal | int, region_share_percent: Decimal | int) -> Split:
    """A line's amount split between the region (VGR) and the 49 municipalities by the region's share in percent.

    The region's part is the amount × share rounded to the öre, a half öre away from zero; the municipalities get
    the rest, so the two always add up to the amount exactly. The rounding öre thus goes to the region only when
    the exact share ends in exactly half an öre: the region is one payer, while the municipalities' part is split
    again among 49 by population, where an extra öre would only be spread out again. A credit (negative amount)
    splits as the mirror of the charge.

    Seed 003 (2024) has the columns Kommun, VGR: "Drift och licens" 7 746 000 at the 70/30 key (70 % region)
    gives region 5 422 200 and municipalities 2 323 800.
    """
    total = _to_ore(amount)
    region = _div_half_up(total * _hundredths(region_share_percent), 10_000)
    return Split(region=_from_ore(region), municipalities=_from_ore(total - region))


def largest_remainder[K: Hashable](
    total: Decimal | int, weights: Mapping[K, int], *, tie_order: Callable[[K], Any] | None = None
) -> dict[K, Decimal]:
    """`total` split by `weights` (the municipalities' populations) to the öre, by the largest-remainder method.

    Each key first gets its exact share rounded down to the öre; the öre left over go one each to the keys with the
    largest remainders, and among equal remainders to the lowest key by `tie_order` (default: the key itself, e.g.
    the municipality code "1480"; give e.g. `lambda m: m.code` for objects, and keep it one-to-one). So the parts
    add up to the total exactly, each lies within one öre of its exact share, a key of weight 0 gets 0, and the
    result (ordered by `tie_order`) is the same whatever the order of `weights`.

    A total of 0 gives 0 to every key. A negative total (a credit) splits as the mirror image of the charge:
    each part is minus what the key would pay of the positive total. Weights must be whole numbers ≥ 0 with at
    least one above 0, otherwise an `AllocationError`.
    """
    order: Callable[[K], Any] = tie_order or (lambda key: key)
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise AllocationError(WEIGHT_INVALID % {"key": key})
    weight_sum = sum(weights.values())
    if not weight_sum:
        raise AllocationError(WEIGHTS_ALL_ZERO)
    signed = _to_ore(total)
    whole = abs(signed)
    keys = sorted(weights, key=order)
    parts = {key: divmod(whole * weights[key], weight_sum) for key in keys}
    left_over = whole - sum(share for share, _ in parts.values())
    # Fewer öre are left over than keys with a remainder, so a key of weight 0 (remainder 0) never gets one.
    by_remainder = sorted(keys, key=lambda key: -parts[key][1])  # stable: equal remainders stay in tie order
    lucky = set(by_remainder[:left_over])
    sign = -1 if signed < 0 else 1
    return {key: _from_ore(sign * (parts[key][0] + (key in lucky))) for key in keys}


def split_periods(amount: Decimal | int, periods: Sequence[str]) -> dict[str, Decimal]:
    """`amount` split equally over the invoicing periods, to the öre; the öre left over go one each to the earliest
    periods. The labels ("2024-03", "2024-Q1", "2024-H1", see `period_labels`) sort in time order, so "earliest" does
    not depend on the order they are given in; the result is ordered by period and adds up to the amount exactly.
    A credit (negative amount) splits as the mirror of the charge. The periods must be of one kind (all months,
    all quarters or all half-years), each given once, at least one; otherwise an `AllocationError`."""
    if not periods:
        raise AllocationError(PERIODS_EMPTY)
    kinds = {period_frequency(label) for label in periods}
    if len(kinds) > 1:
        raise AllocationError(PERIODS_MIXED)
    seen: set[str] = set()
    for label in periods:
        if label in seen:
            raise AllocationError(PERIOD_TWICE % {"label": label})
        seen.add(label)
    return largest_remainder(amount, dict.fromkeys(periods, 1))


# --- Periods --------------------------------------------------------------------------------------------------------

_PERIOD_FORMS: dict[Frequency, re.Pattern[str]] = {
    "monthly": re.compile(r"^[0-9]{4}-(?:0[1-9]|1[0-2])$"),
    "quarterly": re.compile(r"^[0-9]{4}-Q[1-4]$"),
    "half_yearly": re.compile(r"^[0-9]{4}-H[12]$"),
}
PERIODS_PER_YEAR: dict[Frequency, int] = {"monthly": 12, "quarterly": 4, "half_yearly": 2}


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise AllocationError(YEAR_OUT_OF_RANGE)


def monthly_periods(year: int) -> list[str]:
    """The year's months as invoicing periods: "2024-01" … "2024-12"."""
    _check_year(year)
    return [f"{year}-{month:02d}" for month in range(1, 13)]


def quarterly_periods(year: int) -> list[str]:
    """The year's quarters: "2024-Q1" … "2024-Q4"."""
    _check_year(year)
    return [f"{year}-Q{quarter}" for quarter in range(1, 5)]


def half_yearly_periods(year: int) -> list[str]:
    """The year's halves: "2024-H1", "2024-H2"."""
    _check_year(year)
    return [f"{year}-H1", f"{year}-H2"]


def period_labels(year: int, frequency: Frequency) -> list[str]:
    """The invoicing periods of a year for a frequency ("monthly", "quarterly", "half_yearly"), in time order."""
    makers = {"monthly": monthly_periods, "quarterly": quarterly_periods, "half_yearly": half_yearly_periods}
    if frequency not in makers:
        raise AllocationError(FREQUENCY_UNKNOWN)
    return makers[frequency](year)


def period_frequency(label: str) -> Frequency:
    """The kind of period a label names ("2024-03" → "monthly"); an `AllocationError` for anything else, e.g. a
    `--period` given on the command line that is no period."""
    for frequency, form in _PERIOD_FORMS.items():
        if isinstance(label, str) and form.match(label):
            return frequency
    raise AllocationError(PERIOD_UNKNOWN % {"label": label})


# --- Index uplift ---------------------------------------------------------------------------------------------------

_UNIT_ORE: dict[UpliftUnit, int] = {"ore": 1, "krona": 100, "thousand": 100_000}
ROUNDING_CHOICES = [
    ("ore", _("till öre")),
    ("krona", _("till hela kronor")),
    ("thousand", _("till hela tusental kronor")),
]


def uplift(amount: Decimal | int, percent: Decimal | int, *, to: UpliftUnit) -> Decimal:
    """`amount` raised by an index (vårdprisindex 2,5 % → `percent=Decimal("2.5")`), rounded to the unit the
    coordinator chooses: `to="ore"`, `"krona"` or `"thousand"` (kronor). The exact product is rounded once, to the
    nearest unit with a half away from zero: 7 746 000 × 1,025 = 7 939 650 → 7 940 000 to the thousand, 7 939 650 to
    the krona. The index may have up to four decimals and lie above −100 % and at most 100 % (a negative index
    lowers the amount); a negative amount rounds as the mirror of the positive one."""
    if to not in _UNIT_ORE:
        raise PercentError(UPLIFT_UNKNOWN_UNIT)
    if isinstance(percent, Decimal) and not percent.is_finite():
        raise PercentError(UPLIFT_OUT_OF_RANGE)
    index = _scaled(percent, 4)  # in ten-thousandths of a percent: 2,5 % → 25 000
    if index is None:
        raise PercentError(UPLIFT_TOO_MANY_DECIMALS)
    if not -1_000_000 < index <= 1_000_000:
        raise PercentError(UPLIFT_OUT_OF_RANGE)
    unit = _UNIT_ORE[to]
    result = _div_half_up(_to_ore(amount) * (1_000_000 + index), 1_000_000 * unit) * unit
    if abs(result) > _MAX_ORE:
        raise AmountError(AMOUNT_TOO_LARGE)
    return _from_ore(result)
