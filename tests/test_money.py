"""documents.money (issue 11): Swedish amounts read and written, and every split exact to the öre.

The seed 003 case (its 2024 budget table, columns Benämning, Budget, Kommun, VGR) is kept here exactly; the
properties say that for any amounts, keys, 49 populations and schedules the parts add up, lie within one öre of
their exact shares, and do not depend on the order of the input."""

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from documents import money
from documents.money import (
    AllocationError,
    AmountError,
    MoneyError,
    PercentError,
    amount_from_cell,
    format_amount,
    format_percent,
    format_plain,
    half_yearly_periods,
    has_ore,
    largest_remainder,
    monthly_periods,
    parse_amount,
    parse_percent,
    period_frequency,
    period_labels,
    quarterly_periods,
    split,
    split_periods,
    uplift,
)

NBSP = "\u00a0"
D = Decimal

with open(Path(settings.BASE_DIR) / "governance" / "data" / "vg_municipalities.csv", encoding="utf-8") as f:
    POPULATION = {row["code"]: int(row["population"]) for row in csv.DictReader(f)}
CODES = sorted(POPULATION)


def message(error) -> str:
    return error.value.message


# --- Seed 003: the 2024 budget table --------------------------------------------------------------------------------

# (Benämning, Budget, the region's share by the key, Kommun, VGR) as printed in seed 003. The seed's columns are
# Kommun then VGR, and its keys read "70/30% mellan VGR/VGK": "Drift och licens" 7 746 000 → Kommun 2 323 800 is
# 30 %, so the 70/30 key gives the region (VGR) 70 % and the municipalities 30 %.
SEED_003_2024 = [
    ("Drift och licens", 7_746_000, 70, 2_323_800, 5_422_200),
    ("Processledare/Funktionskoordinatorer (400%)", 3_620_000, 50, 1_810_000, 1_810_000),
    ("Utveckling inkluderat teknisk resurs", 900_000, 70, 270_000, 630_000),
    ("Support (ta höjd för ev. ökat behov under året)", 2_698_000, 70, 809_400, 1_888_600),
    ("Möten, utbildning, kommunikation", 350_000, 70, 105_000, 245_000),
]


@pytest.mark.parametrize(("name", "budget", "region_percent", "kommun", "vgr"), SEED_003_2024)
def test_seed_003_lines_split_exactly_as_printed(name, budget, region_percent, kommun, vgr):
    assert split(D(budget), D(region_percent)) == (D(vgr), D(kommun))
    assert split(D(budget), D(region_percent)).municipalities == D(kommun)


def test_seed_003_totals_follow_from_the_lines():
    parts = [split(parse_amount(f"{budget:,}".replace(",", " ")), region) for _, budget, region, _, _ in SEED_003_2024]
    assert sum(budget for _, budget, *_ in SEED_003_2024) == 15_314_000
    assert sum(p.municipalities for p in parts) == D(5_318_200)
    assert sum(p.region for p in parts) == D(9_995_800)
    assert format_amount(sum(p.municipalities for p in parts)) == f"5{NBSP}318{NBSP}200{NBSP}kr"


def test_seed_003_municipalities_share_is_invoiced_to_the_49_monthly_to_the_ore():
    share = D(5_318_200)
    by_municipality = largest_remainder(share, POPULATION)
    cells = {code: split_periods(part, monthly_periods(2024)) for code, part in by_municipality.items()}
    assert len(cells) == 49 and all(len(months) == 12 for months in cells.values())
    assert sum(sum(months.values()) for months in cells.values()) == share
    goteborg = Fraction(share) * POPULATION["1480"] / sum(POPULATION.values())
    assert abs(Fraction(by_municipality["1480"]) - goteborg) < Fraction(1, 100)


# --- Reading amounts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("15 314 000", "15314000"),
        ("15 314 000 kr", "15314000"),
        ("15\u00a0314\u00a0000\u00a0kr", "15314000"),
        ("15\u202f314\u202f000", "15314000"),
        ("15\u2009314\u2009000", "15314000"),
        ("15  314 000", "15314000"),  # a double space typed by mistake
        ("1 234,50", "1234.50"),
        ("1234,5", "1234.50"),
        ("1234.50", "1234.50"),
        ("1 234.5", "1234.50"),
        ("0,05", "0.05"),
        ("  350 000  ", "350000"),
        ("100:-", "100"),
        ("100,-", "100"),
        ("1 234,50 SEK", "1234.50"),
        ("2 kronor", "2"),
        ("+12", "12"),
        ("0", "0"),
        ("999 999 999 999,99", "999999999999.99"),
    ],
)
def test_amounts_written_the_swedish_way_are_read_exactly(text, amount):
    parsed = parse_amount(text)
    assert parsed == D(amount)
    assert parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(("text", "amount"), [("-1 234,50", "-1234.50"), ("−250", "-250"), ("- 5 kr", "-5")])
def test_a_sign_is_read_where_negative_amounts_are_allowed(text, amount):
    assert parse_amount(text, allow_negative=True) == D(amount)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("", money.AMOUNT_EMPTY),
        ("   ", money.AMOUNT_EMPTY),
        (None, money.AMOUNT_EMPTY),
        ("kr", money.AMOUNT_NOT_A_NUMBER),
        ("femtio", money.AMOUNT_NOT_A_NUMBER),
        ("12 kr och 50 öre", money.AMOUNT_NOT_A_NUMBER),
        ("1e5", money.AMOUNT_NOT_A_NUMBER),
        (",50", money.AMOUNT_NOT_A_NUMBER),
        ("12,", money.AMOUNT_NOT_A_NUMBER),
        ("1 234 ,50", money.AMOUNT_NOT_A_NUMBER),
        ("–5", money.AMOUNT_NOT_A_NUMBER),  # an en dash is no minus sign
        ("1 234,567", money.AMOUNT_TOO_MANY_DECIMALS),
        ("1,234", money.AMOUNT_TOO_MANY_DECIMALS),  # English thousands: not read as 1 234
        ("12.3456", money.AMOUNT_TOO_MANY_DECIMALS),
        ("-5", money.AMOUNT_NEGATIVE),
        ("−1 234,50 kr", money.AMOUNT_NEGATIVE),
        ("1 000 000 000 000", money.AMOUNT_TOO_LARGE),
        ("9" * 40, money.AMOUNT_TOO_LARGE),
    ],
)
def test_what_is_not_an_amount_is_refused_with_a_swedish_message(text, refusal):
    with pytest.raises(AmountError) as error:
        parse_amount(text)
    assert message(error) == str(refusal)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("1.234", money.AMOUNT_AMBIGUOUS_DOT),
        ("15.314.000", money.AMOUNT_AMBIGUOUS_DOT),
        ("1.234,50", money.AMOUNT_AMBIGUOUS_DOT),
        ("1,234.50", money.AMOUNT_AMBIGUOUS_DOT),
        ("1 23", money.AMOUNT_BAD_GROUPING),
        ("15 3140 00", money.AMOUNT_BAD_GROUPING),
        ("1234 567", money.AMOUNT_BAD_GROUPING),
        ("12,3,4", money.AMOUNT_BAD_GROUPING),
    ],
)
def test_ambiguous_separators_are_refused_naming_what_was_typed(text, refusal):
    with pytest.raises(AmountError) as error:
        parse_amount(text)
    assert message(error) == str(refusal) % {"text": text}
    assert text in message(error)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("1 234,50", "1234.50"),
        (7_746_000, "7746000"),
        (0, "0"),
        (1234.5, "1234.50"),
        (0.1 + 0.2, "0.30"),  # a float's binary noise beyond Excel's 15 digits is no öre
        (D("12.300"), "12.30"),
        (money.MAX_AMOUNT, "999999999999.99"),
    ],
)
def test_spreadsheet_cells_are_read_as_text_or_as_numbers(cell, amount):
    assert amount_from_cell(cell) == D(amount)


@pytest.mark.parametrize(
    ("cell", "refusal"),
    [
        (None, money.AMOUNT_EMPTY),
        (True, money.AMOUNT_NOT_A_NUMBER),
        (float("nan"), money.AMOUNT_NOT_A_NUMBER),
        (float("inf"), money.AMOUNT_NOT_A_NUMBER),
        (12.345, money.AMOUNT_TOO_MANY_DECIMALS),
        (D("1.0000000000000001"), money.AMOUNT_TOO_MANY_DECIMALS),  # a Decimal is exact: no 15-digit rounding
        (-3, money.AMOUNT_NEGATIVE),
        (1e20, money.AMOUNT_TOO_LARGE),
        (D("1E+40"), money.AMOUNT_TOO_LARGE),
    ],
)
def test_spreadsheet_cells_that_are_no_amount_are_refused(cell, refusal):
    with pytest.raises(AmountError) as error:
        amount_from_cell(cell)
    assert message(error) == str(refusal)


def test_a_negative_cell_is_read_where_negative_amounts_are_allowed():
    assert amount_from_cell(-3, allow_negative=True) == D(-3)
    assert amount_from_cell("−3,50", allow_negative=True) == D("-3.50")


# --- Reading percentages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "percent"),
    [("70", "70"), ("70 %", "70"), ("70%", "70"), ("70\u00a0%", "70"), ("70,5", "70.5"), ("33,33", "33.33"),
     ("30.5", "30.5"), ("0", "0"), ("100", "100"), ("100,00 %", "100"), ("+5", "5"), ("-0", "0")],
)  # fmt: skip
def test_keys_are_read_as_percentages(text, percent):
    assert parse_percent(text) == D(percent)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("", money.PERCENT_EMPTY),
        (None, money.PERCENT_EMPTY),
        ("sjuttio", money.PERCENT_NOT_A_NUMBER),
        ("70/30", money.PERCENT_NOT_A_NUMBER),
        ("%", money.PERCENT_NOT_A_NUMBER),
        ("100,01", money.PERCENT_OUT_OF_RANGE),
        ("101", money.PERCENT_OUT_OF_RANGE),
        ("-5", money.PERCENT_OUT_OF_RANGE),
        ("33,333", money.PERCENT_TOO_MANY_DECIMALS),
    ],
)
def test_what_is_not_a_key_is_refused_with_a_swedish_message(text, refusal):
    with pytest.raises(PercentError) as error:
        parse_percent(text)
    assert message(error) == str(refusal)


# --- Writing --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ore", "shown"),
    [
        ("15314000", None, "15 314 000 kr"),
        ("1234.50", None, "1 234,50 kr"),
        ("1234.5", True, "1 234,50 kr"),
        ("15314000", True, "15 314 000,00 kr"),
        ("0", None, "0 kr"),
        ("-0.00", None, "0 kr"),
        ("999", None, "999 kr"),
        ("1000", None, "1 000 kr"),
        ("-1234.5", None, "−1 234,50 kr"),
        ("1234.50", False, "1 235 kr"),
        ("1234.49", False, "1 234 kr"),
        ("-1234.50", False, "−1 235 kr"),
    ],
)
def test_amounts_are_shown_with_no_break_spaces_and_a_minus_sign(amount, ore, shown):
    assert format_amount(D(amount), ore=ore) == shown.replace(" ", NBSP)


def test_a_column_shows_ore_on_every_line_when_one_line_has_ore():
    assert has_ore([D("15314000"), D("1234.50")]) and not has_ore([D("15314000"), 350_000])
    column = [format_amount(a, ore=has_ore([D("15314000"), D("1234.5")])) for a in (D("15314000"), D("1234.5"))]
    assert column == [f"15{NBSP}314{NBSP}000,00{NBSP}kr", f"1{NBSP}234,50{NBSP}kr"]


@pytest.mark.parametrize(
    ("amount", "plain"),
    [("1234.5", "1234,50"), ("15314000", "15314000,00"), ("-250", "-250,00"), ("0.05", "0,05"), ("0", "0,00")],
)
def test_csv_amounts_have_a_decimal_comma_and_no_thousands_separator(amount, plain):
    assert format_plain(D(amount)) == plain


@pytest.mark.parametrize(("percent", "shown"), [("70", "70 %"), ("70.50", "70,5 %"), ("33.33", "33,33 %"), (0, "0 %")])
def test_keys_are_shown_as_percentages(percent, shown):
    assert format_percent(D(percent)) == shown.replace(" ", NBSP)


def test_floats_are_refused_because_they_are_not_exact():
    for call in (lambda: format_amount(0.1), lambda: split(0.1, 70), lambda: split(D(1), 70.0)):  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            call()


# --- Splitting a line by its key -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "region_percent", "region", "municipalities"),
    [
        ("0.01", 50, "0.01", "0.00"),  # half an öre each: the region's part rounds up
        ("0.03", 50, "0.02", "0.01"),
        ("0.03", 30, "0.01", "0.02"),  # 0,009 → 0,01
        ("0.01", 70, "0.01", "0.00"),  # 0,007 → 0,01
        ("0.01", 40, "0.00", "0.01"),  # 0,004 → 0,00
        ("-0.01", 50, "-0.01", "0.00"),  # a credit mirrors the charge
        ("100", 0, "0", "100"),
        ("100", 100, "100", "0"),
        ("1000", "33.33", "333.30", "666.70"),
    ],
)
def test_the_region_part_is_rounded_half_up_and_the_municipalities_get_the_rest(
    amount, region_percent, region, municipalities
):
    assert split(D(amount), D(region_percent)) == (D(region), D(municipalities))


@pytest.mark.parametrize(
    ("percent", "refusal"),
    [
        (D("100.01"), money.PERCENT_OUT_OF_RANGE),
        (-1, money.PERCENT_OUT_OF_RANGE),
        (D("70.001"), money.PERCENT_TOO_MANY_DECIMALS),
        (D("NaN"), money.PERCENT_NOT_A_NUMBER),
    ],
)
def test_a_key_that_is_no_percentage_is_refused(percent, refusal):
    with pytest.raises(PercentError) as error:
        split(D(100), percent)
    assert message(error) == str(refusal)


@pytest.mark.parametrize(
    ("amount", "refusal"),
    [(D("1.005"), money.AMOUNT_TOO_MANY_DECIMALS), (D("Infinity"), money.AMOUNT_NOT_A_NUMBER),
     (D("1E+13"), money.AMOUNT_TOO_LARGE)],
)  # fmt: skip
def test_an_amount_that_is_not_whole_ore_is_refused(amount, refusal):
    with pytest.raises(AmountError) as error:
        split(amount, 70)
    assert message(error) == str(refusal)


def test_trailing_zeros_are_no_ore():
    assert split(D("100.000"), D("70.000")) == (D(70), D(30))
    assert split(D("0.000"), D("0.000")) == (D(0), D(0))
    assert split(D("0.010"), D("0.0")) == (D(0), D("0.01"))
    assert split(D("1E+2"), 70) == (D(70), D(30))


def test_the_largest_amount_that_may_be_stored_is_accepted_and_one_ore_more_is_not():
    assert format_amount(money.MAX_AMOUNT) == "999 999 999 999,99 kr".replace(" ", NBSP)
    assert uplift(money.MAX_AMOUNT, 0, to="ore") == money.MAX_AMOUNT
    with pytest.raises(AmountError) as error:
        split(money.MAX_AMOUNT + D("0.01"), 70)
    assert message(error) == str(money.AMOUNT_TOO_LARGE)


# --- Largest remainder ----------------------------------------------------------------------------------------------


def test_the_left_over_ore_go_to_the_largest_remainders_and_ties_to_the_lower_code():
    assert largest_remainder(D("1.00"), {"1480": 1, "1401": 1, "1402": 1}) == {
        "1401": D("0.34"),
        "1402": D("0.33"),
        "1480": D("0.33"),
    }
    assert largest_remainder(D("0.05"), {"1480": 2, "1401": 1, "1402": 1}) == {
        "1401": D("0.01"),  # exact 0,0125 kr: remainder 0,25 öre
        "1402": D("0.01"),
        "1480": D("0.03"),  # exact 0,025 kr: the largest remainder (0,5 öre) gets the one left-over öre, not 1401
    }


def test_the_result_is_in_key_order_whatever_the_input_order():
    result = largest_remainder(D(100), {"1499": 3, "1401": 1, "1480": 5})
    assert list(result) == ["1401", "1480", "1499"]


def test_a_tie_order_may_rank_objects_by_their_code():
    class Municipality:
        def __init__(self, code: str) -> None:
            self.code = code

    a, b = Municipality("1402"), Municipality("1401")
    result = largest_remainder(D("0.01"), {a: 1, b: 1}, tie_order=lambda m: m.code)
    assert result == {b: D("0.01"), a: D("0.00")}


def test_zero_total_and_zero_weights_get_nothing():
    assert largest_remainder(D(0), {"1401": 5, "1402": 0}) == {"1401": D(0), "1402": D(0)}
    assert largest_remainder(D("0.03"), {"1401": 1, "1402": 0, "1403": 1}) == {
        "1401": D("0.02"),
        "1402": D("0.00"),
        "1403": D("0.01"),
    }


def test_a_negative_total_is_a_credit_split_as_the_mirror_of_the_charge():
    weights = {"1401": 1, "1402": 1, "1480": 1}
    credit = largest_remainder(D("-1.00"), weights)
    assert credit == {key: -part for key, part in largest_remainder(D("1.00"), weights).items()}
    assert sum(credit.values()) == D("-1.00")


@pytest.mark.parametrize("weights", [{}, {"1401": 0, "1402": 0}])
def test_nothing_to_split_by_is_refused(weights):
    with pytest.raises(AllocationError) as error:
        largest_remainder(D(100), weights)
    assert message(error) == str(money.WEIGHTS_ALL_ZERO)


@pytest.mark.parametrize("weight", [-1, 1.5, True, "40003", None])
def test_a_population_that_is_no_whole_number_is_refused_naming_the_municipality(weight):
    with pytest.raises(AllocationError) as error:
        largest_remainder(D(100), {"1401": 40_003, "1415": weight})
    assert message(error) == str(money.WEIGHT_INVALID) % {"key": "1415"}


# --- Periods --------------------------------------------------------------------------------------------------------


def test_period_labels_for_a_year():
    assert monthly_periods(2024)[:3] == ["2024-01", "2024-02", "2024-03"] and len(monthly_periods(2024)) == 12
    assert quarterly_periods(2024) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert half_yearly_periods(2024) == ["2024-H1", "2024-H2"]
    assert period_labels(2024, "quarterly") == quarterly_periods(2024)
    assert [period_frequency(p) for p in ("2024-03", "2024-Q1", "2024-H1")] == ["monthly", "quarterly", "half_yearly"]


def test_an_unknown_frequency_or_year_is_refused():
    with pytest.raises(AllocationError) as error:
        period_labels(2024, "weekly")  # type: ignore[arg-type]
    assert message(error) == str(money.FREQUENCY_UNKNOWN)
    assert monthly_periods(1000)[0] == "1000-01" and half_yearly_periods(9999)[-1] == "9999-H2"
    for year in (24, 999, 10_000, True, "2024"):
        with pytest.raises(AllocationError) as error:
            monthly_periods(year)
        assert message(error) == str(money.YEAR_OUT_OF_RANGE)


@pytest.mark.parametrize("label", ["2024-13", "2024-00", "2024-3", "2024-Q5", "2024-H3", "24-Q1", "mars", ""])
def test_a_label_that_is_no_period_is_refused_naming_it(label):
    with pytest.raises(AllocationError) as error:
        period_frequency(label)
    assert message(error) == str(money.PERIOD_UNKNOWN) % {"label": label}


def test_the_remainder_ore_go_to_the_earliest_periods_whatever_the_order_given():
    expected = {"2024-Q1": D("0.34"), "2024-Q2": D("0.33"), "2024-Q3": D("0.33"), "2024-Q4": D("0.33")}
    assert split_periods(D("1.33"), quarterly_periods(2024)) == expected
    reverse = split_periods(D("1.33"), list(reversed(quarterly_periods(2024))))
    assert list(reverse.items()) == list(expected.items())
    assert split_periods(D("-0.03"), half_yearly_periods(2024)) == {"2024-H1": D("-0.02"), "2024-H2": D("-0.01")}


@pytest.mark.parametrize(
    ("periods", "refusal"),
    [
        ([], money.PERIODS_EMPTY),
        (["2024-01", "2024-Q1"], money.PERIODS_MIXED),
        (["2024-01", "2024-01"], str(money.PERIOD_TWICE) % {"label": "2024-01"}),
        (["2024-01", "januari"], str(money.PERIOD_UNKNOWN) % {"label": "januari"}),
    ],
)
def test_periods_that_cannot_be_invoiced_are_refused(periods, refusal):
    with pytest.raises(AllocationError) as error:
        split_periods(D(100), periods)
    assert message(error) == str(refusal)


# --- Index uplift ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "percent", "to", "uplifted"),
    [
        ("7746000", "2.5", "thousand", "7940000"),  # 7 939 650
        ("7746000", "2.5", "krona", "7939650"),
        ("350000", "2.5", "thousand", "359000"),  # 358 750: half a thousand rounds up
        ("1234.56", "2.5", "ore", "1265.42"),  # 1 265,424
        ("1234.56", "2.5", "krona", "1265"),
        ("1", "50", "krona", "2"),  # 1,50 → 2
        ("-1", "50", "krona", "-2"),  # mirrored
        ("100", "-2.5", "krona", "98"),  # 97,50 → 98
        ("100", "2.4712", "ore", "102.47"),
        ("100", 0, "thousand", "0"),
        ("100", 100, "krona", "200"),  # the largest uplift
    ],
)
def test_an_index_uplift_is_rounded_half_up_to_the_chosen_unit(amount, percent, to, uplifted):
    result = uplift(D(amount), D(percent), to=to)
    assert result == D(uplifted) and result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("percent", "to", "refusal"),
    [
        (D("2.5"), "tkr", money.UPLIFT_UNKNOWN_UNIT),
        (D(-100), "krona", money.UPLIFT_OUT_OF_RANGE),
        (D("100.0001"), "krona", money.UPLIFT_OUT_OF_RANGE),
        (D("NaN"), "krona", money.UPLIFT_OUT_OF_RANGE),
        (D("2.47123"), "krona", money.UPLIFT_TOO_MANY_DECIMALS),
    ],
)
def test_an_uplift_that_cannot_be_made_is_refused(percent, to, refusal):
    with pytest.raises(PercentError) as error:
        uplift(D(100), percent, to=to)
    assert message(error) == str(refusal)


def test_an_uplift_beyond_what_may_be_stored_is_refused():
    with pytest.raises(AmountError) as error:
        uplift(money.MAX_AMOUNT, 1, to="ore")
    assert message(error) == str(money.AMOUNT_TOO_LARGE)


def test_every_refusal_is_a_value_error_with_its_message():
    assert issubclass(MoneyError, ValueError)
    assert all(issubclass(e, MoneyError) for e in (AmountError, PercentError, AllocationError))
    assert str(AmountError(money.AMOUNT_EMPTY)) == str(money.AMOUNT_EMPTY)


# --- Properties -----------------------------------------------------------------------------------------------------

ORE_AMOUNTS = st.integers(min_value=0, max_value=10**11).map(lambda ore: D(ore).scaleb(-2))  # 0 – 1 000 000 000 kr
KEYS = st.integers(min_value=0, max_value=10_000).map(lambda hundredths: D(hundredths).scaleb(-2))
# 49 populations; small ranges make ties (equal remainders) common, large ones real sizes; at least one above 0.
POPULATIONS = st.one_of(
    st.lists(st.integers(0, 3), min_size=49, max_size=49),
    st.lists(st.integers(0, 1_000_000), min_size=49, max_size=49),
).filter(any)
FREQUENCIES = st.sampled_from(["monthly", "quarterly", "half_yearly"])


def within_one_ore(part: Decimal, exact: Fraction) -> bool:
    return abs(Fraction(part) - exact) < Fraction(1, 100)


@given(ORE_AMOUNTS, KEYS)
def test_any_line_splits_into_parts_that_add_up_and_lie_within_half_an_ore(amount, key):
    region, municipalities = split(amount, key)
    assert region + municipalities == amount
    exact_region = Fraction(amount) * Fraction(key) / 100
    assert abs(Fraction(region) - exact_region) <= Fraction(1, 200)
    assert within_one_ore(municipalities, Fraction(amount) - exact_region)
    assert split(-amount, key) == (-region, -municipalities)


@given(ORE_AMOUNTS, POPULATIONS, st.randoms(use_true_random=False))
def test_any_total_splits_by_largest_remainder_exactly_and_independently_of_order(total, populations, rng):
    weights = dict(zip(CODES, populations, strict=True))
    result = largest_remainder(total, weights)
    assert sum(result.values()) == total
    weight_sum = sum(populations)
    assert all(within_one_ore(result[code], Fraction(total) * weights[code] / weight_sum) for code in CODES)
    assert all(result[code] == 0 for code in CODES if weights[code] == 0)
    shuffled = list(weights.items())
    rng.shuffle(shuffled)
    assert list(largest_remainder(total, dict(shuffled)).items()) == list(result.items())
    assert largest_remainder(-total, weights) == {code: -part for code, part in result.items()}


@hypothesis_settings(deadline=None)
@given(ORE_AMOUNTS, KEYS, POPULATIONS, FREQUENCIES, st.integers(2000, 2100), st.randoms(use_true_random=False))
def test_any_budget_line_is_invoiced_to_the_49_per_period_to_the_ore(amount, key, populations, frequency, year, rng):
    region, share = split(amount, key)
    periods = period_labels(year, frequency)
    weights = dict(zip(CODES, populations, strict=True))

    def invoice(weights, periods):
        return {code: split_periods(part, periods) for code, part in largest_remainder(share, weights).items()}

    cells = invoice(weights, periods)
    assert sum(sum(row.values()) for row in cells.values()) == share
    assert sum(sum(row.values()) for row in cells.values()) + region == amount
    weight_sum, n = sum(populations), len(periods)
    for code, row in cells.items():
        exact = Fraction(share) * weights[code] / weight_sum / n
        assert list(row) == periods and all(within_one_ore(cell, exact) for cell in row.values())
    shuffled_weights, shuffled_periods = list(weights.items()), list(periods)
    rng.shuffle(shuffled_weights)
    rng.shuffle(shuffled_periods)
    again = invoice(dict(shuffled_weights), shuffled_periods)
    assert [(code, list(row.items())) for code, row in again.items()] == [
        (code, list(row.items())) for code, row in cells.items()
    ]


@given(st.integers(min_value=-(10**11), max_value=10**11).map(lambda ore: D(ore).scaleb(-2)))
def test_what_is_shown_reads_back_as_the_same_amount(amount):
    assert parse_amount(format_amount(amount), allow_negative=True) == amount
    assert parse_amount(format_amount(amount, ore=True), allow_negative=True) == amount
    assert parse_amount(format_plain(amount), allow_negative=True) == amount
    assert amount_from_cell(format_plain(amount), allow_negative=True) == amount
