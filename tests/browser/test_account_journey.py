"""Accounts in a real browser: Fyrbodal's administrator invites Per Åström, who chooses a password from the link in
the e-mail and signs in; a used link says so; "Glömt lösenordet?" answers without telling whether an address has
an account. Every page on the way is scanned with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import label, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "ett-langt-losenord-for-per-2026"


def _link(message) -> str:
    found = re.search(r"https?://\S+/konto/losenord/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_subregion_admin_invites_a_person_who_sets_a_password_and_signs_in(page, demo_site, login, mailoutbox):
    from governance.models import Person

    per = Person.objects.get(first_name="Per", last_name="Åström")

    # 1. Ulla Wester, Fyrbodal's administrator, opens Per Åström's page: no account yet, an invitation is offered.
    login(page, demo_site, "admin-fyrbodal")
    page.goto(f"{demo_site.url}{per.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Per Åström")
    expect(page.get_by_text("Inget konto", exact=True)).to_be_visible()
    assert_accessible(page)

    # 2. The invitation form: his address filled in, the seats the account will give rights from listed.
    page.get_by_role("link", name="Bjud in till konto", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bjud in Per Åström till ett konto")
    expect(page.get_by_label(label("E-postadress"))).to_have_value("per.astrom@example.se")
    expect(page.get_by_text(re.compile("Ledamot i Referensgrupp SHVO för Fyrbodal"))).to_be_visible()
    assert_accessible(page)

    # 3a. An address that is another account's is refused, and said why.
    page.get_by_label(label("E-postadress")).fill("ulla.wester@example.se")
    page.get_by_role("button", name="Skicka inbjudan", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("hör redan till ett annat konto")
    assert_accessible(page)
    assert mailoutbox == []

    # 3b. His own address: sent; his page says the invitation waits for his password.
    page.get_by_label(label("E-postadress")).fill("per.astrom@example.se")
    page.get_by_role("button", name="Skicka inbjudan", exact=True).click()
    expect(page).to_have_url(f"{demo_site.url}{per.get_absolute_url()}")
    expect(page.get_by_role("status")).to_contain_text("Inbjudan är skickad till per.astrom@example.se")
    expect(page.get_by_text("Inbjuden, har inte valt lösenord ännu")).to_be_visible()
    expect(page.get_by_role("link", name="Skicka inbjudan igen")).to_be_visible()
    assert_accessible(page)
    sign_out(page, demo_site)

    # 4. Per opens the link from the e-mail and chooses a password.
    (message,) = mailoutbox
    assert message.to == ["per.astrom@example.se"] and "Ulla Wester har bjudit in dig" in message.body
    link = _link(message)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/konto/losenord/[^/]+/set-password/$"))  # the token left the address
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj lösenord")
    expect(page.get_by_text("per.astrom@example.se", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Lösenord")).fill(PASSWORD)
    page.get_by_label(label("Upprepa lösenordet")).fill("inte-samma-losenord-2026")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the two do not match
    assert_accessible(page)
    page.get_by_label(label("Lösenord")).fill(PASSWORD)
    page.get_by_label(label("Upprepa lösenordet")).fill(PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lösenordet är sparat")
    assert_accessible(page)

    # 5. He signs in with the user name from the e-mail.
    page.get_by_role("main").get_by_role("link", name="Logga in").click()
    expect(page.get_by_role("link", name="Glömt lösenordet?")).to_be_visible()
    page.get_by_label("Användarnamn").fill("per.astrom@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    page.goto(f"{demo_site.url}{per.get_absolute_url()}")
    expect(page.get_by_text("Har konto", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Bjud in till konto")).to_have_count(0)
    assert_accessible(page)
    sign_out(page, demo_site)

    # 6. The link does not work a second time.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Länken fungerar inte")
    assert_accessible(page)


def test_forgotten_password_answers_the_same_for_any_address(page, demo_site, mailoutbox):
    page.goto(f"{demo_site.url}/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glömt lösenordet?")
    assert_accessible(page)
    page.get_by_label(label("E-postadress")).fill("ingen.alls@example.se")
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    expect(page.get_by_text(re.compile("Om adressen du skrev hör till ett konto"))).to_be_visible()
    assert_accessible(page)
    assert mailoutbox == []
