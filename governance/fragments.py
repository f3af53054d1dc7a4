"""Parts of the governance pages kept per version of the structure (core.kept), and the seat rows rendered in Python.

The public pages of the structure (a body, an organisation, a subregion, the organisations, a person's seats) show
the same rows to everyone until someone changes them. `structure_version(on)` names that state in one query; a page
keeps what it shows under a key of the object, the page number, whatever differs between visitors (a name is a link
for those who may open people's pages) and the version, and builds it anew when the version changes. What one user may
do (the action links on a seat) is never kept: it is asked of the rules on every request (`seat_rights`).

The body page's seat rows are the page's long table with a per-user cell: each row is rendered once, in Python, as the
template wrote it (`SeatRow`), and the action cell is joined on per request (`seat_rows_html`)."""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.core.paginator import Page
from django.db import connection
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.web import PAGE_SIZE, page_of

from . import rules

_VERSION_SQL: str | None = None


def structure_models() -> list:
    """The governance tables the structure's pages read, with their history tables (simple-history, m2m included):
    not the cases, processes, backlogs and forums (governance.case_models), whose every post would otherwise build
    the organisation chart and the body pages again."""
    every = list(apps.get_app_config("governance").get_models(include_auto_created=True))
    elsewhere = {m.__name__ for m in every if m.__module__ == "governance.case_models"}
    return [m for m in every if m.__name__.removeprefix("Historical") not in elsewhere]


def _version_sql() -> str:
    """SELECT the highest id of every structure table (structure_models)."""
    global _VERSION_SQL
    if _VERSION_SQL is None:
        q = connection.ops.quote_name
        highest = [f"(SELECT MAX({q(m._meta.pk.column)}) FROM {q(m._meta.db_table)})" for m in structure_models()]
        _VERSION_SQL = "SELECT " + ", ".join(highest)
    return _VERSION_SQL


def structure_version(on: datetime.date) -> str:
    """A key for what the governance pages show, in one query: the day (seats run and statuses change on their
    dates), the language, and the highest id of every governance table and of its history table. Every write goes
    through simple-history (core.audit, the admin), so each insert, change or delete (the deleted row's history row)
    raises one of them; rows written without history (bench data, bulk_create) raise their table's own id."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        ids = cursor.fetchone()
    return f"{on.isoformat()}:{translation.get_language()}:" + ".".join("-" if i is None else str(i) for i in ids)


def page_of_count(request, count: int, per_page: int = PAGE_SIZE) -> Page:
    """The pager's page (core.web.page_of, `?sida=N`) of a list of `count` rows, over the row numbers: which rows to
    show (page.object_list is a range), so a kept list is paged without reading it."""
    return page_of(request, range(count), per_page)


def _text(value, default: str = "") -> str:
    """A value as the template shows it: localized (ISO dates, see shvo/formats) and escaped; `default` when empty."""
    if value is None or value == "":
        return default
    return conditional_escape(formats.localize(value))


@dataclass(frozen=True)
class Successor:
    """The term that replaces a seat (rules.replaced_refusals reads .person and .start_date)."""

    person: str
    start_date: datetime.date


@dataclass(frozen=True)
class SeatRow:
    """One seat of a body page as kept: what the rules read (role, subregion, person, successor) and its HTML, the
    cells everyone sees rendered once; the action links are chosen per request."""

    pk: int
    role: str
    subregion: object  # Subregion | None
    person: str
    successor: Successor | None
    name_html: str  # the name, and the name as a link to the person's page
    name_link_html: str
    cells_html: str  # Roll … Till och med
    replace_link: str  # "Ersätt" and its separator
    manage_links: str  # "Avsluta · Ändra"
    edit_link: str  # " · Ändra", as the coming changes list it
    replace_after_link: str  # " · Ersätt", as the coming changes list it

    @classmethod
    def of(cls, m, successor: Successor | None) -> "SeatRow":
        """The row of a Membership loaded with person__organisation, subregion and party; `successor` is the term
        that replaces it, if one is appointed."""
        person = str(m.person)
        who = conditional_escape(person)
        cells = [
            f'<td data-label="Roll">{_text(m.get_role_display())}</td>',
            f'<td data-label="Organisation">{_text(m.person.organisation, "–")}</td>',
            f'<td data-label="Företräder part">{_text(m.party, "–")}</td>',
            f'<td data-label="Från">{_text(m.start_date)}</td>',
            f'<td data-label="Till och med">{_text(m.end_date, "tills vidare")}'
            + (
                f'<br><span class="muted">ersätts av {_text(successor.person)} från {_text(successor.start_date)}</span>'
                if successor
                else ""
            )
            + "</td>",
        ]
        replace_url = reverse("governance:membership_replace", args=[m.pk])
        edit_url = reverse("governance:membership_edit", args=[m.pk])
        end_url = reverse("governance:membership_end", args=[m.pk])
        return cls(
            pk=m.pk,
            role=m.role,
            subregion=m.subregion,
            person=person,
            successor=successor,
            name_html=who,
            name_link_html=f'<a href="{m.person.get_absolute_url()}">{who}</a>',
            cells_html="\n          ".join(cells),
            replace_link=f'<a href="{replace_url}">Ersätt<span class="visually-hidden"> {who}</span></a> · ',
            manage_links=(
                f'<a href="{end_url}">Avsluta<span class="visually-hidden"> uppdraget för {who}</span></a> · '
                f'<a href="{edit_url}">Ändra<span class="visually-hidden"> uppdraget för {who}</span></a>'
            ),
            edit_link=f' · <a href="{edit_url}">Ändra<span class="visually-hidden"> uppdraget för {who}</span></a>',
            replace_after_link=f' · <a href="{replace_url}">Ersätt<span class="visually-hidden"> {who}</span></a>',
        )


def seat_rights(user, body, seats) -> list[tuple[bool, bool]]:
    """(may manage, may replace) for each seat, asked of the rules with the page's body and the kept row's role,
    subregion and successor: the answers the Membership would get. rules.seat_check reads only the body, the role and
    the subregion, so it is asked once per role and subregion; replacing also needs the seat's state, the other half
    of rules.replace_check (no successor appointed yet)."""
    if not user.is_authenticated:
        return [(False, False)] * len(seats)
    may_manage: dict = {}
    rights = []
    for s in seats:
        seat = SimpleNamespace(body=body, role=s.role, subregion=s.subregion, person=s.person, successor=s.successor)
        key = (s.role, s.subregion.pk if s.subregion else None)
        if key not in may_manage:
            may_manage[key] = not rules.seat_check(user, seat)
        manage = may_manage[key]
        rights.append((manage, manage and not rules.replaced_refusals(seat)))
    return rights


def seat_rows_html(rows: list[SeatRow], rights: list[tuple[bool, bool]], linked: bool, actions: bool) -> SafeString:
    """The <tr>s of a body page's seats table: the name (a link when `linked`), the kept cells, and for a signed-in
    user (`actions`) the action cell with the links `rights` allow."""
    out = []
    for row, (manage, replace) in zip(rows, rights, strict=True):
        cell = ""
        if actions:
            links = ((row.replace_link if replace else "") + row.manage_links) if manage else ""
            cell = f'<td data-label="Åtgärder">{links}</td>'
        out.append(
            "\n        <tr>\n          "
            f'<td data-label="Namn">{row.name_link_html if linked else row.name_html}</td>\n          '
            f"{row.cells_html}\n          {cell}\n        </tr>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped in SeatRow.of


@dataclass(frozen=True)
class ComingChange:
    """One line of a body's coming changes as kept (services.TermChange): its text, and the seat it is about."""

    text_html: str
    starts: bool
    seat: SeatRow


def coming_changes_html(changes: list[ComingChange], rights: list[tuple[bool, bool]]) -> SafeString:
    """The <li>s of the coming changes: a term that starts may be changed (Ändra), one that ends may be handed on
    (Ersätt), when the rights allow."""
    out = []
    for c, (manage, replace) in zip(changes, rights, strict=True):
        link = (
            c.seat.edit_link if c.starts and manage else c.seat.replace_after_link if not c.starts and replace else ""
        )
        out.append(f"<li>{c.text_html}{link}</li>")
    return mark_safe("".join(out))  # noqa: S308 - the text is escaped when kept, the links in SeatRow.of
