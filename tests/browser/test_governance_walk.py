"""Journeys through the public governance pages in a real browser, with an axe-core scan of every page."""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_visitor_walks_from_home_through_chart_to_reference_group_subregion_and_municipality(page, demo_site):
    page.goto(f"{demo_site.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("SHVO-portalen")
    assert_accessible(page)

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Organ", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/organ/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organ och uppdrag")
    expect(page.get_by_role("img", name="Organisationsschema med samma innehåll som listan ovan")).to_be_visible()
    assert_accessible(page)

    chart_list = page.get_by_role("region", name="Vem ger vem uppdraget")
    chart_list.get_by_role("link", name="Referensgrupp SHVO", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/organ/referensgrupp-shvo/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referensgrupp SHVO")
    members = page.get_by_role("region", name="Ledamöter och roller")
    for subregion in (
        "Vårdsamverkan Fyrbodal",
        "Vårdsamverkan Skaraborg",
        "Vårdsamverkan i Göteborgsområdet",
        "SAMLA",
        "Närvårdssamverkan Södra Älvsborg",
        "SIMBA",
    ):
        expect(members.get_by_role("heading", level=3, name=subregion, exact=True)).to_be_visible()
    expect(members.get_by_role("cell", name="Maria Ek")).to_be_visible()
    rules = page.get_by_role("region", name="Sammansättning enligt reglerna")
    expect(rules).to_be_visible()
    expect(rules.get_by_text("Vakant plats: ledamot för SIMBA sedan 2026-01-01.")).to_be_visible()
    assert_accessible(page)

    nav.get_by_role("link", name="Delregioner", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delregioner")
    assert_accessible(page)

    page.get_by_role("link", name="Vårdsamverkan Fyrbodal", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/delregioner/fyrbodal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vårdsamverkan Fyrbodal")
    municipalities = page.get_by_role("region", name="Kommuner")
    expect(municipalities.get_by_role("columnheader", name="Folkmängd")).to_be_visible()
    # Swedish number format: a (no-break) space between thousands.
    uddevalla_row = municipalities.get_by_role("row").filter(has=page.get_by_role("link", name="Uddevalla", exact=True))
    expect(uddevalla_row).to_contain_text(re.compile(r"57\s010"))
    assert_accessible(page)

    municipalities.get_by_role("link", name="Uddevalla", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/organisationer/uddevalla/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uddevalla")
    expect(page.get_by_role("heading", level=2, name="Folkmängd per år")).to_be_visible()
    population = page.get_by_role("region", name="Folkmängd per år")
    expect(population.get_by_role("row", name=re.compile(r"^2024 57\s010 "))).to_be_visible()
    expect(page.get_by_role("region", name="Personer i organen")).to_contain_text("Maria Ek")
    assert_accessible(page)


def test_signed_in_coordinator_sees_what_waits_for_them_on_the_start_page(page, demo_site, login):
    login(page, demo_site, "samordnare")

    page.goto(f"{demo_site.url}/")
    waiting = page.get_by_role("region", name="Väntar på dig")
    expect(waiting).to_be_visible()
    expect(waiting.get_by_role("heading", level=3, name="Dina uppdrag")).to_be_visible()
    expect(waiting.get_by_role("link", name="GITS Team SHVO")).to_be_visible()
    assert_accessible(page)
