"""Steps that cannot be undone ask first, in a real browser without the portal's JavaScript (the confirm page is a
plain form): Fyrbodal's representative submits the joint response, the chair approves the minutes, and Skaraborg's
representative changes and withdraws her own comment. "Avbryt" on the confirm page of a form returns to the form with
what was typed; an empty "Spara utkast" does not replace the saved draft. Every page is scanned with axe-core.
"""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import DEFAULT_TIMEOUT_MS, sign_in
from .journey import confirm, label

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

RESPONSE = [
    "Fyrbodal tillstyrker förvaltningsplanen för 2027.",
    "- Utbildningen inför SAMVY behöver en egen tidplan.",
]
JUSTERING_COMMENT = "Godkänt; en liten språkändring i punkt 1 kan tas vid nästa möte."


@pytest.fixture
def page(browser):
    """A page that never loads the portal's scripts (the site has no inline scripts): every step here must work as
    plain HTML forms. The browser's own JavaScript stays on, so that axe-core can scan each page."""
    context = browser.new_context(locale="sv-SE")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


def test_fyrbodal_submits_the_joint_response_through_the_confirm_page(page, demo_site):
    from documents.models import JointResponse, ReviewRound

    review = ReviewRound.objects.get(document__plan__year=2027)
    saved = review.responses.get(subregion__slug="fyrbodal")
    draft = saved.text
    url = f"{demo_site.url}/remisser/{review.pk}/svar/fyrbodal/"
    sign_in(page, demo_site, "fyrbodal")
    page.goto(url)
    box = page.get_by_label(label("Delregionens gemensamma svar"))

    # An empty "Spara utkast" is refused on the field; the colleague's draft stays.
    box.fill("")
    page.get_by_role("button", name="Spara utkast", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Rutan är tom, så utkastet sparades inte")
    assert_accessible(page)
    assert JointResponse.objects.get(pk=saved.pk).text == draft

    # "Skicka in svaret" asks first and shows what will be submitted; "Avbryt" returns to the text as typed.
    typed = "\n\n".join(RESPONSE)
    box.fill(typed)
    page.get_by_role("button", name="Skicka in svaret", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skicka in svaret från Vårdsamverkan Fyrbodal?")
    # Shown as it will read: the paragraph, and the "- " line as a bulleted list (core.text.sanitise).
    quote = page.get_by_role("blockquote")
    expect(quote.get_by_text(RESPONSE[0], exact=True)).to_be_visible()
    expect(quote.get_by_role("listitem")).to_have_text([RESPONSE[1].removeprefix("- ")])
    expect(page.get_by_role("main")).to_contain_text("Ett inskickat svar är låst.")
    assert_accessible(page)
    page.get_by_role("button", name="Avbryt", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemensamt svar från Vårdsamverkan Fyrbodal")
    expect(box).to_have_value(typed)
    assert_accessible(page)
    assert not JointResponse.objects.get(pk=saved.pk).is_submitted

    page.get_by_role("button", name="Skicka in svaret", exact=True).click()
    confirm(page, "Skicka in svaret från Vårdsamverkan Fyrbodal?", "skicka in svaret")
    expect(page).to_have_url(url)
    expect(page.get_by_role("status")).to_contain_text("Svaret från Fyrbodal är inskickat. Det kan inte längre ändras.")
    assert_accessible(page)
    submitted = JointResponse.objects.get(pk=saved.pk)
    assert submitted.is_submitted and str(submitted.submitted_by) == "Maria Ek"
    # The paragraph and the bullet survived the hidden fields.
    assert submitted.text == f"<p>{RESPONSE[0]}</p><ul><li>{RESPONSE[1].removeprefix('- ')}</li></ul>"


def test_the_chair_approves_the_minutes_through_the_confirm_page(page, demo_site):
    from meetings.models import JusteringResponse, Minutes
    from tests import action_states as st

    meeting = st.meeting_in("in_justering")["meeting"]
    justering = f"{demo_site.url}/moten/{meeting.pk}/justering/"
    sign_in(page, demo_site, "ordforande")
    page.goto(justering)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Justera "))
    assert_accessible(page)
    comment = page.get_by_label(label("Kommentar"))
    comment.fill(JUSTERING_COMMENT)
    page.get_by_role("button", name="Godkänn anteckningarna", exact=True).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Sedan väntar protokollet på: Maria Ek.")
    expect(main).to_contain_text(f"Din kommentar skickas med till sekreteraren: ”{JUSTERING_COMMENT}”")
    expect(main).to_contain_text("Ditt godkännande kan inte tas tillbaka.")
    assert_accessible(page)
    page.get_by_role("button", name="Avbryt", exact=True).click()
    expect(comment).to_have_value(JUSTERING_COMMENT)
    assert_accessible(page)
    assert not JusteringResponse.objects.filter(minutes__meeting=meeting).exists()

    page.get_by_role("button", name="Godkänn anteckningarna", exact=True).click()
    confirm(page, "Godkänn protokollet?", "godkänn protokollet")
    expect(page).to_have_url(f"{demo_site.url}/moten/{meeting.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Du har godkänt anteckningarna.")
    assert_accessible(page)
    approval = JusteringResponse.objects.get(minutes__meeting=meeting)
    assert approval.approved and approval.comment == JUSTERING_COMMENT and approval.person.user.username == "ordforande"
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.IN_JUSTERING  # Maria Ek has not yet


def test_skaraborg_changes_and_withdraws_her_own_comment(page, demo_site):
    from documents.models import Comment, ReviewRound

    review = ReviewRound.objects.get(document__plan__year=2027)
    mine = Comment.objects.get(round=review, author__user__username="skaraborg")
    round_url = f"{demo_site.url}/remisser/{review.pk}/"
    sign_in(page, demo_site, "skaraborg")
    page.goto(round_url)
    thread = page.locator(f"#kommentar-{mine.pk}")
    thread.get_by_role("link", name=re.compile(r"^Ändra din kommentar")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra din kommentar")
    assert_accessible(page)
    page.get_by_label(label("Kommentar")).fill("Önskar ett utbildningspaket även för baspersonal.")
    page.get_by_role("button", name="Spara kommentaren", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Din kommentar är ändrad.")
    expect(thread).to_contain_text("Önskar ett utbildningspaket även för baspersonal.")
    assert_accessible(page)

    thread.get_by_role("button", name=re.compile(r"^Återkalla din kommentar")).click()
    expect(page.get_by_role("blockquote")).to_contain_text("Önskar ett utbildningspaket även för baspersonal.")
    confirm(page, "Återkalla din kommentar?", "återkalla kommentaren")
    expect(page.get_by_role("status")).to_contain_text("Din kommentar är återkallad.")
    expect(page.get_by_role("main")).not_to_contain_text("baspersonal")
    assert_accessible(page)
    assert not Comment.objects.filter(pk=mine.pk).exists()
