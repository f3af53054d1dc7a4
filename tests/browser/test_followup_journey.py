"""The budget follow-up in a real browser (issue 11 item 7): the coordinator opens Budgetuppföljning from the plan in
force, enters the first quarter's outcome (a bad amount first), sees the table and the chart follow, writes the
quarterly report and issues it; the PDF opens. Every page is scanned with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import confirm, sign_in_from_header

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NBSP = "\u00a0"


def test_coordinator_follows_up_the_budget_and_issues_the_report(page, demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from documents.models import BudgetOutcome, ManagementPlan

    plan = ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)
    BudgetOutcome.objects.filter(line__budget__plan=plan).delete()  # the demo's outcome, if any: start empty
    sign_in_from_header(page, demo_site, "samordnare")
    page.goto(f"{demo_site.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Budgetuppföljning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Budgetuppföljning {plan.year}")
    expect(page.get_by_role("main")).to_contain_text("Inget utfall är registrerat ännu")
    assert_accessible(page)

    page.get_by_role("link", name="Registrera utfall för kvartal 1").first.click()
    page.get_by_label("Utfall kvartal 1 för ”Drift och licens”").fill("tolv")
    page.get_by_label("Utfall kvartal 1 för ”Möten, utbildning, kommunikation”").fill("87 500")
    page.get_by_role("button", name="Spara utfallet för kvartal 1").click()
    expect(page.locator(".error-summary")).to_contain_text("Skriv beloppet som ett tal")
    expect(page.get_by_label("Utfall kvartal 1 för ”Möten, utbildning, kommunikation”")).to_have_value("87 500")
    assert_accessible(page)
    page.get_by_label("Utfall kvartal 1 för ”Drift och licens”").fill("1 900 000")
    page.get_by_role("button", name="Spara utfallet för kvartal 1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Budgetuppföljning {plan.year}")
    table = page.locator("table.budget-followup-table")
    # 7 746 000 with 1 900 000 in the first quarter: forecast 1 900 000 + 3/4 × 7 746 000 = 7 709 500.
    expect(table).to_contain_text(f"7{NBSP}709{NBSP}500{NBSP}kr")
    chart = page.get_by_role("img", name=f"Budget, utfall hittills och prognos per rad, {plan.year}")
    expect(chart).to_be_visible()
    expect(page.locator("svg desc")).to_contain_text(f"prognos 7{NBSP}709{NBSP}500{NBSP}kr")
    assert_accessible(page)

    page.get_by_role("link", name="Skriv kvartalsrapport 1").click()
    expect(page.get_by_label("Ekonomi")).to_have_value(re.compile(f"Utfall kvartal 1: 1{NBSP}987{NBSP}500{NBSP}kr"))
    page.get_by_label("Status för varje tjänst").fill("SAMSA är i drift utan större störningar.")
    page.get_by_role("button", name="Spara utkastet").click()
    assert_accessible(page)
    page.get_by_role("button", name="Utfärda rapporten").click()
    confirm(page, "Utfärda kvartalsrapport 1?", "utfärda rapporten")
    expect(page.get_by_role("main")).to_contain_text("Rapporten är utfärdad")
    assert_accessible(page)
    response = page.request.get(
        f"{demo_site.url}{page.get_by_role('link', name='Öppna kvartalsrapport 1 (PDF)').get_attribute('href')}"
    )
    assert response.status == 200 and response.body().startswith(b"%PDF")
