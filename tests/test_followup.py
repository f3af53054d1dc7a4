"""Budget follow-up (issue 11 item 7): the figures exact to the öre (outcome to date, forecast, deviation, sums), the
follow-up page with its accessible chart, entering and importing outcome, the quarterly report kept as issued, who
may do what, and query counts that do not grow with the lines."""

import re
from decimal import Decimal
from io import BytesIO

import pikepdf
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core import store
from documents import followup, followup_views
from documents.models import BudgetLine, BudgetOutcome, ManagementPlan, QuarterlyReport
from tests.test_pdf_accessibility import facts

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
REFUSED_ROLES = ["rep_fyrbodal", "secretary", "preparer", "admin_fyrbodal", "reader"]


def kr(figure: str) -> str:
    return figure.replace(" ", NBSP).replace("-", "\u2212") + NBSP + "kr"


def structure_tags(data: bytes) -> set[str]:
    """The structure element types of a tagged PDF (its /StructTreeRoot, walked)."""
    found: set[str] = set()
    with pikepdf.open(BytesIO(data)) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    found.add(str(node.S))
                kids = node.get("/K")
                if kids is not None:
                    stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
            elif isinstance(node, pikepdf.Array):
                stack.extend(node)
    return found


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _no_demo_outcome(db):
    """These tests start from a budget without outcome: the demo's two quarters of 2026 are removed."""
    BudgetOutcome.objects.all().delete()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # core.pdf keeps rendered PDFs by their input
    return tmp_path


@pytest.fixture
def plan(db):
    """The demo's plan in force (2026), seed 003's budget; its outcome (if the demo has any) removed."""
    plan = ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)
    BudgetOutcome.objects.filter(line__budget__plan=plan).delete()
    BudgetLine.objects.filter(budget__plan=plan).update(forecast=None)
    return plan


@pytest.fixture
def draft(db):
    """The demo's 2027 plan: not yet in force (in its review round), the same budget lines."""
    return ManagementPlan.objects.get(year=2027)


def lines_of(plan) -> list[BudgetLine]:
    return list(BudgetLine.objects.filter(budget__plan=plan).order_by("position", "id"))


def outcome_form(plan, values: dict[int, str], forecasts: dict[int, str] | None = None) -> dict:
    data = {}
    for line in lines_of(plan):
        data[f"utfall_{line.pk}"] = values.get(line.pk, "")
        data[f"prognos_{line.pk}"] = (forecasts or {}).get(line.pk, "")
    return data


# --- the figures -------------------------------------------------------------------------------


def _line(pk: int, amount: Decimal, heading: str = "", forecast: Decimal | None = None) -> BudgetLine:
    return BudgetLine(pk=pk, heading=heading, name=f"Rad {pk}", amount=amount, own_region_percent=50, forecast=forecast)


def test_forecast_is_outcome_plus_the_budget_of_the_quarters_left_to_the_ore():
    lines = [_line(1, Decimal("7746000")), _line(2, Decimal("1000.01")), _line(3, Decimal("400"), forecast=Decimal(90))]
    outcomes = [
        BudgetOutcome(line_id=1, quarter=1, amount=Decimal("1900000")),
        BudgetOutcome(line_id=1, quarter=2, amount=Decimal("2000000")),
        BudgetOutcome(line_id=2, quarter=1, amount=Decimal("-10.50")),  # a credit
    ]
    t = followup.compute(lines, outcomes)
    first, second, third = t.rows
    assert t.elapsed == 2  # the last quarter with outcome on any line
    assert first.outcome == Decimal("3900000") and first.forecast == Decimal("7773000")  # 3 900 000 + 7 746 000 / 2
    assert first.deviation == Decimal("-27000")  # over budget
    assert second.outcome == Decimal("-10.50")
    assert second.forecast == Decimal("-10.50") + Decimal("500.01")  # 1 000,01 × 2/4 = 500,005 → 500,01
    assert third.forecast == Decimal(90) and third.deviation == Decimal(310) and third.forecast_entered
    assert t.total.forecast == first.forecast + second.forecast + third.forecast
    assert first.shown["deviation"] == "\u221227\u00a0000,00\u00a0kr"  # öre shown throughout: a figure has öre


def test_no_outcome_forecasts_the_budget():
    t = followup.compute([_line(1, Decimal("350000"))], [])
    assert (t.elapsed, t.rows[0].forecast, t.rows[0].deviation, t.has_outcome) == (0, Decimal(350000), 0, False)


def test_through_counts_only_the_quarters_up_to_the_report():
    outcomes = [BudgetOutcome(line_id=1, quarter=q, amount=Decimal(100)) for q in (1, 2, 3)]
    t = followup.compute([_line(1, Decimal(1000))], outcomes, through=1)
    assert (t.elapsed, t.rows[0].outcome, t.rows[0].forecast) == (1, Decimal(100), Decimal(850))


amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False)
outcome_amounts = st.decimals(min_value=Decimal("-999999.99"), max_value=Decimal("9999999.99"), places=2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(amounts, st.sampled_from(["Drift", "Utveckling", ""]), st.one_of(st.none(), amounts)),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.tuples(st.integers(0, 7), st.integers(1, 4), outcome_amounts), max_size=20),
    st.integers(1, 4),
)
def test_totals_are_the_sums_of_the_rows_and_deviation_is_budget_less_forecast(spec, entered, through):
    lines = [_line(i + 1, amount, heading, forecast) for i, (amount, heading, forecast) in enumerate(spec)]
    seen, outcomes = set(), []
    for index, quarter, amount in entered:
        key = (index % len(lines) + 1, quarter)
        if key not in seen:
            seen.add(key)
            outcomes.append(BudgetOutcome(line_id=key[0], quarter=quarter, amount=amount))
    t = followup.compute(lines, outcomes, through=through)
    elapsed = max((q for _l, q in seen if q <= through), default=0)
    assert t.elapsed == elapsed
    for row in t.rows:
        assert row.deviation == row.budget - row.forecast
        assert row.outcome == sum(row.quarters, Decimal(0))
        if row.line.forecast is None:
            exact = row.outcome + row.budget * (4 - elapsed) / 4
            assert abs(row.forecast - exact) <= Decimal("0.005")
            assert row.forecast == row.forecast.quantize(Decimal("0.01"))
    for group in t.groups:
        for name in ("budget", "outcome", "forecast", "deviation"):
            assert getattr(group.sums, name) == sum((getattr(r, name) for r in group.rows), Decimal(0))
    for name in ("budget", "outcome", "forecast", "deviation"):
        assert getattr(t.total, name) == sum((getattr(r, name) for r in t.rows), Decimal(0))
        assert getattr(t.total, name) == sum((getattr(g.sums, name) for g in t.groups), Decimal(0))
    assert t.total.quarters == [sum((r.quarters[i] for r in t.rows), Decimal(0)) for i in range(4)]
    assert sum(len(g.rows) for g in t.groups) == len(lines)  # documents.budget.table's groups, every line once


# --- the page ----------------------------------------------------------------------------------


def followup_url(plan):
    return reverse("documents:budget_followup", kwargs={"pk": plan.pk})


def test_empty_state_says_no_outcome_and_links_to_entering_it(plan, coordinator):
    page = client_for(coordinator).get(followup_url(plan)).content.decode()
    assert "Inget utfall är registrerat ännu" in page
    assert reverse("documents:outcome_edit", kwargs={"pk": plan.pk, "quarter": 1}) in page


def test_table_and_chart_show_the_same_figures(plan, coordinator):
    first, second = lines_of(plan)[:2]
    followup.outcome_save(
        actor=coordinator, plan=plan, quarter=1, amounts={first.pk: Decimal("1900000"), second.pk: Decimal("905000")}
    )
    page = client_for(coordinator).get(followup_url(plan)).content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert re.search(r'<title id="chart-title">[^<]+</title>', svg)
    desc = re.search(r'<desc id="chart-desc">([^<]+)</desc>', svg).group(1)
    t = followup.table(followup.budget_of(plan))
    table = re.search(r'<table class="responsive budget budget-followup-table">.*?</table>', page, re.S).group(0)
    for row in t.rows:
        for key in ("budget", "outcome", "forecast"):
            assert row.shown[key] in table and row.shown[key] in svg and row.shown[key] in desc
        assert row.shown["deviation"] in table
    # 7 746 000 with 1 900 000 in the first quarter: forecast 1 900 000 + 3/4 × 7 746 000 = 7 709 500.
    assert kr("7 709 500") in table and kr("36 500") in table
    assert '<th scope="col" class="num">Prognos</th>' in table and "Avvikelse" in table


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("admin_user", 200), ("preparer", 200), ("secretary", 403), ("reader", 403),
     ("admin_fyrbodal", 403), ("anonymous", 302)],
)  # fmt: skip
def test_who_sees_the_followup_page(request, plan, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get(followup_url(plan))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/logga-in/")


def test_plan_page_links_to_the_followup(plan, coordinator, secretary):
    assert followup_url(plan) in client_for(coordinator).get(plan.get_absolute_url()).content.decode()
    assert followup_url(plan) not in client_for(secretary).get(plan.get_absolute_url()).content.decode()


def test_followup_page_query_count_does_not_grow(plan, coordinator, django_assert_num_queries):
    client = client_for(coordinator)
    lines = lines_of(plan)
    followup.outcome_save(actor=coordinator, plan=plan, quarter=1, amounts={lines[0].pk: Decimal(10)})
    with django_assert_num_queries(QUERIES_FOLLOWUP_PAGE):
        assert client.get(followup_url(plan)).status_code == 200
    for i in range(30):
        BudgetLine.objects.create(
            budget=lines[0].budget, heading=f"Rubrik {i % 4}", name=f"Rad {i}", amount=1000 + i, own_region_percent=50
        )
    for line in lines_of(plan):
        for q in (1, 2, 3):
            BudgetOutcome.objects.update_or_create(line=line, quarter=q, defaults={"amount": Decimal(7)})
    with django_assert_num_queries(QUERIES_FOLLOWUP_PAGE):
        assert client.get(followup_url(plan)).status_code == 200


QUERIES_FOLLOWUP_PAGE = 9


# --- entering outcome --------------------------------------------------------------------------


def outcome_url(plan, quarter=1):
    return reverse("documents:outcome_edit", kwargs={"pk": plan.pk, "quarter": quarter})


def test_coordinator_enters_outcome_and_forecast(plan, coordinator):
    first, second = lines_of(plan)[:2]
    data = outcome_form(plan, {first.pk: "1 900 000", second.pk: "−2 000,50"}, {second.pk: "3 500 000"})
    response = client_for(coordinator).post(outcome_url(plan, 2), data)
    assert response.status_code == 302 and response["Location"] == followup_url(plan)
    assert BudgetOutcome.objects.get(line=first, quarter=2).amount == Decimal("1900000")
    assert BudgetOutcome.objects.get(line=second, quarter=2).amount == Decimal("-2000.50")
    second.refresh_from_db()
    assert second.forecast == Decimal(3500000)
    assert BudgetOutcome.history.filter(line_id=first.pk).latest("history_date").history_user == coordinator
    # Emptied: the stored outcome is removed.
    client_for(coordinator).post(outcome_url(plan, 2), outcome_form(plan, {second.pk: "-2 000,50"}))
    assert not BudgetOutcome.objects.filter(line=first, quarter=2).exists()


def test_bad_amount_is_refused_on_its_field_keeping_what_was_typed(plan, coordinator):
    first, second = lines_of(plan)[:2]
    response = client_for(coordinator).post(outcome_url(plan), outcome_form(plan, {first.pk: "tolv", second.pk: "5"}))
    assert response.status_code == 200
    form = response.context["form"]
    assert "Skriv beloppet som ett tal" in form.errors[f"utfall_{first.pk}"][0]
    assert 'value="tolv"' in response.content.decode()
    assert not BudgetOutcome.objects.filter(line__budget__plan=plan).exists()


@pytest.mark.parametrize("role", REFUSED_ROLES + ["anonymous"])
def test_outcome_save_refused_for_others(request, plan, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    first = lines_of(plan)[0]
    response = client_for(user).post(outcome_url(plan), outcome_form(plan, {first.pk: "100"}))
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert not BudgetOutcome.objects.filter(line__budget__plan=plan).exists()


def test_admin_may_enter_outcome(plan, admin_user):
    first = lines_of(plan)[0]
    assert client_for(admin_user).post(outcome_url(plan), outcome_form(plan, {first.pk: "100"})).status_code == 302


def test_draft_plan_refuses_outcome(draft, coordinator):
    first = lines_of(draft)[0]
    with pytest.raises(ValidationError, match="Uppföljning görs när planen gäller"):
        followup.outcome_save(actor=coordinator, plan=draft, quarter=1, amounts={first.pk: Decimal(1)})
    response = client_for(coordinator).post(outcome_url(draft), outcome_form(draft, {first.pk: "100"}))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not BudgetOutcome.objects.exists()


def test_a_line_of_another_budget_is_refused(plan, draft, coordinator):
    other = lines_of(draft)[0]
    with pytest.raises(ValidationError):
        followup.outcome_save(actor=coordinator, plan=plan, quarter=1, amounts={other.pk: Decimal(1)})
    assert not BudgetOutcome.objects.exists()


# --- importing outcome -------------------------------------------------------------------------


def import_url(plan):
    return reverse("documents:outcome_import", kwargs={"pk": plan.pk})


def upload(text: str):
    return SimpleUploadedFile("utfall.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_previews_then_saves_all(plan, coordinator):
    first, second = lines_of(plan)[:2]
    text = f"Benämning;Kvartal;Utfall\n{first.name};1;1 900 000\n{second.name};Q2;905 000,50\n"
    client = client_for(coordinator)
    response = client.post(import_url(plan), {"file": upload(text)})
    assert response.status_code == 200 and response.context["signed"]
    assert not BudgetOutcome.objects.exists()  # nothing saved before the confirm
    page = response.content.decode()
    assert first.name in page and kr("905 000,50") in page
    response = client.post(import_url(plan), {followup_views.SIGNED: response.context["signed"]})
    assert response.status_code == 302
    assert BudgetOutcome.objects.get(line=second, quarter=2).amount == Decimal("905000.50")


def test_import_wide_format_with_quarter_columns(plan, coordinator):
    first = lines_of(plan)[0]
    preview = followup.preview_text(f"Benämning;Kvartal 1;Q2\n{first.name};100;200\n", followup.budget_of(plan))
    assert preview.ok and preview.as_entries() == {(first.pk, 1): Decimal(100), (first.pk, 2): Decimal(200)}


def test_import_errors_name_line_and_column_and_nothing_is_saved(plan, coordinator):
    first = lines_of(plan)[0]
    text = f"Benämning;Kvartal;Utfall\n{first.name};1;100\nOkänd rad;1;5\n{first.name};5;1\n{first.name};2;tolv\n"
    response = client_for(coordinator).post(import_url(plan), {"file": upload(text)})
    errors = response.context["preview"].errors
    assert "Rad 3, kolumn Benämning: budgetraden ”Okänd rad” finns inte i budgeten." in errors
    assert any(e.startswith("Rad 4, kolumn Kvartal:") for e in errors)
    assert any(e.startswith("Rad 5, kolumn Utfall: Skriv beloppet som ett tal") for e in errors)
    assert not response.context["signed"]
    assert not BudgetOutcome.objects.exists()


def test_import_confirm_with_an_edited_payload_is_refused(plan, coordinator):
    response = client_for(coordinator).post(import_url(plan), {followup_views.SIGNED: "falsk"})
    assert response.status_code == 200 and response.context["problems"]
    assert not BudgetOutcome.objects.exists()


@pytest.mark.parametrize("role", REFUSED_ROLES + ["anonymous"])
def test_import_confirm_refused_for_others(request, plan, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    signed = followup_views.sign(f"Benämning;Kvartal;Utfall\n{lines_of(plan)[0].name};1;100\n", plan.pk)
    response = client_for(user).post(import_url(plan), {followup_views.SIGNED: signed})
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert not BudgetOutcome.objects.exists()


def test_import_confirm_on_a_draft_is_refused(draft, coordinator):
    signed = followup_views.sign(f"Benämning;Kvartal;Utfall\n{lines_of(draft)[0].name};1;100\n", draft.pk)
    response = client_for(coordinator).post(import_url(draft), {followup_views.SIGNED: signed})
    assert response.status_code == 200 and "Uppföljning görs när planen gäller" in response.content.decode()
    assert not BudgetOutcome.objects.exists()


# --- the quarterly report ----------------------------------------------------------------------


def report_url(plan, quarter=1, name="documents:quarterly_report"):
    return reverse(name, kwargs={"pk": plan.pk, "quarter": quarter})


REPORT_FORM = {
    "economy": "Ekonomin följer budget.",
    "services_status": "SAMSA: i drift.",
    "development": "Ny version i juni.",
    "deviations": "Inga.",
    "other": "",
}


def test_report_draft_is_prefilled_with_the_figures(plan, coordinator):
    first = lines_of(plan)[0]
    followup.outcome_save(actor=coordinator, plan=plan, quarter=1, amounts={first.pk: Decimal("1900000")})
    response = client_for(coordinator).get(report_url(plan))
    economy = response.context["form"]["economy"].value()
    assert f"Utfall kvartal 1: {kr('1 900 000')}." in economy
    assert kr("15 314 000") in economy


def test_report_save_issue_and_serve_as_stored(plan, coordinator, secretary):
    client = client_for(coordinator)
    assert client.post(report_url(plan), REPORT_FORM).status_code == 302
    report = QuarterlyReport.objects.get(budget__plan=plan, quarter=1)
    assert report.services_status == "SAMSA: i drift." and not report.is_issued
    # It asks once: the first POST answers with the confirm page and issues nothing.
    asked = client.post(report_url(plan, name="documents:quarterly_report_issue"))
    assert asked.status_code == 200 and "Utfärda kvartalsrapport 1?" in asked.content.decode()
    report.refresh_from_db()
    assert not report.is_issued
    done = client.post(report_url(plan, name="documents:quarterly_report_issue"), {"confirmed": "1"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.is_issued and report.issued_by == coordinator and report.pdf_size > 0
    stored = report.pdf.open("rb").read()
    assert store.digest(stored) == report.pdf_sha256 and len(stored) == report.pdf_size
    served = client.get(report_url(plan, name="documents:quarterly_report_pdf"))
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    assert served["ETag"] == f'"{report.pdf_sha256}"'
    again = client.get(report_url(plan, name="documents:quarterly_report_pdf"), HTTP_IF_NONE_MATCH=served["ETag"])
    assert again.status_code == 304
    f = facts(stored)
    assert f["lang"] == "sv" and f["marked"] and f["struct_tree"] and f["pdfua"] == "1"
    assert f["title"] == f"Kvartalsrapport 1 {plan.year} – {plan.managed_object.name}"
    assert {"Ekonomi", "Status för varje tjänst", "Utveckling", "Avvikelser", "Övrigt"} <= set(f["bookmarks"])
    assert {"/Table", "/Caption", "/TH", "/TD"} <= structure_tags(stored)  # the follow-up as a real table
    # Those who do not work with the plan do not read it.
    assert client_for(secretary).get(report_url(plan, name="documents:quarterly_report_pdf")).status_code == 403
    # An issued report never changes, and is not issued again.
    with pytest.raises(ValidationError, match="redan utfärdad"):
        followup.report_save(actor=coordinator, plan=plan, quarter=1, fields={"economy": "Ändrat"})
    with pytest.raises(ValidationError, match="redan utfärdad"):
        followup.report_issue(actor=coordinator, report=report)
    response = client.post(report_url(plan), {**REPORT_FORM, "economy": "Ändrat"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.economy == "Ekonomin följer budget." and report.pdf.open("rb").read() == stored


def test_issuing_a_stale_copy_twice_gives_one_pdf(plan, coordinator):
    report = followup.report_save(actor=coordinator, plan=plan, quarter=2, fields=REPORT_FORM)
    stale = QuarterlyReport.objects.get(pk=report.pk)
    followup.report_issue(actor=coordinator, report=report)
    with pytest.raises(ValidationError):
        followup.report_issue(actor=coordinator, report=stale)  # read again inside the lock
    assert QuarterlyReport.history.filter(id=report.pk, issued_at__isnull=False).count() == 1


@pytest.mark.parametrize("role", REFUSED_ROLES + ["anonymous"])
def test_report_save_and_issue_refused_for_others(request, plan, coordinator, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    report = followup.report_save(actor=coordinator, plan=plan, quarter=1, fields={"economy": "Utkast"})
    client = client_for(user)
    expected = 302 if role == "anonymous" else 403
    assert client.post(report_url(plan), REPORT_FORM).status_code == expected
    issue = client.post(report_url(plan, name="documents:quarterly_report_issue"), {"confirmed": "1"})
    assert issue.status_code == expected
    report.refresh_from_db()
    assert report.economy == "Utkast" and not report.is_issued


def test_report_on_a_draft_plan_is_refused(draft, coordinator):
    response = client_for(coordinator).post(report_url(draft), REPORT_FORM)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not QuarterlyReport.objects.exists()


def test_unknown_quarter_is_404(plan, coordinator):
    url = outcome_url(plan, 4).replace("kvartal-4", "kvartal-5")
    assert client_for(coordinator).get(url).status_code == 404


def test_outcome_sum_matches_page_total(plan, coordinator):
    lines = lines_of(plan)
    followup.outcome_save(
        actor=coordinator, plan=plan, quarter=1, amounts={line.pk: Decimal("1000.10") for line in lines}
    )
    t = followup.table(followup.budget_of(plan))
    stored = BudgetOutcome.objects.filter(line__budget__plan=plan).aggregate(s=Sum("amount"))["s"]
    assert t.total.outcome == stored == Decimal("1000.10") * len(lines)


def test_report_is_not_issued_once_the_plan_is_no_longer_in_force(plan, coordinator):
    report = followup.report_save(actor=coordinator, plan=plan, quarter=3, fields=REPORT_FORM)
    ManagementPlan.objects.filter(pk=plan.pk).update(status=ManagementPlan.Status.ARCHIVED)
    with pytest.raises(ValidationError, match="Uppföljning görs när planen gäller"):
        followup.report_issue(actor=coordinator, report=report)
    report.refresh_from_db()
    assert not report.is_issued and not report.pdf_sha256


def test_import_preview_lists_every_figure_with_its_line_number(plan, coordinator):
    first, second = lines_of(plan)[:2]
    text = f"Benämning;Q1;Q2\n{first.name};100;\n\n{second.name};5;6\n"
    preview = followup.preview_text(text, followup.budget_of(plan))
    assert [(e.row, e.line.name, e.quarter) for e in preview.entries] == [
        (2, first.name, 1),
        (4, second.name, 1),
        (4, second.name, 2),
    ]  # a blank cell leaves that quarter as it is; a blank line is skipped but counted


def test_outcome_form_query_count_does_not_grow(plan, coordinator, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as few:
        assert client.get(outcome_url(plan)).status_code == 200
    budget = lines_of(plan)[0].budget
    for i in range(30):
        line = BudgetLine.objects.create(budget=budget, name=f"Rad {i}", amount=1000 + i, own_region_percent=50)
        BudgetOutcome.objects.create(line=line, quarter=1, amount=Decimal(5))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(outcome_url(plan)).status_code == 200
