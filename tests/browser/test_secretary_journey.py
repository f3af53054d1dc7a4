"""A meeting from plan to public PDF in a real browser: the secretary plans it and writes the minutes, the chair and
the justerare approve them, the secretary publishes them, and an anonymous visitor downloads the very same file.

Every page on the way is scanned with axe-core, including the forms with errors.
"""

import datetime
import hashlib
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import confirm, fill_rich_text, label, rich_text_value, sign_in_from_header, sign_out

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

BODY = "Referensgrupp SHVO"
# Two days ago (minutes go to justering once the meeting has been held), after the demo's March meeting; the action
# is due about two weeks later.
MEETING_DAY = timezone.localdate() - datetime.timedelta(days=2)
MEETING_DATE = MEETING_DAY.isoformat()
MEETING_TITLE = "Höstmöte om förvaltningsplanen"
PLACE = "Regionens hus, Vänersborg"
DISCUSSION = "Gruppen gick igenom önskemålen i backloggen. Många frågor rör säker åtkomst för vård och omsorg."
DECISION = "Förslaget till förvaltningsplan 2027 ställs bakom; Skaraborg återkommer om övergången."
ACTION = "Sammanställ delregionernas synpunkter på backloggen före årsskiftet"
ACTION_OWNER = "Maria Ek och Per Åström"
ACTION_DUE = (MEETING_DAY + datetime.timedelta(days=15)).isoformat()


def _open_body(page, live_server) -> None:
    """Organ → Referensgrupp SHVO, from the main menu."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organ", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/organ/")
    assert_accessible(page)
    page.get_by_role("region", name="Vem ger vem uppdraget").get_by_role("link", name=BODY, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/organ/referensgrupp-shvo/")
    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)
    assert_accessible(page)


def _open_meeting(page, live_server) -> None:
    """Organ → Referensgrupp SHVO → "Organets möten" → the meeting."""
    _open_body(page, live_server)
    page.get_by_role("link", name="Organets möten", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/organ/referensgrupp-shvo/moten/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Möten i {BODY}")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(MEETING_TITLE))).click()
    _expect_meeting_page(page)
    assert_accessible(page)


def _expect_meeting_page(page) -> None:
    expect(page).to_have_url(re.compile(r"/moten/\d+/(#dagordning)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{BODY} {MEETING_DATE}: {MEETING_TITLE}")


def _agenda_headings(page):
    """The agenda items' headings (not the list of cases waiting to be put on the agenda below them)."""
    return page.get_by_role("region", name="Dagordning och anteckningar").locator("article.agenda-item h3")


def _add_item(page, title: str, time: str, purpose: str, presenters: str) -> None:
    page.get_by_role("region", name="Dagordning och anteckningar").get_by_role(
        "link", name="Lägg till punkt", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny punkt på dagordningen")
    assert_accessible(page)
    page.get_by_label("Rubrik").fill(title)
    page.fill("input[type='time']", time)
    page.get_by_label("Syfte").select_option(label=purpose)
    page.get_by_label("Föredragande").fill(presenters)
    page.get_by_role("button", name="Lägg till punkten").click()
    _expect_meeting_page(page)
    expect(page.get_by_role("status")).to_contain_text("Punkten är tillagd.")
    assert_accessible(page)


def _to_justera(page):
    """The start page's link to this meeting's justering, under "Väntar på dig"."""
    return page.get_by_role("region", name="Väntar på dig").get_by_role(
        "link", name=re.compile(rf"^Justera anteckningarna från .*{MEETING_DATE} – {re.escape(MEETING_TITLE)}$")
    )


def _read_preview(page) -> None:
    """The justering page's link to the minutes as a preview PDF, marked as not justerade on every page."""
    link = page.get_by_role("link", name="Läs protokollet som PDF", exact=True)
    response = page.request.get(link.evaluate("a => a.href"))  # shown inline: fetch it with the page's cookies
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = [p for p in pages.split("\f") if p.strip()]
    assert pages and all("Förhandsversion – ej justerad" in p for p in pages)
    assert DECISION in " ".join(" ".join(pages).split())


def _justera(page, live_server, username: str, name: str) -> None:
    """A signatory signs in, sees the task on the start page, finds the meeting through the body and approves the
    minutes; stays signed in."""
    sign_in_from_header(page, live_server, username)
    expect(_to_justera(page)).to_be_visible()
    _open_meeting(page, live_server)
    page.get_by_role("link", name="Justera anteckningarna", exact=True).click()
    expect(page).to_have_url(re.compile(r"/moten/\d+/justering/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Justera protokollet")
    expect(page.get_by_role("main")).to_contain_text(DISCUSSION)
    expect(page.get_by_role("main")).to_contain_text(DECISION)
    assert_accessible(page)
    _read_preview(page)
    page.get_by_role("button", name="Godkänn anteckningarna", exact=True).click()
    confirm(page, "Godkänn protokollet?", "godkänn protokollet")
    _expect_meeting_page(page)
    expect(page.get_by_role("status")).to_contain_text("Du har godkänt anteckningarna.")
    expect(page.get_by_role("region", name="Justering").get_by_role("listitem").filter(has_text=name)).to_have_text(
        re.compile(rf"^\d{{4}}-\d\d-\d\d \d\d:\d\d {name}: godkände$")
    )
    assert_accessible(page)


def test_secretary_builds_minutes_chair_approves_and_the_public_downloads_the_pdf(page, demo_site):
    from meetings.models import Attendance, Meeting, Minutes

    url = demo_site.url

    # 1. Elin Sjöberg, the reference group's secretary, plans a meeting.
    sign_in_from_header(page, demo_site, "sekreterare")
    _open_body(page, demo_site)
    page.get_by_role("link", name="Organets möten", exact=True).click()
    expect(page).to_have_url(f"{url}/organ/referensgrupp-shvo/moten/")
    assert_accessible(page)
    page.get_by_role("link", name="Planera nytt möte", exact=True).click()
    expect(page).to_have_url(f"{url}/organ/referensgrupp-shvo/moten/nytt/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nytt möte i {BODY}")
    assert_accessible(page)

    # 1a. The end time before the start time is refused in Swedish; everything typed stays.
    page.get_by_label("Rubrik").fill(MEETING_TITLE)
    page.fill("input[type='date']", MEETING_DATE)
    page.get_by_label("Starttid").fill("09:00")
    page.get_by_label("Sluttid").fill("08:00")
    page.get_by_label("Mötesform").select_option(label="Fysiskt")
    page.get_by_label("Plats").fill(PLACE)
    page.get_by_label("Ordförande").select_option(label="Anders Holm")
    justerare = page.get_by_role("group", name=label("Justerare"))  # "Fler sekreterare" lists the members too
    justerare.get_by_role("checkbox", name="Maria Ek", exact=True).check()
    page.get_by_role("button", name="Planera mötet").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    error_link = summary.get_by_role("link", name="Sluttid: Sluttiden måste vara efter starttiden.")
    expect(error_link).to_have_attribute("href", "#id_end_time")
    expect(page.get_by_label("Rubrik")).to_have_value(MEETING_TITLE)
    expect(page.locator("input[type='date']")).to_have_value(MEETING_DATE)
    expect(page.get_by_label("Starttid")).to_have_value("09:00")
    expect(page.get_by_label("Sluttid")).to_have_value("08:00")
    expect(page.get_by_label("Plats")).to_have_value(PLACE)
    expect(page.get_by_label("Ordförande").locator("option:checked")).to_have_text("Anders Holm")
    expect(page.get_by_label(label("Sekreterare")).locator("option:checked")).to_have_text("Elin Sjöberg")
    expect(justerare.get_by_role("checkbox", name="Maria Ek", exact=True)).to_be_checked()
    assert_accessible(page)
    assert not Meeting.objects.filter(title=MEETING_TITLE).exists()

    # 1b. Corrected and planned.
    page.get_by_label("Sluttid").fill("12:00")
    page.get_by_role("button", name="Planera mötet").click()
    _expect_meeting_page(page)
    expect(page.get_by_role("status")).to_contain_text("Mötet är planerat. Bygg nu dagordningen.")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"{MEETING_DATE} kl. 09:00–12:00")
    expect(facts).to_contain_text(f"Fysiskt, {PLACE}")
    expect(facts).to_contain_text("Anders Holm")
    expect(facts).to_contain_text("Elin Sjöberg")
    assert_accessible(page)
    meeting = Meeting.objects.get(title=MEETING_TITLE)
    assert [str(p) for p in meeting.adjusters.all()] == ["Maria Ek"]

    # 2. A timed agenda after the standing items (previous minutes and open actions from the March meeting), kept in
    # time order whatever order the items are added in, each with its hours and duration.
    expect(_agenda_headings(page)).to_have_text(["1. Föregående protokoll", "2. Uppföljning av åtgärder"])
    _add_item(page, "Lägesrapport från delregionerna", "09:15", "Information", "Delregionernas representanter")
    _add_item(page, "Förvaltningsplan 2027", "10:45", "Beslut", "Ordföranden")
    _add_item(page, "Gemensam backlogg: erfarenheter så här långt", "10:00", "Diskussion", "Maria Ek")
    time_order = [
        "1. Föregående protokoll",
        "2. Uppföljning av åtgärder",
        "3. 09:15 Lägesrapport från delregionerna",
        "4. 10:00 Gemensam backlogg: erfarenheter så här långt",
        "5. 10:45 Förvaltningsplan 2027",
    ]
    expect(_agenda_headings(page)).to_have_text(time_order)
    agenda = page.get_by_role("region", name="Dagordning och anteckningar")
    expect(agenda.get_by_role("article").nth(2)).to_contain_text("Kl. 09:15–10:00 (45 min).")
    expect(agenda.get_by_role("article").nth(3)).to_contain_text("Kl. 10:00–10:45 (45 min). Diskussion – Maria Ek")
    expect(agenda.get_by_role("article").nth(4)).to_contain_text("Kl. 10:45–12:00 (1 tim 15 min). Beslut – Ordföranden")
    # A timed item is not moved past another: its time says where it stands.
    page.get_by_role("button", name="Flytta upp punkt 5", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Ändra punktens tid för att flytta den.")
    expect(_agenda_headings(page)).to_have_text(time_order)
    assert_accessible(page)

    page.get_by_role("button", name="Publicera dagordningen för ledamöterna", exact=True).click()
    confirm(page, re.compile(r"^Publicera dagordningen för Referensgrupp SHVO:s möte "), "publicera dagordningen")
    _expect_meeting_page(page)
    expect(page.get_by_role("status")).to_contain_text("Dagordningen är publicerad för organets ledamöter.")
    expect(page.get_by_role("region", name="Nästa steg")).to_contain_text("Dagordningen publicerades")
    expect(page.get_by_role("button", name="Publicera dagordningen för ledamöterna")).to_have_count(0)
    assert_accessible(page)

    # 3. Attendance: the body's members and vacancies on the meeting day; Nils Forsberg cannot come.
    page.get_by_role("link", name="Närvaro", exact=True).click()
    expect(page).to_have_url(f"{url}/moten/{meeting.pk}/narvaro/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Närvaro")
    assert_accessible(page)
    page.get_by_role("button", name="Hämta ledamöter och vakanser från organet").click()
    expect(page).to_have_url(f"{url}/moten/{meeting.pk}/narvaro/")
    expect(page.get_by_role("status")).to_contain_text("rader hämtades från organets uppdrag på mötesdagen")
    vacant = page.get_by_role("row").filter(has=page.get_by_role("cell", name="SIMBA", exact=True))
    expect(vacant).to_have_count(1)
    expect(vacant.get_by_role("cell")).to_have_text(["Vakant", "SIMBA", "Vakant", "–", "–", "Ledamot"])
    assert_accessible(page)

    page.get_by_label("Närvaro för Nils Forsberg").select_option(label="Förhinder")
    page.get_by_role("button", name="Spara närvaron").click()
    _expect_meeting_page(page)
    expect(page.get_by_role("status")).to_contain_text("Närvaron är sparad.")
    assert_accessible(page)

    # A substitute comes in his place.
    page.get_by_role("link", name="Närvaro", exact=True).click()
    expect(page.get_by_label("Närvaro för Nils Forsberg").locator("option:checked")).to_have_text("Förhinder")
    assert_accessible(page)
    page.get_by_label(label("Person")).select_option(label="Gustav Ahl")
    page.get_by_label(label("Närvaro")).select_option(label="Ersättare")
    page.get_by_label(label("Ersätter")).select_option(label="Nils Forsberg")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page).to_have_url(f"{url}/moten/{meeting.pk}/narvaro/")
    expect(page.get_by_role("status")).to_contain_text("Gustav Ahl är tillagd i närvarolistan.")
    expect(page.get_by_label("Närvaro för Gustav Ahl").locator("option:checked")).to_have_text("Ersättare")
    expect(page.get_by_label("Gustav Ahl ersätter").locator("option:checked")).to_have_text("Nils Forsberg")
    assert_accessible(page)

    page.get_by_role("link", name="Tillbaka till mötet", exact=True).click()
    _expect_meeting_page(page)
    present = page.get_by_role("region", name="Närvaro")
    # Each name with the title and organisation at the meeting, the role as typed (not re-cased).
    expect(present.get_by_role("listitem").filter(has_text="Nils Forsberg, Verksamhetsutvecklare")).to_have_text(
        "Nils Forsberg, Verksamhetsutvecklare, Borås (Ledamot): förhinder"
    )
    expect(present.get_by_role("listitem").filter(has_text="Gustav Ahl")).to_have_text(
        "Gustav Ahl, Enhetschef, Trollhättan: ersättare för Nils Forsberg"
    )
    simba = present.get_by_role("heading", level=3, name="SIMBA", exact=True).locator(
        "xpath=following-sibling::*[1][self::ul]"
    )
    expect(simba.get_by_role("listitem")).to_have_text(["Vakant, Ledamot: vakant"])
    assert_accessible(page)
    assert meeting.attendance.get(person__last_name="Ahl").substitute_for.last_name == "Forsberg"
    assert meeting.attendance.filter(status=Attendance.Status.VACANT, subregion__short_name="SIMBA").count() == 1

    # 4. Minutes for item 5: notes, a decision and an action.
    page.get_by_role("link", name="Skriv anteckningar för punkt 5", exact=True).click()
    expect(page).to_have_url(re.compile(r"/punkter/\d+/anteckningar/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("5. Förvaltningsplan 2027")
    assert_accessible(page)

    # Notes, a decision and an action on one page, saved together. An action without anyone responsible is refused;
    # everything typed stays, and nothing is saved.
    fill_rich_text(page, "Anteckningar", DISCUSSION)
    new_decision = page.get_by_role("group", name="Nytt ställningstagande")
    new_decision.get_by_label(label("Typ")).select_option(label="Beslut")
    new_decision.get_by_label(label("Ställningstagande")).fill(DECISION)
    new_action = page.get_by_role("group", name="Ny åtgärd")
    new_action.get_by_label(label("Åtgärd")).fill(ACTION)
    new_action.get_by_label(label("Klart senast")).fill(ACTION_DUE)
    page.get_by_role("button", name="Spara anteckningar, ställningstaganden och åtgärder").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Det du skrev är inte sparat än")).to_be_visible()
    error_link = summary.get_by_role("link", name="Ny åtgärd, Ansvarig: Detta fält måste fyllas i.")
    expect(error_link).to_have_attribute("href", "#id_actions-0-owner")
    assert rich_text_value(page, "Anteckningar") == f"<p>{DISCUSSION}</p>"
    expect(new_decision.get_by_label(label("Ställningstagande"))).to_have_value(DECISION)
    expect(new_action.get_by_label(label("Åtgärd"))).to_have_value(ACTION)
    expect(new_action.get_by_label(label("Klart senast"))).to_have_value(ACTION_DUE)
    assert_accessible(page)

    new_action.get_by_label(label("Ansvarig")).fill(ACTION_OWNER)
    new_action.get_by_label("Gäller delregion").select_option(label="Fyrbodal")
    page.get_by_role("button", name="Spara anteckningar, ställningstaganden och åtgärder").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat.")
    assert rich_text_value(page, "Anteckningar") == f"<p>{DISCUSSION}</p>"
    saved = page.get_by_role("group", name=re.compile(rf"^§ \d+\/{MEETING_DAY.year}$"))
    expect(saved.get_by_label(label("Ställningstagande"))).to_have_value(DECISION)
    saved_action = page.get_by_role("group", name="Åtgärd 1 (pågår)")
    expect(saved_action.get_by_label(label("Ansvarig"))).to_have_value(ACTION_OWNER)
    expect(page.get_by_role("group", name="Nytt ställningstagande")).to_have_count(1)  # a blank row for the next
    assert_accessible(page)

    page.get_by_role("navigation", name="Punkter").get_by_role("link", name="Till mötet").click()
    _expect_meeting_page(page)
    item5 = page.get_by_role("region", name="Dagordning och anteckningar").get_by_role("article").nth(4)
    expect(item5).to_contain_text(DISCUSSION)
    expect(item5).to_contain_text(DECISION)
    expect(item5).to_contain_text(f"Åtgärd: {ACTION} – ansvarig {ACTION_OWNER}, senast {ACTION_DUE} (pågår)")
    assert_accessible(page)

    page.get_by_role("button", name="Skicka för justering", exact=True).click()
    _expect_meeting_page(page)
    expect(page.get_by_role("status")).to_contain_text("Anteckningarna är skickade till ordföranden och justerarna.")
    expect(page.locator("dl.facts")).to_contain_text("Skickat för justering")
    assert_accessible(page)
    sign_out(page, demo_site)

    # 5. The chair, then the justerare, approve.
    _justera(page, demo_site, "ordforande", "Anders Holm")
    # Still waiting for Maria Ek: nothing is locked yet.
    expect(page.locator("dl.facts")).to_contain_text("Skickat för justering")
    expect(page.get_by_role("region", name="Justerat")).to_have_count(0)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.IN_JUSTERING
    # The chair's task is done: the start page no longer asks him to justera.
    page.get_by_role("banner").get_by_role("link", name=re.compile(r"^SHVO-portalen")).click()
    expect(page).to_have_url(f"{demo_site.url}/")
    expect(page.get_by_role("region", name="Väntar på dig")).to_be_visible()
    expect(_to_justera(page)).to_have_count(0)
    assert_accessible(page)
    sign_out(page, demo_site)

    _justera(page, demo_site, "fyrbodal", "Maria Ek")
    # Both have approved: the minutes are justerade, with both names and dates.
    expect(page.locator("dl.facts")).to_contain_text("Justerat")
    justerat = page.get_by_role("region", name="Justerat")
    signatures = [
        re.compile(r"^Anders Holm, ordförande: \d{4}-\d\d-\d\d$"),
        re.compile(r"^Maria Ek, justerare: \d{4}-\d\d-\d\d$"),
    ]
    expect(justerat.get_by_role("listitem")).to_have_text(signatures)
    expect(page.get_by_role("link", name="Justera anteckningarna")).to_have_count(0)
    assert_accessible(page)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT
    sign_out(page, demo_site)

    # 6. The secretary sees the signatures and publishes the PDF.
    sign_in_from_header(page, demo_site, "sekreterare")
    _open_meeting(page, demo_site)
    expect(page.get_by_role("region", name="Justerat").get_by_role("listitem")).to_have_text(signatures)
    expect(page.get_by_role("region", name="Nästa steg")).to_contain_text("Anteckningarna är justerade")
    page.get_by_role("button", name="Publicera som PDF", exact=True).click()
    confirm(page, re.compile(r"^Publicera protokollet för Referensgrupp SHVO:s möte "), "publicera protokollet")
    _expect_meeting_page(page)
    # Rendering the PDF takes a few seconds; the form shows its own progress status meanwhile.
    expect(page.get_by_role("status").first).to_contain_text(
        "Protokollet är publicerat som PDF. Filen ändras aldrig i efterhand.", timeout=30_000
    )
    expect(page.locator("dl.facts")).to_contain_text("Publicerat")
    shown_hash = page.locator("code.hash").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", shown_hash)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.pdf_sha256 == shown_hash
    assert_accessible(page)
    sign_out(page, demo_site)

    # 7. Anyone can download the published minutes, and they are the file that was published.
    _open_body(page, demo_site)
    page.get_by_role("link", name="Publicerade protokoll", exact=True).click()
    expect(page).to_have_url(f"{url}/organ/referensgrupp-shvo/protokoll/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publicerade protokoll {BODY}")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=MEETING_DATE, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("code")).to_have_attribute("title", shown_hash)
    expect(row.locator("code")).to_have_text(f"{shown_hash[:12]}…")
    assert_accessible(page)

    link = row.get_by_role("link", name=f"Protokoll {MEETING_DATE} (PDF)", exact=True)
    # The browser shows the PDF inline (no download event in headless Chromium): fetch what the link points at,
    # as the anonymous visitor (the page's cookies).
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="referensgrupp-shvo-{MEETING_DATE}.pdf"' in response.headers["content-disposition"]
    assert response.headers["etag"] == f'"{shown_hash}"'
    data = response.body()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == shown_hash == minutes.pdf_sha256
    assert len(data) == minutes.pdf_size
