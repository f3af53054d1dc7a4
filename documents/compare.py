"""Two versions of a governing document compared section by section: which sections were changed, added, removed,
moved or renamed, and each section's text with exactly the changed words marked (side by side and inline), where a
passage taken out in one place and put back in another is marked as moved rather than as removed and added.

Pure functions over DocumentVersion.content["sections"] ([{"key", "title", "body"}]); no database. The words are
compared by core.text.diff_segments over each body as plain text (core.text.html_to_text): tags cannot be kept
around a difference safely, so the text is shown as paragraphs, one <p> per block of the original. A section whose
body is the same costs one conversion and no comparison, and of a changed body only the paragraphs from the first
to the last that differ are compared word by word; a section's HTML is written when it is first shown.

versions_compared(old, new) is compare_sections of two DocumentVersions, kept (core.kept) by their pks: a version
never changes, so neither does a comparison of two of them (COMPARE_VERSION names this module's way of comparing).
"""

import html
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.kept import kept_large
from core.text import diff_segments, html_to_text, keep_numbers_whole, sentences

# Part of the key of a kept comparison: raise it when a change here changes what a comparison of two versions shows.
COMPARE_VERSION = 1

UNCHANGED, CHANGED, ADDED, REMOVED, MOVED = "unchanged", "changed", "added", "removed", "moved"
STATUS_LABELS = {
    UNCHANGED: "Oförändrat",
    CHANGED: "Ändrat",
    ADDED: "Nytt avsnitt",
    REMOVED: "Borttaget avsnitt",
    MOVED: "Flyttat",
}
# The badge colour of each status (components/status_badge.html: badge-<value>), as on the plan's comparison page.
_BADGE_VALUES = {UNCHANGED: "closed", CHANGED: "paused", ADDED: "active", REMOVED: "paused", MOVED: "paused"}
MOVED_LABEL = "Flyttat"  # the title of a moved passage's <del> and <ins>
MIN_MOVED_WORDS = 5  # a shorter passage (a heading, "Se ovan.") found elsewhere is as likely chance as a move
# A sentence inserted in more places than this is boilerplate: only its first places are tried as a moved passage's
# new place, so repeated sentences cost a bounded look each instead of one per place (never quadratic).
MAX_MOVE_PLACES = 8

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BLANK_LINE = "\n\n"  # html_to_text's paragraph break (never three newlines, no space around it)


@dataclass
class SectionComparison:
    """One section of either version: how it changed and its text with the changes marked (safe HTML, written the
    first time it is asked for: the page never shows an unchanged section's text)."""

    key: str
    title: str
    old_title: str
    status: str  # UNCHANGED, CHANGED, ADDED, REMOVED or MOVED (a moved section may be changed too: see `changed`)
    changed: bool  # the text or the title differs
    moved: bool  # its place among the sections both versions have changed
    old_position: int | None  # 1-based place in the old version's sections; None for an added section
    new_position: int | None  # 1-based place in the new version's sections; None for a removed section
    fragments: list[tuple[str, str, bool]]  # (operation, plain text, moved): what the HTML is written from
    moved_passages: list[str] = field(default_factory=list)  # plain text moved out of or into this section

    @cached_property
    def inline_html(self) -> SafeString:
        """One text with both versions' words: removed in <del>, added in <ins>."""
        return _html(self.fragments)

    @cached_property
    def old_html(self) -> SafeString:
        """The old text, removed words in <del>."""
        if not self._differs:
            return self.inline_html  # one text: written once, not three times
        return _html(f for f in self.fragments if f[0] != "insert")

    @cached_property
    def new_html(self) -> SafeString:
        """The new text, added words in <ins>."""
        if not self._differs:
            return self.inline_html
        return _html(f for f in self.fragments if f[0] != "delete")

    @property
    def _differs(self) -> bool:
        return any(op != "equal" for op, _text, _moved in self.fragments)

    @property
    def label(self) -> str:
        """The status in Swedish, for the badge."""
        if self.moved and self.changed:
            return "Flyttat och ändrat"
        return STATUS_LABELS[self.status]

    @property
    def badge_value(self) -> str:
        return _BADGE_VALUES[self.status]

    @property
    def renamed(self) -> bool:
        """Both versions have the section, under different headings."""
        return bool(self.old_title) and self.status not in (ADDED, REMOVED) and self.old_title != self.title

    @property
    def text_changed(self) -> bool:
        """Words of the text (not only the title or the place) differ, or only one version has the section."""
        return self.status in (ADDED, REMOVED) or any(
            op != "equal" and text.strip() for op, text, _moved in self.fragments
        )

    @property
    def is_added(self) -> bool:
        return self.status == ADDED

    @property
    def is_removed(self) -> bool:
        return self.status == REMOVED

    @property
    def is_unchanged(self) -> bool:
        return self.status == UNCHANGED


@dataclass
class _Piece:
    """A piece of core.text.diff_segments with where it starts in the old and the new plain text (-1: not there)."""

    op: str
    text: str
    old_start: int
    new_start: int


@dataclass
class _Pair:
    old: dict | None
    new: dict | None
    old_index: int | None
    new_index: int | None
    pieces: list[_Piece]
    moved: bool = False
    moved_old: list[tuple[int, int]] = field(default_factory=list)  # spans of the old text marked as moved
    moved_new: list[tuple[int, int]] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)


def compare_sections(old: Sequence[dict], new: Sequence[dict]) -> list[SectionComparison]:
    """Each section of both versions, in the new version's order with the removed sections where they stood in the
    old one. Sections are the same section when their keys are equal, or else (a key that changed) their titles."""
    pairs = _matched(list(old or []), list(new or []))
    _mark_moved_sections(pairs)
    _mark_moved_passages(pairs)
    return [_comparison(p) for p in _in_order(pairs)]


def versions_compared(old, new) -> list[SectionComparison]:
    """compare_sections of two DocumentVersions (old first), kept by their pks: versions never change, so the rows
    are computed once per worker. The rows are shared between requests: read them, never change them."""
    key = f"compare:{COMPARE_VERSION}:{old.pk}:{new.pk}"
    return kept_large(key, lambda: compare_sections(_sections(old), _sections(new)))


def rendered(old, new, view: str) -> dict:
    """Two versions compared (versions_compared) and rendered as the comparison page shows them, side by side or
    inline (`view`), with the summary: kept by the versions' pks and the view, as the rows are."""

    def build() -> dict:
        rows = versions_compared(old, new)
        html = render_to_string("documents/_section_compare.html", {"old": old, "new": new, "rows": rows, "view": view})
        return {"comparison": html, "summary": summary(rows)}

    return kept_large(f"compare-html:{COMPARE_VERSION}:{old.pk}:{new.pk}:{view}", build)


def _sections(version) -> list[dict]:
    sections = (version.content or {}).get("sections") if isinstance(version.content, dict) else None
    return sections if isinstance(sections, list) else []


def summary(rows: Iterable[SectionComparison]) -> dict[str, int]:
    """How many sections were changed, added, removed, moved and left unchanged. A section both moved and changed
    counts as both; unchanged means neither."""
    counts = dict.fromkeys(("changed", "added", "removed", "moved", "unchanged"), 0)
    for row in rows:
        if row.status in (ADDED, REMOVED):
            counts[row.status] += 1
            continue
        counts["changed"] += row.changed
        counts["moved"] += row.moved
        counts["unchanged"] += not (row.changed or row.moved)
    return counts


def body_segments(old_body: str, new_body: str) -> list[tuple[str, str]]:
    """core.text.diff_segments of two bodies as plain text: the equal and deleted pieces spell html_to_text(old),
    the equal and inserted pieces html_to_text(new). Only the paragraphs from the first to the last that differ are
    compared word by word; the paragraphs before and after them are equal pieces."""
    if (old_body or "") == (new_body or ""):  # most sections of a revision: one conversion, no comparison
        text = html_to_text(old_body or "")
        return [("equal", text)] if text else []
    old_text, new_text = html_to_text(old_body or ""), html_to_text(new_body or "")
    if old_text == new_text:
        return [("equal", old_text)] if old_text else []
    head, tail = _common_paragraphs(old_text, new_text)
    old_mid, new_mid = old_text[head : len(old_text) - tail], new_text[head : len(new_text) - tail]
    # Escaped, so that diff_segments reads a "<" in the text as a character and not as the start of a tag.
    middle = diff_segments(html.escape(old_mid, quote=False), html.escape(new_mid, quote=False))
    pieces: list[tuple[str, str]] = []
    for op, text in [("equal", old_text[:head]), *middle, ("equal", old_text[len(old_text) - tail :])]:
        if text and pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        elif text:
            pieces.append((op, text))
    return pieces


def _common_paragraphs(old: str, new: str) -> tuple[int, int]:
    """The lengths of the longest start and end the two texts share that are whole paragraphs (the start ending
    with its blank line, the end beginning with one), not overlapping in either text."""
    cut = old.rfind(_BLANK_LINE, 0, _shared(old, new, lambda t, k: t[:k], min(len(old), len(new))))
    head = cut + len(_BLANK_LINE) if cut >= 0 else 0
    m = _shared(old, new, lambda t, k: t[len(t) - k :], min(len(old), len(new)) - head)
    at = old.find(_BLANK_LINE, len(old) - m) if m else -1
    return head, (len(old) - at if at >= 0 else 0)


def _shared(a: str, b: str, part, limit: int) -> int:
    """The largest k <= limit with part(a, k) == part(b, k) (a start or an end), by halving: slices compare fast."""
    lo, hi = 0, max(limit, 0)
    while lo < hi:
        k = (lo + hi + 1) // 2
        if part(a, k) == part(b, k):
            lo = k
        else:
            hi = k - 1
    return lo


# --- matching the sections ----------------------------------------------------------------------


def _text(section: dict, name: str) -> str:
    value = section.get(name) if isinstance(section, dict) else None
    return value if isinstance(value, str) else ""


def _matched(old: list[dict], new: list[dict]) -> list[_Pair]:
    """Pairs by key, then by title among the sections left; then the sections only one version has."""
    partner: dict[int, int] = {}  # new index → old index
    by_key: dict[str, int] = {}
    for i, section in enumerate(old):
        by_key.setdefault(_text(section, "key"), i)
    by_key.pop("", None)
    taken: set[int] = set()
    for j, section in enumerate(new):
        i = by_key.get(_text(section, "key"), -1)
        if i >= 0 and i not in taken:
            partner[j] = i
            taken.add(i)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, section in enumerate(old):
        if i not in taken and _text(section, "title"):
            by_title[_text(section, "title")].append(i)
    for j, section in enumerate(new):
        if j not in partner and by_title.get(_text(section, "title")):
            partner[j] = by_title[_text(section, "title")].pop(0)
            taken.add(partner[j])
    pairs = [
        _pair(old[partner[j]] if j in partner else None, section, partner.get(j), j) for j, section in enumerate(new)
    ]
    pairs += [_pair(section, None, i, None) for i, section in enumerate(old) if i not in taken]
    return pairs


def _pair(old: dict | None, new: dict | None, old_index: int | None, new_index: int | None) -> _Pair:
    segments = body_segments(_text(old or {}, "body"), _text(new or {}, "body"))
    pieces, a, b = [], 0, 0
    for op, text in segments:
        pieces.append(_Piece(op, text, a if op != "insert" else -1, b if op != "delete" else -1))
        a += len(text) if op != "insert" else 0
        b += len(text) if op != "delete" else 0
    return _Pair(old, new, old_index, new_index, pieces)


def _mark_moved_sections(pairs: list[_Pair]) -> None:
    """The sections both versions have, outside the longest run that kept its order: those are the ones moved (one
    section moved far is one move, not every section it passed)."""
    common = sorted((p for p in pairs if p.old is not None and p.new is not None), key=lambda p: p.new_index or 0)
    kept = _longest_increasing([p.old_index or 0 for p in common])
    for n, pair in enumerate(common):
        pair.moved = n not in kept


def _longest_increasing(values: list[int]) -> set[int]:
    """The positions of one longest strictly increasing subsequence of `values` (patience sorting)."""
    tails: list[int] = []  # tails[k]: the smallest last value of an increasing run of length k + 1
    tail_at: list[int] = []  # ... and its position
    before: list[int] = [-1] * len(values)
    for n, value in enumerate(values):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = value, n
        before[n] = tail_at[k - 1] if k else -1
    kept, n = set(), tail_at[-1] if tail_at else -1
    while n >= 0:
        kept.add(n)
        n = before[n]
    return kept


def _in_order(pairs: list[_Pair]) -> list[_Pair]:
    """The new version's order; a removed section after the nearest section before it in the old version that both
    versions have and that did not move (at the top when there is none)."""
    new_index_of = {p.old_index: p.new_index for p in pairs if p.new is not None and p.old is not None and not p.moved}
    placed = []
    anchor = -1
    for pair in sorted((p for p in pairs if p.old is not None), key=lambda p: p.old_index or 0):
        if pair.new is None:
            placed.append(((anchor, 1, pair.old_index or 0), pair))
        elif pair.old_index in new_index_of:
            anchor = new_index_of[pair.old_index] or 0
    placed += [((p.new_index or 0, 0, 0), p) for p in pairs if p.new is not None]
    return [pair for _key, pair in sorted(placed, key=lambda item: item[0])]


# --- moved passages -----------------------------------------------------------------------------


@dataclass
class _Sentence:
    pair: int
    number: int  # its place among the sentences of its side of the pair's text
    start: int
    end: int
    words: tuple[str, ...]


def _side_text(pieces: list[_Piece], side: str) -> str:
    return "".join(p.text for p in pieces if p.op in ("equal", side))


def _wholly_changed(pieces: list[_Piece], side: str) -> list[_Sentence]:
    """The sentences of one side (delete: the old text, insert: the new) every word of which changed, numbered by
    their place among all the side's sentences, so that neighbours can be told."""
    text = _side_text(pieces, side)
    kept = [
        (p.old_start if side == "delete" else p.new_start, p.text) for p in pieces if p.op == "equal" and p.text.strip()
    ]
    found, start, k = [], 0, 0
    for number, sentence in enumerate(sentences(html.escape(text, quote=False))):
        end = start + sum(map(len, sentence))
        while k < len(kept) and kept[k][0] + len(kept[k][1]) <= start:
            k += 1
        touched, j = False, k
        while not touched and j < len(kept) and kept[j][0] < end:
            at, equal = kept[j]
            touched, j = bool(text[max(at, start) : min(at + len(equal), end)].strip()), j + 1
        words = tuple(w.strip() for w in sentence if w.strip())
        if words and not touched:
            found.append(_Sentence(-1, number, start, end, words))
        start = end
    return found


def _mark_moved_passages(pairs: list[_Pair]) -> None:
    """Runs of whole sentences (together at least MIN_MOVED_WORDS words) deleted in one place and inserted, word for
    word, in another (in the same section or another one), marked as moved on both sides."""
    deleted: list[list[_Sentence]] = []
    inserted: dict[tuple[int, int], _Sentence] = {}  # (pair, number) → sentence
    # The places each sentence was inserted at and not yet matched, in order (a dict as an ordered set: a matched
    # place is dropped at once, so no later look passes over it).
    where: dict[tuple[str, ...], dict[tuple[int, int], None]] = defaultdict(dict)
    for n, pair in enumerate(pairs):
        if all(p.op == "equal" for p in pair.pieces):
            continue
        gone = _wholly_changed(pair.pieces, "delete") if _changed_words(pair.pieces, "delete") else []
        for s in gone:
            s.pair = n
        deleted.append(gone)
        for s in _wholly_changed(pair.pieces, "insert") if _changed_words(pair.pieces, "insert") else []:
            s.pair = n
            inserted[n, s.number] = s
            where[s.words][n, s.number] = None
    for gone in deleted:
        by_number = {s.number: s for s in gone}
        used: set[int] = set()
        for first in gone:
            if first.number in used:
                continue
            run = _longest_run(first, by_number, used, inserted, where)
            if sum(len(s.words) for s, _t in run) < MIN_MOVED_WORDS:
                continue
            _mark(pairs, run)
            for s, t in run:
                used.add(s.number)
                del inserted[t.pair, t.number]
                del where[t.words][t.pair, t.number]


def _changed_words(pieces: list[_Piece], side: str) -> bool:
    """Enough words deleted (or inserted) for a moved passage: a one-word edit costs no look at the sentences."""
    return sum(len(p.text.split()) for p in pieces if p.op == side) >= MIN_MOVED_WORDS


def _longest_run(
    first: _Sentence,
    gone: dict[int, _Sentence],
    used: set[int],
    inserted: dict[tuple[int, int], _Sentence],
    where: dict[tuple[str, ...], dict[tuple[int, int], None]],
) -> list[tuple[_Sentence, _Sentence]]:
    """The longest run of deleted sentences from `first` on that was inserted, in the same order, somewhere else
    (among the first MAX_MOVE_PLACES places the first sentence was inserted at)."""
    best: list[tuple[_Sentence, _Sentence]] = []
    for at in islice(where.get(first.words, {}), MAX_MOVE_PLACES):
        run, n, (pair, m) = [], first.number, at
        while (
            (s := gone.get(n)) is not None
            and n not in used
            and (t := inserted.get((pair, m))) is not None
            and s.words == t.words
        ):
            run.append((s, t))
            n, m = n + 1, m + 1
        if len(run) > len(best):
            best = run
    return best


def _mark(pairs: list[_Pair], run: list[tuple[_Sentence, _Sentence]]) -> None:
    source, target = pairs[run[0][0].pair], pairs[run[0][1].pair]
    source.moved_old.append((run[0][0].start, run[-1][0].end))
    target.moved_new.append((run[0][1].start, run[-1][1].end))
    text = " ".join(_side_text(source.pieces, "delete")[run[0][0].start : run[-1][0].end].split())
    for pair in (source, target):
        if text not in pair.passages:
            pair.passages.append(text)


# --- HTML ---------------------------------------------------------------------------------------


def _fragments(pair: _Pair) -> list[tuple[str, str, bool]]:
    """The pair's pieces as (operation, text, moved), a deleted or inserted piece cut where a moved passage begins or
    ends."""
    out = []
    for piece in pair.pieces:
        if piece.op == "equal":
            out.append((piece.op, piece.text, False))
            continue
        start, spans = (piece.old_start, pair.moved_old) if piece.op == "delete" else (piece.new_start, pair.moved_new)
        end = start + len(piece.text)
        cuts = sorted({start, end, *(x for s, e in spans for x in (s, e) if start < x < end)})
        for a, b in zip(cuts, cuts[1:], strict=False):
            moved = any(s <= a and b <= e for s, e in spans)
            out.append((piece.op, piece.text[a - start : b - start], moved))
    return out


def _escaped(text: str) -> str:
    return keep_numbers_whole(html.escape(text)).replace("\n", "<br>")


def _marked(op: str, text: str, moved: bool) -> str:
    """A piece as HTML; a changed piece in <del> or <ins> around its words only, the space around them outside."""
    words = text.strip()
    if op == "equal" or not words:
        return _escaped(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    tag = "del" if op == "delete" else "ins"
    attributes = f' class="moved" title="{MOVED_LABEL}"' if moved else ""
    return f"{_escaped(lead)}<{tag}{attributes}>{_escaped(words)}</{tag}>{_escaped(trail)}"


def _html(fragments: Iterable[tuple[str, str, bool]]) -> SafeString:
    """The fragments as paragraphs: a new <p> at each blank line of the plain text."""
    paragraphs: list[list[str]] = [[]]
    for op, text, moved in fragments:
        for n, part in enumerate(_PARAGRAPH_BREAK.split(text)):
            if n:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(_marked(op, part, moved))
    shown = ("".join(p) for p in paragraphs)
    return mark_safe("".join(f"<p>{p.strip()}</p>" for p in shown if p.strip()))  # every piece escaped by _marked


def _comparison(pair: _Pair) -> SectionComparison:
    old, new = pair.old or {}, pair.new or {}
    old_title, title = _text(old, "title"), _text(new or old, "title")
    changed = any(p.op != "equal" for p in pair.pieces) or (pair.old is not None and old_title != title)
    if pair.old is None:
        status = ADDED
    elif pair.new is None:
        status = REMOVED
    else:
        status = MOVED if pair.moved else CHANGED if changed else UNCHANGED
    return SectionComparison(
        key=_text(new or old, "key"),
        title=title,
        old_title=old_title,
        status=status,
        changed=changed,
        moved=pair.moved,
        old_position=None if pair.old_index is None else pair.old_index + 1,
        new_position=None if pair.new_index is None else pair.new_index + 1,
        fragments=_fragments(pair),
        moved_passages=pair.passages,
    )
