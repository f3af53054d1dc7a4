import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_round_pages(page, demo_site, login):
    from documents.models import ReviewRound
    r = ReviewRound.objects.get(plan__year=2027)
    login(page, demo_site, "skaraborg")
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{demo_site.url}/")
    page.screenshot(path="/tmp/rr_home_skaraborg.png", full_page=True)
    page.goto(f"{demo_site.url}/remisser/{r.pk}/")
    assert_accessible(page)
    # select text in the budget section
    sec = page.locator("#avsnitt-budget .section-text")
    sec.evaluate("""el => { const p = el.querySelector('p'); const range = document.createRange();
        const t = p.firstChild; range.setStart(t, 0); range.setEnd(t, 40);
        const s = document.getSelection(); s.removeAllRanges(); s.addRange(range); }""")
    quote = page.locator("#avsnitt-budget textarea[name$='-quote']")
    expect(quote).to_have_value("Budgeten beslutas av SITIV. Kostnaderna")
    page.locator("#avsnitt-budget textarea[name$='-text']").fill("Förklara fördelningsnyckeln.")
    page.screenshot(path="/tmp/rr_detail_skaraborg.png", full_page=True)
    assert_accessible(page)
    page.locator("#avsnitt-budget").get_by_role("button", name="Skicka kommentaren").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Förklara fördelningsnyckeln.")).to_be_visible()
    # error case
    page.locator("#avsnitt-mandate summary").click()
    page.locator("#avsnitt-mandate").get_by_role("button", name="Skicka kommentaren").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.screenshot(path="/tmp/rr_detail_error.png", full_page=False)
    page.goto(f"{demo_site.url}/remisser/{r.pk}/svar/skaraborg/")
    assert_accessible(page)
    page.screenshot(path="/tmp/rr_response.png", full_page=True)
    login(page, demo_site, "samordnare")
    page.goto(f"{demo_site.url}/remisser/{r.pk}/")
    page.locator(".comment-thread summary").nth(1).click()
    assert_accessible(page)
    page.screenshot(path="/tmp/rr_detail_coord.png", full_page=True)
    page.goto(f"{demo_site.url}/forvaltningsplaner/{r.plan_id}/remiss/ny/")
    assert_accessible(page)
    page.screenshot(path="/tmp/rr_create.png", full_page=True)
    page.goto(f"{demo_site.url}/")
    page.screenshot(path="/tmp/rr_home_coord.png", full_page=True)
