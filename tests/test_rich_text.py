"""Rich text (issue 10): one allow-list for what the editor sends and what is pasted from Word (core.text.sanitise),
plain text typed without JavaScript made into paragraphs and lists (text_to_html), the same rendering everywhere
text is shown (the `rich` filter: page, justering, PDF), the textarea without the editor (core.widgets.RichText),
and the editor served from our own static files."""

import html
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st

from core import text
from core.text import html_to_plain, plain_if_lossless, rich_html, sanitise, text_to_html
from core.widgets import RichText

WORD_PASTE = (Path(__file__).parent / "data" / "word_paste.html").read_text(encoding="utf-8")


# --- Plain text typed without the editor ---------------------------------------------------------------------------


def test_paragraphs_are_split_at_blank_lines_and_lines_are_kept():
    assert text_to_html("Första stycket\nandra raden\n\n\nAndra stycket") == (
        "<p>Första stycket<br>andra raden</p><p>Andra stycket</p>"
    )


def test_dash_star_and_dot_bullets_make_a_bulleted_list_after_the_paragraph_that_leads_in():
    assert text_to_html("Synpunkter:\n- första\n* andra\n• tredje") == (
        "<p>Synpunkter:</p><ul><li>första</li><li>andra</li><li>tredje</li></ul>"
    )


def test_numbers_with_a_dot_or_a_parenthesis_make_a_numbered_list_that_starts_where_the_text_does():
    assert text_to_html("1. Ett\n2) Två") == "<ol><li>Ett</li><li>Två</li></ol>"
    assert text_to_html("3. Tre\n4. Fyra") == '<ol start="3"><li>Tre</li><li>Fyra</li></ol>'


def test_letters_make_a_lettered_list_but_an_initial_starts_none():
    assert text_to_html("a) alfa\nb) beta") == '<ol type="a"><li>alfa</li><li>beta</li></ol>'
    assert text_to_html("a. alfa\nb. beta") == '<ol type="a"><li>alfa</li><li>beta</li></ol>'
    assert text_to_html("B) beta") == '<ol type="A" start="2"><li>beta</li></ol>'
    assert text_to_html("A. Berg föreslog en ny rutin.") == "<p>A. Berg föreslog en ny rutin.</p>"


def test_indented_items_nest_and_an_indented_line_continues_its_item():
    assert text_to_html("1. Förslag\n   a) ny rutin\n   b) utbildning\n2. Beslut\n   fattas i maj") == (
        '<ol><li>Förslag<ol type="a"><li>ny rutin</li><li>utbildning</li></ol></li><li>Beslut<br>fattas i maj</li></ol>'
    )


def test_a_dash_without_a_space_or_a_year_with_a_dot_is_text():
    assert text_to_html("-5 grader\n2026. Ett år") == "<p>-5 grader<br>2026. Ett år</p>"


def test_plain_text_is_escaped_and_its_web_addresses_become_links():
    assert text_to_html("<script>x</script> & se https://example.se/a?b=1&c=2.") == (
        "<p>&lt;script&gt;x&lt;/script&gt; &amp; se "
        '<a href="https://example.se/a?b=1&amp;c=2" rel="noopener noreferrer">https://example.se/a?b=1&amp;c=2</a>.</p>'
    )


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=1, max_size=8)
ITEM = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
BLOCK = st.one_of(
    st.tuples(st.just("p"), st.lists(ITEM, min_size=1, max_size=3)),
    st.tuples(st.sampled_from(["ul", "ol", "alpha"]), st.lists(ITEM, min_size=1, max_size=6)),
)


def _typed(kind: str, lines: list[str]) -> str:
    if kind == "p":
        return "\n".join(lines)
    if kind == "ul":
        return "\n".join(f"- {line}" for line in lines)
    if kind == "ol":
        return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))
    return "\n".join(f"{chr(97 + n)}) {line}" for n, line in enumerate(lines))


def _expected(kind: str, lines: list[str]) -> str:
    if kind == "p":
        return "<p>" + "<br>".join(lines) + "</p>"
    items = "".join(f"<li>{line}</li>" for line in lines)
    return {"ul": f"<ul>{items}</ul>", "ol": f"<ol>{items}</ol>", "alpha": f'<ol type="a">{items}</ol>'}[kind]


@given(st.lists(BLOCK, min_size=1, max_size=5))
def test_typed_paragraphs_bullets_numbers_and_letters_survive_and_read_back_as_typed(blocks):
    typed = "\n\n".join(_typed(kind, lines) for kind, lines in blocks)
    stored = sanitise(typed)
    assert stored == "".join(_expected(kind, lines) for kind, lines in blocks)
    # Without the editor the textarea shows plain text that, saved again, is the same text.
    assert plain_if_lossless(stored) is not None
    assert sanitise(html_to_plain(stored)) == stored


# --- What the editor sends, and a paste from Word ------------------------------------------------------------------


def test_a_word_paste_keeps_headings_bold_links_lists_and_tables():
    clean = sanitise(WORD_PASTE)
    assert clean.startswith(
        "<h3>Syfte och mål</h3><p>Förvaltningen ska <strong>säkra driften</strong> av <em>SAMSA</em>"
    )
    assert '<a href="https://www.vgregion.se/samsa" rel="noopener noreferrer">läs mer om SAMSA</a>' in clean
    assert "<h3>Prioriteringar</h3>" in clean  # Word's Heading 2: our texts' headings are h3 and h4
    # Word's list paragraphs as real lists, nested by level; its numbered list as <ol>.
    assert (
        "<ul><li>Samexistens SAMSA och SAMVY<ul><li>Gemensam tidplan</li></ul></li><li>Tillgänglighet 99,9 %</li></ul>"
        in (clean.replace("\n", ""))
    )
    assert "<ol><li>Besluta om budget</li><li>Följa upp målen</li></ol>" in clean.replace("\n", "")
    assert "<table><tbody><tr><td><p><strong>Part</strong></p></td><td><p><strong>Andel</strong></p></td></tr>" in clean
    assert "<td><p>7&nbsp;746&nbsp;000 kr</p></td>" in clean


def test_a_word_paste_drops_classes_styles_spans_office_tags_comments_and_empty_paragraphs():
    clean = sanitise(WORD_PASTE)
    for junk in ("Mso", "mso-", "style", "class", "<span", "o:p", "<!--", "if !supportLists", "<div", "lang="):
        assert junk not in clean
    # What Word keeps in its head (the title, the style sheet, its settings) is not text.
    for hidden in ("Förvaltningsplan", "Style Definitions", "WordDocument", "Calibri"):
        assert hidden not in clean
    assert "<p>&nbsp;</p>" not in clean and "<p></p>" not in clean
    assert "·" not in clean  # the typed bullets went with the list paragraphs
    assert "javascript" not in clean and "<p>farlig länk och ett ankare.</p>" in clean  # links without an address


def test_links_keep_only_web_and_mail_addresses():
    assert sanitise('<p><a href="mailto:gits@example.se">Mejla</a></p>') == (
        '<p><a href="mailto:gits@example.se" rel="noopener noreferrer">Mejla</a></p>'
    )
    for address in ("javascript:alert(1)", "/forvaltningsplaner/1/", "data:text/html,x", "ftp://example.se/"):
        assert sanitise(f'<p><a href="{address}">Länk</a></p>') == "<p>Länk</p>"


def test_list_numbering_and_cell_spans_keep_only_their_meaningful_values():
    assert sanitise('<ol type="a" start="3"><li>c</li></ol>') == '<ol type="a" start="3"><li>c</li></ol>'
    assert sanitise('<ol type="disc" start="x"><li>c</li></ol>') == "<ol><li>c</li></ol>"
    assert sanitise('<table><tr><th scope="col" colspan="2">R</th><td rowspan="-1">x</td></tr></table>') == (
        '<table><tbody><tr><th scope="col" colspan="2">R</th><td>x</td></tr></tbody></table>'
    )
    assert sanitise("<table><caption>Budget</caption><tr><td>1</td></tr></table>").startswith("<table><caption>Budget")


def test_a_text_with_nothing_to_read_is_empty():
    for empty in ("", "   ", "<p></p>", "<p>&nbsp;</p>", "<p><br></p>", "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"):
        assert sanitise(empty) == ""


def test_the_editors_line_breaks_between_blocks_are_not_text():
    assert sanitise("<p>Ett</p>\n<ul>\n<li>a</li>\n</ul>") == "<p>Ett</p><ul><li>a</li></ul>"


# --- Shown the same way everywhere ---------------------------------------------------------------------------------


def test_stored_plain_text_is_shown_as_paragraphs_and_lists_even_when_stored_escaped():
    assert rich_html("Rad ett\n\n- punkt\n- punkt två") == "<p>Rad ett</p><ul><li>punkt</li><li>punkt två</li></ul>"
    # An earlier sanitise stored plain notes escaped: shown once, not twice escaped.
    assert rich_html("Hälsa &amp; vård\n\na) ett") == '<p>Hälsa &amp; vård</p><ol type="a"><li>ett</li></ol>'
    # Text typed before the editor is cleaned when shown, whatever it holds.
    assert rich_html('<p onclick="x()">Hej</p><script>alert(1)</script>') == "<p>Hej</p>"


def test_a_table_is_shown_in_a_box_that_scrolls_sideways_and_can_be_reached_from_the_keyboard():
    shown = rich_html("<table><tr><td>1</td></tr></table><p>Efter</p>")
    assert shown == (f"{text.SCROLLING_TABLE}<tbody><tr><td>1</td></tr></tbody></table></div><p>Efter</p>")
    assert 'role="region"' in text.SCROLLING_TABLE and 'tabindex="0"' in text.SCROLLING_TABLE


def test_the_rich_and_linkify_filters_mark_their_output_safe():
    template = engines["django"].from_string("{% load core_tags %}{{ notes|rich }}|{{ line|linkify }}")
    out = template.render({"notes": "- a < b", "line": "Bilaga https://example.se/x.pdf <i>"})
    assert out == (
        "<ul><li>a &lt; b</li></ul>|Bilaga "
        '<a href="https://example.se/x.pdf" rel="noopener noreferrer">https://example.se/x.pdf</a> &lt;i&gt;'
    )


TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SHOWN_RICH = {
    "documents/plan_detail.html": ["s.body"],
    "documents/pdf/plan.html": ["s.body"],
    "documents/round_detail.html": ["s.body"],
    "documents/round_thread.html": ["c.text", "r.text"],
    "documents/round_compilation_thread.html": ["c.text", "r.text"],
    "documents/round_compilation.html": ["r.text"],
    "governance/charter_sections.html": ["charter.purpose", "charter.tasks", "charter.economy"],
    "meetings/meeting_detail.html": ["item.discussion", "item.description"],
    "meetings/justering.html": ["item.discussion"],
    "meetings/pdf/minutes.html": ["item.discussion", "item.description"],
    "meetings/pdf/agenda.html": ["item.description"],
}


@pytest.mark.parametrize("name", sorted(SHOWN_RICH))
def test_written_text_is_shown_through_the_one_rich_filter(name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    for field in SHOWN_RICH[name]:
        shown = re.findall(r"\{\{\s*" + re.escape(field) + r"\s*\|([a-z_]+)", source)
        assert shown and set(shown) == {"rich"}, (name, field, shown)


# --- The field without the editor ----------------------------------------------------------------------------------


def _rendered(value: str) -> str:
    return RichText().render("notes", value, attrs={"id": "id_notes"})


def test_without_the_editor_a_stored_text_is_shown_as_the_plain_text_it_amounts_to():
    stored = sanitise("Läget.\n\n- ett\n- två\n\na) alfa")
    out = _rendered(stored)
    assert ">\nLäget.\n\n- ett\n- två\n\na) alfa</textarea>" in out
    assert f'data-html="{html.escape(stored)}"' in out and "data-rich-text" in out


def test_without_the_editor_a_text_with_headings_or_tables_is_shown_as_its_html_so_nothing_is_lost():
    stored = sanitise("<h3>Rubrik</h3><p><strong>Fet</strong></p>")
    out = _rendered(stored)
    assert html.escape(stored, quote=False) in out and "data-html" not in out


def test_the_editor_is_pointed_at_our_own_static_copy_and_its_swedish_texts():
    out = _rendered("")
    assert 'data-editor-base="/static/vendor/tinymce"' in out
    assert 'data-editor-language="/static/vendor/tinymce-i18n/sv-SE.js"' in out
    assert 'data-editor-css="/static/css/editor-content.css"' in out


def test_the_editor_and_its_swedish_texts_are_static_files_of_the_portal():
    for name in ("vendor/tinymce/tinymce.min.js", "vendor/tinymce/themes/silver/theme.min.js",
                 "vendor/tinymce/skins/ui/oxide/skin.min.css", "vendor/tinymce/plugins/table/plugin.min.js",
                 "vendor/tinymce-i18n/sv-SE.js", "js/editor.js", "css/editor-content.css"):  # fmt: skip
        assert finders.find(name), name


@pytest.mark.django_db
def test_every_page_loads_the_editor_script_and_no_form_offers_html(client, coordinator):
    from documents.models import PlanSection

    client.force_login(coordinator)
    section = PlanSection.objects.filter(plan__year=2027).first()
    page = client.get(f"/forvaltningsplaner/avsnitt/{section.pk}/andra/").content.decode()
    assert "js/editor.js" in page and "data-rich-text" in page
    assert "enkel HTML" not in page
    typed = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)[1]
    assert typed.strip().startswith("VVG tar ställning") and "&lt;" not in typed  # plain text, no code to read


# --- Written through the services ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_charters_texts_are_cleaned_and_plain_text_becomes_paragraphs_and_lists(coordinator, ref_group):
    import datetime

    from governance import services
    from governance.models import Charter

    latest = Charter.objects.filter(body=ref_group).order_by("-version").first()
    charter = Charter(
        valid_from=latest.valid_from + datetime.timedelta(days=1),
        purpose="Gruppen ska:\n- samordna\n- följa upp",
        tasks='<p onclick="x()">Uppgift</p><script>alert(1)</script>',
        economy="<p>&nbsp;</p>",
    )
    saved = services.charter_create_version(actor=coordinator, body=ref_group, charter=charter)
    assert saved.purpose == "<p>Gruppen ska:</p><ul><li>samordna</li><li>följa upp</li></ul>"
    assert saved.tasks == "<p>Uppgift</p>" and saved.economy == ""


@pytest.mark.django_db
def test_a_charter_whose_purpose_has_nothing_to_read_is_refused(coordinator, ref_group):
    import datetime

    from governance import services
    from governance.models import Charter

    latest = Charter.objects.filter(body=ref_group).order_by("-version").first()
    charter = Charter(valid_from=latest.valid_from + datetime.timedelta(days=1), purpose="<p>&nbsp;</p>")
    with pytest.raises(ValidationError) as error:
        services.charter_create_version(actor=coordinator, body=ref_group, charter=charter)
    assert error.value.message_dict == {"purpose": [str(services.CHARTER_PURPOSE_EMPTY)]}


@pytest.mark.django_db
def test_a_comment_is_stored_as_clean_rich_text_and_an_empty_one_is_refused(rep_fyrbodal):
    from documents import reviews
    from documents.models import ReviewRound

    round_ = ReviewRound.objects.get(document__plan__year=2027)
    comment = reviews.comment_add(actor=rep_fyrbodal, round_=round_, text="Två saker:\n1. tidplan\n2. budget")
    assert comment.text == "<p>Två saker:</p><ol><li>tidplan</li><li>budget</li></ol>"
    with pytest.raises(ValidationError) as error:
        reviews.comment_add(actor=rep_fyrbodal, round_=round_, text="<p>&nbsp;</p><script>x</script>")
    assert error.value.message_dict == {"text": ["Skriv din kommentar."]}


@pytest.mark.django_db
def test_plain_notes_stored_before_the_editor_read_as_lists_on_the_page_at_justering_and_in_the_pdf(
    client, secretary, monkeypatch
):
    from meetings import publishing
    from meetings.models import AgendaItem

    from .factories import add_item, make_meeting, make_minutes_in_state

    meeting = make_meeting()
    item = add_item(meeting, "Uppföljning", documents="Rutin https://example.se/rutin.pdf\nBilaga 2")
    AgendaItem.objects.filter(pk=item.pk).update(discussion="Läget &amp; planen.\n\n- ett\n- två\n\na) alfa\nb) beta")
    lists = (
        "<p>Läget &amp; planen.</p><ul><li>ett</li><li>två</li></ul>",
        '<ol type="a"><li>alfa</li><li>beta</li></ol>',
    )
    link = '<a href="https://example.se/rutin.pdf" rel="noopener noreferrer">https://example.se/rutin.pdf</a>'

    client.force_login(meeting.secretary.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert all(part in page for part in lists) and f"<li>Rutin {link}</li>" in page

    written = []
    monkeypatch.setattr(publishing, "_write_pdf", lambda html: written.append(html) or b"%PDF")
    publishing.render_minutes_pdf(meeting)
    publishing.render_agenda_pdf(meeting)
    minutes_html, agenda_html = written
    assert all(part in minutes_html for part in lists) and link in minutes_html and link in agenda_html

    make_minutes_in_state(meeting, "in_justering")
    client.force_login(meeting.adjusters.first().user)
    page = client.get(f"/moten/{meeting.pk}/justering/").content.decode()
    assert all(part in page for part in lists)
