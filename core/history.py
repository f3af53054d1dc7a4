"""Readable history (Historik): who changed what, when and why, newest first and a page at a time, from
django-simple-history.

A history page lists its objects' historical rows as `Source`s (one model, its rows, what the page already says) and
asks `page(request, *sources)` for one page of `Entry`s:

- Each entry has a heading that names what changed ("Ändrat avsnitt ”Budget” i Förvaltningsplan SHVO 2026"), the
  local time in Swedish ("3 mars 2026 kl. 14.05"), who, the reason given, and only the fields that changed, under
  their Swedish names (the field's verbose_name, or FIELD_LABELS where the model left Django's English default).
- A text (a TextField: a plan section, notes, a decision) is shown as text, never as HTML source: a new text rendered
  from the sanitised HTML (a long one folded in <details>), a changed one as its word-level difference
  (core.text.word_diff: <del>/<ins>) with only the paragraphs that changed.
- Fields in HIDDEN_FIELDS, and those a source hides (the page's own object, which every row would repeat), are
  never listed.

Cost: one query for the keys of every row of every source (a UNION ALL of id and time), sorted in Python; then, for
the page shown only, one query per source for its rows and their predecessors with every object they point at joined
in (and those objects' required references, so a label such as "Anna Berg – Ledamot i GITS" needs no query). A source's queries are made even when it
has nothing on the page, so a page makes as many queries with ten rows as with ten thousand, and differences are
computed for the rows shown only.
"""

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from . import text as rich_text
from . import web
from .rows import shown

PER_PAGE = 20
VERBS = {"+": "Lagt till", "~": "Ändrat", "-": "Tagit bort"}
OWN_VERBS = {"+": "Skapat", "~": "Ändrat", "-": "Tagit bort"}  # for the page's own object
# Never listed: keys and bookkeeping the entry already says (who, when) or that say nothing to a reader. A plan's
# document is fixed for its life; a section's key is its name (in the heading); revision is a concurrency token.
HIDDEN_FIELDS = {
    "id", "created_at", "created_by", "slug", "sort_order", "document",
    "updated_at", "updated_by", "revision", "key", "pdf_size",
}  # fmt: skip
# Swedish names of fields whose model kept Django's default (English) verbose_name.
FIELD_LABELS = {
    "approved": "godkänt",
    "approved_at": "godkänt den",
    "approved_by": "godkänt av",
    "author": "skribent",
    "based_on": "bygger på",
    "body": "organ",
    "closed_at": "stängd",
    "disposition_at": "ställningstagande den",
    "disposition_by": "ställningstagande av",
    "item": "punkt",
    "managed_object": "förvaltningsobjekt",
    "meeting": "möte",
    "minutes": "protokoll",
    "opened_at": "öppnad",
    "opened_by": "öppnad av",
    "organisation": "organisation",
    "parent": "svar på",
    "person": "person",
    "plan": "plan",
    "position": "ordning",
    "published_by": "publicerat av",
    "reminded_at": "påminnelse skickad",
    "round": "remissrunda",
    "status": "status",
    "subregion": "delregion",
    "submitted_at": "inlämnat",
    "submitted_by": "inlämnat av",
    "user": "konto",
    "version": "version",
    "year": "år",
}
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
# A new text longer than this (characters of plain text) is folded in <details>.
FOLD_AFTER = 400


def when_text(value: datetime) -> str:
    """A moment in Swedish, in local time (Europe/Stockholm): "3 mars 2026 kl. 14.05"."""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def field_label(model_field) -> str:
    """The field's Swedish name, capitalised."""
    name = str(model_field.verbose_name)
    if name == model_field.name.replace("_", " "):
        name = FIELD_LABELS.get(model_field.name, name)
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Source:
    """The history rows of one model on a history page.

    hide: fields every row of this page repeats (the page's own object), neither listed nor named in headings.
    name: what the rows are about when they are the page's own object ("Förvaltningsplan SHVO 2026"); otherwise the
    heading is made from the row (its kind, title or name, person, agenda item, body).
    within: added to each heading of the rows ("i Förvaltningsplan SHVO 2026")."""

    model: type[models.Model]
    rows: models.QuerySet
    hide: tuple[str, ...] = ()
    name: str = ""
    within: str = ""


@dataclass
class Change:
    field: str
    old: str = ""
    new: str = ""


@dataclass
class TextChange:
    field: str
    html: SafeString
    folded: bool = False
    is_diff: bool = False


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    heading: str
    reason: str
    created: bool
    changes: list[Change] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)

    @property
    def when_text(self) -> str:
        return when_text(self.when)


def page(request, *sources: Source, per_page: int = PER_PAGE):
    """One page (`?sida=N`) of the sources' history, newest first; its object_list is the page's Entry list."""
    keys = []  # (when, history_id, source number, the same object's previous history_id or None)
    by_object = defaultdict(list)
    for number, history_id, object_id, when in _keys(sources):
        by_object[number, object_id].append((when, history_id))
    for (number, _object_id), records in by_object.items():
        records.sort()
        previous = None
        for when, history_id in records:
            keys.append((when, history_id, number, previous))
            previous = history_id
    keys.sort(key=lambda k: (k[0], k[2], k[1]), reverse=True)
    result = web.page_of(request, keys, per_page)
    shown = list(result.object_list)
    loaded = [_load(source, [k for k in shown if k[2] == number]) for number, source in enumerate(sources)]
    result.object_list = [
        _entry(sources[number], loaded[number][history_id], loaded[number].get(previous))
        for _when, history_id, number, previous in shown
    ]
    result.entries_html = entries_html(result.object_list)
    return result


# --- the entries as governance/history.html shows them ---------------------------------------------------------------

CREATED_HEAD = '<thead><tr><th scope="col">Uppgift</th><th scope="col">Värde</th></tr></thead>'
CHANGED_HEAD = '<thead><tr><th scope="col">Uppgift</th><th scope="col">Före</th><th scope="col">Efter</th></tr></thead>'


def entries_html(entries: list[Entry]) -> SafeString:
    """The page's entries as the history template showed them in a loop, joined in Python (core.rows.shown prints
    each value as {{ value }} does): a page of twenty entries with their fields and texts spent milliseconds in the
    template."""
    return mark_safe("".join(_entry_html(n, e) for n, e in enumerate(entries, start=1)))  # noqa: S308 - shown()


def _entry_html(n: int, e: Entry) -> str:
    number = shown(n)
    when = shown(date_format(timezone.template_localtime(e.when), "c"))
    reason = (
        f'<p class="history-reason"><span class="history-label">Skäl:</span> {shown(e.reason)}</p>' if e.reason else ""
    )
    return (
        f'\n<article class="history-entry" aria-labelledby="history-entry-{number}">\n'
        f'  <h2 class="history-heading" id="history-entry-{number}">{shown(e.heading)}</h2>\n'
        f'  <p class="history-meta"><time datetime="{when}">{shown(e.when_text)}</time> av <strong>{shown(e.who)}</strong>'
        f"</p>\n  {reason}\n  {_changes_html(e)}\n  {''.join(_text_html(t) for t in e.texts)}\n</article>\n"
    )


def _changes_html(e: Entry) -> str:
    if not e.changes:
        return ""
    if e.created:
        head = CREATED_HEAD
        rows = "".join(
            f'<tr><th scope="row" data-label="Uppgift">{shown(c.field)}</th><td data-label="Värde">{shown(c.new)}</td></tr>'
            for c in e.changes
        )
    else:
        head = CHANGED_HEAD
        rows = "".join(
            f'<tr><th scope="row" data-label="Uppgift">{shown(c.field)}</th>'
            f'<td data-label="Före">{f"<del>{shown(c.old)}</del>" if c.old != "–" else "–"}</td>'
            f'<td data-label="Efter">{f"<ins>{shown(c.new)}</ins>" if c.new != "–" else "–"}</td></tr>'
            for c in e.changes
        )
    return f'\n  <table class="responsive history-table">\n    \n    {head}\n    <tbody>{rows}</tbody>\n    \n  </table>\n  '


def _text_html(t: TextChange) -> str:
    if t.is_diff:
        body = f'<div class="word-diff history-diff">{shown(t.html)}</div>\n  '
    elif t.folded:
        body = (
            '<details class="history-fold"><summary>Visa texten</summary>'
            f'<div class="history-text">{shown(t.html)}</div></details>\n  '
        )
    else:
        body = f'<div class="history-text">{shown(t.html)}</div>'
    return f'\n  <h3 class="history-field">{shown(t.field)}{": ändringar" if t.is_diff else ""}</h3>\n  {body}\n  '


def _keys(sources) -> list[tuple]:
    """(source number, history_id, object id, history_date) of every row of every source, in one query."""
    parts = [
        source.rows.order_by()
        .annotate(source_number=models.Value(number))
        .values_list("source_number", "history_id", "id", "history_date")
        for number, source in enumerate(sources)
    ]
    return list(parts[0].union(*parts[1:], all=True).order_by()) if len(parts) > 1 else list(parts[0])


def _load(source: Source, keys: list) -> dict:
    """The rows on the page and their predecessors, by history_id, with what they point at: one query, always."""
    wanted = {k[1] for k in keys} | {k[3] for k in keys if k[3] is not None}
    historical = source.rows.model
    rows = (
        historical._default_manager.filter(history_id__in=wanted or [0])
        .order_by()
        .select_related(*_related_paths(source.model, set(source.hide)))
    )
    return {r.history_id: r for r in rows}


def _foreign_keys(model, hidden: set) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.name not in HIDDEN_FIELDS and f.name not in hidden
    ]


def _related_paths(model, hidden: set) -> list[str]:
    """What the rows point at, and what those objects' own required references are (the ones a name is made of:
    a membership's person and body, a meeting's body, a plan's managed object); optional ones are left out."""
    paths = ["history_user"]
    for f in _foreign_keys(model, hidden):
        paths.append(f.name)
        paths += [f"{f.name}__{g.name}" for g in _foreign_keys(f.related_model, set()) if not g.null]
    return paths


def _entry(source: Source, r, before) -> Entry:
    model = source.model
    hidden = HIDDEN_FIELDS | set(source.hide)
    changes, texts = [], []
    in_heading = {"person", "item"} if before is None and not source.name else set()
    for f in model._meta.concrete_fields:
        if f.name in hidden or f.name in in_heading:
            continue
        new = getattr(r, f.attname)
        old = getattr(before, f.attname) if before is not None else None
        if before is None and new in (None, ""):
            continue
        if before is not None and old == new:
            continue
        label = field_label(f)
        if isinstance(f, models.TextField) and not f.choices:
            if before is None or old in (None, ""):
                texts.append(_new_text(label, new))
            else:
                texts.append(_text_diff(label, old, new))
        else:
            changes.append(Change(label, _display(before, f, old) if before is not None else "", _display(r, f, new)))
    user = r.history_user
    verbs = OWN_VERBS if source.name else VERBS
    return Entry(
        when=r.history_date,
        who=(user.get_full_name() or user.get_username()) if user else "Systemet",
        action=verbs.get(r.history_type, r.history_type),
        heading=f"{verbs.get(r.history_type, r.history_type)} {_subject(source, r)}",
        reason=r.history_change_reason or "",
        created=before is None,
        changes=changes,
        texts=texts,
    )


# --- what an entry is about ----------------------------------------------------------------------------------------


def _subject(source: Source, r) -> str:
    if source.name:
        return source.name
    model = source.model
    names = {f.name for f in model._meta.concrete_fields} - set(source.hide)
    parts = [str(model._meta.verbose_name)]
    title = _title(model, r, names)
    if title:
        parts.append(f"”{title}”")
    elif "version" in names and not isinstance(model._meta.get_field("version"), models.ForeignKey):
        parts.append(f"version {r.version}")
    if "person" in names:
        parts.append(f"för {_related_text(r, model._meta.get_field('person'))}" if r.person_id else "för vakant plats")
    if "role" in names and r.role:
        parts.append(f"({_display(r, model._meta.get_field('role'), r.role)})")
    if "item" in names and r.item_id:
        parts.append(f"under punkt {_related_text(r, model._meta.get_field('item'))}")
    if "body" in names and isinstance(model._meta.get_field("body"), models.ForeignKey) and r.body_id:
        parts.append(f"i {_related_text(r, model._meta.get_field('body'))}")
    if source.within:
        parts.append(f"i {source.within}")
    return " ".join(parts)


def _title(model, r, names: set) -> str:
    if "title" in names or isinstance(getattr(model, "title", None), property):
        title = getattr(r.instance, "title", "")
        if title:
            return str(title)
    if "name" in names and r.name:
        return r.name
    if "text" in names and r.text:
        plain = rich_text.html_to_text(r.text) if _is_html(r.text) else r.text
        plain = " ".join(plain.split())
        return plain if len(plain) <= 60 else plain[:59].rstrip() + "…"
    return ""


# --- values --------------------------------------------------------------------------------------------------------


def _related_text(r, f) -> str:
    value = getattr(r, f.attname)
    if value is None:
        return "–"
    obj = getattr(r, f.name, None)  # joined by _load: no query
    if obj is None:
        return "(borttagen)"
    if hasattr(obj, "get_full_name"):  # an account: its holder's name
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _display(r, f, value) -> str:
    if value in (None, ""):
        return "–"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return _related_text(r, f)
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime):
        return when_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value:%H.%M}"
    if isinstance(f, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


_HTML = re.compile(r"(?i)<(p|br|ul|ol|li|h[1-6]|table|tr|td|th|strong|em|a|blockquote)\b")


def _is_html(value: str) -> bool:
    return bool(_HTML.search(value or ""))


def _plain(value: str) -> str:
    return rich_text.html_to_text(value) if _is_html(value) else (value or "").replace("\r\n", "\n").strip()


def _new_text(label: str, value: str) -> TextChange:
    rendered, folded = _shown_text(value)
    return TextChange(label, mark_safe(rendered), folded=folded)  # noqa: S308 - sanitised


@lru_cache(maxsize=512)
def _shown_text(value: str) -> tuple[str, bool]:
    """A new text as an entry shows it, and whether it is folded: the same for the same text (history rows never
    change), so a page shown again does not clean the same texts again."""
    rendered = rich_text.sanitise(value) if _is_html(value) else rich_text.text_to_html(value)
    return rendered, len(_plain(value)) > FOLD_AFTER


_DIFF_TAG = re.compile(r"<(/?)(ins|del)>")
_EMPTY_DIFF_TAG = re.compile(r"<(ins|del)>\s*</\1>")


def _text_diff(label: str, old: str, new: str) -> TextChange:
    """The word-level difference, paragraph by paragraph; unchanged paragraphs are counted, not shown."""
    # Escaped plain text: word_diff then compares the words a reader sees, and its output keeps the line breaks.
    diff = rich_text.word_diff(html.escape(_plain(old)), html.escape(_plain(new)))
    pieces, open_tag = [], None
    for part in re.split(r"\n[ \t]*\n", diff):
        start = f"<{open_tag}>" if open_tag else ""
        for match in _DIFF_TAG.finditer(part):
            open_tag = None if match.group(1) else match.group(2)
        piece = _EMPTY_DIFF_TAG.sub("", start + part + (f"</{open_tag}>" if open_tag else "")).strip()
        if _DIFF_TAG.sub("", piece).strip():
            pieces.append((piece, "<ins>" in piece or "<del>" in piece))
    shown, unchanged = [], 0
    for piece, changed in pieces:
        if changed:
            if unchanged:
                shown.append(_gap(unchanged))
                unchanged = 0
            shown.append(f"<p>{piece}</p>")
        else:
            unchanged += 1
    if len(shown) == 0:  # the same words: only the formatting (bold, a list, a heading) changed
        return TextChange(label, mark_safe('<p class="history-gap">Bara formateringen ändrades.</p>'), is_diff=True)
    if unchanged:
        shown.append(_gap(unchanged))
    return TextChange(label, mark_safe("".join(shown)), is_diff=True)  # noqa: S308 - word_diff escapes the text


def _gap(count: int) -> str:
    words = "ett oförändrat stycke" if count == 1 else f"{count} oförändrade stycken"
    return f'<p class="history-gap">[… {words} …]</p>'
