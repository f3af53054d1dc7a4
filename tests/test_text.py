"""core.text.word_diff: the same marks as always on short texts, and bounded work on long ones."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import text

VOCABULARY = (
    "och att det som en på är för av med till den har de inte om ett men var så kan vi ska alla här "
    "förvaltningsplan delregion kommun region uppdrag organ möte protokoll åtgärd mål budget remiss samverkan "
    "vård omsorg hälsa invånare digital tjänst system stöd utveckling förvaltning styrning ansvar beslut"
).split()


def plan_text(n_words: int, seed: int) -> str:
    """Paragraphs of 40–120 words from a small vocabulary (the hardest case: many repeated words)."""
    rng = random.Random(seed)
    words = [rng.choice(VOCABULARY[:20] if rng.random() < 0.5 else VOCABULARY) for _ in range(n_words)]
    paragraphs, i = [], 0
    while i < len(words):
        size = rng.randint(40, 120)
        paragraphs.append("<p>" + " ".join(words[i : i + size]).capitalize() + ".</p>")
        i += size
    return "".join(paragraphs)


def edited(value: str, seed: int, rate: float = 0.02) -> str:
    rng = random.Random(seed)
    out = []
    for word in value.split(" "):
        roll = rng.random()
        if roll < rate / 3:
            continue
        out.append("ändrat" if roll < 2 * rate / 3 else word)
        if roll < rate:
            out.append("tillagt")
    return " ".join(out)


def sides(segments):
    old = "".join(t for op, t in segments if op != "insert")
    new = "".join(t for op, t in segments if op != "delete")
    return old, new


def test_a_changed_number_is_marked_as_removed_and_added():
    assert text.word_diff("<p>Kostnad 99,9 mnkr</p>", "<p>Kostnad 99,95 mnkr</p>") == (
        " Kostnad <del>99,9</del><ins>99,95</ins> mnkr "
    )


@pytest.mark.parametrize("space", [" ", "\xa0", "\u202f", "&nbsp;"])
def test_a_swedish_number_with_thousands_spaces_is_one_word(space):
    """ "7 746 000" changed to "7 800 000" is one number removed and one added, never "7 <del>746</del>…" cut
    mid-number; normal, no-break and narrow no-break spaces alike (and the entity a pasted text brings)."""
    old, new = f"<p>Budget 7{space}746{space}000 kr</p>", f"<p>Budget 7{space}800{space}000 kr</p>"
    diff = text.word_diff(old, new)
    sep = "\xa0" if space == "&nbsp;" else space
    assert f'<del><span class="nowrap">7{sep}746{sep}000</span></del>' in diff
    assert f'<ins><span class="nowrap">7{sep}800{sep}000</span></ins>' in diff
    assert [op for op, _t in text.diff_segments(old, new)] == ["equal", "delete", "insert", "equal"]


def test_numbers_glued_to_brackets_and_plain_numbers_stay_words():
    assert text.words("(1 234) år 2026 345 och 12 345 6789") == [
        "(1 234)", " ", "år", " ", "2026", " ", "345", " ", "och", " ", "12 345", " ", "6789",
    ]  # fmt: skip


def test_the_diff_is_escaped_and_entities_are_decoded_first():
    assert text.word_diff("<p>a &amp; b</p>", "<p>a &lt;script&gt; b</p>") == (
        " a <del>&amp;</del><ins>&lt;script&gt;</ins> b "
    )


NUMBERS = ["7", "746", "000", "\xa0", "&nbsp;", "(12"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["och", "att", "mål", ".", "<p>", "</p>", "<br>", "&amp;", " ", "\n", "ä", *NUMBERS]),
        max_size=80,
    ),
    st.lists(
        st.sampled_from(["och", "att", "mål", ".", "<p>", "</p>", "<br>", "&amp;", " ", "\n", "ö", *NUMBERS]),
        max_size=80,
    ),
)
def test_the_pieces_spell_both_versions(old_parts, new_parts):
    old, new = " ".join(old_parts), " ".join(new_parts)
    assert sides(text.diff_segments(old, new)) == ("".join(text.words(old)), "".join(text.words(new)))
    # Sentences (the long-text path) spell the same words.
    assert "".join(w for s in text.sentences(old) for w in s) == "".join(text.words(old))


def test_long_versions_are_compared_sentence_by_sentence_in_bounded_windows(monkeypatch):
    """A 40-page plan (20 000 words) edited throughout: no word-by-word comparison is larger than BATCH_LIMIT, and
    all of them together look at a few times the text's length, so the work grows in step with the text (the
    single comparison it replaces took minutes)."""
    old = plan_text(20_000, seed=1)
    new = edited(old, seed=2)
    compared = []
    real = text._opcodes

    def counting(a, b):
        compared.append(len(a) + len(b))
        return real(a, b)

    monkeypatch.setattr(text, "_opcodes", counting)
    segments = text.diff_segments(old, new)

    assert len(text.words(old)) + len(text.words(new)) > text.WORD_LIMIT
    assert max(compared) <= text.BATCH_LIMIT
    assert sum(compared) <= 5 * (len(old.split()) + len(new.split()))
    assert sides(segments) == ("".join(text.words(old)), "".join(text.words(new)))
    changed = sum(len(t) for op, t in segments if op != "equal")
    assert changed < len(new) / 10  # still word-level marks, not the whole text removed and added


def test_short_versions_are_compared_word_by_word_in_one_go(monkeypatch):
    old = plan_text(200, seed=3)
    new = edited(old, seed=4)
    compared = []
    real = text._opcodes
    monkeypatch.setattr(text, "_opcodes", lambda a, b: compared.append(len(a) + len(b)) or real(a, b))
    text.diff_segments(old, new)
    assert compared == [len(text.words(old)) + len(text.words(new))]


def test_a_text_of_one_sentence_repeated_is_compared_in_windows(monkeypatch):
    old, new = "Ja. " * 20_000, "Ja. " * 10_000 + "Nej. " + "Ja. " * 10_000
    compared = []
    real = text._opcodes
    monkeypatch.setattr(text, "_opcodes", lambda a, b: compared.append(len(a) + len(b)) or real(a, b))
    assert text.word_diff(old, new).count("<ins>") == 1
    assert max(compared, default=0) <= text.BATCH_LIMIT
