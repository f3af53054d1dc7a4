"""documents.compare: two versions of a governing document compared section by section (unchanged, changed,
added, removed, moved, renamed), exactly the changed words marked, moved passages found within a section and across
sections, everything escaped, and a 40-page document compared in one go; a comparison of two versions kept and
reused for the same pair only; and the partial that shows it."""

import random
import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.routine import CHANGED_WORD, edited_routine, generated_routine
from core.text import html_to_text
from documents import compare
from documents.compare import (
    ADDED,
    CHANGED,
    MOVED,
    MOVED_LABEL,
    REMOVED,
    UNCHANGED,
    body_segments,
    compare_sections,
    summary,
    versions_compared,
)
from documents.models import DocumentVersion

MOVED_SENTENCE = "Kommunen och regionen kallar gemensamt till ett planeringsmöte inom tre dagar."
LONG = " ".join(
    f"Mening nummer {n} om hur {word} ska gå till i vardagen." for n, word in enumerate(["planeringen"] * 80, 1)
)


def section(key, title, *paragraphs):
    return {"key": key, "title": title, "body": "".join(f"<p>{p}</p>" for p in paragraphs)}


def by_key(rows):
    return {row.key: row for row in rows}


def marked(html, tag, moved=False):
    """The texts inside each <tag> of an HTML string: the plain ones, or those marked as moved."""
    opening = f'<{tag} class="moved" title="{MOVED_LABEL}">' if moved else f"<{tag}>"
    return re.findall(rf"{opening}(.*?)</{tag}>", html)


def plain(html):
    return " ".join(html_to_text(html).split())


# --- which sections changed ---------------------------------------------------------------------


def test_a_section_that_is_the_same_in_both_versions_is_unchanged_and_unmarked():
    old = [section("syfte", "Syfte", "Rutinen beskriver ansvaret.")]
    row = compare_sections(old, [dict(old[0])])[0]
    assert (row.status, row.changed, row.moved) == (UNCHANGED, False, False)
    assert "<del" not in row.inline_html and "<ins" not in row.inline_html
    assert row.new_html == "<p>Rutinen beskriver ansvaret.</p>"


def test_a_section_whose_text_differs_is_changed():
    old = [section("syfte", "Syfte", "Rutinen beskriver ansvaret för alla.")]
    new = [section("syfte", "Syfte", "Rutinen beskriver ansvaret och rollerna för alla.")]
    row = compare_sections(old, new)[0]
    assert (row.status, row.changed, row.moved) == (CHANGED, True, False)
    assert row.new_html == "<p>Rutinen beskriver ansvaret <ins>och rollerna</ins> för alla.</p>"
    assert row.old_html == "<p>Rutinen beskriver ansvaret för alla.</p>"
    assert row.inline_html == row.new_html


def test_a_section_only_the_new_version_has_is_added_and_all_its_text_inserted():
    old = [section("syfte", "Syfte", "Text.")]
    new = [*old, section("ansvar", "Ansvar", "GITS ansvarar.")]
    row = by_key(compare_sections(old, new))["ansvar"]
    assert (row.status, row.old_position, row.new_position, row.old_title) == (ADDED, None, 2, "")
    assert marked(row.new_html, "ins") == ["GITS ansvarar."]
    assert row.old_html == ""


def test_a_removed_section_stands_where_it_stood_in_the_old_version():
    old = [section("a", "A", "Ett."), section("b", "B", "Två."), section("c", "C", "Tre.")]
    new = [old[0], old[2]]
    rows = compare_sections(old, new)
    assert [(r.key, r.status) for r in rows] == [("a", UNCHANGED), ("b", REMOVED), ("c", UNCHANGED)]
    assert (rows[1].old_position, rows[1].new_position) == (2, None)
    assert marked(rows[1].old_html, "del") == ["Två."] and rows[1].new_html == ""


def test_a_section_moved_far_is_the_one_moved_not_every_section_it_passed():
    old = [section(k, k.upper(), f"Text {k}.") for k in "abcdef"]
    new = [old[0], old[2], old[3], old[4], old[1], old[5]]
    rows = compare_sections(old, new)
    assert [r.key for r in rows if r.moved] == ["b"]
    b = by_key(rows)["b"]
    assert (b.status, b.changed, b.old_position, b.new_position) == (MOVED, False, 2, 5)
    assert summary(rows) == {"changed": 0, "added": 0, "removed": 0, "moved": 1, "unchanged": 5}


def test_a_section_moved_and_edited_is_moved_and_changed():
    old = [section("a", "A", "Ett."), section("b", "B", "Två ord.")]
    new = [section("b", "B", "Tre ord."), section("a", "A", "Ett.")]
    rows = by_key(compare_sections(old, new))
    moved = [r for r in rows.values() if r.moved]
    assert len(moved) == 1 and moved[0].status == MOVED
    assert rows["b"].changed and marked(rows["b"].new_html, "ins") == ["Tre"]
    assert summary(rows.values())["changed"] == 1


def test_a_section_renamed_under_its_key_keeps_its_old_title():
    old = [section("syfte", "Syfte", "Text.")]
    new = [section("syfte", "Syfte och mål", "Text.")]
    row = compare_sections(old, new)[0]
    assert (row.status, row.changed, row.renamed, row.old_title, row.title) == (
        CHANGED,
        True,
        True,
        "Syfte",
        "Syfte och mål",
    )


def test_a_section_whose_key_changed_is_found_by_its_title():
    old = [section("gammal-nyckel", "Ansvar", "GITS ansvarar.")]
    new = [section("ny-nyckel", "Ansvar", "GITS ansvarar.")]
    rows = compare_sections(old, new)
    assert [(r.key, r.status, r.old_position, r.new_position) for r in rows] == [("ny-nyckel", UNCHANGED, 1, 1)]


def test_sections_with_neither_key_nor_title_in_common_are_one_removed_and_one_added():
    rows = compare_sections([section("a", "A", "Ett.")], [section("b", "B", "Ett.")])
    assert sorted(r.status for r in rows) == [ADDED, REMOVED]
    assert summary(rows) == {"changed": 0, "added": 1, "removed": 1, "moved": 0, "unchanged": 0}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([], []),
        (None, None),
        ([{"key": "a"}], [{"title": None, "body": None}]),
        ([{"key": "a", "title": "A", "body": 7}], ["inte ett avsnitt"]),
    ],
)
def test_missing_or_malformed_sections_give_rows_not_errors(old, new):
    rows = compare_sections(old, new)
    assert all(isinstance(r.inline_html, str) for r in rows)


# --- exactly the changed words ------------------------------------------------------------------


def test_one_word_changed_in_a_long_section_is_the_only_word_marked():
    old_body = f"<p>{LONG}</p><p>{LONG.replace('vardagen', 'helgen')}</p>"
    new_body = old_body.replace("nummer 47 om hur planeringen", "nummer 47 om hur uppföljningen", 1)
    assert new_body != old_body
    row = compare_sections(
        [{"key": "a", "title": "A", "body": old_body}], [{"key": "a", "title": "A", "body": new_body}]
    )[0]
    assert marked(row.old_html, "del") == ["planeringen"]
    assert marked(row.new_html, "ins") == ["uppföljningen"]
    assert marked(row.inline_html, "del") == ["planeringen"] and marked(row.inline_html, "ins") == ["uppföljningen"]
    assert row.moved_passages == []


def test_the_paragraphs_of_the_text_stay_paragraphs_on_each_side():
    old = [section("a", "A", "Första stycket.", "Andra stycket.")]
    new = [section("a", "A", "Första stycket.", "Andra stycket, ändrat.")]
    row = compare_sections(old, new)[0]
    assert row.old_html == "<p>Första stycket.</p><p>Andra <del>stycket.</del></p>"
    assert row.new_html == "<p>Första stycket.</p><p>Andra <ins>stycket, ändrat.</ins></p>"


def test_a_line_break_in_the_text_is_a_line_break_in_the_comparison():
    row = compare_sections([section("a", "A", "Rad ett<br>rad två")], [section("a", "A", "Rad ett<br>rad tre")])[0]
    assert row.new_html == "<p>Rad ett<br>rad <ins>tre</ins></p>"


def test_a_number_with_thousands_spaces_is_marked_whole():
    row = compare_sections([section("a", "A", "Budget 7 746 000 kr.")], [section("a", "A", "Budget 7 800 000 kr.")])[0]
    assert marked(row.new_html, "ins") == ['<span class="nowrap">7 800 000</span>']


# --- moved passages ------------------------------------------------------------------------------


def test_a_passage_moved_within_a_section_is_marked_moved_on_both_sides():
    first, second = "Ansvaret ligger hos den som skriver ut patienten.", "Planen följs upp varje vecka av båda parter."
    old = [section("a", "A", f"{MOVED_SENTENCE} {first}", second)]
    new = [section("a", "A", first, f"{second} {MOVED_SENTENCE}")]
    row = compare_sections(old, new)[0]
    assert row.moved_passages == [MOVED_SENTENCE]
    assert f'<del class="moved" title="{MOVED_LABEL}">{MOVED_SENTENCE}</del>' in row.old_html
    assert f'<ins class="moved" title="{MOVED_LABEL}">{MOVED_SENTENCE}</ins>' in row.new_html
    assert "<del>" not in row.inline_html and "<ins>" not in row.inline_html  # nothing but the move


def test_a_passage_moved_to_another_section_is_marked_in_both_sections():
    old = [section("a", "A", "Inledning om rutinen.", MOVED_SENTENCE), section("b", "B", "Om ansvaret.")]
    new = [section("a", "A", "Inledning om rutinen."), section("b", "B", "Om ansvaret.", MOVED_SENTENCE)]
    rows = by_key(compare_sections(old, new))
    assert rows["a"].moved_passages == rows["b"].moved_passages == [MOVED_SENTENCE]
    assert marked(rows["a"].old_html, "del", moved=True) == [MOVED_SENTENCE]
    assert marked(rows["b"].new_html, "ins", moved=True) == [MOVED_SENTENCE]
    assert rows["a"].status == rows["b"].status == CHANGED


def test_a_passage_moved_from_a_removed_section_into_an_added_one_is_moved():
    old = [section("a", "A", "Kvar."), section("gammal", "Gammal", MOVED_SENTENCE, "Bara här.")]
    new = [section("a", "A", "Kvar."), section("ny", "Ny", "Nytt stycke.", MOVED_SENTENCE)]
    rows = by_key(compare_sections(old, new))
    assert rows["gammal"].status == REMOVED and rows["ny"].status == ADDED
    assert rows["gammal"].moved_passages == rows["ny"].moved_passages == [MOVED_SENTENCE]
    assert marked(rows["gammal"].old_html, "del", moved=True) == [MOVED_SENTENCE]
    assert marked(rows["gammal"].old_html, "del") == ["Bara här."]  # the rest is simply removed
    assert marked(rows["ny"].new_html, "ins") == ["Nytt stycke."]


def test_a_short_sentence_found_elsewhere_is_not_called_moved():
    old = [section("a", "A", "Se bilaga.", "Första stycket står kvar här."), section("b", "B", "Andra.")]
    new = [section("a", "A", "Första stycket står kvar här."), section("b", "B", "Andra.", "Se bilaga.")]
    rows = by_key(compare_sections(old, new))
    assert rows["a"].moved_passages == [] and marked(rows["a"].old_html, "del") == ["Se bilaga."]
    assert 'class="moved"' not in rows["b"].new_html


def test_a_moved_passage_of_several_sentences_is_one_passage():
    passage = "Kallelsen skickas digitalt. Mottagaren bekräftar inom ett dygn. Annars ringer man."
    rest = "Resten av texten står kvar som förut, och den är längre än det som flyttas så att den inte flyttas."
    old = [section("a", "A", passage, rest)]
    new = [section("a", "A", rest, passage)]
    assert compare_sections(old, new)[0].moved_passages == [passage]


# --- escaping -------------------------------------------------------------------------------------


def test_markup_in_the_text_is_shown_as_text_never_as_markup():
    old = [section("a", "<b>A</b>", "Text &lt;script&gt;alert(1)&lt;/script&gt; här.")]
    new = [section("a", "<b>A</b>", "Text &lt;script&gt;alert(2)&lt;/script&gt; &amp; där.")]
    row = compare_sections(old, new)[0]
    for html in (row.old_html, row.new_html, row.inline_html):
        assert "<script" not in html and "&lt;script&gt;" in html
    assert "&amp;" in row.new_html
    page = render_partial([row])
    assert "<script>alert" not in page and "&lt;b&gt;A&lt;/b&gt;" in page


# --- the pieces spell both versions ---------------------------------------------------------------

PIECES = ["och", "att", "mål", ".", "Ansvar.", "<p>", "</p>", "<br>", "&amp;", "&lt;b&gt;", "<", " ", "\n", "7 746"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.lists(st.sampled_from(PIECES), max_size=60))
def test_the_equal_and_deleted_pieces_spell_the_old_text_and_the_equal_and_inserted_the_new(old_parts, new_parts):
    old, new = " ".join(old_parts), " ".join(new_parts)
    segments = body_segments(old, new)
    assert "".join(t for op, t in segments if op != "insert") == html_to_text(old)
    assert "".join(t for op, t in segments if op != "delete") == html_to_text(new)
    row = compare_sections([{"key": "a", "title": "A", "body": old}], [{"key": "a", "title": "A", "body": new}])[0]
    assert plain(row.old_html) == " ".join(html_to_text(old).split())
    assert plain(row.new_html) == " ".join(html_to_text(new).split())


PARAGRAPHS = ["Kommunen kallar.", "Regionen svarar inom tre dagar.", "Se ovan.", "7 746 000 kronor.", "&lt;p&gt;"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPHS), max_size=12), st.lists(st.sampled_from(PARAGRAPHS), max_size=12))
def test_paragraphs_added_removed_or_repeated_anywhere_still_spell_both_versions(old_parts, new_parts):
    """Only the paragraphs between the first and the last that differ are compared; the pieces still spell both."""
    old, new = "".join(f"<p>{p}</p>" for p in old_parts), "".join(f"<p>{p}</p>" for p in new_parts)
    segments = body_segments(old, new)
    assert "".join(t for op, t in segments if op != "insert") == html_to_text(old)
    assert "".join(t for op, t in segments if op != "delete") == html_to_text(new)
    assert all(a[0] != b[0] for a, b in zip(segments, segments[1:], strict=False))


def test_only_the_changed_paragraph_of_a_long_section_is_marked():
    paragraphs = [f"Stycke {n} handlar om ansvaret vid utskrivning." for n in range(1, 41)]
    edited = [*paragraphs[:20], "Stycke 21 handlar om ansvaret vid inskrivning.", *paragraphs[21:]]
    row = compare_sections([section("a", "A", *paragraphs)], [section("a", "A", *edited)])[0]
    assert marked(row.new_html, "ins") == ["inskrivning."] and marked(row.old_html, "del") == ["utskrivning."]
    assert row.new_html.count("<p>") == 40


def test_a_sentence_inserted_in_many_places_is_moved_to_one_of_them_and_inserted_in_the_others():
    old = [section("a", "A", MOVED_SENTENCE, "Annat."), *(section(f"s{n}", f"S{n}", "Text.") for n in range(20))]
    new = [section("a", "A", "Annat."), *(section(f"s{n}", f"S{n}", "Text.", MOVED_SENTENCE) for n in range(20))]
    rows = compare_sections(old, new)
    assert sum(len(marked(r.new_html, "ins", moved=True)) for r in rows) == 1
    assert sum(len(marked(r.new_html, "ins")) for r in rows) == 19
    assert marked(rows[0].old_html, "del", moved=True) == [MOVED_SENTENCE]


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=6))
def test_long_sections_edited_and_shuffled_still_spell_both_versions(rng, edits):
    """Long enough for core.text's sentence-by-sentence path, with sentences moved between sections."""
    old = generated_routine(pages=3, seed=rng.randint(0, 10_000))
    new = [dict(s) for s in old]
    for _ in range(edits):
        source, target = rng.randrange(len(new)), rng.randrange(len(new))
        sentences = new[source]["body"].split(". ")
        taken = sentences.pop(rng.randrange(len(sentences)))
        new[source]["body"] = ". ".join(sentences)
        new[target]["body"] = new[target]["body"].replace("</p>", f" {taken}.</p>", 1)
    rng.shuffle(new)
    rows = by_key(compare_sections(old, new))
    for s in old:
        assert plain(rows[s["key"]].old_html) == " ".join(html_to_text(s["body"]).split())
    for s in new:
        assert plain(rows[s["key"]].new_html) == " ".join(html_to_text(s["body"]).split())


# --- a 40-page document -----------------------------------------------------------------------------


def test_a_40_page_routine_with_five_words_changed_and_a_section_moved_compares_exactly():
    old = generated_routine(pages=40, seed=7)
    new = edited_routine(old, seed=8)
    assert len(old) == 30 and 19_000 < sum(len(html_to_text(s["body"]).split()) for s in old) < 23_000
    rows = compare_sections(old, new)
    assert summary(rows) == {"changed": 5, "added": 0, "removed": 0, "moved": 1, "unchanged": 24}
    assert [r.key for r in rows] == [s["key"] for s in new]
    for row in rows:
        if row.changed:
            assert marked(row.new_html, "ins") == [CHANGED_WORD]
            assert len(marked(row.old_html, "del")) == 1 and row.moved_passages == []


def test_the_generated_routine_is_the_same_for_the_same_seed_and_differs_for_another():
    assert generated_routine(pages=2, seed=3) == generated_routine(pages=2, seed=3)
    assert generated_routine(pages=2, seed=3) != generated_routine(pages=2, seed=4)


# --- a comparison of two versions, kept -------------------------------------------------------------


def version(pk, sections):
    """A DocumentVersion as the view has it (loaded; never saved here: the comparison needs no database)."""
    return DocumentVersion(pk=pk, number=pk, content={"sections": sections})


@pytest.fixture
def counted(monkeypatch):
    """The calls of compare_sections that versions_compared makes."""
    calls = []
    real = compare.compare_sections
    monkeypatch.setattr(compare, "compare_sections", lambda old, new: calls.append((old, new)) or real(old, new))
    return calls


def test_a_comparison_of_two_versions_is_computed_once_and_then_reused(counted):
    old = [section("a", "Syfte", "Rutinen gäller för alla.")]
    new = [section("a", "Syfte", "Rutinen gäller nu för alla.")]
    first = versions_compared(version(1, old), version(2, new))
    again = versions_compared(version(1, old), version(2, new))  # other objects for the same two versions
    assert again is first and len(counted) == 1
    assert marked(again[0].new_html, "ins") == ["nu"]


def test_another_pair_of_versions_gets_its_own_comparison(counted):
    v1 = version(1, [section("a", "Syfte", "Ett.")])
    v2 = version(2, [section("a", "Syfte", "Två.")])
    v3 = version(3, [section("a", "Syfte", "Tre.")])
    one_two = versions_compared(v1, v2)
    one_three = versions_compared(v1, v3)
    two_one = versions_compared(v2, v1)
    assert len(counted) == 3
    assert marked(one_two[0].new_html, "ins") == ["Två."]
    assert marked(one_three[0].new_html, "ins") == ["Tre."]
    assert marked(two_one[0].new_html, "ins") == ["Ett."]


def test_a_version_without_sections_compares_as_empty_not_as_an_error():
    rows = versions_compared(DocumentVersion(pk=8, number=1, content={}), version(9, [section("a", "A", "Text.")]))
    assert [r.status for r in rows] == [ADDED]


# --- the partial ------------------------------------------------------------------------------------


def render_partial(rows, query="", **context):
    request = RequestFactory().get("/planer/1/jamfor/" + query)
    return render_to_string(
        "documents/_section_compare.html", {"rows": rows, "view": request.GET.get("visa", "sida"), **context}, request
    )


def example_rows():
    old = [
        section("a", "Syfte", "Rutinen gäller alla."),
        section("b", "Ansvar", "GITS ansvarar."),
        section("c", "Bilagor", "Bilaga 1."),
        section("d", "Begrepp", "Ord och begrepp."),
        section("f", "Giltighet", "Tills vidare."),
    ]
    new = [
        section("a", "Syfte och mål", "Rutinen gäller alla."),
        section("c", "Bilagor", "Bilaga 1."),
        section("f", "Giltighet", "Tills vidare."),
        section("b", "Ansvar", "GITS och VVG ansvarar."),
        section("e", "Nytt", "Helt ny text."),
    ]
    return compare_sections(old, new)


def test_the_partial_shows_side_by_side_by_default_with_links_to_both_views():
    page = render_partial(example_rows(), "?a=1&b=2", old=SimpleNamespace(number=1), new=SimpleNamespace(number=2))
    nav = re.search(r"<nav.*?</nav>", page, re.S)[0]
    assert 'href="?a=1&amp;b=2&amp;visa=sida" aria-current="page"' in nav
    assert 'href="?a=1&amp;b=2&amp;visa=inline">' in nav
    assert page.count('class="compare-sides"') == 3  # the moved and changed, the removed and the added section
    assert page.count("<section") == 6 and page.count("<h2") == 6


def test_the_partial_shows_one_text_for_the_inline_view():
    page = render_partial(
        example_rows(), "?a=1&b=3&visa=inline", old=SimpleNamespace(number=1), new=SimpleNamespace(number=3)
    )
    assert 'href="?a=1&amp;b=3&amp;visa=inline" aria-current="page"' in page
    assert "compare-sides" not in page
    assert "GITS <ins>och VVG</ins> ansvarar." in page


def test_the_partial_says_where_a_section_moved_from_its_old_title_and_collapses_unchanged_ones():
    page = render_partial(example_rows(), old=None, new=None)
    sections = dict(re.findall(r'<h2 id="[^"]+">([^<]+?) <span.*?</h2>(.*?)</section>', page, re.S))
    assert "Flyttat från plats 2" in sections["Ansvar"]
    assert "Tidigare rubrik: Syfte" in sections["Syfte och mål"]
    assert "Texten är oförändrad." in sections["Syfte och mål"] and "compare-sides" not in sections["Syfte och mål"]
    assert sections["Bilagor"].strip() == ""  # one line: the heading and "Oförändrat"
    assert re.search(r"Bilagor <span[^>]*>Oförändrat</span>", page)
    assert "Avsnittet är borttaget." in sections["Begrepp"]
    assert "Avsnittet fanns inte." in sections["Nytt"]


def test_the_partial_shows_the_counts_when_given_them():
    rows = example_rows()
    page = render_partial(rows, counts=summary(rows))
    assert "2 ändrade, 1 nya, 1 borttagna, 1 flyttade och 2 oförändrade avsnitt." in page


def test_the_partial_marks_moved_text_and_explains_it():
    old = [section("a", "A", MOVED_SENTENCE, "Annat."), section("b", "B", "Mer.")]
    new = [section("a", "A", "Annat."), section("b", "B", "Mer.", MOVED_SENTENCE)]
    page = render_partial(compare_sections(old, new))
    assert page.count(f'class="moved" title="{MOVED_LABEL}"') >= 2
    assert "prickad" in page


def test_random_edits_never_break_the_page():
    rng = random.Random(5)
    old = generated_routine(pages=2, seed=5)
    new = [dict(s, body=s["body"].replace(" och ", " &lt;i&gt; ", rng.randint(0, 3))) for s in old]
    page = render_partial(compare_sections(old, new[::-1]))
    assert "<i>" not in page
