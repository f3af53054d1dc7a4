"""Steps the user journeys share: signing in from the header link and out again, with an axe scan of every page."""

import re

from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import TEST_PASSWORD


def label(text: str) -> re.Pattern:
    """A form field's label exactly, with or without Django's label suffix (":")."""
    return re.compile(rf"^{re.escape(text)}:?$")


def sign_in_from_header(page, live_server, username: str) -> None:
    """Give a demo user a known password (seed_demo sets none outside DEBUG) and sign in from the header link."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    user.set_password(TEST_PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/")
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Logga in", exact=True).click()
    expect(page.get_by_role("button", name="Logga in", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    assert_accessible(page)


def sign_out(page, live_server) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Logga in")).to_be_visible()
    assert_accessible(page)


# Rich-text fields (core.widgets.RichText) are taken over by the text editor (static/js/editor.js, TinyMCE): the
# textarea is hidden and the text is written in the editor's frame, whose id is the textarea's with "_ifr".
_EDITOR_READY = """async (area) => {
  for (let i = 0; i < 200; i++) {
    const editor = window.tinymce && window.tinymce.get(area.id);
    if (editor && editor.initialized) return area.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("Textredigeraren startade inte för " + area.id);
}"""


def rich_text_editor(scope, name: str):
    """The editor of the rich-text field labelled `name` in `scope` (a page or a part of it), once it has started:
    (its box with the toolbar, the body of its frame, where the text is typed)."""
    page = scope.page if hasattr(scope, "page") else scope
    area_id = scope.get_by_label(label(name)).evaluate(_EDITOR_READY)
    return page.locator(f"#{area_id}_ifr").locator("xpath=ancestor::div[contains(@class,'tox-tinymce')]"), (
        page.frame_locator(f"#{area_id}_ifr").locator("body")
    )


def fill_rich_text(scope, name: str, html: str) -> None:
    """Replace the text of a rich-text field through the editor (as pasting it would)."""
    scope.get_by_label(label(name)).evaluate(_EDITOR_READY)
    scope.get_by_label(label(name)).evaluate(
        "(area, html) => { const e = tinymce.get(area.id); e.setContent(html); e.save(); }", html
    )


def rich_text_value(scope, name: str) -> str:
    """The HTML a rich-text field holds now (what the form will send)."""
    scope.get_by_label(label(name)).evaluate(_EDITOR_READY)
    return scope.get_by_label(label(name)).evaluate("(area) => tinymce.get(area.id).getContent()")


def confirm(page, question: str | re.Pattern, verb: str) -> None:
    """The confirm page of a step that cannot be undone: it asks `question`, says what cannot be undone, passes
    axe; then its "Ja, <verb>" button (a plain form: no JavaScript needed)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    expect(page.get_by_role("main")).to_contain_text("Det går inte att ångra:")
    assert_accessible(page)
    page.get_by_role("button", name=f"Ja, {verb}", exact=True).click()
