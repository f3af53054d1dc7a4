"""A governing document's revision in a real browser (issue 13, "Done when"): Fyrbodal's representative proposes an
editorial change of one word in the discharge routine, the comparison marks exactly that word, Göteborgsområdet
comments on the changed passage and the proposer answers, every subregion takes its position (Skaraborg objects and
then withdraws), the reference group decides the revision at a meeting whose
minutes its chair justerar, and the document page shows the new version in force with its provenance and its PDF.
Then a principled proposal, which the reference group cannot approve: it goes to Gemensam beredning for VVG.
Every page is scanned with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.templatetags.core_tags import genitive

from .axe import assert_accessible
from .conftest import TEST_PASSWORD
from .journey import fill_rich_text, label, rich_text_editor, rich_text_value, sign_in_from_header, sign_out

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve static files through the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

DOCUMENT = "Rutin för in- och utskrivning"
SLUG = "rutin-for-in-och-utskrivning"
BODY = "Referensgrupp SHVO"
SECTION = "Inskrivning"  # section 2: "… till berörda enheter i kommunen …"
OLD_WORD, NEW_WORD = "berörda", "ansvariga"
RATIONALE = "Det är de ansvariga enheterna som ska ha meddelandet; ordet berörda har lett till missförstånd."
PRINCIPLED_RATIONALE = "Primärvården får ansvaret för att kalla till planeringen inom tre dagar."
MEETING_TITLE = "Beslut om rutinen för in- och utskrivning"
COMMENT = "Skriv gärna ut vilka enheter som avses, till exempel hemsjukvården."
QUOTE = "ansvariga enheter i kommunen"
ANSWER = "Enheterna räknas upp i bilagan; nästa version hänvisar till den."
DECISION = "Referensgruppen fastställer den redaktionella ändringen av rutinen för in- och utskrivning (version 4)."

# The subregions' representatives who take positions: one login per subregion. Fyrbodal's is Per Åström (the
# proposer, Maria Ek, may not answer for her own subregion); SAMLA's and Södra Älvsborg's have no login in the demo.
NEW_LOGINS = {"per.astrom": ("Per", "Åström"), "anna.wik": ("Anna", "Wik"), "nils.forsberg": ("Nils", "Forsberg")}
AGREEING = [("per.astrom", "Fyrbodal"), ("goteborg", "Göteborgsområdet"), ("anna.wik", "SAMLA")]
AGREEING_LAST = [("nils.forsberg", "Södra Älvsborg")]

# Finds a passage in the text editor's body and selects it, as a double-click on a word would.
_SELECT_PASSAGE = """(area, passage) => {
  const editor = tinymce.get(area.id);
  const doc = editor.getDoc();
  const walker = doc.createTreeWalker(editor.getBody(), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(passage);
    if (at >= 0) {
      const range = doc.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + passage.length);
      editor.focus();
      editor.selection.setRng(range);
      return;
    }
  }
  throw new Error("Texten finns inte i redigeraren: " + passage);
}"""


def _give_logins() -> None:
    """Setup, not the journey: a login for one representative of each subregion that has none in the demo."""
    from django.contrib.auth import get_user_model

    from governance.models import Person

    for username, (first, last) in NEW_LOGINS.items():
        person = Person.objects.get(first_name=first, last_name=last)
        user = get_user_model().objects.create_user(
            username=username, password=TEST_PASSWORD, first_name=first, last_name=last
        )
        person.user = user
        person.save()


def _reference_group_meeting_held_today():
    """Setup: the reference group's meeting, planned earlier by its secretary and held today (a revision is decided
    at a meeting held on or after the day it was proposed), chaired by its chair (who justerar the minutes alone)."""
    from django.contrib.auth import get_user_model

    from governance.models import Body, Person
    from meetings import services
    from meetings.models import Meeting

    ref = Body.objects.get(slug="referensgrupp-shvo")
    secretary = get_user_model().objects.get(username="sekreterare")
    meeting = Meeting(
        body=ref,
        title=MEETING_TITLE,
        date=timezone.localdate(),
        start_time=datetime.time(0, 5),
        end_time=datetime.time(0, 55),
        mode="digital",
        secretary=Person.objects.get(user=secretary),
        chair=Person.objects.get(user__username="ordforande"),
    )
    return services.meeting_create(actor=secretary, meeting=meeting)


def _open_document(page, site) -> None:
    """Styrdokument in the header menu → the discharge routine."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Styrdokument", exact=True).click()
    expect(page).to_have_url(f"{site.url}/styrdokument/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrdokument")
    assert_accessible(page)
    page.get_by_role("link", name=DOCUMENT, exact=True).click()
    expect(page).to_have_url(f"{site.url}/styrdokument/{SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(DOCUMENT)
    assert_accessible(page)


def _select_in_editor(scope, name: str, passage: str) -> None:
    scope.get_by_label(label(name)).evaluate(_SELECT_PASSAGE, passage)


def _propose_editorial(page, site) -> None:
    """Maria Ek changes one word of one section, forgets the rationale first, and saves."""
    sign_in_from_header(page, site, "fyrbodal")
    _open_document(page, site)
    page.get_by_role("link", name="Föreslå en ändring", exact=True).click()
    expect(page).to_have_url(f"{site.url}/styrdokument/{SLUG}/andra/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Föreslå en ändring")
    section = page.get_by_role("group", name="Avsnitt 2", exact=True)
    expect(section.get_by_label(label("Rubrik"))).to_have_value(SECTION)
    rich_text_editor(section, "Text")  # started
    assert_accessible(page)

    _select_in_editor(section, "Text", OLD_WORD)
    page.keyboard.type(NEW_WORD)
    page.get_by_role("radio", name=re.compile(r"^Redaktionell")).check()
    page.get_by_role("button", name="Spara förslaget", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2, name="Formuläret behöver rättas")).to_be_visible()
    error_link = summary.get_by_role("link", name="Motivering: Skriv en motivering: vad ändras och varför.")
    expect(error_link).to_have_attribute("href", "#id_rationale")
    # Nothing typed is lost: the changed word and the class are still there.
    assert f"{NEW_WORD} enheter" in rich_text_value(page.get_by_role("group", name="Avsnitt 2", exact=True), "Text")
    expect(page.get_by_role("radio", name=re.compile(r"^Redaktionell"))).to_be_checked()
    assert_accessible(page)

    page.get_by_label(label("Motivering")).fill(RATIONALE)
    page.get_by_role("button", name="Spara förslaget", exact=True).click()
    expect(page).to_have_url(f"{site.url}/styrdokument/{SLUG}/version/4/")
    expect(page.get_by_role("status")).to_contain_text("Förslaget är sparat som version 4.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{DOCUMENT}, version 4")
    provenance = page.locator("dl.provenance")
    expect(provenance).to_contain_text("Förslag")
    expect(provenance).to_contain_text("Redaktionell ändring")
    expect(provenance).to_contain_text("Maria Ek")
    # The proposer may not answer for her own subregion; the page says so where Fyrbodal's form would be.
    own = page.get_by_role("region", name="Fyrbodals ställning")
    expect(own).to_contain_text(
        "Du har skrivit förslaget och kan inte ta ställning till det för Fyrbodal. Be en annan representant för "
        "delregionen."
    )
    expect(own.get_by_role("button", name="Spara ställningen")).to_have_count(0)
    assert_accessible(page)


def _expect_only_the_word_marked(page) -> None:
    """The changed section marks exactly the changed word; every other section is unchanged, nothing marked."""
    parts = page.locator("section.compare-part")
    expect(parts).to_have_count(5)
    changed = parts.filter(has=page.get_by_role("heading", level=2, name=re.compile(rf"^{SECTION} ")))
    expect(changed.get_by_role("heading", level=2)).to_contain_text("Ändrat")
    expect(changed.locator("del")).to_have_text([OLD_WORD])
    expect(changed.locator("ins")).to_have_text([NEW_WORD])
    others = parts.filter(has_not=page.get_by_role("heading", level=2, name=re.compile(rf"^{SECTION} ")))
    expect(others).to_have_count(4)
    for n in range(4):
        expect(others.nth(n).get_by_role("heading", level=2)).to_contain_text("Oförändrat")
        expect(others.nth(n).locator("ins, del")).to_have_count(0)


def _compare(page, site) -> None:
    page.get_by_role("link", name="Jämför med version 2", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/styrdokument/{SLUG}/jamfor/\?a=2&b=4$"))
    expect(page.get_by_role("main")).to_contain_text(
        "Version 2 jämförd med version 4: 1 ändrade, 0 nya, 0 borttagna och 0 flyttade avsnitt; 4 oförändrade."
    )
    _expect_only_the_word_marked(page)
    assert_accessible(page)
    page.get_by_role("navigation", name="Visa jämförelsen").get_by_role("link", name="I en text").click()
    expect(page).to_have_url(re.compile(r"visa=inline"))
    expect(page.get_by_role("link", name="I en text")).to_have_attribute("aria-current", "page")
    _expect_only_the_word_marked(page)
    assert_accessible(page)
    sign_out(page, site)


def _open_proposal_from_start_page(page, site, username: str) -> None:
    """A representative signs in; her start page lists the proposal among those to take a position on."""
    sign_in_from_header(page, site, username)
    expect(page.get_by_role("heading", name="Ändringsförslag att ta ställning till")).to_be_visible()
    page.get_by_role("link", name=f"{DOCUMENT}, version 4", exact=True).click()
    expect(page).to_have_url(f"{site.url}/styrdokument/{SLUG}/version/4/")
    assert_accessible(page)


def _comment_on_the_changed_section(page, site) -> None:
    """Göteborgsområdet's representative comments on the changed passage: first without words (refused, what she
    chose and quoted is kept), then with them; the comment shows its section and the quoted passage."""
    _open_proposal_from_start_page(page, site, "goteborg")
    form = page.get_by_role("region", name="Kommentera förslaget")
    form.get_by_label(label("Avsnitt")).select_option(label=SECTION)
    form.get_by_label(label("Markerat stycke (valfritt)")).fill(QUOTE)
    form.get_by_role("button", name="Spara kommentaren").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv din kommentar.")
    form = page.get_by_role("region", name="Kommentera förslaget")
    expect(form.get_by_label(label("Markerat stycke (valfritt)"))).to_have_value(QUOTE)
    expect(form.get_by_label(label("Avsnitt"))).to_have_value("inskrivning")
    assert_accessible(page)
    fill_rich_text(form, "Kommentar", f"<p>{COMMENT}</p>")
    form.get_by_role("button", name="Spara kommentaren").click()
    expect(page.get_by_role("status")).to_contain_text("Din kommentar är sparad.")
    comments = page.get_by_role("region", name="Kommentarer i samrådet")
    expect(comments).to_contain_text(f"Avsnitt: {SECTION}")
    expect(comments.locator("blockquote")).to_have_text(QUOTE)
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Inte besvarad än.")
    assert_accessible(page)
    sign_out(page, site)


def _proposer_answers_the_comment(page) -> None:
    """Maria Ek answers the comment: partly taken care of, first without saying why (refused), then with a reason."""
    comments = page.get_by_role("region", name="Kommentarer i samrådet")
    comments.get_by_text("Svara på kommentaren", exact=True).click()
    comments.get_by_role("radio", name="Delvis tillgodosedd").check()
    assert_accessible(page)
    comments.get_by_role("button", name="Spara svaret").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv varför kommentaren inte tillgodoses helt.")
    comments = page.get_by_role("region", name="Kommentarer i samrådet")
    expect(comments.get_by_role("radio", name="Delvis tillgodosedd")).to_be_checked()
    assert_accessible(page)
    comments.get_by_label(label("Svar")).fill(ANSWER)
    comments.get_by_role("button", name="Spara svaret").click()
    expect(page.get_by_role("status")).to_contain_text("Ditt svar på kommentaren är sparat.")
    comments = page.get_by_role("region", name="Kommentarer i samrådet")
    expect(comments).to_contain_text("Delvis tillgodosedd")
    expect(comments).to_contain_text(ANSWER)
    expect(comments.get_by_role("button", name="Spara svaret")).to_have_count(0)
    assert_accessible(page)


def _consultation_row(page, subregion: str):
    return (
        page.get_by_role("region", name="Samråd med delregionerna")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=subregion, exact=True))
    )


def _agree(page, site, username: str, subregion: str) -> None:
    _open_proposal_from_start_page(page, site, username)
    form = page.get_by_role("region", name=f"{genitive(subregion)} ställning")
    form.get_by_role("radio", name="Vi instämmer").check()
    form.get_by_role("button", name="Spara ställningen").click()
    expect(page.get_by_role("status")).to_contain_text(f"{subregion}: Instämmer.")
    expect(_consultation_row(page, subregion)).to_contain_text("Instämmer")
    assert_accessible(page)
    # Answered: her start page no longer asks her about it.
    page.get_by_role("banner").get_by_role("link", name=re.compile(r"^SHVO-portalen")).click()
    expect(page.get_by_role("link", name=f"{DOCUMENT}, version 4", exact=True)).to_have_count(0)
    assert_accessible(page)
    sign_out(page, site)


def _skaraborg_objects_then_agrees(page, site) -> None:
    _open_proposal_from_start_page(page, site, "skaraborg")
    form = page.get_by_role("region", name="Skaraborgs ställning")
    form.get_by_role("radio", name="Vi invänder").check()
    form.get_by_role("button", name="Spara ställningen").click()  # no reason: refused
    expect(page.get_by_role("alert")).to_contain_text("Skriv vad ni invänder mot")
    assert_accessible(page)
    form = page.get_by_role("region", name="Skaraborgs ställning")
    form.get_by_label(label("Vad ni invänder mot")).fill("Ordet berörda används i lagen; behåll det.")
    form.get_by_role("button", name="Spara ställningen").click()
    expect(page.get_by_role("status")).to_contain_text("Skaraborg: Invänder.")
    row = _consultation_row(page, "Skaraborg")
    expect(row).to_contain_text("Invänder")
    expect(row).to_contain_text("Ordet berörda används i lagen; behåll det.")
    expect(page.get_by_role("region", name="Samråd med delregionerna")).to_contain_text(
        "1 invändning stoppar förslaget."
    )
    assert_accessible(page)

    page.get_by_role("button", name="Återta invändningen").click()
    expect(page.get_by_role("status")).to_contain_text("Skaraborg: Invändningen återtagen.")
    expect(_consultation_row(page, "Skaraborg")).to_contain_text("Invändningen återtagen")
    assert_accessible(page)
    form = page.get_by_role("region", name="Skaraborgs ställning")
    form.get_by_role("radio", name="Vi instämmer").check()
    form.get_by_role("button", name="Spara ställningen").click()
    expect(page.get_by_role("status")).to_contain_text("Skaraborg: Instämmer.")
    expect(_consultation_row(page, "Skaraborg")).to_contain_text("Instämmer")
    assert_accessible(page)
    sign_out(page, site)


def _decide_at_the_reference_group(page, site, meeting, case_title: str) -> None:
    """The secretary puts the revision's case on the agenda of the held meeting, writes the decision and sends the
    minutes for justering."""
    sign_in_from_header(page, site, "sekreterare")
    ready = page.get_by_role("heading", name="Redaktionella ändringar klara för beslut")
    expect(ready).to_be_visible()
    expect(page.get_by_role("link", name=f"{DOCUMENT}, version 4", exact=True)).to_be_visible()
    page.goto(f"{site.url}/organ/referensgrupp-shvo/")
    assert_accessible(page)
    page.get_by_role("link", name="Organets möten", exact=True).click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(MEETING_TITLE))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(MEETING_TITLE)
    expect(page.locator("#waiting-cases")).to_be_visible()
    assert_accessible(page)
    waiting = page.locator("ul.waiting-cases > li").filter(has_text=case_title)
    waiting.get_by_role("button", name="Ta upp på dagordningen").click()
    item = page.locator("article.agenda-item").filter(has_text=case_title)
    expect(item).to_have_count(1)
    assert_accessible(page)
    item.get_by_role("link", name=re.compile(r"^Skriv anteckningar för punkt \d+$")).click()
    assert_accessible(page)
    new_decision = page.get_by_role("group", name="Nytt ställningstagande")
    new_decision.get_by_label(label("Typ")).select_option(label="Beslut")
    new_decision.get_by_label(label("Ställningstagande")).fill(DECISION)
    page.get_by_role("button", name="Spara anteckningar, ställningstaganden och åtgärder").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat.")
    assert_accessible(page)
    page.goto(f"{site.url}{meeting.get_absolute_url()}")
    expect(item).to_contain_text(DECISION)
    assert_accessible(page)
    page.get_by_role("button", name="Skicka för justering", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Anteckningarna är skickade")
    assert_accessible(page)
    sign_out(page, site)


def _chair_justerar(page, site, meeting) -> None:
    from .journey import confirm

    sign_in_from_header(page, site, "ordforande")
    page.goto(f"{site.url}{meeting.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("link", name="Justera anteckningarna", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Justera protokollet")
    expect(page.get_by_role("main")).to_contain_text(DECISION)
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn anteckningarna", exact=True).click()
    confirm(page, "Godkänn protokollet?", "godkänn protokollet")
    expect(page.get_by_role("status")).to_contain_text("Du har godkänt anteckningarna.")
    expect(page.locator("dl.facts")).to_contain_text("Justerat")
    assert_accessible(page)
    sign_out(page, site)


def _expect_version_4_in_force(page, site, meeting) -> None:
    """Anyone (signed out) reads the document: version 4 in force, with where it came from, and its PDF."""
    from meetings.models import Decision

    decision = Decision.objects.get(item__meeting=meeting)
    today = timezone.localdate().isoformat()
    page.goto(f"{site.url}/")
    assert_accessible(page)
    _open_document(page, site)
    in_force = page.get_by_role("region", name="Gällande version")
    provenance = in_force.locator("dl.provenance")
    expect(_fact(provenance, "Version")).to_have_text("4 Gäller")
    expect(_fact(provenance, "Föreslagen av")).to_have_text(re.compile(r"^Maria Ek, \d{4}-\d\d-\d\d$"))
    expect(_fact(provenance, "Slag av ändring")).to_have_text("Redaktionell ändring")
    approved = _fact(provenance, "Fastställd av").get_by_role("link")
    expect(approved).to_have_text(re.compile(rf"^{BODY} {meeting.date.isoformat()}, § {decision.number}\b"))
    expect(approved).to_have_attribute("href", f"{meeting.get_absolute_url()}#{decision.item.anchor}")
    expect(_fact(provenance, "Protokollet justerat")).to_have_text(today)
    expect(_fact(provenance, "Gäller från")).to_have_text(today)
    expect(in_force).to_contain_text(f"{NEW_WORD} enheter")
    assert_accessible(page)
    versions = page.get_by_role("region", name="Versioner")
    expect(versions.get_by_role("row").filter(has_text="Version 4")).to_contain_text("Gäller")
    expect(versions.get_by_role("row").filter(has_text="Version 2")).to_contain_text(f"Ersatt {today}")

    link = in_force.get_by_role("link", name="Version 4 som PDF", exact=True)
    response = page.request.get(link.evaluate("a => a.href"))  # shown inline: fetch what the link points at
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def _fact(facts, term: str):
    """The value (<dd>) of a term in a list of facts (<dl>)."""
    return facts.locator(f"xpath=dt[normalize-space()='{term}']/following-sibling::dd[1]")


def _propose_principled(page, site) -> str:
    """Maria Ek proposes a principled change; the reference group cannot approve it and its case goes to Gemensam
    beredning for VVG. Returns the case's title."""
    from documents.governing_models import Revision
    from documents.governing_rules import PRINCIPLED_NOT_OWNER_SHORT

    sign_in_from_header(page, site, "fyrbodal")
    _open_document(page, site)
    page.get_by_role("link", name="Föreslå en ändring", exact=True).click()
    section = page.get_by_role("group", name="Avsnitt 3", exact=True)
    rich_text_editor(section, "Text")
    _select_in_editor(section, "Text", "Den fast vårdkontakten i primärvården")
    page.keyboard.type("Primärvården")
    page.get_by_role("radio", name=re.compile(r"^Principiell")).check()
    page.get_by_label(label("Motivering")).fill(PRINCIPLED_RATIONALE)
    assert_accessible(page)
    page.get_by_role("button", name="Spara förslaget", exact=True).click()
    expect(page).to_have_url(f"{site.url}/styrdokument/{SLUG}/version/5/")
    expect(page.locator("dl.provenance")).to_contain_text("Principiell ändring")
    expect(page.get_by_role("region", name="Hur förslaget beslutas")).to_contain_text(str(PRINCIPLED_NOT_OWNER_SHORT))
    assert_accessible(page)

    case = Revision.objects.get(document__slug=SLUG, version__number=5).case
    page.locator("dl.provenance").get_by_role("link", name=case.reference, exact=True).click()
    case_title = f"{DOCUMENT}, version 5"
    expect(page.get_by_role("heading", level=1)).to_contain_text(case_title)
    facts = page.locator("dl.facts")
    expect(_fact(facts, "Bereds av")).to_contain_text("Gemensam beredning")
    expect(_fact(facts, "Ägs av")).to_have_text("Vårdsamverkan Västra Götaland")
    assert_accessible(page)
    sign_out(page, site)
    return case_title


def _not_offered_to_the_reference_group(page, site, case_title: str) -> None:
    """The reference group's planned meeting lists the cases waiting on it, and not the principled one."""
    from meetings.demo import planned_meeting

    sign_in_from_header(page, site, "sekreterare")
    page.goto(f"{site.url}{planned_meeting().get_absolute_url()}")
    expect(page.locator("#waiting-cases")).to_be_visible()
    waiting = page.locator("ul.waiting-cases > li")
    expect(waiting.filter(has_text=f"{DOCUMENT}, version 3")).to_have_count(1)  # the demo's open proposal
    expect(waiting.filter(has_text=case_title)).to_have_count(0)
    assert_accessible(page)
    sign_out(page, site)


def _waiting_on_vvg(page, site, case_title: str) -> None:
    sign_in_from_header(page, site, "sekreterare-vvg")
    expect(page.get_by_role("region", name="Ärenden som väntar på VVG")).to_contain_text(case_title)
    page.goto(f"{site.url}/arenden/?organ=vvg")
    expect(page.get_by_role("main").get_by_role("row").filter(has_text=case_title)).to_contain_text(
        "bereds av Gemensam beredning"
    )
    assert_accessible(page)
    sign_out(page, site)


def _withdraw_the_principled_proposal_and_read_the_history(page, site) -> None:
    """Maria Ek takes the principled proposal back (asked first); a coordinator reads the document's Historik."""
    from .journey import confirm

    sign_in_from_header(page, site, "fyrbodal")
    page.goto(f"{site.url}/styrdokument/{SLUG}/version/5/")
    section = page.get_by_role("region", name="Återta förslaget")
    section.get_by_label(label("Varför återtas förslaget?")).fill("Ansvaret utreds först i VVG:s uppdrag.")
    section.get_by_role("button", name="Återta förslaget").click()
    confirm(page, "Återta förslaget till version 5?", "återta förslaget")
    expect(page.get_by_role("status")).to_contain_text("Förslaget är återtaget och dess ärende avslutat.")
    expect(page.locator("dl.provenance")).to_contain_text("Återtaget")
    assert_accessible(page)
    sign_out(page, site)
    sign_in_from_header(page, site, "samordnare")
    _open_document(page, site)
    page.get_by_role("link", name="Historik", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Historik för {DOCUMENT}")
    expect(page.get_by_role("main")).to_contain_text("Förslaget återtaget")
    assert_accessible(page)
    sign_out(page, site)


def test_an_editorial_revision_is_agreed_decided_and_in_force_and_a_principled_one_goes_to_vvg(page, demo_site):
    from documents.governing_models import Revision

    _give_logins()
    meeting = _reference_group_meeting_held_today()

    _propose_editorial(page, demo_site)
    revision = Revision.objects.get(document__slug=SLUG, version__number=4)
    assert (revision.change_class, revision.base.number, revision.status) == ("editorial", 2, "open")
    _compare(page, demo_site)

    _comment_on_the_changed_section(page, demo_site)
    for username, subregion in AGREEING:
        _agree(page, demo_site, username, subregion)
    _skaraborg_objects_then_agrees(page, demo_site)
    for username, subregion in AGREEING_LAST:
        _agree(page, demo_site, username, subregion)

    # Consensus holds: the revision page says the reference group can decide it.
    sign_in_from_header(page, demo_site, "fyrbodal")
    page.goto(f"{demo_site.url}/styrdokument/{SLUG}/version/4/")
    expect(page.get_by_role("region", name="Samråd med delregionerna")).to_contain_text(
        "Alla delregioner har instämt eller låtit tiden gå utan invändning."
    )
    expect(page.get_by_role("region", name="Hur förslaget beslutas")).to_contain_text(
        f"Förslaget kan fastställas: ärendet väntar på {genitive(BODY)} dagordning."
    )
    assert_accessible(page)
    _proposer_answers_the_comment(page)
    sign_out(page, demo_site)

    revision.refresh_from_db()
    _decide_at_the_reference_group(page, demo_site, meeting, revision.case.title)
    _chair_justerar(page, demo_site, meeting)
    revision.refresh_from_db()
    assert (revision.status, revision.in_force_from) == ("approved", timezone.localdate())
    _expect_version_4_in_force(page, demo_site, meeting)

    case_title = _propose_principled(page, demo_site)
    principled = Revision.objects.get(document__slug=SLUG, version__number=5)
    assert (principled.case.owner.slug, principled.case.preparing_body.slug) == ("vvg", "gemensam-beredning")
    _not_offered_to_the_reference_group(page, demo_site, case_title)
    _waiting_on_vvg(page, demo_site, case_title)
    _withdraw_the_principled_proposal_and_read_the_history(page, demo_site)
