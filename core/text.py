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
from functools import lru_cache
from html.parser import HTMLParser

import nh3

# The one list of tags rich text may keep, in plans, charters, minutes, comments and responses alike. Headings are h3
# and h4: the text always stands under the page's own h1 and a h2 (a plan's section, a meeting's agenda).
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# The attributes kept: a link's address, where a numbered list starts, how far a cell spans; and, restricted to
# their meaningful values, how a list counts (1, a, A, i, I) and what a header cell heads.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
ATTRIBUTE_VALUES = {"ol": {"type": {"1", "a", "A", "i", "I"}}, "th": {"scope": {"row", "col"}}}
LINK_SCHEMES = {"http", "https", "mailto"}  # relative links are dropped too: a PDF has no address to resolve them
LINK_REL = "noopener noreferrer"
_DROPPED_WITH_CONTENT = {"script", "style", "title", "xml", "noscript", "template"}
_NUMERIC = {"start", "colspan", "rowspan"}

# Tags written differently by Word and other editors, renamed before cleaning so their meaning survives.
_RENAMED = {"b": "strong", "i": "em", "h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}
_RENAME = re.compile(r"(?i)<(/?)(b|i|h[1256])(?=[\s/>])")
_BLOCK = "p|ul|ol|li|h3|h4|blockquote|table|caption|thead|tbody|tr|th|td"
_BETWEEN_BLOCKS = re.compile(rf"(</?(?:{_BLOCK})\b[^>]*>)\s+(?=</?(?:{_BLOCK})\b)")
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\xa0|<br>)*</p>")
_LINK_WITHOUT_ADDRESS = re.compile(rf'<a rel="{LINK_REL}">(.*?)</a>', re.S)
_HTML = re.compile(
    r"(?i)</?(?:p|br|ul|ol|li|h[1-6]|strong|em|b|i|u|a|table|tr|td|th|div|span|blockquote|font|o:p)(?:\s[^>]*)?/?>"
)
_ESCAPED = re.compile(r"&(?:amp|lt|gt|quot|#39|#x27|nbsp);")


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in _NUMERIC:
        return value if value.isdigit() and 0 < int(value) < 1000 else None
    return value


def looks_like_html(text: str) -> bool:
    """Whether a text holds markup (a tag rich text uses), as opposed to plain text typed without the editor."""
    return bool(_HTML.search(text or ""))


def sanitise(text: str) -> str:
    """Rich text as stored: HTML from the editor (or pasted from Word) cleaned to ALLOWED_TAGS, plain text typed
    without JavaScript made into paragraphs and lists (text_to_html). Word's markup goes: classes, styles, spans,
    <o:p>, comments and empty paragraphs; its headings, bold, italics, links, tables and lists stay (its lists are
    paragraphs with a typed bullet or number, and are made into real lists). Links keep only http, https and mailto
    addresses and get rel="noopener noreferrer". A text with nothing to read is empty."""
    if not text or not text.strip():
        return ""
    if looks_like_html(text):
        text = _word_lists(_RENAME.sub(lambda m: f"<{m[1]}{_RENAMED[m[2].lower()]}", text))
    else:
        text = text_to_html(text)
    clean = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES,
        attribute_filter=_attribute,
        url_schemes=LINK_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
    )
    clean = _LINK_WITHOUT_ADDRESS.sub(r"\1", _EMPTY_PARAGRAPH.sub("", _BETWEEN_BLOCKS.sub(r"\1", clean))).strip()
    return clean if html_to_text(clean) or "<table>" in clean else ""


_TABLE_START = re.compile(r"<table>")
SCROLLING_TABLE = '<div class="table-scroll" role="region" aria-label="Tabell" tabindex="0"><table>'


def stored_html(value: str) -> str:
    """A stored text as clean HTML: cleaned again (older texts were stored as typed), plain text as paragraphs and
    lists. Plain text that an earlier version stored escaped is read unescaped."""
    if not looks_like_html(value or "") and _ESCAPED.search(value or ""):
        value = html.unescape(value)
    return sanitise(value)


@lru_cache(maxsize=512)
def rich_html(value: str) -> str:
    """Stored rich text as shown on a page and in a PDF, the one way everywhere (the `rich` template filter):
    stored_html, with each table in a box of its own that scrolls sideways on a narrow screen (focusable, so it
    scrolls from the keyboard too). Cached: the same text is shown on many pages."""
    clean = stored_html(value)
    return (
        _TABLE_START.sub(SCROLLING_TABLE, clean).replace("</table>", "</table></div>") if "<table>" in clean else clean
    )


# Word's list paragraphs: <p class=MsoListParagraph style='mso-list:l0 level1 lfo1'> with the bullet or number typed
# in a span marked mso-list:Ignore, inside a conditional comment (<![if !supportLists]> ... <![endif]>).
_WORD_LIST_PARAGRAPH = re.compile(r"(?is)<p\b[^>]*?mso-list:\s*l\d+\s+level(?P<level>\d+)[^>]*>(?P<body>.*?)</p\s*>")
_WORD_CONDITIONAL = re.compile(r"(?is)^(?P<marker>.*?)(?:<!\[endif\]>|<!--\[endif\]-->)")
_WORD_IGNORE = re.compile(r"(?is)<span\b[^>]*mso-list:\s*Ignore[^>]*>")
_SPAN_TAG = re.compile(r"(?i)<(/?)span\b[^>]*>")


def _word_marker(body: str) -> tuple[str, str]:
    """The typed bullet or number of a Word list paragraph, and the paragraph's text without it."""
    if re.search(r"(?i)supportLists", body) and (m := _WORD_CONDITIONAL.search(body)):
        return _marker_text(m["marker"]), body[m.end() :]
    if start := _WORD_IGNORE.search(body):
        depth = 0
        for tag in _SPAN_TAG.finditer(body, start.start()):
            depth += -1 if tag[1] else 1
            if depth == 0:
                return _marker_text(body[start.start() : tag.end()]), body[: start.start()] + body[tag.end() :]
    return "", body


def _marker_text(markup: str) -> str:
    return html.unescape(_PLAIN_TAG.sub("", re.sub(r"(?s)<!--.*?-->|<!\[[^\]]*\]>", "", markup))).strip(" \xa0\t\n")


def _list_kind(marker: str) -> tuple[str, str, int]:
    """("ul" or "ol", the ol's type, the number the marker stands for)."""
    if m := re.fullmatch(r"\(?(\d{1,3})[.):]?", marker):
        return "ol", "1", int(m[1])
    if m := re.fullmatch(r"\(?([a-zA-Z])[.)]", marker):
        return "ol", "a" if m[1].islower() else "A", ord(m[1].lower()) - 96
    return "ul", "", 1


def _word_lists(text: str) -> str:
    """Runs of Word list paragraphs as nested <ul>/<ol> lists (by their level); other markup as it was."""
    if "mso-list" not in text:
        return text
    out: list[str] = []
    lists = _Lists(out)
    pos = 0
    for m in _WORD_LIST_PARAGRAPH.finditer(text):
        between = text[pos : m.start()]
        if between.strip():
            lists.close_to(-1)
        out.append(between)
        marker, body = _word_marker(m["body"])
        lists.item(int(m["level"]), *_list_kind(marker), body.strip())
        pos = m.end()
    lists.close_to(-1)
    out.append(text[pos:])
    return "".join(out)


class _Lists:
    """Open lists, nested by depth (a Word level or a line's indentation); writes <ul>/<ol> and <li> to `out`."""

    def __init__(self, out: list[str]):
        self.out, self.open = out, []  # open: [(depth, tag, type)]

    def item(self, depth: int, tag: str, kind: str, number: int, body: str) -> None:
        self.close_to(depth)
        if self.open and self.open[-1][0] == depth:
            if self.open[-1][1:] == (tag, kind):
                self.out.append("</li>")
            else:
                self.close_to(depth, inclusive=True)
        if not self.open or self.open[-1][0] < depth:
            attrs = f' type="{kind}"' if tag == "ol" and kind != "1" else ""
            attrs += f' start="{number}"' if tag == "ol" and number != 1 else ""
            self.out.append(f"<{tag}{attrs}>")
            self.open.append((depth, tag, kind))
        self.out.append("<li>" + body)

    def close_to(self, depth: int, inclusive: bool = False) -> None:
        """Close the lists deeper than `depth` (and, inclusive, the one at it)."""
        while self.open and self.open[-1][0] > depth:
            self.out.append(f"</li></{self.open.pop()[1]}>")
        if inclusive and self.open and self.open[-1][0] == depth:
            self.out.append(f"</li></{self.open.pop()[1]}>")

    def continuation(self, markup: str) -> None:
        self.out.append(markup)


_PLAIN_BLOCK_END = re.compile(r"(?i)</(p|li|h3|h4|tr|th|td|caption|blockquote|table|ul|ol)>")
_PLAIN_BR = re.compile(r"(?i)<br\s*/?>")
_PLAIN_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str) -> str:
    """HTML as plain text: a blank line between blocks, a line break for <br>, entities decoded."""
    text = _PLAIN_TAG.sub("", _PLAIN_BLOCK_END.sub("\n\n", _PLAIN_BR.sub("\n", value or "")))
    text = html.unescape(text).replace("\r\n", "\n")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


# Plain-text list lines: "- ", "* ", "• " bullets; "1." or "1)" numbers; "a)" letters (and "a." in lower case: an
# initial such as "A. Berg" starts no list).
_BULLET_LINE = re.compile(r"(?P<indent>[ \t]*)[-*•·–](?:[ \t]+)(?P<text>\S.*)")
_NUMBER_LINE = re.compile(r"(?P<indent>[ \t]*)(?P<n>\d{1,3})[.)][ \t]+(?P<text>\S.*)")
_LETTER_LINE = re.compile(r"(?P<indent>[ \t]*)(?:(?P<l>[a-zA-Z])\)|(?P<d>[a-z])\.)[ \t]+(?P<text>\S.*)")
_URL = re.compile(r"\bhttps?://[^\s<>\"']+")


def linkify(text: str) -> str:
    """Plain text escaped, with its web addresses (http, https) as links."""
    out, pos = [], 0
    for m in _URL.finditer(text):
        url = m[0].rstrip(".,;:!?")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        out.append(html.escape(text[pos : m.start()]))
        out.append(f'<a href="{html.escape(url)}" rel="{LINK_REL}">{html.escape(url)}</a>')
        pos = m.start() + len(url)
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _list_line(line: str) -> tuple[int, str, str, int, str] | None:
    """(indentation, "ul"/"ol", the ol's type, number, text) of a list line; None for other lines."""
    if m := _BULLET_LINE.fullmatch(line):
        return len(m["indent"].expandtabs(4)), "ul", "", 1, m["text"]
    if m := _NUMBER_LINE.fullmatch(line):
        return len(m["indent"].expandtabs(4)), "ol", "1", int(m["n"]), m["text"]
    if m := _LETTER_LINE.fullmatch(line):
        letter = m["l"] or m["d"]
        return (
            len(m["indent"].expandtabs(4)),
            "ol",
            "a" if letter.islower() else "A",
            ord(letter.lower()) - 96,
            m["text"],
        )
    return None


def text_to_html(value: str) -> str:
    """Plain text as HTML, everything escaped and web addresses linked: paragraphs at blank lines, <br> at single
    line breaks, and lines that start with "- " (or "* ", "• "), a number ("1.", "2)") or a letter ("a)", "b.") as
    bulleted, numbered and lettered lists, nested by indentation; an indented line under an item continues it."""
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", (value or "").replace("\r\n", "\n").replace("\r", "\n")):
        lists, paragraph = _Lists(out), []
        for line in block.rstrip().split("\n"):
            if not line.strip():
                continue
            if item := _list_line(line.rstrip()):
                if paragraph:
                    out.append("<p>" + "<br>".join(paragraph) + "</p>")
                    paragraph = []
                depth, tag, kind, number, text = item
                lists.item(depth, tag, kind, number, linkify(text.strip()))
            elif lists.open and line[:1].isspace():
                lists.continuation("<br>" + linkify(line.strip()))
            else:
                lists.close_to(-1)
                paragraph.append(linkify(line.strip()))
        if paragraph:
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
        lists.close_to(-1)
    return "".join(out)


def html_to_plain(value: str) -> str:
    """Rich text as someone without the editor would type it: the reverse of text_to_html (blank lines between
    paragraphs, "- " bullets, "1." numbers, "a)" letters, nested items indented). Formatting plain text cannot hold
    (headings, bold, tables, a link whose text is not its address) is dropped: see `plain_if_lossless`."""
    parser = _PlainWriter()
    parser.feed(value or "")
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.out)).strip()


def plain_if_lossless(value: str) -> str | None:
    """The text as plain text when typing that plain text back gives the same rich text; otherwise None."""
    clean = sanitise(value)
    plain = html_to_plain(clean)
    return plain if sanitise(plain) == clean else None


class _PlainWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # [tag, type, next number]

    def _break(self, blank: bool = True) -> None:
        if self.out and not self.out[-1].endswith("\n\n" if blank else "\n"):
            self.out.append("\n\n" if blank and not self.lists else "\n")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("p", "h3", "h4", "blockquote", "table", "tr", "caption"):
            self._break(not self.lists)
        elif tag in ("ul", "ol"):
            self._break(not self.lists)
            start = a.get("start") or "1"
            self.lists.append([tag, a.get("type") or "1", int(start) if start.isdigit() else 1])
        elif tag == "li" and self.lists:
            self._break(False)
            current = self.lists[-1]
            indent = "   " * (len(self.lists) - 1)
            if current[0] == "ul":
                marker = "- "
            elif current[1] in ("a", "A"):
                letter = chr(96 + current[2]) if 0 < current[2] <= 26 else "?"
                marker = (letter if current[1] == "a" else letter.upper()) + ") "
            else:
                marker = f"{current[2]}. "
            current[2] += 1
            self.out.append(indent + marker)
        elif tag == "br":
            self.out.append("\n" + ("   " * len(self.lists) if self.lists else ""))
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(not self.lists)
        elif tag in ("p", "h3", "h4", "blockquote", "table", "caption"):
            self._break(not self.lists)

    def handle_data(self, data):
        self.out.append(data.replace("\n", " "))


def is_blank(value: str) -> bool:
    """No words at all: empty, only space, or only tags (an editor's empty "<p><br></p>") and non-breaking spaces."""
    return not html_to_text(value).strip()


# Words and spaces (both versions together) of a short text, compared word by word in one go (< 0.05 s).
WORD_LIMIT = 1000
# Words (each with the space after it) of a long text's changed sentences compared at a time (< 0.02 s).
BATCH_LIMIT = 600

_TAG = re.compile(r"<[^>]+>")
# A Swedish number written with thousands spaces (normal, no-break or narrow no-break: "7 746 000 kr") is one word,
# so a changed amount is marked whole, never "7 746 <del>000</del>"; what is glued to it ("(7 746 000)") goes with it.
_NUMBER = r"[^\s\d]*\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+\S*"
_TOKEN = re.compile(rf"{_NUMBER}|\S+|\s+")
_WORD_AND_SPACE = re.compile(rf"(?:{_NUMBER}|\S+)\s*|\s+")  # only a leading space stands alone
_SPACED_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+")
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
        shown = keep_numbers_whole(html.escape(text))
        if op == "equal":
            out.append(shown)
        elif op == "delete":
            out.append(f"<del>{shown}</del>")
        else:
            out.append(f"<ins>{shown}</ins>")
    return "".join(out)


def keep_numbers_whole(escaped: str) -> str:
    """Escaped text with each number written with thousands spaces kept on one line (class "nowrap" in
    static/css/shvo.css): a changed amount is never wrapped as "7 746|000" either."""
    return _SPACED_NUMBER.sub(lambda m: f'<span class="nowrap">{m.group()}</span>', escaped)


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


def genitive(name: str) -> str:
    """A name in the Swedish genitive: "SHVO:s" after an abbreviation (ending in a capital or a digit), nothing
    added after s, x or z ("Borås"), else an s ("Fyrbodals", "Vårdsamverkan Västra Götalands")."""
    name = name.strip()
    if not name:
        return name
    last = name[-1]
    if last.isupper() or last.isdigit():
        return f"{name}:s"
    if last.lower() in "sxz":
        return name
    return f"{name}s"
