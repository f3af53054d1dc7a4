"""A management plan's year in a real browser: the coordinator starts next year's plan from the plan in force, edits
it and sends it on review; the subregions comment and answer (and cannot see each other's drafts); the coordinator
takes a position on every comment and submits the plan; the preparer records VVG's position, and the plan is in force
and locked.

Every page on the way is scanned with axe-core, including the forms with errors and the 404 and 403 pages.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import confirm, fill_rich_text, label, rich_text_value, sign_in_from_header, sign_out

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

OBJECT_NAME = "Samordnad hälsa, vård och omsorg"
PLAN_2026 = f"Förvaltningsplan {OBJECT_NAME} 2026"
PLAN_2027 = f"Förvaltningsplan {OBJECT_NAME} 2027"
PLAN_2027_SHORT = "Förvaltningsplan SHVO 2027"

GOAL_OLD = "Säkerställa stöd- och utbildningsmaterial"
GOAL_NEW = "Säkerställa stöd- och utbildningsmaterial för hemsjukvården och kommunernas nya medarbetare"
RESOURCES = "Resurs- och utbildningsbehov"
RESOURCES_ADDED = (
    "Under 2027 behövs särskild utbildning inför övergången från SAMSA till SAMVY, både för vårdpersonal och för "
    "förvaltningsorganisationens medarbetare i Göteborgsområdet, Fyrbodal och Södra Älvsborg."
)
OPERATIONS = "Drift och utveckling av systemstöd"
ROUND_MESSAGE = "Vi vill särskilt ha era synpunkter på utbildningsbehoven inför övergången till SAMVY."

QUOTED = "en tillgänglighet på 99,9 %"
FYRBODAL_COMMENT = "Hur följs tillgängligheten upp under övergången, och vem rapporterar avvikelser till delregionerna?"
FYRBODAL_RESPONSE = [
    "Fyrbodal ställer sig bakom förslaget till förvaltningsplan 2027.",
    "Vi önskar att utbildningsinsatserna inför övergången till SAMVY får en egen tidplan och följs upp i "
    "referensgruppen.",
]
SKARABORG_COMMENT = "Önskar ett gemensamt utbildningspaket för nya medarbetare inom hemsjukvården."
PARTLY_REASON = "Tillgängligheten redovisas kvartalsvis i referensgruppen; avvikelser rapporteras redan enligt SLA."
REFERENCE = "VVG § 14/2026"


def _open_plan(page, live_server, link_name: str) -> None:
    """Förvaltningsplaner (main menu) → the plan."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Förvaltningsplaner", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/forvaltningsplaner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förvaltningsplaner")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name=link_name, exact=True).click()
    expect(page).to_have_url(re.compile(r"/forvaltningsplaner/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(link_name)
    assert_accessible(page)


def _edit_links(page):
    """Every link that changes the plan's text or goals (their names start with these verbs)."""
    return page.get_by_role("main").get_by_role("link", name=re.compile(r"^(Ändra|Ta bort|Lägg till)\b"))


def _waiting(page):
    return page.get_by_role("region", name="Väntar på dig")


def _status_rows(page):
    """The rows of the round's overview table "Delregionernas svar", without the header row."""
    return page.get_by_role("region", name="Delregionernas svar").locator("tbody").get_by_role("row")


def _status_row(page, subregion_name: str):
    return _status_rows(page).filter(has=page.get_by_role("cell", name=subregion_name, exact=True))


def _thread(page, text: str):
    """The comment thread (on the round page) whose comment says `text`."""
    return page.locator("article.comment-thread").filter(has_text=text)


def _expect_round_page(page):
    expect(page).to_have_url(re.compile(r"/remisser/\d+/(#kommentar-\d+)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remiss av {PLAN_2027_SHORT}")


def _open_own_response(page, subregion: str, subregion_name: str) -> None:
    """From the start page's "Väntar på dig": the subregion's joint response on the round."""
    _waiting(page).get_by_role("link", name=f"Gemensamt svar från {subregion}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/remisser/\d+/svar/{subregion.lower()}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gemensamt svar från {subregion_name}")
    assert_accessible(page)


def _select_with_mouse(page, container, phrase: str) -> None:
    """Drag the mouse over `phrase` inside `container`, from the left edge of its first character to the right edge
    of its last, as a reader marks a passage."""
    container.scroll_into_view_if_needed()
    box = container.evaluate(
        """(element, phrase) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(phrase);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + phrase.length);
                const rects = range.getClientRects();
                const first = rects[0], last = rects[rects.length - 1];
                return {x1: first.left + 1, y1: first.top + first.height / 2,
                        x2: last.right - 1, y2: last.top + last.height / 2};
            }
            return null;
        }""",
        phrase,
    )
    assert box, f"{phrase!r} finns inte i avsnittet"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def _dispose(page, comment_text: str, author: str, disposition: str, reason: str = "") -> None:
    thread = _thread(page, comment_text)
    thread.locator("summary").filter(has_text=f"Ta ställning till kommentaren från {author}").click()
    thread.get_by_role("radio", name=disposition, exact=True).check()
    if reason:
        thread.get_by_label(label("Motivering")).fill(reason)
    thread.get_by_role("button", name="Spara ställningstagandet").click()


def test_coordinator_starts_next_years_plan_subregions_review_and_vvg_puts_it_in_force(page, demo_site):
    from django.utils import timezone

    from documents.models import Comment, JointResponse, ManagementPlan, PlanSection, ReviewRound

    url = demo_site.url
    # The app's "today" (Europe/Stockholm), the same day the services and the pages use.
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=14)

    # The demo data already has the 2027 plan on review. This journey starts next year's plan from the plan in
    # force, so the seeded 2027 plan (and its review round, comments and responses) is removed through the ORM first.
    seeded = ManagementPlan.objects.get(managed_object__slug="shvo", year=2027)
    seeded.rounds.all().delete()
    seeded.delete()

    # 1. Sara Lind, GITS coordinator, opens the 2026 plan: it is in force and locked.
    sign_in_from_header(page, demo_site, "samordnare")
    _open_plan(page, demo_site, PLAN_2026)
    expect(page.get_by_role("main").locator(".badge.plan-status")).to_have_text("Gäller")
    expect(page.get_by_role("note")).to_contain_text("Planen gäller och är låst.")
    expect(page.get_by_role("note")).to_contain_text("Texten, målen och avsnitten kan inte ändras.")
    expect(_edit_links(page)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Skicka på remiss"))).to_have_count(0)

    page.get_by_role("button", name="Starta nästa års plan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/forvaltningsplaner/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN_2027)
    expect(page.get_by_role("status")).to_contain_text("Utkastet till planen för 2027 är skapat som en kopia av 2026.")
    expect(page.get_by_role("main").locator(".badge.plan-status")).to_have_text("Utkast")
    expect(page.get_by_role("note")).to_contain_text("Utkast – inte fastställt.")
    # A copy: the period section now speaks of 2027, the goals came along.
    expect(page.get_by_role("region", name="3. Förvaltningsperiod")).to_contain_text(
        "Planen gäller för perioden 2027-01-01 – 2027-12-31."
    )
    expect(page.locator("#mal").get_by_text(GOAL_OLD, exact=True)).to_be_visible()
    # A draft: every section and goal has its edit link (so their absence on a locked plan means something).
    expect(_edit_links(page).filter(has_text=re.compile(r"^Ändra avsnittet"))).to_have_count(10)
    assert_accessible(page)
    plan = ManagementPlan.objects.get(managed_object__slug="shvo", year=2027)
    assert plan.status == ManagementPlan.Status.DRAFT
    assert plan.based_on.year == 2026
    plan_url = f"{url}/forvaltningsplaner/{plan.pk}/"
    expect(page).to_have_url(plan_url)

    # 2a. A goal's title left empty is refused in Swedish, and nothing is saved.
    page.get_by_role("link", name=f"Ändra målet {GOAL_OLD}", exact=True).click()
    expect(page).to_have_url(re.compile(r"/forvaltningsplaner/mal/\d+/andra/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra mål")
    expect(page.get_by_label(label("Mål"))).to_have_value(GOAL_OLD)
    assert_accessible(page)
    page.get_by_label(label("Mål")).fill("")
    page.get_by_role("button", name="Spara målet").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    expect(summary.get_by_role("link", name="Mål: Detta fält måste fyllas i.")).to_have_attribute("href", "#id_title")
    expect(page.get_by_label(label("Mål"))).to_have_value("")
    assert_accessible(page)
    assert plan.goals.filter(title=GOAL_OLD).exists()

    # 2b. Corrected: the new title is on the plan.
    page.get_by_label(label("Mål")).fill(GOAL_NEW)
    page.get_by_role("button", name="Spara målet").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(plan_url)}#mal-\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Målet är ändrat.")
    goals = page.locator("#mal")
    expect(goals.get_by_text(GOAL_NEW, exact=True)).to_be_visible()
    expect(goals.get_by_text(GOAL_OLD, exact=True)).to_have_count(0)
    assert_accessible(page)

    # 2c. The section "Resurs- och utbildningsbehov" gets a paragraph more.
    resources = page.get_by_role("region", name=f"9. {RESOURCES}")
    edit_section = resources.get_by_role("link", name=f"Ändra avsnittet {RESOURCES}", exact=True)
    section_edit_url = url + edit_section.get_attribute("href")
    edit_section.click()
    expect(page).to_have_url(section_edit_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ändra avsnitt 9. {RESOURCES}")
    assert_accessible(page)
    before = rich_text_value(page, "Text")
    assert "Nya arbetssätt kräver fortsatt utbildning" in before
    fill_rich_text(page, "Text", f"{before}<p>{RESOURCES_ADDED}</p>")
    page.get_by_role("button", name="Spara avsnittet").click()
    expect(page).to_have_url(f"{plan_url}#avsnitt-resources")
    expect(page.get_by_role("status")).to_contain_text(f"Avsnittet {RESOURCES} är sparat.")
    resources = page.get_by_role("region", name=f"9. {RESOURCES}")
    expect(resources).to_contain_text("Nya arbetssätt kräver fortsatt utbildning av ny och erfaren personal.")
    expect(resources.get_by_text(RESOURCES_ADDED, exact=True)).to_be_visible()
    expect(resources).to_contain_text("Senast sparat")
    assert_accessible(page)

    # 3a. Open a review round; a deadline of today is refused.
    page.get_by_role("link", name="Skicka på remiss (öppna remissrunda)", exact=True).click()
    expect(page).to_have_url(f"{plan_url}remiss/ny/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Skicka {PLAN_2027_SHORT} på remiss")
    for name in ("Fyrbodal", "Göteborgsområdet", "SAMLA", "SIMBA", "Skaraborg", "Södra Älvsborg"):
        expect(page.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    assert_accessible(page)
    page.get_by_label(label("Sista svarsdag")).fill(today.isoformat())
    page.get_by_label(label("Meddelande till delregionerna")).fill(ROUND_MESSAGE)
    page.get_by_role("button", name="Skicka på remiss").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Sista svarsdag: Sista svarsdag måste vara efter i dag.")
    ).to_have_attribute("href", "#id_deadline")
    expect(page.get_by_label(label("Meddelande till delregionerna"))).to_have_value(ROUND_MESSAGE)
    assert_accessible(page)
    assert not ReviewRound.objects.filter(document__plan=plan).exists()

    # 3b. Two weeks from today: the round is open to all six subregions, none has answered yet.
    page.get_by_label(label("Sista svarsdag")).fill(deadline.isoformat())
    page.get_by_role("button", name="Skicka på remiss").click()
    expect(page.get_by_role("main")).to_contain_text(
        f"Remissen skickas till 6 delregioner: Fyrbodal, Göteborgsområdet, SAMLA, SIMBA, Skaraborg, Södra Älvsborg. "
        f"Sista svarsdag är {deadline.isoformat()}."
    )
    confirm(page, "Skicka förvaltningsplanen SHVO 2027 på remiss?", "skicka på remiss")
    _expect_round_page(page)
    expect(page.get_by_role("status")).to_contain_text(
        f"Remissen är skickad till 6 delregioner med sista svarsdag {deadline.isoformat()}."
    )
    expect(page.locator("dl.facts")).to_contain_text("0 av 6 delregioner har skickat in sitt svar")
    expect(page.locator("dl.facts")).to_contain_text(f"{deadline.isoformat()} (14 dagar kvar)")
    expect(page.get_by_role("main")).to_contain_text(ROUND_MESSAGE)
    subregion_names = [
        "Vårdsamverkan Fyrbodal",
        "Vårdsamverkan i Göteborgsområdet",
        "SAMLA",
        "SIMBA",
        "Vårdsamverkan Skaraborg",
        "Närvårdssamverkan Södra Älvsborg",
    ]
    expect(_status_rows(page)).to_have_count(6)
    for name in subregion_names:
        expect(_status_row(page, name).get_by_role("cell")).to_have_text([name, "Inte svarat", "–"])
    assert_accessible(page)
    round_url = page.url.split("#")[0]
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.IN_REVIEW
    sign_out(page, demo_site)

    # 4. Maria Ek (Fyrbodal) finds the round on her start page, comments on a section and drafts the joint response.
    sign_in_from_header(page, demo_site, "fyrbodal")
    expect(_waiting(page)).to_contain_text(f"på remissen av {PLAN_2027_SHORT} – svar senast {deadline.isoformat()}")
    _open_own_response(page, "Fyrbodal", "Vårdsamverkan Fyrbodal")
    page.get_by_role("link", name=f"remissen av {PLAN_2027_SHORT}", exact=True).click()
    _expect_round_page(page)
    assert_accessible(page)

    operations = page.get_by_role("article", name=f"7. {OPERATIONS}")
    operations.locator("summary").filter(has_text="Kommentera avsnittet").click()
    # An empty comment is refused.
    operations.get_by_role("button", name="Skicka kommentaren").click()
    _expect_round_page(page)
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    expect(summary.get_by_role("link", name="Kommentar: Skriv din kommentar.")).to_be_visible()
    operations = page.get_by_role("article", name=f"7. {OPERATIONS}")
    expect(operations.locator("details.comment-tool").last).to_have_attribute("open", "")
    assert_accessible(page)
    assert not Comment.objects.filter(round__document__plan=plan).exists()

    # Selecting a passage in the section with the mouse fills "Markerat stycke" (quote.js).
    _select_with_mouse(page, operations.locator(".section-text"), QUOTED)
    quote = operations.get_by_label(label("Markerat stycke"))
    expect(quote).to_have_value(QUOTED)
    expect(operations.get_by_role("status")).to_have_text("Det markerade stycket är ifyllt i fältet Markerat stycke.")
    fill_rich_text(operations, "Kommentar", FYRBODAL_COMMENT)
    operations.get_by_role("button", name="Skicka kommentaren").click()
    _expect_round_page(page)
    expect(page.get_by_role("status")).to_contain_text(f"Din kommentar till avsnittet {OPERATIONS} är sparad.")
    thread = _thread(page, FYRBODAL_COMMENT)
    expect(thread.locator(".comment-meta").first).to_contain_text("Maria Ek, Vårdsamverkan Fyrbodal")
    expect(thread.locator("blockquote")).to_have_text(f"Markerat stycke: {QUOTED}")
    expect(thread).to_contain_text("Inget ställningstagande ännu.")
    assert_accessible(page)

    mine = page.get_by_role("region", name="Er delregions gemensamma svar")
    mine.get_by_role("link", name="Skriv svaret från Fyrbodal", exact=True).click()
    expect(page).to_have_url(re.compile(r"/remisser/\d+/svar/fyrbodal/$"))
    response_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemensamt svar från Vårdsamverkan Fyrbodal")
    assert_accessible(page)
    answer = page.get_by_label(label("Delregionens gemensamma svar"))
    answer.fill("\n\n".join(FYRBODAL_RESPONSE))
    page.get_by_role("button", name="Spara utkast").click()
    expect(page).to_have_url(response_url)
    expect(page.get_by_role("status")).to_contain_text("Utkastet är sparat. Skicka in svaret när delregionen är klar.")
    expect(page.get_by_label(label("Delregionens gemensamma svar"))).to_have_value("\n\n".join(FYRBODAL_RESPONSE))
    assert_accessible(page)
    draft = JointResponse.objects.get(round__document__plan=plan, subregion__slug="fyrbodal")
    assert draft.submitted_at is None
    assert FYRBODAL_RESPONSE[0] in draft.text
    sign_out(page, demo_site)

    # 5. Karin Öberg (Skaraborg) cannot see or edit Fyrbodal's draft: the address answers 404, with no form.
    sign_in_from_header(page, demo_site, "skaraborg")
    expect(_waiting(page).get_by_role("link", name="Gemensamt svar från Skaraborg", exact=True)).to_be_visible()
    expect(_waiting(page).get_by_role("link", name="Gemensamt svar från Fyrbodal")).to_have_count(0)
    response = page.goto(response_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page).to_have_title(re.compile("^Sidan finns inte"))
    main = page.get_by_role("main")
    expect(main).not_to_contain_text(FYRBODAL_RESPONSE[0])
    expect(main.locator("form, textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Spara utkast")).to_have_count(0)
    expect(page.get_by_role("button", name="Skicka in svaret")).to_have_count(0)
    assert_accessible(page)
    # Not even a hand-made POST (with her own valid CSRF token, from the sign-out form) gets through.
    token = page.locator("input[name='csrfmiddlewaretoken']").first.input_value()
    posted = page.request.post(
        response_url,
        form={
            "csrfmiddlewaretoken": token,
            "text": "Skaraborg skriver över.",
            "base_version": draft.version,
            "submit": "1",
        },
    )
    assert posted.status == 404
    assert "Skaraborg skriver över." not in posted.text()
    draft_after = JointResponse.objects.get(pk=draft.pk)
    assert (draft_after.text, draft_after.version, draft_after.submitted_at) == (draft.text, draft.version, None)

    # On the round page Fyrbodal's row has no link and says "Inte svarat"; Karin comments on a section herself.
    page.goto(f"{url}/")
    assert_accessible(page)
    _open_own_response(page, "Skaraborg", "Vårdsamverkan Skaraborg")
    page.get_by_role("link", name=f"remissen av {PLAN_2027_SHORT}", exact=True).click()
    _expect_round_page(page)
    fyrbodal_row = _status_row(page, "Vårdsamverkan Fyrbodal")
    expect(fyrbodal_row.get_by_role("cell")).to_have_text(["Vårdsamverkan Fyrbodal", "Inte svarat", "–"])
    expect(fyrbodal_row.get_by_role("link")).to_have_count(0)
    expect(_status_row(page, "Vårdsamverkan Skaraborg").get_by_role("link")).to_have_text("Vårdsamverkan Skaraborg")
    expect(page.get_by_role("main")).not_to_contain_text(FYRBODAL_RESPONSE[0])
    # Comments, unlike drafts, are shared with the whole audience of the round.
    expect(_thread(page, FYRBODAL_COMMENT)).to_have_count(1)
    assert_accessible(page)
    resources = page.get_by_role("article", name=f"9. {RESOURCES}")
    expect(resources).to_contain_text(RESOURCES_ADDED)
    resources.locator("summary").filter(has_text="Kommentera avsnittet").click()
    fill_rich_text(resources, "Kommentar", SKARABORG_COMMENT)
    resources.get_by_role("button", name="Skicka kommentaren").click()
    _expect_round_page(page)
    expect(page.get_by_role("status")).to_contain_text(f"Din kommentar till avsnittet {RESOURCES} är sparad.")
    expect(_thread(page, SKARABORG_COMMENT).locator(".comment-meta").first).to_contain_text(
        "Karin Öberg, Vårdsamverkan Skaraborg"
    )
    assert_accessible(page)
    sign_out(page, demo_site)

    # 4, continued. Maria comes back to her draft and submits Fyrbodal's response.
    sign_in_from_header(page, demo_site, "fyrbodal")
    _open_own_response(page, "Fyrbodal", "Vårdsamverkan Fyrbodal")
    expect(page).to_have_url(response_url)
    expect(page.get_by_label(label("Delregionens gemensamma svar"))).to_have_value("\n\n".join(FYRBODAL_RESPONSE))
    page.get_by_role("button", name="Skicka in svaret").click()
    for paragraph in FYRBODAL_RESPONSE:  # what will be submitted, as it will read
        expect(page.get_by_role("blockquote").get_by_text(paragraph, exact=True)).to_be_visible()
    confirm(page, "Skicka in svaret från Vårdsamverkan Fyrbodal?", "skicka in svaret")
    expect(page).to_have_url(response_url)
    expect(page.get_by_role("status")).to_contain_text("Svaret från Fyrbodal är inskickat. Det kan inte längre ändras.")
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(r"Inskickat \d{4}-\d\d-\d\d \d\d:\d\d av Maria Ek\. Svaret är låst och kan inte ändras\.")
    )
    for paragraph in FYRBODAL_RESPONSE:
        expect(page.locator(".response-text").get_by_text(paragraph, exact=True)).to_be_visible()
    expect(page.get_by_role("main").locator("textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Skicka in svaret")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=f"remissen av {PLAN_2027_SHORT}", exact=True).click()
    _expect_round_page(page)
    expect(_status_row(page, "Vårdsamverkan Fyrbodal").get_by_role("cell")).to_have_text(
        ["Vårdsamverkan Fyrbodal", "Svarat", today.isoformat()]
    )
    for name in subregion_names[1:]:
        expect(_status_row(page, name).get_by_role("cell")).to_have_text([name, "Inte svarat", "–"])
    expect(page.locator("dl.facts")).to_contain_text("1 av 6 delregioner har skickat in sitt svar")
    expect(page.get_by_role("region", name="Er delregions gemensamma svar")).to_contain_text(
        f"Svaret från Fyrbodal skickades in {today.isoformat()}."
    )
    assert_accessible(page)
    assert JointResponse.objects.get(pk=draft.pk).submitted_by.last_name == "Ek"
    sign_out(page, demo_site)

    # 6. Sara Lind takes a position on every comment, then submits the plan to Gemensam beredning.
    sign_in_from_header(page, demo_site, "samordnare")
    follow_up = _waiting(page).get_by_role("listitem").filter(has_text=f"Remissen av {PLAN_2027_SHORT}")
    expect(follow_up).to_contain_text("2 kommentarer utan ställningstagande")
    follow_up.get_by_role("link", name=f"Remissen av {PLAN_2027_SHORT}", exact=True).click()
    expect(page).to_have_url(round_url)
    _expect_round_page(page)
    coordinator = page.get_by_role("region", name="Sammanställ och avsluta")
    expect(coordinator).to_contain_text("2 av 2 kommentarer saknar ställningstagande.")
    assert_accessible(page)

    # The submitted response is readable for the coordinator, the draft of others is not listed as a link.
    _status_row(page, "Vårdsamverkan Fyrbodal").get_by_role("link", name="Vårdsamverkan Fyrbodal").click()
    expect(page).to_have_url(response_url)
    expect(page.locator(".response-text")).to_contain_text(FYRBODAL_RESPONSE[1])
    assert_accessible(page)
    page.go_back()
    _expect_round_page(page)
    assert_accessible(page)
    expect(_status_row(page, "Vårdsamverkan Skaraborg").get_by_role("link")).to_have_count(0)

    # "Delvis tillgodosedd" without a reason is refused; with one it is saved.
    _dispose(page, FYRBODAL_COMMENT, "Maria Ek", "Delvis tillgodosedd")
    _expect_round_page(page)
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Motivering: Motivera varför kommentaren inte tillgodoses helt.")
    ).to_be_visible()
    expect(_thread(page, FYRBODAL_COMMENT).get_by_role("radio", name="Delvis tillgodosedd", exact=True)).to_be_checked()
    assert_accessible(page)
    assert Comment.objects.get(text=f"<p>{FYRBODAL_COMMENT}</p>").disposition == ""

    thread = _thread(page, FYRBODAL_COMMENT)
    thread.get_by_label(label("Motivering")).fill(PARTLY_REASON)
    thread.get_by_role("button", name="Spara ställningstagandet").click()
    _expect_round_page(page)
    expect(page.get_by_role("status")).to_contain_text("Ställningstagandet är sparat.")
    expect(_thread(page, FYRBODAL_COMMENT).locator(".disposition")).to_contain_text(
        f"Ställningstagande: Delvis tillgodosedd – {PARTLY_REASON}"
    )
    assert_accessible(page)

    _dispose(page, SKARABORG_COMMENT, "Karin Öberg", "Tillgodosedd")
    _expect_round_page(page)
    expect(page.get_by_role("status")).to_contain_text("Ställningstagandet är sparat.")
    expect(_thread(page, SKARABORG_COMMENT).locator(".disposition")).to_contain_text(
        "Ställningstagande: Tillgodosedd (Sara Lind"
    )
    expect(page.get_by_role("region", name="Sammanställ och avsluta")).to_contain_text(
        "Alla 2 kommentarer har ett ställningstagande."
    )
    assert_accessible(page)
    assert not Comment.objects.filter(round__document__plan=plan, parent__isnull=True, disposition="").exists()

    page.locator("dl.facts").get_by_role("link", name=PLAN_2027_SHORT, exact=True).click()
    expect(page).to_have_url(plan_url)
    assert_accessible(page)
    page.get_by_role("button", name="Lämna in till Gemensam beredning", exact=True).click()
    confirm(page, "Lämna in förvaltningsplanen SHVO 2027?", "lämna in planen")
    expect(page).to_have_url(plan_url)
    expect(page.get_by_role("status")).to_contain_text(
        "Planen är inlämnad till Gemensam beredning VVG och SITIV och är nu låst."
    )
    expect(page.get_by_role("main").locator(".badge.plan-status")).to_have_text(re.compile(r"^Inlämnad"))
    expect(page.locator("dl.facts")).to_contain_text("Inlämnad till gemensam beredning")
    expect(page.get_by_role("note")).to_contain_text("Planen är inlämnad till Gemensam beredning och är låst.")
    expect(_edit_links(page)).to_have_count(0)
    expect(page.get_by_role("region", name="Remissrundor")).to_contain_text("stängd")
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED
    sign_out(page, demo_site)

    # 7. Helena Kvist (Gemensam beredning) records VVG's position; a date in the future is refused.
    sign_in_from_header(page, demo_site, "beredning")
    _open_plan(page, demo_site, PLAN_2027)
    todo = page.get_by_role("region", name="Att göra med planen")
    expect(todo.get_by_label(label("Datum för VVG:s ställningstagande"))).to_have_value(today.isoformat())
    tomorrow = today + datetime.timedelta(days=1)
    todo.get_by_label(label("Datum för VVG:s ställningstagande")).fill(tomorrow.isoformat())
    todo.get_by_label(label("Paragraf eller referens")).fill(REFERENCE)
    todo.get_by_role("button", name="Registrera VVG:s ställningstagande", exact=True).click()
    expect(page).to_have_url(f"{plan_url}stallningstagande/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera VVG:s ställningstagande")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    expect(
        summary.get_by_role(
            "link", name="Datum för VVG:s ställningstagande: Datumet för ställningstagandet kan inte ligga i framtiden."
        )
    ).to_have_attribute("href", "#id_date")
    expect(page.get_by_label(label("Paragraf eller referens"))).to_have_value(REFERENCE)
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED

    page.get_by_label(label("Datum för VVG:s ställningstagande")).fill(today.isoformat())
    page.get_by_role("button", name="Registrera ställningstagandet", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(
        f"VVG tog ställning till planen {today.isoformat()} ({REFERENCE})."
    )
    confirm(
        page, "Registrera VVG:s ställningstagande till förvaltningsplanen SHVO 2027?", "registrera ställningstagandet"
    )
    expect(page).to_have_url(plan_url)
    expect(page.get_by_role("status")).to_contain_text(
        "VVG:s ställningstagande är registrerat. Planen gäller och är låst."
    )
    expect(page.get_by_role("main").locator(".badge.plan-status")).to_have_text("Gäller")
    expect(page.locator("dl.facts")).to_contain_text(f"VVG {today.isoformat()}, {REFERENCE}")
    expect(page.get_by_role("note")).to_contain_text("Planen gäller och är låst.")
    expect(_edit_links(page)).to_have_count(0)
    expect(page.get_by_role("region", name=f"9. {RESOURCES}")).to_contain_text(RESOURCES_ADDED)
    expect(page.locator("#mal").get_by_text(GOAL_NEW, exact=True)).to_be_visible()
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.IN_FORCE
    assert (plan.position_date, plan.position_reference) == (today, REFERENCE)

    # The preparer may not edit plans at all: the section's edit address is refused.
    response = page.goto(section_edit_url)
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Behörighet saknas")
    expect(page.get_by_role("main").locator("form, textarea")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{url}/")
    assert_accessible(page)
    sign_out(page, demo_site)

    # The coordinator, who wrote it, finds it locked too: no edit links, and the edit page says why.
    sign_in_from_header(page, demo_site, "samordnare")
    _open_plan(page, demo_site, PLAN_2027)
    expect(page.get_by_role("main").locator(".badge.plan-status")).to_have_text("Gäller")
    expect(_edit_links(page)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Skicka på remiss"))).to_have_count(0)
    response = page.goto(section_edit_url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ändra avsnitt 9. {RESOURCES}")
    locked = page.get_by_role("note")
    expect(locked).to_contain_text("Planen gäller och är låst.")
    expect(locked).to_contain_text("Avsnittet kan inte ändras.")
    expect(page.get_by_role("main").locator("textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Spara avsnittet")).to_have_count(0)
    assert_accessible(page)
    locked.get_by_role("link", name="Tillbaka till planen").click()
    expect(page).to_have_url(f"{plan_url}#avsnitt-resources")
    assert_accessible(page)
    section = PlanSection.objects.get(plan=plan, key=PlanSection.Key.RESOURCES)
    assert RESOURCES_ADDED in section.body
