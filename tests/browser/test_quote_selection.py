"""Selecting a passage in a plan section fills the comment's quoted passage (progressive enhancement)."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import sign_in_from_header

pytestmark = pytest.mark.browser


def test_triple_clicking_a_sections_last_paragraph_quotes_it(page, demo_site):
    from documents.models import ReviewRound

    review = ReviewRound.objects.get(document__plan__year=2027)
    sign_in_from_header(page, demo_site, "fyrbodal")
    page.goto(f"{demo_site.url}{review.get_absolute_url()}")
    assert_accessible(page)
    paragraph = page.locator("[data-quote-source] p", has_text="99,9 %").first
    paragraph.click(click_count=3)  # Chromium ends this selection just past the section
    field_id = paragraph.locator("xpath=ancestor::*[@data-quote-source]").get_attribute("data-quote-source")
    expect(page.locator(f"#{field_id}")).to_have_value(
        "SAMSA IT-tjänst ska ha en tillgänglighet på 99,9 % enligt "
        "leverantörsavtal och SLA. GITS förvaltar SLA och OLA för drift, "
        "support och tilläggstjänster."
    )
