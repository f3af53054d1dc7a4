"""Two journeys in a real browser, every page scanned with axe-core:

- an anonymous visitor goes from the start page to the list of all published minutes, filters it by body and year
  and opens a minutes PDF;
- Fyrbodal's subregion administrator finds a term ending within 90 days on her start page, replaces the member from
  there, and the body page and the start page then show who takes over from when, with no second "Ersätt".
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import label

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_a_visitor_goes_from_the_start_page_to_the_published_minutes_filters_them_and_opens_a_pdf(page, demo_site):
    from meetings.models import Minutes

    published = (
        Minutes.objects.published().select_related("meeting__body").get(meeting__body__slug="referensgrupp-shvo")
    )
    year = str(published.meeting.date.year)

    # 1. The start page says where the minutes and the plans in force are.
    page.goto(f"{demo_site.url}/")
    ways_in = page.get_by_role("region", name="Protokoll")
    expect(
        ways_in.get_by_role("link", name=f"Referensgrupp SHVO {published.meeting.date:%Y-%m-%d} (PDF)")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Förvaltningsplaner som gäller")).to_be_visible()
    expect(ways_in.get_by_role("heading", level=3, name="Kommande möten")).to_be_visible()
    assert_accessible(page)

    # 2. All published minutes, from every body.
    ways_in.get_by_role("link", name="Alla publicerade protokoll").click()
    expect(page).to_have_url(f"{demo_site.url}/protokoll/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicerade protokoll")
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Protokoll")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    # 3. Filtered by body and year (a plain GET form: works without JavaScript).
    search = page.get_by_role("search", name="Filtrera protokollen")
    search.get_by_label(label("Organ")).select_option(label="Referensgrupp SHVO")
    search.get_by_label(label("År")).select_option(year)
    search.get_by_role("button", name="Visa", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/protokoll/?organ=referensgrupp-shvo&ar={year}")
    table = page.get_by_role("table", name=f"Protokoll från Referensgrupp SHVO {year} (1)")
    expect(table.get_by_role("row")).to_have_count(2)  # the heading row and the one published meeting
    assert_accessible(page)

    # 4. The PDF opens: the stored file, as issued.
    pdf_link = table.get_by_role(
        "link", name=f"PDF med protokollet från Referensgrupp SHVO {published.meeting.date:%Y-%m-%d}"
    )
    expect(pdf_link).to_have_attribute("href", published.pdf_url)
    with page.expect_response(lambda r: r.url.endswith(published.pdf_url)) as opened:
        pdf_link.click()
    response = opened.value
    assert response.ok and response.headers["content-type"] == "application/pdf"
    # Chromium shows the file in its viewer; the bytes behind the link are the stored PDF.
    assert page.request.get(response.url).body()[:5] == b"%PDF-"
    expect(page).to_have_url(f"{demo_site.url}{published.pdf_url}")

    # 5. Back to the list; a body without published minutes gets an empty list that says what to do.
    page.go_back()
    expect(page).to_have_url(f"{demo_site.url}/protokoll/?organ=referensgrupp-shvo&ar={year}")
    page.goto(f"{demo_site.url}/protokoll/?organ=sitiv")
    expect(page.get_by_role("main")).to_contain_text("Inga publicerade protokoll från Styrgrupp IT i Väst.")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="visa alla protokoll", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/protokoll/")
    assert_accessible(page)


def test_the_subregion_administrator_replaces_a_member_whose_term_ends_within_90_days(page, demo_site, login):
    from django.utils import timezone

    from governance import services
    from governance.models import Membership
    from tests.factories import superuser

    today = timezone.localdate()
    end = today + datetime.timedelta(days=30)
    start = end + datetime.timedelta(days=1)
    maria = Membership.objects.current().get(body__slug="referensgrupp-shvo", person__last_name="Ek")
    services.membership_end(actor=superuser(), membership=maria, end_date=end, reason="Avgår vid halvårsskiftet")

    # 1. Her start page lists the ending term under the 90-day heading, with "Ersätt".
    login(page, demo_site, "admin-fyrbodal")
    page.goto(f"{demo_site.url}/")
    waiting = page.get_by_role("region", name="Väntar på dig")
    seats = waiting.get_by_role("region", name="Platser för Fyrbodal")
    expect(
        seats.get_by_role("heading", level=4, name="Uppdrag som slutar inom 90 dagar och kommande byten")
    ).to_be_visible()
    ending = seats.get_by_role("listitem").filter(has_text="ingen efterträdare utsedd")
    expect(ending).to_contain_text(f"till och med {end.isoformat()}: Maria Ek som ledamot för Fyrbodal")
    expect(seats.get_by_role("table").get_by_role("row").filter(has_text="Per Åström")).to_be_visible()
    assert_accessible(page)

    # 2. "Ersätt" opens the replace form: a title, breadcrumbs, Fyrbodal's organisations only, Swedish order.
    ending.get_by_role("link", name="Ersätt Maria Ek i Referensgrupp SHVO").click()
    expect(page).to_have_url(f"{demo_site.url}/uppdrag/{maria.pk}/ersatt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ersätt Maria Ek i Referensgrupp SHVO")
    crumbs = page.get_by_role("navigation", name="Brödsmulor")
    expect(crumbs.get_by_role("link", name="Referensgrupp SHVO")).to_be_visible()
    organisation = page.get_by_label(label("Organisation (ny person)"))
    options = organisation.locator("option").all_inner_texts()
    assert "Göteborg" not in options and "Uddevalla" in options
    assert options.index("Vänersborg") < options.index("Västra Götalandsregionen") < options.index("Åmål")
    assert_accessible(page)

    page.get_by_label(label("Förnamn (ny person)")).fill("Linnea")
    page.get_by_label(label("Efternamn (ny person)")).fill("Hjort")
    page.get_by_label(label("Titel (ny person)")).fill("Processledare TG äldre")
    organisation.select_option(label="Vänersborg")
    page.fill("input[name='start_date']", start.isoformat())
    page.get_by_label(label("Anledning (visas i historiken)")).fill("Delregionalt beslut")
    page.get_by_role("button", name="Ersätt", exact=True).click()

    # 3. The body page shows the old term's end and the incoming member, and no second "Ersätt" for the seat.
    expect(page).to_have_url(f"{demo_site.url}/organ/referensgrupp-shvo/")
    expect(page.get_by_role("status")).to_contain_text("Linnea Hjort ersätter Maria Ek.")
    members = page.get_by_role("region", name="Ledamöter och roller")
    expect(members.get_by_role("listitem").filter(has_text="Linnea Hjort ersätter Maria Ek")).to_have_text(
        f"från {start.isoformat()}: Linnea Hjort ersätter Maria Ek som ledamot för Fyrbodal · Ändra uppdraget för "
        "Linnea Hjort"
    )
    row = members.get_by_role("row").filter(has=page.get_by_role("link", name="Maria Ek", exact=True))
    expect(row).to_contain_text(re.compile(rf"{end.isoformat()}\s*ersätts av Linnea Hjort från {start.isoformat()}"))
    expect(row.get_by_role("link", name="Ersätt Maria Ek")).to_have_count(0)
    expect(row.get_by_role("link", name="Avsluta uppdraget för Maria Ek")).to_be_visible()
    assert_accessible(page)

    # 4. Back on the start page the change is said once, with who takes over, and nothing left to do for it.
    page.get_by_role("link", name="Start", exact=True).first.click()
    seats = page.get_by_role("region", name="Platser för Fyrbodal")
    expect(seats.get_by_role("listitem").filter(has_text="Linnea Hjort ersätter Maria Ek")).to_be_visible()
    expect(seats.get_by_role("link", name="Ersätt Maria Ek i Referensgrupp SHVO")).to_have_count(0)
    assert_accessible(page)
