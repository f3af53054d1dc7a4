"""A subregion administrator's journey in a real browser: replace a representative, read the history, meet the limits.

Every page on the way is scanned with axe-core, including the form with errors and the 403 page.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REASON = "Byte efter delregionalt beslut"


def _members_table(page, subregion_name: str):
    """The table of current members that follows a subregion's heading under "Ledamöter och roller"."""
    members = page.get_by_role("region", name="Ledamöter och roller")
    heading = members.get_by_role("heading", level=3, name=subregion_name, exact=True)
    expect(heading).to_be_visible()
    return heading.locator("xpath=following-sibling::*[1][self::table]")


def test_subregion_admin_replaces_a_fyrbodal_representative_and_the_history_shows_who_and_when(page, demo_site, login):
    from django.utils import timezone

    from governance.models import Membership, Person

    # The app's "today" (Europe/Stockholm), the same day the service and the pages use.
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    body_url = f"{demo_site.url}/organ/referensgrupp-shvo/"

    # 1. Ulla Wester, Fyrbodal's subregion administrator, signs in; the start page says what waits for her.
    login(page, demo_site, "admin-fyrbodal")
    page.goto(f"{demo_site.url}/")
    waiting = page.get_by_role("region", name="Väntar på dig")
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text("Du administrerar platserna för Fyrbodal")
    expect(waiting.get_by_role("link", name="Fyrbodal", exact=True)).to_be_visible()
    assert_accessible(page)

    # 2. Organ → Referensgrupp SHVO → "Ersätt" for Maria Ek in the Fyrbodal table.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organ", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/organ/")
    page.get_by_role("region", name="Vem ger vem uppdraget").get_by_role(
        "link", name="Referensgrupp SHVO", exact=True
    ).click()
    expect(page).to_have_url(body_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Referensgrupp SHVO")
    fyrbodal = _members_table(page, "Vårdsamverkan Fyrbodal")
    expect(fyrbodal.get_by_role("link", name="Maria Ek", exact=True)).to_be_visible()
    assert_accessible(page)

    fyrbodal.get_by_role("link", name="Ersätt Maria Ek", exact=True).click()
    maria = Membership.objects.get(body__slug="referensgrupp-shvo", person__last_name="Ek")
    expect(page).to_have_url(f"{demo_site.url}/uppdrag/{maria.pk}/ersatt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ersätt Maria Ek i Referensgrupp SHVO")
    expect(page.get_by_label("Ny person börjar")).to_have_value(today.isoformat())
    assert_accessible(page)

    # 3a. A start date before the current term began (2026-01-01) is refused; what was typed stays.
    page.get_by_label("Förnamn (ny person)").fill("Stina")
    page.get_by_label("Efternamn (ny person)").fill("Strömstad")
    page.fill("input[name='start_date']", "2025-06-01")
    page.get_by_label("Anledning (visas i historiken)").fill(REASON)
    page.get_by_role("button", name="Ersätt", exact=True).click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    error_link = summary.get_by_role("link", name=re.compile(r"^Ny person börjar: .*2026-01-01"))
    expect(error_link).to_have_attribute("href", "#id_start_date")
    expect(page.get_by_label("Förnamn (ny person)")).to_have_value("Stina")
    expect(page.get_by_label("Efternamn (ny person)")).to_have_value("Strömstad")
    expect(page.get_by_label("Ny person börjar")).to_have_value("2025-06-01")
    expect(page.get_by_label("Anledning (visas i historiken)")).to_have_value(REASON)
    assert_accessible(page)
    # Nothing was saved: Maria still holds the seat and no new person was registered.
    maria.refresh_from_db()
    assert maria.end_date is None
    assert not Person.objects.filter(last_name="Strömstad").exists()

    # 3b. Corrected: Stina starts today, so Maria's last day was yesterday.
    page.fill("input[name='start_date']", today.isoformat())
    page.get_by_role("button", name="Ersätt", exact=True).click()

    # 4. Back on the body page: the message, Stina under Fyrbodal, Maria among the former members.
    expect(page).to_have_url(body_url)
    expect(page.get_by_role("status")).to_contain_text("Stina Strömstad ersätter Maria Ek.")
    fyrbodal = _members_table(page, "Vårdsamverkan Fyrbodal")
    expect(fyrbodal.get_by_role("link", name="Stina Strömstad", exact=True)).to_be_visible()
    expect(fyrbodal.get_by_role("link", name="Ersätt Stina Strömstad", exact=True)).to_be_visible()
    members = page.get_by_role("region", name="Ledamöter och roller")
    expect(members.get_by_text("Maria Ek")).to_have_count(0)
    past = page.get_by_role("region", name="Tidigare ledamöter")
    expect(
        past.get_by_role("row", name=f"Maria Ek Ledamot Fyrbodal 2026-01-01 – {yesterday.isoformat()}")
    ).to_be_visible()
    assert_accessible(page)

    # 5. The history says who replaced whom, when and why.
    page.get_by_role("link", name="Historik: vem ändrade vad och när").click()
    expect(page).to_have_url(f"{body_url}historik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Historik för Referensgrupp SHVO")
    created = page.get_by_role("article").filter(
        has=page.get_by_role("heading", level=2, name="Lagt till uppdrag för Stina Strömstad (Ledamot)", exact=True)
    )
    expect(created).to_have_count(1)
    expect(created.get_by_role("strong")).to_have_text("Ulla Wester")
    expect(created).to_contain_text(REASON)
    from core.history import MONTHS

    day = f"{today.day} {MONTHS[today.month - 1]} {today.year}"
    expect(created.locator("time")).to_have_text(re.compile(rf"^{day} kl\. \d\d\.\d\d$"))
    ended = page.get_by_role("article").filter(
        has=page.get_by_role("heading", level=2, name="Ändrat uppdrag för Maria Ek (Ledamot)", exact=True)
    )
    expect(ended).to_have_count(1)
    expect(ended.get_by_role("strong")).to_have_text("Ulla Wester")
    expect(ended).to_contain_text(REASON)
    expect(ended.get_by_role("row", name=f"Till och med – {yesterday.isoformat()}")).to_be_visible()
    assert_accessible(page)

    # 6. Skaraborg's seats are not hers: no actions on the page, and the direct address is refused.
    page.goto(body_url)
    skaraborg = _members_table(page, "Vårdsamverkan Skaraborg")
    for name in ("Karin Öberg", "Lars Nyström"):
        expect(skaraborg.get_by_role("link", name=name, exact=True)).to_be_visible()
        for action in (f"Ersätt {name}", f"Avsluta uppdraget för {name}", f"Ändra uppdraget för {name}"):
            expect(page.get_by_role("link", name=action, exact=True)).to_have_count(0)
    expect(skaraborg.get_by_role("link", name=re.compile(r"^(Ersätt|Avsluta|Ändra)\b"))).to_have_count(0)

    karin = Membership.objects.get(body__slug="referensgrupp-shvo", person__last_name="Öberg")
    response = page.goto(f"{demo_site.url}/uppdrag/{karin.pk}/ersatt/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Behörighet saknas")
    assert_accessible(page)
    karin.refresh_from_db()
    assert karin.end_date is None

    # A new seat can only be for Fyrbodal.
    page.goto(body_url)
    members = page.get_by_role("region", name="Ledamöter och roller")
    members.get_by_role("link", name="Tillsätt plats", exact=True).click()
    expect(page).to_have_url(f"{body_url}uppdrag/nytt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillsätt plats i Referensgrupp SHVO")
    subregion = page.get_by_label("Företräder delregion")
    expect(subregion.locator("option")).to_have_text(["Fyrbodal"])
    assert_accessible(page)
