"""Import of a Word document (.docx) as the sections of a governing document's first version (issue 13, item 2).

`docx_to_sections(data, filename=...)` converts the file with mammoth and cuts the HTML into sections: the top heading
level in use (Heading 1, or Heading 2 when there is no Heading 1, and so on) starts a section, with the heading's text
as its title; lower headings stay in the body as <h3> (the next level) and <h4> (all below). Text before the first
heading is the section "Inledning". A paragraph in the style Title is the document's title, else the file's name.

Each body is cleaned by core.text.sanitise, the one list of allowed tags: lists, tables, bold, italics and links
(http, https, mailto) stay; images go, and the result's messages say where. Footnotes and endnotes follow the
section that refers to them, as a numbered list matching the markers ([1], [2] …) left in its text. Keys are slugs of the titles, unique
within the document and at most KEY_LENGTH characters (Comment.section_key's length).

Any bytes give either a result or a ValidationError on "file" with a Swedish message: not a .docx, an old .doc, too
large, a packed part that unpacks too large (a zip bomb), or no text. Pure: no models, no database.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import mammoth
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from core.text import sanitise

MAX_BYTES = 10 * 1024 * 1024
# What the XML parts (text, styles, numbering, notes) may unpack to: a 300-page document's are a few MB; mammoth
# reads about 1 MB of XML in 3 seconds, so a larger limit would let one upload hold a worker for minutes.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
KEY_LENGTH = 40
TITLE_LENGTH = 300  # Document.title
INTRODUCTION = _lazy("Inledning")
FALLBACK_KEY = "avsnitt"

# --- Messages -----------------------------------------------------------------------------------------------------

NOT_DOCX = _lazy("Filen är inte ett Word-dokument (.docx). Spara dokumentet som .docx i Word och försök igen.")
OLD_DOC = _lazy(
    "Filen är ett äldre Word-dokument (.doc) eller skyddad med lösenord. Öppna den i Word, ta bort eventuellt "
    "lösenord, välj Spara som och formatet Word-dokument (.docx) och försök igen."
)
EMPTY_FILE = _lazy("Filen är tom. Välj Word-dokumentet (.docx) och försök igen.")
TOO_LARGE = _lazy(
    "Filen är större än 10 MB. Ta bort stora bilder ur dokumentet (bilder tas ändå inte med) och försök igen."
)
UNPACKS_TOO_LARGE = _lazy(
    "Dokumentet är för stort för att läsas in: texten i det packas upp till mer än 10 MB. Dela upp dokumentet "
    "eller kontrollera att det är rätt fil."
)
UNREADABLE = _lazy(
    "Word-dokumentet går inte att läsa, det kan vara skadat. Öppna det i Word, spara det på nytt som .docx och "
    "försök igen."
)
NO_TEXT = _lazy("Dokumentet innehåller ingen text.")

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and a .docx protected by a password
_ZIP_SIGNATURE = b"PK"
_XML_PART = re.compile(r"(?i)\.(xml|rels)$")

# The style Title (any Word language writes its name in English) marks the document's title.
_TITLE_CLASS = "shvo-title"
STYLE_MAP = f"""
p[style-name='Title'] => h1.{_TITLE_CLASS}:fresh
p[style-name='title'] => h1.{_TITLE_CLASS}:fresh
"""
_HEADING = re.compile(r"h([1-6])")
# Mammoth's notes: a marker <sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> in the text, and the notes
# as one <ol> at the end, each <li id="footnote-1"> ending with a link back (↑) that means nothing in the portal.
_NOTE_BACKLINK = re.compile(r'\s*<a href="#(?:footnote|endnote)-ref-[^"]*">[^<]*</a>')
_NOTES = re.compile(r'<ol><li id="(?:footnote|endnote)-')
_NOTE_ID = re.compile(r'<li id="((?:footnote|endnote)-[^"]*)">')
_NOTE_REFERENCE = re.compile(r'<a href="#((?:footnote|endnote)-[^"]*)" id="[^"]*">\[(\d+)\]</a>')
_IMAGE = re.compile(r"<img\b")
_SPACE = re.compile(r"\s+")


@dataclass
class ImportedSection:
    key: str
    title: str
    body: str  # sanitised HTML


@dataclass
class ImportResult:
    title: str
    sections: list[ImportedSection]
    messages: list[str] = field(default_factory=list)  # Swedish notes for the preview, each once


def docx_to_sections(data: bytes, *, filename: str = "") -> ImportResult:
    """The sections of a Word document, its title and what the preview should say about the conversion; a
    ValidationError on "file" for any file that is not a readable .docx with text."""
    html = _docx_to_html(data, filename)
    blocks, notes = _top_level_blocks(html)
    messages: list[str] = []
    title, blocks = _document_title(blocks)
    if not title:
        title = _file_stem(filename)
    if len(title) > TITLE_LENGTH:
        messages.append(_("Dokumentets titel var längre än %(n)d tecken och har kortats.") % {"n": TITLE_LENGTH})
        title = title[:TITLE_LENGTH].rstrip()
    sections = _sections(blocks, notes, messages)
    if not sections:
        raise ValidationError({"file": NO_TEXT})
    if len(sections) == 1 and not any(b.level for b in blocks):
        messages.append(
            _(
                "Dokumentet har inga rubriker i formatet Rubrik 1 eller Rubrik 2, så all text blev ett avsnitt. Ge "
                "avsnittens rubriker rubrikformat i Word om texten ska delas upp."
            )
        )
    return ImportResult(title=title, sections=sections, messages=list(dict.fromkeys(messages)))


# --- Reading the file ---------------------------------------------------------------------------------------------


def _docx_to_html(data: bytes, filename: str) -> str:
    """The document as mammoth's HTML (images as bare <img>), after the checks that keep a bad file out."""
    if not data:
        raise ValidationError({"file": EMPTY_FILE})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": TOO_LARGE})
    if data.startswith(_OLE_SIGNATURE):
        raise ValidationError({"file": OLD_DOC})
    if not data.startswith(_ZIP_SIGNATURE):
        raise ValidationError({"file": OLD_DOC if filename.lower().endswith(".doc") else NOT_DOCX})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ValidationError({"file": NOT_DOCX}) from None
    names = {part.filename for part in parts}
    if "word/document.xml" not in names and not any(n.startswith("word/document") for n in names):
        raise ValidationError({"file": NOT_DOCX})
    # The sizes in the zip's directory bound what zipfile unpacks (it stops there and checks the CRC).
    if sum(part.file_size for part in parts if _XML_PART.search(part.filename)) > MAX_UNPACKED_BYTES:
        raise ValidationError({"file": UNPACKS_TOO_LARGE})
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {}),  # never opened: images are dropped
        )
    except Exception:  # mammoth raises whatever its zip and XML readers raise on a broken file
        raise ValidationError({"file": UNREADABLE}) from None
    return str(result.value)


def _file_stem(filename: str) -> str:
    name = re.split(r"[\\/]", filename)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return _SPACE.sub(" ", stem).strip()


# --- Cutting into sections ----------------------------------------------------------------------------------------


@dataclass
class _Block:
    """One top-level element of mammoth's HTML: its markup, and for a heading its level and text."""

    html: str
    level: int = 0  # 1-6 for a heading, 0 for anything else
    text: str = ""
    is_title: bool = False


class _BlockParser(HTMLParser):
    """Finds where each top-level element of (well-formed, as mammoth writes it) HTML starts and ends."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "area", "base", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.spans: list[tuple[tuple[int, int], tuple[int, int], str, bool]] = []  # start, end, tag, is_title
        self._start: tuple[int, int] = (1, 0)
        self._tag = ""
        self._is_title = False

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self._start, self._tag = self.getpos(), tag
            self._is_title = (dict(attrs).get("class") or "") == _TITLE_CLASS
            if tag in self.VOID:
                self._close(self.getpos(), len(self.get_starttag_text() or ""))
                return
        if tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self._start, self._tag, self._is_title = self.getpos(), tag, False
            self._close(self.getpos(), len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag):
        if tag in self.VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            self._close(self.getpos(), len(f"</{tag}>"))

    def _close(self, at: tuple[int, int], length: int):
        self.spans.append((self._start, (at[0], at[1] + length), self._tag, self._is_title))


def _top_level_elements(html: str) -> list[tuple[str, str, bool]]:
    """Each top-level element of the HTML as (its markup, its tag, whether it is the Title paragraph)."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    line_starts = [0] + [m.end() for m in re.finditer("\n", html)]

    def offset(pos: tuple[int, int]) -> int:
        return line_starts[pos[0] - 1] + pos[1]

    return [(html[offset(start) : offset(end)], tag, is_title) for start, end, tag, is_title in parser.spans]


def _top_level_blocks(html: str) -> tuple[list[_Block], dict[str, str]]:
    """The document's blocks, and its footnotes and endnotes by id (mammoth lists them all at the end)."""
    blocks = []
    notes: dict[str, str] = {}
    for markup, tag, is_title in _top_level_elements(html):
        markup = _NOTE_BACKLINK.sub("", markup)
        if tag == "ol" and _NOTES.match(markup):
            for item, _tag, _title in _top_level_elements(_inner(markup)):
                if m := _NOTE_ID.match(item):
                    notes[m[1]] = _inner(item)
            continue
        heading = _HEADING.fullmatch(tag)
        text = _plain(markup) if heading or is_title else ""
        blocks.append(_Block(markup, int(heading[1]) if heading and not is_title else 0, text, is_title))
    return blocks, notes


def _with_notes(raw: str, notes: dict[str, str]) -> str:
    """A section's HTML with the notes it refers to after it, numbered as the markers in its text ([1], [2] …)."""
    lists: list[tuple[int, list[str]]] = []  # (start, items) for each run of consecutive numbers
    for note_id, number in _NOTE_REFERENCE.findall(raw):
        if note_id not in notes:
            continue
        if lists and lists[-1][0] + len(lists[-1][1]) == int(number):
            lists[-1][1].append(notes[note_id])
        else:
            lists.append((int(number), [notes[note_id]]))
    return raw + "".join(
        f'<ol start="{start}">' + "".join(f"<li>{item}</li>" for item in items) + "</ol>" for start, items in lists
    )


def _plain(markup: str) -> str:
    return _SPACE.sub(" ", unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _document_title(blocks: list[_Block]) -> tuple[str, list[_Block]]:
    """The text of the first Title paragraph with text, and the blocks without it (a later one is a paragraph)."""
    title = ""
    kept = []
    for block in blocks:
        if block.is_title and block.text and not title:
            title = block.text
        elif block.is_title:
            kept.append(_Block(f"<p>{_inner(block.html)}</p>"))
        else:
            kept.append(block)
    return title, kept


def _inner(markup: str) -> str:
    return re.sub(r"^<[^>]+>|</[^>]+>$", "", markup)


def _sections(blocks: list[_Block], notes: dict[str, str], messages: list[str]) -> list[ImportedSection]:
    top = min((b.level for b in blocks if b.level and b.text), default=0)
    titled: list[tuple[str, list[str]]] = []
    top_titled = bool(blocks) and blocks[0].level == top and bool(blocks[0].text)
    for block in blocks:
        if block.level == top and block.text:
            titled.append((block.text, []))
            continue
        if not titled:
            titled.append((str(INTRODUCTION), []))
        if block.level:  # a lower heading, or an empty one
            level = 3 if block.level == top + 1 else 4
            block_html = f"<h{level}>{_inner(block.html)}</h{level}>"
        else:
            block_html = block.html
        titled[-1][1].append(block_html)
    keys: set[str] = set()
    sections = []
    for position, (title, parts) in enumerate(titled):
        raw = "".join(parts)
        body = sanitise(_with_notes(raw, notes))
        skipped = position == 0 and not top_titled and not body and len(titled) > 1  # nothing before the 1st heading
        if images := len(_IMAGE.findall(raw)):
            messages.append(_images_dropped(images, "" if skipped else title))
        if skipped:
            continue
        if len(title) > TITLE_LENGTH:
            messages.append(
                _("Rubriken ”%(start)s …” var längre än %(n)d tecken och har kortats.")
                % {"start": title[:60], "n": TITLE_LENGTH}
            )
            title = title[:TITLE_LENGTH].rstrip()
        sections.append(ImportedSection(key=_unique_key(title, keys), title=title, body=body))
    if len(sections) == 1 and not sections[0].body and not top:
        return []
    return sections


def _images_dropped(count: int, title: str) -> str:
    if not title:
        return ngettext(
            "Bilden före den första rubriken togs inte med. Lägg in den som bilaga om den behövs.",
            "%(n)d bilder före den första rubriken togs inte med. Lägg in dem som bilagor om de behövs.",
            count,
        ) % {"n": count}
    return ngettext(
        "Bilden i avsnittet ”%(title)s” togs inte med. Lägg in den som bilaga om den behövs.",
        "%(n)d bilder i avsnittet ”%(title)s” togs inte med. Lägg in dem som bilagor om de behövs.",
        count,
    ) % {"title": title, "n": count}


def _unique_key(title: str, taken: set[str]) -> str:
    """A slug of the title (å, ä, ö as a, a, o), at most KEY_LENGTH characters, not in `taken`; added to it."""
    base = slugify(title)[:KEY_LENGTH].strip("-") or FALLBACK_KEY
    key, n = base, 1
    while key in taken:
        n += 1
        suffix = f"-{n}"
        key = base[: KEY_LENGTH - len(suffix)].rstrip("-") + suffix
    taken.add(key)
    return key
