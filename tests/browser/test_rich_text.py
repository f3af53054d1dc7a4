"""The text editor (TinyMCE served by the portal, static/js/editor.js) on a plan section and on an item's minutes
notes; the same fields without JavaScript; a paste from Word; a wide table on a phone; axe on the pages and inside
the editor's frame."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .axe import AXE_PATH, WCAG_TAGS, assert_accessible, format_violations
from .conftest import DEFAULT_TIMEOUT_MS
from .journey import label, rich_text_editor, sign_in_from_header

pytestmark = pytest.mark.browser

WORD_TABLE_CELLS = [f"Kolumnrubrik nummer {n} med lång text" for n in range(1, 9)]


def _section_edit_url(key: str = "introduction") -> str:
    from documents.models import PlanSection

    return reverse("documents:section_edit", args=[PlanSection.objects.get(plan__year=2027, key=key).pk])


def _editable_item(username: str):
    """The first agenda item whose minutes the secretary may still write."""
    from django.contrib.auth import get_user_model

    from meetings import rules
    from meetings.models import AgendaItem

    user = get_user_model().objects.get(username=username)
    items = AgendaItem.objects.filter(meeting__secretary__user=user).select_related("meeting")
    return next(i for i in items.order_by("meeting__date", "position") if not rules.minutes_edit_check(user, i.meeting))


def _frame_accessible(page, frame_id: str) -> None:
    """axe-core inside the editor's frame (the text being written): it is a document of its own, which the page's
    scan does not enter."""
    handle = page.locator(f"#{frame_id}").element_handle().content_frame()
    if not handle.evaluate("() => typeof window.axe !== 'undefined'"):
        handle.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    violations = handle.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.join(" "))
        }))""",
        WCAG_TAGS,
    )
    if violations:
        pytest.fail(format_violations(violations, f"{page.url} (textredigerarens ram)"), pytrace=False)


def _bold_and_bullets(page, box, body, lead: str, bold: str, items: list[str]) -> None:
    """Type a paragraph with a bold part, then a bulleted list, with the editor's toolbar buttons."""
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(lead)
    box.get_by_role("button", name="Fet").click()
    page.keyboard.type(bold)
    box.get_by_role("button", name="Fet").click()
    page.keyboard.press("Enter")
    box.get_by_role("button", name="Punktlista").click()
    for n, item in enumerate(items):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(item)


def test_a_coordinator_writes_bold_text_and_a_bulleted_list_in_a_plan_section(page, demo_site):
    from documents.models import PlanSection

    sign_in_from_header(page, demo_site, "samordnare")
    page.goto(demo_site.url + _section_edit_url())
    box, body = rich_text_editor(page, "Text")
    # The editor is the portal's own copy in Swedish, and says how to reach its toolbar.
    assert page.evaluate("() => tinymce.baseURL").startswith(f"{demo_site.url}/static/vendor/tinymce")
    expect(box.get_by_role("button", name="Punktlista")).to_be_visible()
    expect(page.locator("#id_body_ifr")).to_have_attribute("title", "Text (textredigerare)")
    expect(body).to_have_attribute("aria-label", re.compile(r"^Text\. Textredigerare: Alt\+F10 går till verktygsraden"))
    assert "HTML" not in page.get_by_role("main").inner_text()  # no "Du kan använda enkel HTML"
    assert_accessible(page)
    _frame_accessible(page, "id_body_ifr")

    _bold_and_bullets(
        page, box, body, "Viktigt i år: ", "driften av SAMSA", ["Samexistens med SAMVY", "Tillgänglighet"]
    )
    page.get_by_role("button", name="Spara avsnittet").click()
    expect(page).to_have_url(re.compile(r"#avsnitt-introduction$"))
    section = page.get_by_role("region", name=re.compile(r"^1\. "))
    expect(section.locator(".plan-text strong")).to_have_text("driften av SAMSA")
    expect(section.locator(".plan-text ul > li")).to_have_text(["Samexistens med SAMVY", "Tillgänglighet"])
    assert_accessible(page)
    saved = PlanSection.objects.get(plan__year=2027, key="introduction").body
    assert "<p>Viktigt i år: <strong>driften av SAMSA</strong></p>" in saved
    assert saved.endswith("<ul><li>Samexistens med SAMVY</li><li>Tillgänglighet</li></ul>")


def test_a_secretary_writes_bold_text_and_a_bulleted_list_in_an_items_minutes(page, demo_site):
    item = _editable_item("sekreterare")
    sign_in_from_header(page, demo_site, "sekreterare")
    page.goto(demo_site.url + reverse("meetings:item_minutes", args=[item.pk]))
    box, body = rich_text_editor(page, "Anteckningar")
    assert_accessible(page)
    _frame_accessible(page, "id_discussion_ifr")

    _bold_and_bullets(page, box, body, "Gruppen enades om ", "två åtgärder", ["Rutin för avvikelser", "Ny utbildning"])
    page.get_by_role("button", name="Spara anteckningar, ställningstaganden och åtgärder").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat.")
    page.goto(demo_site.url + item.meeting.get_absolute_url())
    notes = page.locator(".agenda-item", has_text=item.title).locator(".discussion")
    expect(notes.locator("strong")).to_have_text("två åtgärder")
    expect(notes.locator("ul > li")).to_have_text(["Rutin för avvikelser", "Ny utbildning"])
    assert_accessible(page)
    item.refresh_from_db()
    assert "<strong>två åtgärder</strong>" in item.discussion
    assert "<ul><li>Rutin för avvikelser</li><li>Ny utbildning</li></ul>" in item.discussion


def test_without_javascript_bullets_and_lettered_lines_are_saved_as_lists(browser, demo_site):
    from .conftest import sign_in

    item = _editable_item("sekreterare")
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, demo_site, "sekreterare")
        page.goto(demo_site.url + reverse("meetings:item_minutes", args=[item.pk]))
        notes = page.get_by_label(label("Anteckningar"))
        expect(notes).to_be_visible()  # a plain textarea: no editor without JavaScript
        expect(page.locator(".tox-tinymce")).to_have_count(0)
        notes.fill(
            "Gruppen gick igenom läget.\n\n"
            "Synpunkter:\n- svarstiderna är för långa\n- rutinen behöver ses över\n\n"
            "Förslag:\na) ny rutin\nb) utbildning i våras"
        )
        page.get_by_role("button", name="Spara anteckningar, ställningstaganden och åtgärder").click()
        expect(page.get_by_role("status")).to_contain_text("Sparat.")
        # The textarea shows the plain text again: nothing was lost, nothing to read as code.
        expect(page.get_by_label(label("Anteckningar"))).to_have_value(re.compile(r"^Gruppen gick igenom läget\."))
        assert "<" not in page.get_by_label(label("Anteckningar")).input_value()
        page.goto(demo_site.url + item.meeting.get_absolute_url())
        notes = page.locator(".agenda-item", has_text=item.title).locator(".discussion")
        expect(notes.locator("p").first).to_have_text("Gruppen gick igenom läget.")
        expect(notes.locator("ul > li")).to_have_text(["svarstiderna är för långa", "rutinen behöver ses över"])
        expect(notes.locator("ol[type='a'] > li")).to_have_text(["ny rutin", "utbildning i våras"])
    finally:
        context.close()
    item.refresh_from_db()
    assert '<ol type="a"><li>ny rutin</li><li>utbildning i våras</li></ol>' in item.discussion


def test_a_paste_from_word_keeps_headings_lists_links_and_tables_and_a_wide_table_scrolls_on_a_phone(page, demo_site):
    from documents.models import PlanSection

    sign_in_from_header(page, demo_site, "samordnare")
    page.goto(demo_site.url + _section_edit_url("budget"))
    box, body = rich_text_editor(page, "Text")
    page.evaluate("() => tinymce.get('id_body').setContent('')")
    cells = "".join(f"<td style='width:200pt'><p class=MsoNormal>{c}<o:p></o:p></p></td>" for c in WORD_TABLE_CELLS)
    word = (
        "<h1><span style='font-size:16pt'>Budget 2027<o:p></o:p></span></h1>"
        "<p class=MsoNormal>Se <a href='https://www.vgregion.se/'>regionens sida</a> och <b>beslutet</b>.</p>"
        "<p class=MsoListParagraphCxSpFirst style='text-indent:-18pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]-->"
        "<span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7pt'>&nbsp; </span></span>"
        "</span><!--[endif]-->Regionen<o:p></o:p></p>"
        "<p class=MsoListParagraphCxSpLast style='text-indent:-18pt;mso-list:l0 level1 lfo1'><!--[if !supportLists]-->"
        "<span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7pt'>&nbsp; </span></span>"
        "</span><!--[endif]-->Kommunerna<o:p></o:p></p>"
        f"<table class=MsoTableGrid border=1 style='border-collapse:collapse'><tr>{cells}</tr></table>"
    )
    body.evaluate(
        """(body, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Budget 2027");
            body.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        word,
    )
    # In the editor already: a heading, real list items, the table; no Word classes or styles.
    expect(body.locator("h3")).to_have_text("Budget 2027")
    expect(body.locator("ul > li")).to_have_text(["Regionen", "Kommunerna"])
    expect(body.locator("table td")).to_have_count(len(WORD_TABLE_CELLS))
    expect(body.locator("[style], [class^='Mso']")).to_have_count(0)
    page.get_by_role("button", name="Spara avsnittet").click()
    expect(page).to_have_url(re.compile(r"#avsnitt-budget$"))

    saved = PlanSection.objects.get(plan__year=2027, key="budget").body
    assert saved.startswith('<h3>Budget 2027</h3><p>Se <a href="https://www.vgregion.se/" rel="noopener noreferrer">')
    assert "<strong>beslutet</strong>" in saved and "<ul><li>Regionen</li><li>Kommunerna</li></ul>" in saved
    assert "Mso" not in saved and "style" not in saved and "o:p" not in saved
    section = page.locator("#avsnitt-budget")
    expect(section.get_by_role("link", name="regionens sida")).to_have_attribute("href", "https://www.vgregion.se/")
    assert_accessible(page)

    # On a phone the wide table scrolls in its own box (reachable from the keyboard) and stays within the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    scroller = section.get_by_role("region", name="Tabell")
    expect(scroller).to_have_attribute("tabindex", "0")
    assert scroller.evaluate("(box) => box.scrollWidth > 2 * box.clientWidth")
    assert scroller.evaluate("(box) => box.getBoundingClientRect().right <= window.innerWidth")
    assert section.locator(".plan-text").evaluate("(text) => text.scrollWidth <= window.innerWidth")
    assert_accessible(page)
