"""The invoicing plan and basis (issue 11, item 6): the municipalities' share split among the 49 by population and
over the periods exactly to the öre, its page, CSV, Excel and command, who may see and change it, and the yearly
reconciliation. Years are relative to the demo plans' years (which follow the calendar), never fixed."""

import csv
import datetime
import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from documents import budget, invoicing, money, rules
from documents import services as plan_services
from documents.models import Budget, BudgetLine, InvoicingPlan, ManagementPlan
from governance import population
from governance.models import Organisation, PopulationFigure
from tests.factories import sitiv_decision

NBSP = "\u00a0"


# --- helpers ------------------------------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fill_population(year: int, *, bump: int = 0, skip: str | None = None) -> dict[str, int]:
    """Figures for every municipality for `year` (replacing what there was): the demo's own, varied by `bump` per
    mille and by code so years differ. `skip`: leave that code out."""
    known = population.municipalities()
    PopulationFigure.objects.filter(year=year).delete()
    figures = {}
    for n, (code, org) in enumerate(sorted(known.items())):
        if code == skip:
            continue
        figures[code] = 10_000 + 997 * n + bump * (n % 7)
        PopulationFigure(organisation=org, year=year, population=figures[code]).save()
    return figures


def share(plan) -> Decimal:
    return budget.table(Budget.objects.get(plan=plan)).total.municipalities


@pytest.fixture
def in_force(db):
    return ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)


@pytest.fixture
def draft(in_force):
    """Next year's plan, not yet in force (on review: its round asks every subregion), with the same lines."""
    return ManagementPlan.objects.get(managed_object=in_force.managed_object, year=in_force.year + 1)


@pytest.fixture
def figures(draft):
    """Complete figures for the year before the draft's budget year."""
    return fill_population(draft.year - 1)


def url(name, plan):
    return reverse(f"documents:{name}", kwargs={"pk": plan.pk})


# --- the pure computation (property-based) -------------------------------------------------------------------------

CODES = [str(1401 + n) for n in range(49)]
populations_49 = st.lists(st.integers(min_value=1, max_value=1_000_000), min_size=49, max_size=49)
shares = st.integers(min_value=0, max_value=10**11).map(lambda ore: Decimal(ore).scaleb(-2))
frequencies = st.sampled_from(["monthly", "quarterly", "half_yearly"])


@hypothesis_settings(max_examples=150, deadline=None)
@given(share=shares, weights=populations_49, frequency=frequencies, data=st.data())
def test_any_share_splits_exactly_within_one_ore_and_independent_of_order(share, weights, frequency, data):
    periods = money.period_labels(2030, frequency)
    pops = dict(zip(CODES, weights, strict=True))
    result = invoicing.split_share(share, pops, periods)
    amounts = [a for by_period in result.values() for a in by_period.values()]
    assert len(amounts) == 49 * len(periods)
    assert sum(amounts, Decimal(0)) == share  # the 49 × periods add up exactly
    total = sum(weights)
    for code, by_period in result.items():
        year = sum(by_period.values(), Decimal(0))
        exact = Fraction(int(share * 100) * pops[code], total)  # in öre
        assert abs(Fraction(int(year * 100)) - exact) < 1, code  # within one öre of the exact share
        assert max(by_period.values()) - min(by_period.values()) <= Decimal("0.01")
        assert list(by_period.values()) == sorted(by_period.values(), reverse=True)  # öre to the earliest
    shuffled = data.draw(st.permutations(list(pops.items())))
    again = invoicing.split_share(share, dict(shuffled), list(reversed(periods)))
    assert again == result and list(again) == list(result)  # the same whatever the order of the input


def test_ties_go_to_the_lower_municipality_code():
    one_ore = Decimal("0.01")
    for order in (["1402", "1401"], ["1401", "1402"]):
        result = invoicing.split_share(one_ore, dict.fromkeys(order, 5), ["2030-H1", "2030-H2"])
        assert result["1401"] == {"2030-H1": one_ore, "2030-H2": Decimal("0.00")}
        assert result["1402"] == {"2030-H1": Decimal("0.00"), "2030-H2": Decimal("0.00")}
    # Numeric order of the code, which for four-digit codes is their string order too
    assert invoicing.split_share(one_ore, {"1499": 1, "1401": 1}, ["2030-01"])["1401"]["2030-01"] == one_ore


@pytest.mark.parametrize(
    ("period", "advance", "arrears"),
    [
        ("2030-01", "2030-01-01", "2030-02-01"),
        ("2030-12", "2030-12-01", "2031-01-01"),
        ("2030-Q1", "2030-01-01", "2030-04-01"),
        ("2030-Q4", "2030-10-01", "2031-01-01"),
        ("2030-H1", "2030-01-01", "2030-07-01"),
        ("2030-H2", "2030-07-01", "2031-01-01"),
    ],
)
def test_invoice_date_is_the_first_day_in_advance_and_the_day_after_in_arrears(period, advance, arrears):
    assert invoicing.invoice_date(period, "advance") == datetime.date.fromisoformat(advance)
    assert invoicing.invoice_date(period, "arrears") == datetime.date.fromisoformat(arrears)


# --- the basis from the database -----------------------------------------------------------------------------------


def test_default_basis_is_each_municipality_monthly_in_advance_by_the_latest_complete_year(draft, figures):
    fill_population(draft.year - 3, bump=5)  # an older complete year is not chosen
    result = invoicing.basis(draft)
    assert result.population_year == draft.year - 1
    assert result.population_source == "senaste året med folkmängd för alla 49"
    assert result.invoicing.pk is None and result.invoicing.frequency == "monthly"
    assert len(result.rows) == 49 * 12 and len(result.totals) == 49
    assert result.share == share(draft) and result.grand_total == result.share
    assert sum(result.totals.values(), Decimal(0)) == result.share
    assert all(r.fakturadatum == datetime.date(draft.year, int(r.period[5:]), 1) for r in result.rows)
    assert result.periods == money.monthly_periods(draft.year)


def test_an_incomplete_latest_year_falls_back_to_the_latest_complete_one(draft):
    fill_population(draft.year - 2)
    fill_population(draft.year - 1, skip="1480")
    assert invoicing.basis(draft).population_year == draft.year - 2


def test_a_chosen_year_lacking_a_municipality_is_refused_naming_it(draft, figures):
    fill_population(draft.year - 2, skip="1480")
    with pytest.raises(invoicing.InvoicingError) as refused:
        invoicing.basis(draft, population_year=draft.year - 2)
    assert "Göteborg (1480)" in refused.value.message and "/folkmangd/importera/" in refused.value.message
    chosen = invoicing.basis(draft, population_year=draft.year - 1)
    assert chosen.population_source == "valt"


def test_no_complete_year_says_to_import_population(draft):
    PopulationFigure.objects.filter(year__lt=draft.year).delete()
    fill_population(draft.year - 1, skip="1401")  # a year with a gap is no year to invoice by
    with pytest.raises(invoicing.InvoicingError, match="/folkmangd/importera/"):
        invoicing.basis(draft)


def test_a_budget_without_lines_is_refused(draft, figures):
    BudgetLine.objects.filter(budget__plan=draft).delete()
    with pytest.raises(invoicing.InvoicingError, match="Lägg till budgetraderna först"):
        invoicing.basis(draft)


def test_timing_changes_the_dates_not_the_amounts(draft, figures, coordinator):
    advance = invoicing.basis(draft)
    invoicing.invoicing_plan_save(
        actor=coordinator, plan=draft, counterparty="municipalities", frequency="monthly", timing="arrears"
    )
    arrears = invoicing.basis(draft)
    assert [r.belopp for r in arrears.rows] == [r.belopp for r in advance.rows]
    last = [r for r in arrears.rows if r.period == f"{draft.year}-12"][0]
    assert last.fakturadatum == datetime.date(draft.year + 1, 1, 1)


@pytest.mark.parametrize(("frequency", "n"), [("quarterly", 4), ("half_yearly", 2)])
def test_quarterly_and_half_yearly(draft, figures, coordinator, frequency, n):
    invoicing.invoicing_plan_save(
        actor=coordinator, plan=draft, counterparty="municipalities", frequency=frequency, timing="advance"
    )
    result = invoicing.basis(draft)
    assert len(result.rows) == 49 * n and result.grand_total == share(draft)
    assert result.periods == money.period_labels(draft.year, frequency)


def test_one_counterparty_gets_the_whole_share_per_period(draft, coordinator):
    vastkom = Organisation.objects.get(slug="vastkom")
    invoicing.invoicing_plan_save(
        actor=coordinator,
        plan=draft,
        counterparty="single",
        organisation=vastkom,
        frequency="quarterly",
        timing="arrears",
    )
    result = invoicing.basis(draft)  # no population needed
    assert [r.kommun for r in result.rows] == ["VästKom"] * 4
    assert result.grand_total == share(draft) and result.population_year is None
    assert result.rows[0].fakturadatum == datetime.date(draft.year, 4, 1)


# --- the service ---------------------------------------------------------------------------------------------------


def test_coordinator_saves_the_invoicing_plan_with_history(draft, coordinator, figures):
    saved = invoicing.invoicing_plan_save(
        actor=coordinator,
        plan=draft,
        counterparty="municipalities",
        frequency="quarterly",
        timing="arrears",
        population_year=draft.year - 1,
    )
    assert InvoicingPlan.objects.get(budget__plan=draft).frequency == "quarterly"
    entry = saved.history.latest()
    assert entry.history_user == coordinator and entry.history_change_reason == "Faktureringsplan sparad"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"counterparty": "single"}, "organisation", "Välj vilken organisation"),
        ({"counterparty": "municipalities", "organisation": "vastkom"}, "organisation", "bara när en motpart"),
        ({"counterparty": "single", "organisation": "goteborg"}, "organisation", "är en av kommunerna"),
        ({"counterparty": "municipalities", "population_year": "incomplete"}, "population_year", "Göteborg (1480)"),
    ],
)
def test_the_plans_own_rules_are_refused_on_the_field(draft, coordinator, fields, field, message):
    from django.core.exceptions import ValidationError

    fill_population(draft.year - 2, skip="1480")
    kwargs = dict(fields)
    if "organisation" in kwargs:
        kwargs["organisation"] = Organisation.objects.get(slug=kwargs["organisation"])
    if kwargs.get("population_year") == "incomplete":
        kwargs["population_year"] = draft.year - 2
    with pytest.raises(ValidationError) as refused:
        invoicing.invoicing_plan_save(actor=coordinator, plan=draft, frequency="monthly", timing="advance", **kwargs)
    assert message in " ".join(refused.value.message_dict[field])
    assert not InvoicingPlan.objects.filter(budget__plan=draft).exists()


def test_a_decided_budget_refuses_saving(draft, coordinator):
    from django.core.exceptions import ValidationError

    Budget.objects.filter(plan=draft).update(decision=sitiv_decision())
    assert rules.budget_edit_check(coordinator, draft)  # the rule itself
    with pytest.raises(ValidationError, match="beslut"):
        invoicing.invoicing_plan_save(
            actor=coordinator, plan=draft, counterparty="municipalities", frequency="monthly", timing="advance"
        )
    assert not InvoicingPlan.objects.filter(budget__plan=draft).exists()


def test_a_locked_plan_refuses_saving(in_force, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        invoicing.invoicing_plan_save(
            actor=coordinator, plan=in_force, counterparty="municipalities", frequency="monthly", timing="advance"
        )


def test_a_budget_without_lines_cannot_get_an_invoicing_plan(draft, coordinator):
    from django.core.exceptions import ValidationError

    BudgetLine.objects.filter(budget__plan=draft).delete()
    with pytest.raises(ValidationError, match="Lägg till budgetraderna först"):
        invoicing.invoicing_plan_save(
            actor=coordinator, plan=draft, counterparty="municipalities", frequency="monthly", timing="advance"
        )


# --- the form page: every role -------------------------------------------------------------------------------------

FORM = {"counterparty": "municipalities", "organisation": "", "frequency": "quarterly", "timing": "advance"}
# On the draft (its review round asks every subregion): who sees the plan but may not change it gets 403, who does
# not see it 404; anonymous users are sent to sign in.
POST_REFUSED = {
    "rep_fyrbodal": 403,
    "preparer": 403,
    "secretary": 404,
    "admin_fyrbodal": 404,
    "reader": 404,
}


@pytest.mark.parametrize("role", ["coordinator", "admin_user"])
def test_allowed_roles_save_the_invoicing_plan(role, request, draft):
    response = signed_in(request.getfixturevalue(role)).post(url("invoicing_plan_edit", draft), FORM)
    assert response.status_code == 302 and response["Location"] == url("invoicing_basis", draft)
    assert InvoicingPlan.objects.get(budget__plan=draft).frequency == "quarterly"


@pytest.mark.parametrize(("role", "status"), POST_REFUSED.items())
def test_other_roles_may_not_save_the_invoicing_plan(role, status, request, draft):
    response = signed_in(request.getfixturevalue(role)).post(url("invoicing_plan_edit", draft), FORM)
    assert response.status_code == status
    assert not InvoicingPlan.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, draft):
    response = client.post(url("invoicing_plan_edit", draft), FORM)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    assert not InvoicingPlan.objects.exists()


def test_the_form_keeps_what_was_typed_and_names_the_field(draft, coordinator):
    response = signed_in(coordinator).post(url("invoicing_plan_edit", draft), {**FORM, "counterparty": "single"})
    page = response.content.decode()
    assert response.status_code == 200 and "Välj vilken organisation som faktureras" in page
    assert re.search(r'value="single"[^>]*checked', page)
    assert not InvoicingPlan.objects.exists()


def test_a_bad_year_is_a_field_error(draft, coordinator):
    response = signed_in(coordinator).post(url("invoicing_plan_edit", draft), {**FORM, "population_year": "tjugo"})
    assert response.status_code == 200 and "Skriv året med fyra siffror" in response.content.decode()


def test_the_locked_plan_is_refused_on_the_form(in_force, coordinator):
    client = signed_in(coordinator)
    assert "kan inte ändras" in client.get(url("invoicing_plan_edit", in_force)).content.decode()
    response = client.post(url("invoicing_plan_edit", in_force), FORM)
    assert response.status_code == 200 and response.context["form"].errors
    assert not InvoicingPlan.objects.exists()


def test_the_form_shows_the_default(draft, coordinator):
    form = signed_in(coordinator).get(url("invoicing_plan_edit", draft)).context["form"]
    assert form.initial["counterparty"] == "municipalities" and form.initial["frequency"] == "monthly"
    assert form.initial["timing"] == "advance"


# --- the pages: who sees them --------------------------------------------------------------------------------------

GET_ON_DRAFT = {
    "coordinator": 200,
    "admin_user": 200,
    "preparer": 200,
    "rep_fyrbodal": 200,
    "rep_skaraborg": 200,
    "secretary": 404,
    "admin_fyrbodal": 404,
    "reader": 404,
}


@pytest.mark.parametrize("name", ["invoicing_basis", "invoicing_basis_csv", "invoicing_reconciliation"])
@pytest.mark.parametrize(("role", "status"), GET_ON_DRAFT.items())
def test_who_sees_the_pages(name, role, status, request, draft, figures):
    response = signed_in(request.getfixturevalue(role)).get(url(name, draft))
    assert response.status_code == status


def test_on_a_public_plan_a_reader_is_refused_and_anonymous_sent_to_sign_in(client, in_force, reader):
    assert signed_in(reader).get(url("invoicing_basis", in_force)).status_code == 403
    response = client.get(url("invoicing_basis", in_force))
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


def test_a_representative_reads_but_may_not_change(draft, figures, rep_fyrbodal):
    page = signed_in(rep_fyrbodal).get(url("invoicing_basis", draft)).content.decode()
    assert "Faktureringsunderlag" in page and url("invoicing_plan_edit", draft) not in page
    assert signed_in(rep_fyrbodal).get(url("invoicing_plan_edit", draft)).status_code == 403


def test_the_plan_page_links_the_basis_and_the_invoicing_plan(draft, coordinator, rep_fyrbodal):
    page = signed_in(coordinator).get(draft.get_absolute_url()).content.decode()
    assert url("invoicing_basis", draft) in page and url("invoicing_plan_edit", draft) in page
    page = signed_in(rep_fyrbodal).get(draft.get_absolute_url()).content.decode()
    assert url("invoicing_basis", draft) in page and url("invoicing_plan_edit", draft) not in page
    Budget.objects.filter(plan=draft).update(decision=sitiv_decision())
    page = signed_in(coordinator).get(draft.get_absolute_url()).content.decode()
    assert url("invoicing_basis", draft) in page and url("invoicing_plan_edit", draft) not in page


def test_the_public_plan_page_does_not_link_the_basis(client, in_force):
    assert url("invoicing_basis", in_force) not in client.get(in_force.get_absolute_url()).content.decode()


def test_the_basis_page_shows_the_summary_and_the_table(draft, figures, coordinator):
    page = signed_in(coordinator).get(url("invoicing_basis", draft)).content.decode()
    assert money.format_amount(share(draft)) in page
    assert f"{draft.year - 1} (senaste året med folkmängd för alla 49)" in page
    assert "Månadsvis, i förskott" in page and "Fakturadatum" in page
    assert page.count('<th scope="row" data-label="Kommun">') == 49 + 1  # 49 municipalities and the sum
    assert f'data-label="{draft.year}-12"' in page and 'class="responsive invoicing"' in page
    assert url("invoicing_basis_csv", draft) in page and url("invoicing_basis_xlsx", draft) in page


def test_the_basis_page_says_what_to_do_without_population(draft, coordinator):
    PopulationFigure.objects.filter(year__lt=draft.year).delete()
    response = signed_in(coordinator).get(url("invoicing_basis", draft))
    page = response.content.decode()
    assert response.status_code == 200 and "/folkmangd/importera/" in page and "<table" not in page


def test_the_basis_page_says_what_to_do_without_lines(draft, coordinator, figures):
    BudgetLine.objects.filter(budget__plan=draft).delete()
    page = signed_in(coordinator).get(url("invoicing_basis", draft)).content.decode()
    assert "Lägg till budgetraderna först" in page


def test_a_download_without_a_basis_goes_back_with_the_reason(draft, coordinator):
    PopulationFigure.objects.filter(year__lt=draft.year).delete()
    response = signed_in(coordinator).get(url("invoicing_basis_xlsx", draft), follow=True)
    assert "/folkmangd/importera/" in response.content.decode()


# The session and the user, the memberships behind the roles, the plan with its rounds and their subregions (the
# rule), the rows' versions (one query), the budget for the edit rule: 8. The basis itself is kept per version of its
# rows (invoicing_views.basis_tables); building it asks the budget with its invoicing plan and decision, its lines,
# the latest complete year (two queries), the municipalities and that year's figures: the 49 are fixed, and years of
# population data add no query: 14 when it is built.
BASIS_PAGE_QUERIES = 8
BASIS_REBUILT_QUERIES = 14


def test_the_basis_page_asks_the_same_queries_with_more_years_of_population(
    draft, coordinator, figures, django_assert_num_queries
):
    from core.kept import forget_all

    client = signed_in(coordinator)
    client.get(url("invoicing_basis", draft))  # warm up
    with django_assert_num_queries(BASIS_PAGE_QUERIES):
        assert client.get(url("invoicing_basis", draft)).status_code == 200
    for back in range(2, 12):
        fill_population(draft.year - back, bump=back)
    with django_assert_num_queries(BASIS_REBUILT_QUERIES):  # rebuilt: the figures changed
        assert client.get(url("invoicing_basis", draft)).status_code == 200
    forget_all()
    with django_assert_num_queries(BASIS_REBUILT_QUERIES):
        assert client.get(url("invoicing_basis", draft)).status_code == 200


def test_the_kept_basis_follows_a_change_of_its_rows(draft, coordinator, figures):
    """The basis is kept per version of the rows it reads: a new population figure, a changed line or invoicing
    plan shows at once."""
    client = signed_in(coordinator)
    before = client.get(url("invoicing_basis", draft)).content.decode()
    line = BudgetLine.objects.filter(budget__plan=draft).order_by("position").first()
    line.amount += 1200
    plan_services.budget_line_save(actor=coordinator, plan=draft, line=line)
    after = client.get(url("invoicing_basis", draft)).content.decode()
    assert money.format_amount(share(draft)) in after and after != before
    fill_population(draft.year - 1, bump=3)
    assert client.get(url("invoicing_basis", draft)).content.decode() != after


# --- CSV and Excel -------------------------------------------------------------------------------------------------


def test_csv_exact_format(draft, figures, coordinator):
    response = signed_in(coordinator).get(url("invoicing_basis_csv", draft))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"faktureringsunderlag-{draft.managed_object.slug}-{draft.year}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "kommunkod;kommun;period;belopp"
    assert len(lines) == 1 + 49 * 12
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    for code, name, period, amount in rows:
        assert re.fullmatch(r"14\d\d", code) and name
        assert re.fullmatch(rf"{draft.year}-(0[1-9]|1[0-2])", period)
        assert re.fullmatch(r"\d+,\d\d", amount), amount  # decimal comma, no thousands separator
    assert rows == sorted(rows, key=lambda r: (int(r[0]), r[2]))
    assert sum(Decimal(r[3].replace(",", ".")) for r in rows) == share(draft)
    assert "Göteborg" in text  # UTF-8, not escaped


def test_csv_amount_formatting():
    row = invoicing.Row("1480", "Göteborg", "2030-03", Decimal("12345.67"), datetime.date(2030, 3, 1))
    assert invoicing.to_csv([row]) == "kommunkod;kommun;period;belopp\r\n1480;Göteborg;2030-03;12345,67\r\n"


def test_xlsx_read_back(draft, figures, coordinator):
    from openpyxl import load_workbook

    response = signed_in(coordinator).get(url("invoicing_basis_xlsx", draft))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Faktureringsunderlag"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("kommunkod", "kommun", "period", "belopp")
    data = [r for r in rows[1:] if r[2]]
    assert len(data) == 49 * 12
    total = sum(Decimal(str(r[3])).quantize(Decimal("0.01")) for r in data)
    assert total == share(draft)
    assert all(isinstance(r[0], str) and isinstance(r[3], float | int) for r in data)
    summa = rows[-1]
    assert summa[1] == "Summa" and Decimal(str(summa[3])).quantize(Decimal("0.01")) == share(draft)
    assert summa[4] == f"=SUM(D2:D{len(data) + 1})"
    assert sheet.cell(2, 4).number_format == "#,##0.00" and sheet.cell(2, 1).number_format == "@"


# --- the command ---------------------------------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("invoice_basis", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_writes_csv_to_stdout(draft, figures):
    out, err = run("--plan-year", str(draft.year), "--managed-object", draft.managed_object.slug)
    lines = out.splitlines()
    assert lines[0] == "kommunkod;kommun;period;belopp" and len(lines) == 1 + 49 * 12
    assert f"Folkmängd från {draft.year - 1}" in err


def test_command_filters_a_period_and_takes_a_population_year(draft, figures):
    fill_population(draft.year - 2, bump=3)
    out, err = run(
        "--plan-year", str(draft.year), "--period", f"{draft.year}-03", "--population-year", str(draft.year - 2)
    )
    lines = out.splitlines()[1:]
    assert len(lines) == 49 and all(f";{draft.year}-03;" in line for line in lines)
    assert f"Folkmängd från {draft.year - 2} (valt)" in err


def test_command_writes_xlsx(draft, figures, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "underlag.xlsx"
    run("--plan-year", str(draft.year), "--format", "xlsx", "--output", str(target))
    rows = [r for r in load_workbook(target)["Faktureringsunderlag"].iter_rows(min_row=2, values_only=True) if r[2]]
    assert len(rows) == 49 * 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--output"),
        (["--period", "{y}-Q1"], "finns inte i faktureringsplanen"),
        (["--period", "mars"], "ingen period"),
        (["--population-year", "{old}"], "saknas för"),
        (["--managed-object", "finns-inte"], "ingen förvaltningsplan"),
    ],
)
def test_command_errors_are_swedish(draft, figures, args, message):
    args = [a.format(y=draft.year, old=draft.year - 5) for a in args]
    with pytest.raises(CommandError, match=message):
        run("--plan-year", str(draft.year), *args)


def test_command_without_a_plan_for_the_year(db):
    with pytest.raises(CommandError, match="ingen förvaltningsplan"):
        run("--plan-year", "1999")


# --- the reconciliation --------------------------------------------------------------------------------------------


def test_reconciliation_differences_settle_to_zero(draft, figures, coordinator):
    fill_population(draft.year, bump=40)  # the final figures differ from those invoiced
    result = invoicing.reconciliation(draft)
    assert len(result.rows) == 49 and result.final_year == draft.year
    assert result.total_difference == Decimal("0.00")
    assert any(r.difference for r in result.rows)
    assert sum((r.final for r in result.rows), Decimal(0)) == share(draft)
    invoiced = invoicing.basis(draft).totals
    assert all(row.invoiced == invoiced[row.kommunkod] for row in result.rows)
    page = signed_in(coordinator).get(url("invoicing_reconciliation", draft)).content.decode()
    assert "Att reglera" in page and "31 december" in page and "0,00" + NBSP + "kr" in page


def test_reconciliation_without_final_figures_says_what_to_do(draft, figures, coordinator):
    PopulationFigure.objects.filter(year=draft.year).delete()
    page = signed_in(coordinator).get(url("invoicing_reconciliation", draft)).content.decode()
    assert "Den slutliga folkmängden" in page and "/folkmangd/importera/" in page


def test_reconciliation_with_one_counterparty_explains(draft, coordinator):
    invoicing.invoicing_plan_save(
        actor=coordinator,
        plan=draft,
        counterparty="single",
        organisation=Organisation.objects.get(slug="vastkom"),
        frequency="quarterly",
        timing="arrears",
    )
    with pytest.raises(invoicing.InvoicingError, match="VästKom"):
        invoicing.reconciliation(draft)


def test_one_counterparty_in_the_csv(draft, coordinator):
    vastkom = Organisation.objects.get(slug="vastkom")
    invoicing.invoicing_plan_save(
        actor=coordinator,
        plan=draft,
        counterparty="single",
        organisation=vastkom,
        frequency="half_yearly",
        timing="arrears",
    )
    text = signed_in(coordinator).get(url("invoicing_basis_csv", draft)).content.decode()
    code = vastkom.code or vastkom.org_number
    half = money.format_plain(share(draft) / 2)
    assert text.splitlines() == [
        "kommunkod;kommun;period;belopp",
        f"{code};VästKom;{draft.year}-H1;{half}",
        f"{code};VästKom;{draft.year}-H2;{half}",
    ]


def test_a_decided_budget_hides_the_edit_link_on_the_basis_page(draft, coordinator, figures):
    client = signed_in(coordinator)
    assert url("invoicing_plan_edit", draft) in client.get(url("invoicing_basis", draft)).content.decode()
    Budget.objects.filter(plan=draft).update(decision=sitiv_decision())
    assert url("invoicing_plan_edit", draft) not in client.get(url("invoicing_basis", draft)).content.decode()


def test_the_form_page_without_lines_says_to_add_lines_first(draft, coordinator):
    BudgetLine.objects.filter(budget__plan=draft).delete()
    page = signed_in(coordinator).get(url("invoicing_plan_edit", draft)).content.decode()
    assert "Lägg till budgetraderna först" in page and "<form" not in page.split("<main")[1]
