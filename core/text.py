"""Text helpers: sanitising rich text with one allowed-tag list, converting between HTML and plain text, and the
word-level difference between two versions of a text, in bounded time.

`sanitise(html)` cleans what the editor sends to ALLOWED_TAGS (no scripts, styles, event handlers; links keep only
href and get rel="noopener noreferrer"). `text_to_html` turns plain text (paragraphs separated by a blank line) into
that HTML; `html_to_text` is the reverse, for editing as plain text and for comparing quotes.

`word_diff(old, new)` is the new text with removed words in <del> and added words in <ins>, escaped and safe to
show; tags are dropped (each counts as a space) and entities decoded. Comparing word by word (difflib) costs about
the cube of the length (10 000 words: most of a minute), so only short texts (WORD_LIMIT words and spaces) are
compared that way in one go. A longer text is compared sentence by sentence first (the end of a paragraph, item,
heading, cell or line ends a sentence too), and only the sentences that changed are compared word by word, in
windows of at most BATCH_LIMIT words. A 20 000-word text then takes a fraction of a second.
"""

import difflib
import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import nh3

# The one list of tags rich text may keep, in plans, minutes, comments and responses alike.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote",
}  # fmt: skip


def sanitise(text: str) -> str:
    """Rich text from the browser, cleaned to the allowed subset."""
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


_PLAIN_BLOCK_END = re.compile(r"(?i)</(p|li|h3|h4|tr|blockquote|table|ul|ol)>")
_PLAIN_BR = re.compile(r"(?i)<br\s*/?>")
_PLAIN_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str) -> str:
    """HTML as plain text: a blank line between blocks, a line break for <br>, entities decoded."""
    text = _PLAIN_TAG.sub("", _PLAIN_BLOCK_END.sub("\n\n", _PLAIN_BR.sub("\n", value or "")))
    text = html.unescape(text).replace("\r\n", "\n")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def text_to_html(value: str) -> str:
    """Plain text as HTML: paragraphs at blank lines, <br> at single line breaks, everything escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (value or "").replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


def is_blank(value: str) -> bool:
    """No words at all: empty, only space, or only tags (an editor's empty "<p><br></p>") and non-breaking spaces."""
    return not html_to_text(value).strip()


# Words and spaces (both versions together) of a short text, compared word by word in one go (< 0.05 s).
WORD_LIMIT = 1000
# Words (each with the space after it) of a long text's changed sentences compared at a time (< 0.02 s).
BATCH_LIMIT = 600

_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r"\S+|\s+")
_WORD_AND_SPACE = re.compile(r"\S+\s*|\s+")  # only a leading space stands alone
_BLOCK_END = re.compile(r"(?i)</(?:p|li|h[1-6]|tr|th|td|blockquote|table|ul|ol|div|pre)\s*>|<br\s*/?>")
_SENTENCE_END = re.compile(r"[.!?:;]\s+$|\n")

Segment = tuple[str, str]  # ("equal" | "delete" | "insert", text)
Opcode = tuple[str, int, int, int, int]  # difflib's: (operation, a from, a to, b from, b to)


def words(text: str) -> list[str]:
    """The words and the runs of space between them, with tags dropped (each as a space) and entities decoded."""
    return _TOKEN.findall(html.unescape(_TAG.sub(" ", text or "")))


def word_diff(old: str, new: str) -> str:
    """HTML of the new text with removed words in <del> and added words in <ins> (escaped, safe to show)."""
    out = []
    for op, text in diff_segments(old, new):
        if op == "equal":
            out.append(html.escape(text))
        elif op == "delete":
            out.append(f"<del>{html.escape(text)}</del>")
        else:
            out.append(f"<ins>{html.escape(text)}</ins>")
    return "".join(out)


def diff_segments(old: str, new: str) -> list[Segment]:
    """The difference as (operation, text) pieces: the equal and deleted pieces spell the old text, the equal and
    inserted pieces the new one; neighbouring pieces never share an operation."""
    a, b = words(old), words(new)
    if len(a) + len(b) <= WORD_LIMIT:
        return _merged(_compare(a, b))
    return _merged(_by_sentence(sentences(old), sentences(new)))


def sentences(text: str) -> list[tuple[str, ...]]:
    """The text as sentences of words, each word with the space after it (spaces match each other everywhere and
    would make the comparison slow). Joined, they spell `words(text)`."""
    units: list[tuple[str, ...]] = []
    for chunk in _blocks(text or ""):
        current: list[str] = []
        for word in _WORD_AND_SPACE.findall(html.unescape(_TAG.sub(" ", chunk))):
            current.append(word)
            if _SENTENCE_END.search(word):
                units.append(tuple(current))
                current = []
        if current:
            units.append(tuple(current))
    return units


def _blocks(text: str) -> Iterator[str]:
    # Cut right after a closing block tag: no tag or entity spans a cut, so the pieces' words spell the whole.
    start = 0
    for match in _BLOCK_END.finditer(text):
        yield text[start : match.end()]
        start = match.end()
    yield text[start:]


def _compare(a: list[str], b: list[str], opcodes: Sequence[Opcode] | None = None) -> Iterator[Segment]:
    """Word by word; every comparison of words goes through here."""
    for op, i1, i2, j1, j2 in opcodes if opcodes is not None else _opcodes(a, b):
        if op == "equal":
            yield "equal", "".join(a[i1:i2])
        if op in ("delete", "replace"):
            yield "delete", "".join(a[i1:i2])
        if op in ("insert", "replace"):
            yield "insert", "".join(b[j1:j2])


def _opcodes(a: list[str], b: list[str]) -> Sequence[Opcode]:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _by_sentence(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> Iterator[Segment]:
    # Sentences are nearly all unique, so this is fast; one repeated throughout (over 1 %) cannot anchor a match.
    # A text of a few sentences repeated over and over is compared in windows of words straight away.
    if _pairs(a, b) > 50 * (len(a) + len(b)):
        yield from _changed(list(_flat(a)), list(_flat(b)))
        return
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=True).get_opcodes():
        if op == "equal":
            yield "equal", "".join(_flat(a[i1:i2]))
        elif op == "delete":
            yield "delete", "".join(_flat(a[i1:i2]))
        elif op == "insert":
            yield "insert", "".join(_flat(b[j1:j2]))
        else:
            yield from _changed(list(_flat(a[i1:i2])), list(_flat(b[j1:j2])))


def _pairs(a: list, b: list) -> int:
    """How many pairs of equal elements the sentence comparison looks at (one for each match it could start at)."""
    counts = Counter(b)
    limit = len(b) // 100 + 1 if len(b) >= 200 else len(b)  # difflib's "popular" elements are skipped
    return sum(n for n in map(counts.get, a) if n and n <= limit)


def _changed(a: list[str], b: list[str]) -> Iterator[Segment]:
    """Changed sentences, word by word in windows of BATCH_LIMIT words (half from each side). What follows a
    window's last match is compared again in the next window, so the sides stay in step however much one grew;
    each window moves on by at least a quarter of BATCH_LIMIT, so the work grows in step with the length."""
    i = j = 0
    half = BATCH_LIMIT // 2
    while True:
        start = i
        while i < len(a) and j < len(b) and a[i] == b[j]:  # what did not change costs one look
            i, j = i + 1, j + 1
        yield "equal", "".join(a[start:i])
        window_a, window_b = a[i : i + half], b[j : j + half]
        ops = _opcodes(window_a, window_b)
        last = i + half >= len(a) and j + half >= len(b)
        if not last:
            matches = [n for n, op in enumerate(ops) if op[0] == "equal"]
            if matches and sum(ops[matches[-1]][2::2]) >= (len(window_a) + len(window_b)) // 2:
                ops = ops[: matches[-1] + 1]
        yield from _compare(window_a, window_b, ops)
        if last:
            return
        i, j = i + ops[-1][2], j + ops[-1][4]


def _flat(units: Iterable[tuple[str, ...]]) -> Iterator[str]:
    for unit in units:
        yield from unit


def _merged(segments: Iterable[Segment]) -> list[Segment]:
    result: list[Segment] = []
    for op, text in segments:
        if text and result and result[-1][0] == op:
            result[-1] = (op, result[-1][1] + text)
        elif text:
            result.append((op, text))
    return result
