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


def confirm(page, question: str | re.Pattern, verb: str) -> None:
    """The confirm page of a step that cannot be undone: it asks `question`, says what cannot be undone, passes
    axe; then its "Ja, <verb>" button (a plain form: no JavaScript needed)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    expect(page.get_by_role("main")).to_contain_text("Det går inte att ångra:")
    assert_accessible(page)
    page.get_by_role("button", name=f"Ja, {verb}", exact=True).click()
