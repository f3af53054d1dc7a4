"""History pages in a real browser: the coordinator reads the 2026 plan's history and the secretary the dialogue
meeting's; entries name what changed, are dated as the demo's story goes, show text (never HTML source) and are
paged. Every page is scanned with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TIME = re.compile(r"^\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) "
                  r"\d{4} kl\. \d\d\.\d\d$")  # fmt: skip


def _entries(page):
    return page.get_by_role("main").get_by_role("article")


def test_a_plan_history_and_a_meeting_history_read_like_a_change_log(page, demo_site, login):
    from documents.models import ManagementPlan
    from meetings.models import Meeting

    plan = ManagementPlan.objects.get(year=2026)
    login(page, demo_site, "samordnare")
    page.goto(f"{demo_site.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Historik", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/forvaltningsplaner/{plan.pk}/historik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Historik för Förvaltningsplan SHVO 2026")
    expect(page.get_by_role("main")).to_contain_text("borttagen text är genomstruken")

    # Newest first: VVG's position on 24 March 2026, the story's date, not the day the demo was loaded.
    newest = _entries(page).first
    expect(newest.get_by_role("heading", level=2)).to_have_text("Ändrat Förvaltningsplan SHVO 2026")
    expect(newest.locator("time")).to_have_text("24 mars 2026 kl. 15.00")
    expect(newest.get_by_role("row", name="Status Inlämnad till gemensam beredning Gäller")).to_be_visible()
    for time in _entries(page).locator("time").all():
        expect(time).to_have_text(TIME)
    expect(_entries(page)).to_have_count(20)
    # January's sections, written as text: the words added, never HTML source.
    heading = page.get_by_role("heading", level=2, name="Ändrat avsnitt ”Syfte” i Förvaltningsplan SHVO 2026")
    section = _entries(page).filter(has=heading)
    expect(section).to_have_count(1)
    expect(section.locator("time")).to_have_text(re.compile(r"^12 januari 2026 kl\. "))
    expect(section.get_by_role("heading", level=3)).to_have_text("Text")
    expect(section.locator(".history-text p")).to_have_text(re.compile(r"^Planen klargör vad som ska göras"))
    expect(page.get_by_role("main")).not_to_contain_text("<p>")
    assert_accessible(page)

    # Paged: the next page goes on back in time, to the plan's creation in January.
    page.get_by_role("navigation", name="Sidor").get_by_role("link", name="Nästa →").click()
    expect(page).to_have_url(re.compile(r"\?sida=2$"))
    oldest = _entries(page).last
    expect(oldest.get_by_role("heading", level=2)).to_have_text("Skapat Förvaltningsplan SHVO 2026")
    expect(oldest.locator("time")).to_have_text(re.compile(r"^12 januari 2026 kl\. 09\.00$"))
    expect(page.get_by_role("navigation", name="Sidor")).to_contain_text("Sida 2 av 2")
    assert_accessible(page)

    # The dialogue meeting's history: justerad and published in March, who and why on each entry.
    meeting = Meeting.objects.get(body__slug="referensgrupp-shvo", title__startswith="Dialogmöte")
    page.get_by_role("button", name="Logga ut").click()
    login(page, demo_site, "sekreterare")
    page.goto(f"{demo_site.url}{meeting.get_absolute_url()}")
    page.get_by_role("main").get_by_role("link", name="Historik", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/moten/{meeting.pk}/historik/")
    justerat = _entries(page).filter(has_text="Skäl: Justerat")
    expect(justerat.locator("time")).to_have_text("11 mars 2026 kl. 14.00")
    expect(justerat.get_by_role("row", name="Status Skickat för justering Justerat")).to_be_visible()
    expect(_entries(page).first.locator("strong")).to_have_text("Elin Sjöberg")
    assert_accessible(page)
