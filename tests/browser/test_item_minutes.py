"""Nothing typed on an item's minutes page is lost: the demo secretary writes notes, a decision and an action on one
page, saves once and reloads, and all three are there; with new text typed, leaving the page asks first (the
beforeunload question of static/js/unsaved.js), and saving does not. Every page is scanned with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import fill_rich_text, label, rich_text_editor, rich_text_value, sign_in_from_header

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

NOTES = "Gruppen gick igenom förslaget till förvaltningsplan. Fyrbodal vill se tidplanen före beslut."
DECISION = "Referensgruppen ställer sig bakom förslaget med Fyrbodals tillägg."
ACTION = "Skicka tidplanen till delregionerna"
OWNER = "Elin Sjöberg"
SAVE = "Spara anteckningar, ställningstaganden och åtgärder"


def test_notes_decision_and_action_are_saved_together_and_leaving_unsaved_text_asks_first(page, demo_site):
    from meetings.demo import planned_meeting

    meeting = planned_meeting()
    item = meeting.items.order_by("position").first()
    sign_in_from_header(page, demo_site, "sekreterare")
    page.goto(f"{demo_site.url}{meeting.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("link", name="Skriv anteckningar för punkt 1", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}/punkter/{item.pk}/anteckningar/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"1. {item.title}")
    assert_accessible(page)

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)

    # Typed together, saved by one submit: the submit itself does not ask.
    fill_rich_text(page, "Anteckningar", NOTES)
    decision = page.get_by_role("group", name="Nytt ställningstagande")
    decision.get_by_label(label("Ställningstagande")).fill(DECISION)
    action = page.get_by_role("group", name="Ny åtgärd")
    action.get_by_label(label("Åtgärd")).fill(ACTION)
    action.get_by_label(label("Ansvarig")).fill(OWNER)
    action.get_by_label(label("Klart senast")).fill(meeting.date.isoformat())
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_role("status")).to_contain_text("Sparat.")
    assert dialogs == []
    assert_accessible(page)

    page.reload()
    assert rich_text_value(page, "Anteckningar") == f"<p>{NOTES}</p>"
    saved = page.get_by_role("group", name=re.compile(rf"^§ \d+\/{meeting.date.year}$"))
    expect(saved.get_by_label(label("Ställningstagande"))).to_have_value(DECISION)
    saved_action = page.get_by_role("group", name="Åtgärd 1 (pågår)")
    expect(saved_action.get_by_label(label("Åtgärd"))).to_have_value(ACTION)
    expect(saved_action.get_by_label(label("Ansvarig"))).to_have_value(OWNER)
    assert_accessible(page)
    assert dialogs == []  # nothing unsaved: reloading did not ask

    # New text typed, then a link away: the browser asks; answering "stay" keeps the page and the text.
    _box, notes = rich_text_editor(page, "Anteckningar")  # typed in the editor, as the secretary would
    notes.click()
    notes.press("End")
    notes.press_sequentially(" Tillägg som inte är sparat.")
    page.get_by_role("navigation", name="Punkter").get_by_role("link", name="Till mötet").click()
    for _ in range(50):  # the dialog is answered in Playwright's event loop, while we wait here
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(f"{demo_site.url}/punkter/{item.pk}/anteckningar/")
    expect(notes).to_have_text(f"{NOTES} Tillägg som inte är sparat.")
    assert_accessible(page)

    # Removing the decision with "Ta bort" and saving is a submit too: no question, and the decision is gone.
    saved.get_by_label(re.compile(r"^Ta bort § \d+\/")).check()
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_role("status")).to_contain_text("Sparat.")
    expect(page.get_by_role("group", name=re.compile(r"^§ "))).to_have_count(0)
    assert rich_text_value(page, "Anteckningar") == f"<p>{NOTES} Tillägg som inte är sparat.</p>"
    assert dialogs == ["beforeunload"]
    assert_accessible(page)
