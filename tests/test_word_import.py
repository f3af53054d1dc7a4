"""Word import of governing documents (issue 13, item 2): a .docx becomes sections cut at its top heading level, with
lists, tables, bold, italics and safe links kept and images dropped with a note; every bad file is refused with a
Swedish message on "file", and no bytes at all raise anything but a ValidationError."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from documents import word_import
from documents.word_import import docx_to_sections
from tests.docx_builder import docx


def refusal(data: bytes, filename: str = "") -> str:
    with pytest.raises(ValidationError) as caught:
        docx_to_sections(data, filename=filename)
    return " ".join(caught.value.message_dict["file"])


def package(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_document_xml(content: bytes | str) -> bytes:
    """A valid .docx whose word/document.xml is replaced by `content`."""
    original = zipfile.ZipFile(io.BytesIO(docx([("p", "text")])))
    files: dict[str, bytes | str] = {name: original.read(name) for name in original.namelist()}
    files["word/document.xml"] = content
    return package(files)


# --- Sections -----------------------------------------------------------------------------------------------------


def test_each_heading_1_starts_a_section_with_its_text_as_title_in_order():
    result = docx_to_sections(
        docx(
            [
                ("Heading1", "Syfte"),
                ("p", "Varför dokumentet finns."),
                ("Heading1", "Ansvar och roller"),
                ("p", "Vem gör vad."),
                ("Heading1", "Uppföljning"),
                ("p", "Hur det följs upp."),
            ]
        )
    )

    assert [(s.key, s.title) for s in result.sections] == [
        ("syfte", "Syfte"),
        ("ansvar-och-roller", "Ansvar och roller"),
        ("uppfoljning", "Uppföljning"),
    ]
    assert [s.body for s in result.sections] == [
        "<p>Varför dokumentet finns.</p>",
        "<p>Vem gör vad.</p>",
        "<p>Hur det följs upp.</p>",
    ]


def test_lower_headings_stay_in_the_body_as_h3_and_h4():
    result = docx_to_sections(
        docx([("Heading1", "Syfte"), ("Heading2", "Bakgrund"), ("p", "a"), ("Heading3", "Detalj"), ("p", "b")])
    )

    assert [s.title for s in result.sections] == ["Syfte"]
    assert result.sections[0].body == "<h3>Bakgrund</h3><p>a</p><h4>Detalj</h4><p>b</p>"


def test_heading_2_starts_the_sections_when_the_document_has_no_heading_1():
    result = docx_to_sections(
        docx([("Heading2", "Mål"), ("Heading3", "Delmål"), ("p", "text"), ("Heading2", "Insatser"), ("p", "mer")])
    )

    assert [(s.key, s.title) for s in result.sections] == [("mal", "Mål"), ("insatser", "Insatser")]
    assert result.sections[0].body == "<h3>Delmål</h3><p>text</p>"


def test_text_before_the_first_heading_is_the_section_inledning():
    result = docx_to_sections(docx([("p", "Ett förord."), ("Heading1", "Syfte"), ("p", "text")]))

    assert [(s.key, s.title, s.body) for s in result.sections] == [
        ("inledning", "Inledning", "<p>Ett förord.</p>"),
        ("syfte", "Syfte", "<p>text</p>"),
    ]


def test_a_document_that_opens_with_a_heading_has_no_inledning():
    result = docx_to_sections(docx([("Title", "Riktlinje"), ("Heading1", "Syfte"), ("p", "text")]))

    assert [s.title for s in result.sections] == ["Syfte"]


def test_a_document_without_headings_is_one_section_and_the_preview_says_why():
    result = docx_to_sections(docx([("p", "Första stycket."), ("p", "Andra stycket.")]))

    assert [(s.title, s.body) for s in result.sections] == [
        ("Inledning", "<p>Första stycket.</p><p>Andra stycket.</p>")
    ]
    assert any("inga rubriker" in m for m in result.messages)


def test_duplicate_headings_get_unique_keys():
    result = docx_to_sections(
        docx([("Heading1", "Bilaga"), ("p", "a"), ("Heading1", "Bilaga"), ("p", "b"), ("Heading1", "Bilaga")])
    )

    assert [s.key for s in result.sections] == ["bilaga", "bilaga-2", "bilaga-3"]


def test_a_heading_named_inledning_after_the_introduction_gets_a_key_of_its_own():
    result = docx_to_sections(docx([("p", "Förord."), ("Heading1", "Inledning"), ("p", "text")]))

    assert [s.key for s in result.sections] == ["inledning", "inledning-2"]


def test_keys_are_at_most_40_characters_even_with_a_suffix():
    long = "Överenskommelse om samverkan vid in- och utskrivning från sluten hälso- och sjukvård"
    result = docx_to_sections(docx([("Heading1", long), ("p", "a"), ("Heading1", long), ("p", "b")]))

    first, second = (s.key for s in result.sections)
    assert first == "overenskommelse-om-samverkan-vid-in-och"
    assert second.endswith("-2") and len(second) <= 40 and second != first
    assert all(len(s.key) <= word_import.KEY_LENGTH for s in result.sections)


def test_a_heading_without_letters_or_digits_gets_a_plain_key():
    result = docx_to_sections(docx([("Heading1", "§§"), ("p", "a"), ("Heading1", "–"), ("p", "b")]))

    assert [s.key for s in result.sections] == ["avsnitt", "avsnitt-2"]


# --- Title --------------------------------------------------------------------------------------------------------


def test_the_title_style_paragraph_is_the_document_title_and_not_a_section():
    result = docx_to_sections(
        docx([("Title", "Riktlinje för samverkan"), ("Heading1", "Syfte"), ("p", "text")]), filename="riktlinje.docx"
    )

    assert result.title == "Riktlinje för samverkan"
    assert "Riktlinje för samverkan" not in "".join(s.body for s in result.sections)


def test_without_a_title_paragraph_the_title_is_the_file_name_without_extension():
    data = docx([("Heading1", "Syfte"), ("p", "text")])

    assert docx_to_sections(data, filename="Överenskommelse 2027.docx").title == "Överenskommelse 2027"
    assert docx_to_sections(data, filename="C:\\Dokument\\Riktlinje.v2.docx").title == "Riktlinje.v2"
    assert docx_to_sections(data).title == ""


def test_a_title_longer_than_a_document_title_may_be_is_shortened_with_a_message():
    result = docx_to_sections(docx([("Title", "Riktlinje " * 40), ("Heading1", "Syfte"), ("p", "text")]))

    assert len(result.title) <= word_import.TITLE_LENGTH
    assert result.title.startswith("Riktlinje Riktlinje")
    assert result.messages == ["Dokumentets titel var längre än 300 tecken och har kortats."]


# --- What the body keeps and drops --------------------------------------------------------------------------------


def test_nested_bulleted_and_numbered_lists_are_kept():
    result = docx_to_sections(
        docx([("Heading1", "Ansvar"), ("li", "Region"), ("li", "Sjukhus", 1), ("li", "Kommun"), ("ol", "Först")])
    )

    assert result.sections[0].body == (
        "<ul><li>Region<ul><li>Sjukhus</li></ul></li><li>Kommun</li></ul><ol><li>Först</li></ol>"
    )


def test_tables_are_kept():
    result = docx_to_sections(docx([("Heading1", "Ansvar"), ("table", [["Part", "Ansvar"], ["VGR", "Vård"]])]))

    body = result.sections[0].body
    assert body.startswith("<table>") and body.endswith("</table>")
    assert "<td><p>Part</p></td><td><p>Ansvar</p></td>" in body
    assert "<td><p>VGR</p></td><td><p>Vård</p></td>" in body


def test_bold_and_italic_are_kept():
    result = docx_to_sections(docx([("Heading1", "Syfte"), ("p", "Det **ska** göras *snart*.")]))

    assert result.sections[0].body == "<p>Det <strong>ska</strong> göras <em>snart</em>.</p>"


def test_web_and_mail_links_are_kept_and_a_javascript_link_keeps_only_its_text():
    result = docx_to_sections(
        docx(
            [
                ("Heading1", "Länkar"),
                ("link", "Vårdgivarwebben", "https://example.org/vard?a=1&b=2"),
                ("link", "Skriv till oss", "mailto:shvo@example.org"),
                ("link", "Klicka", "javascript:alert(1)"),
            ]
        )
    )

    body = result.sections[0].body
    assert '<a href="https://example.org/vard?a=1&amp;b=2" rel="noopener noreferrer">Vårdgivarwebben</a>' in body
    assert '<a href="mailto:shvo@example.org" rel="noopener noreferrer">Skriv till oss</a>' in body
    assert "<p>Klicka</p>" in body
    assert "javascript" not in body


def test_images_are_dropped_with_one_message_for_each_section():
    result = docx_to_sections(
        docx([("Heading1", "Karta"), ("p", "Se kartan."), ("image",), ("image",), ("Heading1", "Logga"), ("image",)])
    )

    assert "<img" not in "".join(s.body for s in result.sections)
    assert result.messages == [
        "2 bilder i avsnittet ”Karta” togs inte med. Lägg in dem som bilagor om de behövs.",
        "Bilden i avsnittet ”Logga” togs inte med. Lägg in den som bilaga om den behövs.",
    ]


def test_an_image_before_the_first_heading_is_reported_without_a_section_that_is_not_there():
    result = docx_to_sections(docx([("image",), ("Heading1", "Syfte"), ("p", "text")]))

    assert [s.title for s in result.sections] == ["Syfte"]
    assert result.messages == ["Bilden före den första rubriken togs inte med. Lägg in den som bilaga om den behövs."]


def test_footnotes_follow_the_section_that_refers_to_them_numbered_as_their_markers():
    result = docx_to_sections(
        docx(
            [
                ("Heading1", "Bakgrund"),
                ("footnote", "Enligt lagen", "SFS 2017:612"),
                ("footnote", "och avtalet", "Överenskommelsen 2027"),
                ("Heading1", "Uppföljning"),
                ("footnote", "Varje år", "Se **bilaga** 2"),
            ]
        )
    )

    assert [s.body for s in result.sections] == [
        '<p>Enligt lagen[1]</p><p>och avtalet[2]</p><ol start="1"><li><p>SFS 2017:612</p></li>'
        "<li><p>Överenskommelsen 2027</p></li></ol>",
        '<p>Varje år[3]</p><ol start="3"><li><p>Se <strong>bilaga</strong> 2</p></li></ol>',
    ]


# --- Bad files ----------------------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_docx_is_refused():
    assert refusal(b"Hej, detta \xe4r text.", "anteckning.txt") == str(word_import.NOT_DOCX)
    assert refusal(b"PK\x03\x04 not really a zip") == str(word_import.NOT_DOCX)


def test_a_zip_without_a_word_document_is_refused():
    odt = package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})

    assert refusal(odt, "dokument.odt") == str(word_import.NOT_DOCX)


def test_an_old_doc_file_is_refused_with_advice_to_save_as_docx():
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "gammal.doc")

    assert message == str(word_import.OLD_DOC)
    assert ".docx" in message


def test_an_empty_file_and_a_document_without_text_are_refused():
    assert refusal(b"") == str(word_import.EMPTY_FILE)
    assert refusal(docx([])) == "Dokumentet innehåller ingen text."
    assert refusal(docx([("Title", "Bara en titel")])) == "Dokumentet innehåller ingen text."
    assert refusal(docx([("image",)])) == "Dokumentet innehåller ingen text."


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    data = docx([("Heading1", "Syfte"), ("p", "text")])

    assert refusal(data + b"\0" * (word_import.MAX_BYTES - len(data) + 1)) == str(word_import.TOO_LARGE)


def test_a_document_that_unpacks_too_large_is_refused_before_it_is_converted():
    bomb = with_document_xml(b" " * (word_import.MAX_UNPACKED_BYTES + 1))

    assert len(bomb) < 100_000
    assert refusal(bomb) == str(word_import.UNPACKS_TOO_LARGE)


def test_a_docx_with_broken_xml_is_refused_as_unreadable():
    assert refusal(with_document_xml("<w:document><w:body><w:p>")) == str(word_import.UNREADABLE)


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=2000), st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b)))
def test_random_bytes_never_raise_anything_but_a_validation_error(data):
    try:
        docx_to_sections(data, filename="x.docx")
    except ValidationError as error:
        assert list(error.message_dict) == ["file"]


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_a_docx_with_a_garbage_document_xml_never_raises_anything_but_a_validation_error(content):
    try:
        docx_to_sections(with_document_xml(content))
    except ValidationError as error:
        assert list(error.message_dict) == ["file"]
