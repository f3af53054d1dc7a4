"""A plan's budget in a real browser (issue 11): the coordinator imports seed 003's table from Excel into next year's
draft and sees the keys inferred, adds a 50/50 line and sees the shares and totals follow, starts the budget again
from this year's with vårdprisindex 2,5 %, and downloads the invoicing basis as Excel (49 municipalities × 12 months
adding up to the municipalities' share). A subregion's representative reads the budget and the basis but cannot
change them. Every page is scanned with axe-core, the form with errors and the 403 page included."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import label, sign_in_from_header, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

NBSP = "\u00a0"
PLAN_2027 = "Förvaltningsplan Samordnad hälsa, vård och omsorg 2027"
HEADING = "Vidmakthållande, nödvändig vidareutveckling och vidareutveckling"
SEED_003 = [  # Benämning, Budget, Kommun, VGR: seed 003's 2024 table
    ("Drift och licens", 7746000, 2323800, 5422200),
    ("Processledare/Funktionskoordinatorer (400%)", 3620000, 1810000, 1810000),
    ("Utveckling inkluderat teknisk resurs", 900000, 270000, 630000),
    ("Support (ta höjd för ev. ökat behov under året)", 2698000, 809400, 1888600),
    ("Möten, utbildning, kommunikation", 350000, 105000, 245000),
]


def kr(figure: str) -> str:
    return figure.replace(" ", NBSP) + NBSP + "kr"


def seed_003_workbook(path) -> None:
    """Seed 003's spreadsheet as a coordinator has it: a heading row, the five lines, the total."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Benämning", "Budget", "Kommun (VGK)", "VGR"])
    sheet.append([HEADING])
    for row in SEED_003:
        sheet.append(list(row))
    sheet.append(["Totalt", 15314000, 5318200, 9995800])
    book.save(path)


def budget_table(page):
    return page.locator("#avsnitt-budget table.budget")


def total_row(page):
    return budget_table(page).locator("tfoot tr")


def test_coordinator_imports_extends_uplifts_and_downloads_the_invoicing_basis(page, demo_site, tmp_path):
    from openpyxl import load_workbook

    from documents.models import ManagementPlan

    draft = ManagementPlan.objects.get(year=2027)
    workbook = tmp_path / "budget-2024.xlsx"
    seed_003_workbook(workbook)

    sign_in_from_header(page, demo_site, "samordnare")
    expect(page.get_by_role("region", name="Väntar på dig")).to_contain_text("Budgetar att göra klara")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Förvaltningsplaner", exact=True).click()
    page.get_by_role("main").get_by_role("link", name=PLAN_2027, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN_2027)
    expect(page.locator("#avsnitt-budget")).to_contain_text("Budgeten ska vara klar senast 1 september 2026")
    assert_accessible(page)

    # Import: a file that is not a spreadsheet first (refused, nothing saved), then seed 003's table.
    page.get_by_role("link", name="Importera budget från Excel eller CSV").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importera")
    assert_accessible(page)
    broken = tmp_path / "inte-ett-kalkylark.xlsx"
    broken.write_bytes(b"det har ar ingen arbetsbok")
    page.get_by_label(label("Budgetfil (.xlsx eller CSV)")).set_input_files(str(broken))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("main")).to_contain_text("inget har sparats")
    assert_accessible(page)
    page.get_by_label(label("Budgetfil (.xlsx eller CSV)")).set_input_files(str(workbook))
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_role("main")
    expect(preview).to_contain_text("IT-tjänsten 70/30")
    expect(preview).to_contain_text("Lönekostnader 50/50")
    expect(preview).to_contain_text("(härledd ur beloppen)")
    assert_accessible(page)
    page.get_by_role("button", name="Importera 5 rader").click()
    expect(page).to_have_url(re.compile(r"/forvaltningsplaner/\d+/"))
    for name, amount, municipalities, region in SEED_003:
        row = budget_table(page).get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))
        expect(row).to_contain_text(kr(f"{amount:,}".replace(",", " ")))
        expect(row).to_contain_text(kr(f"{municipalities:,}".replace(",", " ")))
        expect(row).to_contain_text(kr(f"{region:,}".replace(",", " ")))
    expect(total_row(page)).to_contain_text(kr("15 314 000"))
    expect(total_row(page)).to_contain_text(kr("5 318 200"))
    expect(total_row(page)).to_contain_text(kr("9 995 800"))
    assert_accessible(page)

    # A 50/50 line: a bad amount first (kept, pointed at), then the shares and the totals follow.
    page.get_by_role("link", name="Lägg till en budgetrad").click()
    page.get_by_label(label("Rubrik")).fill(HEADING)
    page.get_by_label(label("Benämning")).fill("Utbildning inför SAMVY")
    page.get_by_label(label("Budget (kr)")).fill("två hundra tusen")
    page.get_by_label(label("Fördelningsnyckel")).select_option(label="Lönekostnader 50/50")
    page.get_by_role("button", name="Lägg till raden").click()
    expect(page.locator(".error-summary")).to_contain_text("Skriv beloppet som ett tal")
    expect(page.get_by_label(label("Benämning"))).to_have_value("Utbildning inför SAMVY")
    assert_accessible(page)
    page.get_by_label(label("Budget (kr)")).fill("200 000")
    page.get_by_role("button", name="Lägg till raden").click()
    row = budget_table(page).get_by_role("row").filter(has_text="Utbildning inför SAMVY")
    expect(row).to_contain_text(kr("100 000"))
    expect(total_row(page)).to_contain_text(kr("15 514 000"))
    expect(total_row(page)).to_contain_text(kr("5 418 200"))
    expect(total_row(page)).to_contain_text(kr("10 095 800"))

    # Next year's budget from this year's: vårdprisindex 2,5 %, to the thousand; a preview, then "Ersätt".
    page.get_by_role("link", name="Räkna upp budgeten från 2026").click()
    assert_accessible(page)
    page.get_by_label(label("Uppräkning (%)")).fill("2,5")
    page.get_by_label("till hela tusental kronor").check()
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("main")).to_contain_text(kr("7 940 000"))
    expect(page.get_by_role("main")).to_contain_text("De 6 rader som budgeten 2027 har nu ersätts")
    assert_accessible(page)
    page.get_by_role("button", name="Ersätt budgeten med de uppräknade raderna").click()
    expect(total_row(page)).to_contain_text(kr("15 698 000"))
    expect(total_row(page)).to_contain_text(kr("5 451 600"))
    expect(page.locator("#avsnitt-budget")).to_contain_text(f"med 2,5{NBSP}%, avrundad till hela tusental kronor")

    # The invoicing basis as Excel: 49 municipalities × 12 months, adding up to the municipalities' share.
    page.get_by_role("link", name="Faktureringsunderlag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Faktureringsunderlag")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()))["Faktureringsunderlag"]
    rows = [r for r in list(sheet.iter_rows(values_only=True))[1:] if r[2]]
    assert len(rows) == 49 * 12 and len({r[0] for r in rows}) == 49
    assert sum(Decimal(str(r[3])).quantize(Decimal("0.01")) for r in rows) == Decimal("5451600.00")
    sign_out(page, demo_site)

    # A representative of a subregion asked in the review reads the budget and the basis, and cannot change them.
    sign_in_from_header(page, demo_site, "fyrbodal")
    page.goto(f"{demo_site.url}{draft.get_absolute_url()}")
    expect(total_row(page)).to_contain_text(kr("15 698 000"))
    tools = page.locator("#avsnitt-budget")
    for text in ("Lägg till en budgetrad", "Importera budget", "Räkna upp", "Ändra faktureringsplan", "Ändra raden"):
        expect(tools.get_by_role("link", name=re.compile(re.escape(text)))).to_have_count(0)
    assert_accessible(page)
    tools.get_by_role("link", name="Faktureringsunderlag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Faktureringsunderlag")
    expect(page.get_by_role("link", name="Ändra faktureringsplan")).to_have_count(0)
    assert_accessible(page)
    response = page.goto(f"{demo_site.url}/forvaltningsplaner/{draft.pk}/budget/ny-rad/")
    assert response is not None and response.status == 403
    assert_accessible(page)
