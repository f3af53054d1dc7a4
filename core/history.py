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

import functools
import hashlib
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from . import text as rich_text
from . import web
from .kept import kept
from .versions import newest_history_ids

PER_PAGE = 20
VERBS = {"+": "Lagt till", "~": "Ändrat", "-": "Tagit bort"}
OWN_VERBS = {"+": "Skapat", "~": "Ändrat", "-": "Tagit bort"}  # for the page's own object
# Never listed: keys and bookkeeping the entry already says (who, when) or that say nothing to a reader. A plan's
# document is fixed for its life; a section's key is its name (in the heading); revision is a concurrency token.
HIDDEN_FIELDS = {
    "id", "created_at", "created_by", "slug", "sort_order", "document",
    "updated_at", "updated_by", "revision", "key", "pdf_size", "source",
}  # fmt: skip
# Swedish names of fields whose model kept Django's default (English) verbose_name.
FIELD_LABELS = {
    # Cases, backlogs and forums (issue 12).
    "actor": "registrerat av",
    "backlog_item": "önskemål i backloggen",
    "case": "ärende",
    "forum": "forum",
    "hidden_at": "dolt",
    "hidden_by": "dolt av",
    "process": "process",
    "summary_at": "sammanfattad",
    "summary_by": "sammanfattad av",
    "text": "text",
    "topic": "tråd",
    "approved": "godkänt",
    "approved_at": "godkänt den",
    "approved_by": "godkänt av",
    "author": "skribent",
    "based_on": "bygger på",
    "budget": "budget",
    "decided_by": "beslutet registrerat av",
    "issued_by": "utfärdad av",
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


@functools.cache
def rows_of(model) -> models.Manager:
    """The model's history manager (`model.history`), kept: simple-history builds a new manager class each time
    `model.history` is read, which a page of several sources notices."""
    return model.history


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
    """One page (`?sida=N`) of the sources' history, newest first: its object_list holds the keys of the rows shown
    and entries_html their entries (components/history_entries.html).

    History rows never change, so a page's entries are rendered once and kept (core.kept) under the rows shown and
    the newest history row of every model their names can come from (versions); accounts have no history, so
    who did what is written in at each request from one query of the accounts named."""
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
    shown = [(history_id, number, previous) for _when, history_id, number, previous in result.object_list]

    def build() -> tuple[str, set[int]]:
        loaded = [_load(source, [k for k in shown if k[1] == number]) for number, source in enumerate(sources)]
        entries = [
            _entry(sources[number], loaded[number][history_id], loaded[number].get(previous))
            for history_id, number, previous in shown
        ]
        rendered = render_to_string("components/history_entries.html", {"entries": entries}).strip()
        return rendered, {int(pk) for _kind, pk in _ACCOUNT.findall(rendered)}

    newest = versions([s.model for s in sources], sources[0].rows.db)
    if newest is None:  # something the rows point at keeps no history: nothing to key a kept page by
        rendered, accounts = build()
    else:
        described = [(s.model._meta.label, s.hide, str(s.name), str(s.within)) for s in sources]
        facts = repr((described, shown, newest, translation.get_language()))
        digest = hashlib.sha1(facts.encode(), usedforsecurity=False).hexdigest()
        rendered, accounts = kept(f"history:{digest}", build)
    result.entries_html = _with_accounts(rendered, accounts)
    return result


# Who did something, and an account a row points at, are written into a kept page as marks (an account's name can
# change without a history row): "\x00w:<id>\x00" for who did it ("Systemet" once the account is gone), "\x00u:<id>\x00"
# for an account as a value ("(borttagen)"). A mark cannot come from the texts: the database holds no NUL character.
_ACCOUNT = re.compile("\x00([wu]):(\\d+)\x00")


def _account_mark(kind: str, pk) -> str:
    return f"\x00{kind}:{pk}\x00"


def _with_accounts(rendered: str, accounts: set[int]) -> SafeString:
    """The page with the accounts' names written in: one query, even when the page names no account."""
    users = get_user_model()._default_manager.filter(pk__in=sorted(accounts) or [0]).in_bulk()

    def name(mark) -> str:
        user = users.get(int(mark[2]))
        if user is None:
            return "Systemet" if mark[1] == "w" else "(borttagen)"
        return html.escape(user.get_full_name() or user.get_username())

    return mark_safe(_ACCOUNT.sub(name, rendered))  # noqa: S308 - the names are escaped, the page was rendered


def versions(source_models, using: str = "default") -> tuple | None:
    """The newest history row of each of these models and of every model they point at, however far, in one query:
    what a kept rendering of their rows is keyed by (core.kept), since every change goes through simple-history.
    None if one of them keeps no history. Accounts are left out: a page writes their names in live."""
    pointed_at = _with_models_pointed_at(tuple(source_models))
    return None if pointed_at is None else newest_history_ids(*pointed_at, using=using)


@functools.cache
def _with_models_pointed_at(source_models: tuple) -> tuple | None:
    """The models and every model they point at, however far (accounts left out), in a fixed order; None if one of
    them keeps no history."""
    user_model = get_user_model()
    seen, todo = set(), list(source_models)
    while todo:
        model = todo.pop()
        if model in seen or model is user_model:
            continue
        seen.add(model)
        todo += [f.related_model for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    if not all(hasattr(model, "history") for model in seen):
        return None
    return tuple(sorted(seen, key=lambda m: m._meta.db_table))


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
    wanted = {k[0] for k in keys} | {k[2] for k in keys if k[2] is not None}
    historical = source.rows.model
    rows = historical._default_manager.filter(history_id__in=wanted or [0]).order_by()
    paths = _related_paths(source.model, set(source.hide))
    return {r.history_id: r for r in (rows.select_related(*paths) if paths else rows)}


def _foreign_keys(model, hidden: set) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.name not in HIDDEN_FIELDS and f.name not in hidden
    ]


def _related_paths(model, hidden: set) -> list[str]:
    """What the rows point at, and what those objects' own required references are (the ones a name is made of:
    a membership's person and body, a meeting's body, a plan's managed object); optional ones are left out, and so
    are accounts (their names are written in at each request: _with_accounts)."""
    user_model = get_user_model()
    paths = []
    for f in _foreign_keys(model, hidden):
        if f.related_model is user_model:
            continue
        paths.append(f.name)
        paths += [
            f"{f.name}__{g.name}"
            for g in _foreign_keys(f.related_model, set())
            if not g.null and g.related_model is not user_model
        ]
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
    verbs = OWN_VERBS if source.name else VERBS
    return Entry(
        when=r.history_date,
        who=_account_mark("w", r.history_user_id) if r.history_user_id is not None else "Systemet",
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
    about_a_person = "person" in names  # a row about a person (a seat, attendance): its `title` is the person's
    title = "" if about_a_person else _title(model, r, names)
    if title:
        parts.append(f"”{title}”")
    elif "version" in names and not isinstance(model._meta.get_field("version"), models.ForeignKey):
        parts.append(f"version {r.version}")
    if about_a_person:
        if r.person_id:
            parts.append(f"för {_related_text(r, model._meta.get_field('person'))}")
        elif "guest_name" in names and r.guest_name:  # a guest typed on the spot, not in the portal
            parts.append(f"för {r.guest_name}")
        else:
            parts.append("för vakant plats")
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
    if f.related_model is get_user_model():  # an account: its holder's name, written in at each request
        return _account_mark("u", value)
    obj = getattr(r, f.name, None)  # joined by _load: no query
    if obj is None:
        return "(borttagen)"
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
    rendered = rich_text.sanitise(value) if _is_html(value) else rich_text.text_to_html(value)
    return TextChange(label, mark_safe(rendered), folded=len(_plain(value)) > FOLD_AFTER)  # noqa: S308 - sanitised


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
