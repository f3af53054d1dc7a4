"""Governance's panels on other pages (core.waiting): its part of the start page's "Väntar på dig"."""

from django.urls import reverse
from django.utils.safestring import mark_safe

from core import waiting
from core.collation import swedish
from core.rows import shown, url_for

from . import permissions, rules
from .models import Membership, Vacancy
from .services import ENDING_WITHIN_DAYS, term_changes, today

# Running seats listed per administered subregion on the start page; the subregion's page lists them all.
SEATS_SHOWN = 50


@waiting.panel("governance/_waiting.html", slot="home", order=90)
def seats_waiting(request) -> dict | None:
    """Governance's part of "Väntar på dig": one's own seats, and for a subregion administrator her subregions'
    vacancies, terms ending within ENDING_WITHIN_DAYS days and running seats, each with the action to take (the seat
    rules in governance.rules say which; a seat already replaced says by whom instead)."""
    user = request.user
    if not user.is_authenticated:
        return None
    person = permissions.person_of(user)
    on = today()
    mine = []
    if person:
        mine = list(Membership.objects.current(on).filter(person=person).select_related("body", "subregion"))
    rows = _Rows()
    subregions = permissions.administered_subregions(user)
    if not subregions:
        return {"memberships": mine, "membership_items": rows.own(mine), "subregions": [], "administered": []}
    vacancies = list(
        Vacancy.objects.visible_to(user).open().filter(subregion__in=subregions).select_related("body", "subregion")
    )
    coming = list(
        Membership.objects.filter(subregion__in=subregions)
        .changing(on, days=ENDING_WITHIN_DAYS)
        .select_related("person", "body", "subregion", "replaces__person")
        .order_by("start_date", "pk")
    )
    running = Membership.objects.current(on).select_related("person", "body", "subregion")
    order = ("body__sort_order", "body__name", "role", swedish("person__last_name"), "pk")
    seats_of = {s.pk: list(running.filter(subregion=s).order_by(*order)[: SEATS_SHOWN + 1]) for s in subregions}
    seats = [m for rows in seats_of.values() for m in rows[:SEATS_SHOWN]]
    rules.note_seat_rules([x.body for x in [*vacancies, *coming, *seats]])
    rules.note_successors([*coming, *seats], coming)
    for v in vacancies:
        v.can_fill = not rules.seat_check(user, v)
    for m in [*coming, *seats]:
        m.can_replace = not rules.replace_check(user, m)
    administered = []
    for s in subregions:
        vacancies_here = [v for v in vacancies if v.subregion_id == s.pk]
        changes = term_changes([m for m in coming if m.subregion_id == s.pk], on=on)
        administered.append(
            {
                "subregion": s,
                "vacancies": vacancies_here,
                "vacancy_items": rows.vacancies(vacancies_here),
                "changes": changes,
                "change_items": rows.changes(changes),
                "seats": seats_of[s.pk][:SEATS_SHOWN],
                "seat_rows": rows.seats(seats_of[s.pk][:SEATS_SHOWN]),
                "more_seats": len(seats_of[s.pk]) > SEATS_SHOWN,
            }
        )
    return {
        "memberships": mine,
        "membership_items": rows.own(mine),
        "subregions": subregions,
        "administered": administered,
        "days": ENDING_WITHIN_DAYS,
    }


class _Rows:
    """The panel's lists (a subregion administrator's hundreds of seats) as the items governance/_waiting.html
    shows, joined in Python (core.rows): the same HTML as the template loops they replace, reversing each route
    once."""

    def __init__(self):
        self.replace_url = url_for("governance:membership_replace")
        self.body_urls: dict[int, str] = {}

    def _body(self, body) -> str:
        if body.pk not in self.body_urls:
            self.body_urls[body.pk] = shown(body.get_absolute_url())
        return f'<a href="{self.body_urls[body.pk]}">{shown(body)}</a>'

    def _replace(self, m) -> str:
        hidden = f'<span class="visually-hidden"> {shown(m.person)} i {shown(m.body)}</span>'
        return f'<a href="{shown(self.replace_url(m.pk))}">Ersätt{hidden}</a>'

    def own(self, memberships) -> str:
        return mark_safe(  # noqa: S308 - every value through shown()
            "".join(
                f"<li>{self._body(m.body)} – {shown(m.get_role_display().lower())}"
                f"{f' för {shown(m.subregion)}' if m.subregion else ''}</li>"
                for m in memberships
            )
        )

    def vacancies(self, vacancies) -> str:
        items = []
        for v in vacancies:
            role = shown(v.get_role_display().lower())
            fill = ""
            if v.can_fill:
                url = reverse("governance:membership_create", args=[v.body.slug])
                query = f"?subregion={shown(v.subregion_id)}&amp;role={shown(v.role)}"
                hidden = f'<span class="visually-hidden"> platsen som {role} i {shown(v.body)}</span>'
                fill = f' · <a href="{shown(url)}{query}">Tillsätt{hidden}</a>'
            items.append(f"<li>{self._body(v.body)}: {role}, vakant sedan {shown(v.since)}{fill}</li>")
        return mark_safe("".join(items))  # noqa: S308 - every value through shown()

    def changes(self, changes) -> str:
        items = []
        for c in changes:
            m = c.membership
            action = ""
            if not c.starts:
                action = f" · {self._replace(m)}" if m.can_replace else " · tala med GITS-samordnarna om platsen"
            items.append(f"<li>{self._body(m.body)}, {shown(c.text)}{action}</li>")
        return mark_safe("".join(items))  # noqa: S308 - every value through shown()

    def seats(self, seats) -> str:
        rows = []
        for m in seats:
            successor = m.successor
            follows = (
                f'<br><span class="muted">ersätts av {shown(successor.person)} från {shown(successor.start_date)}</span>'
                if successor
                else ""
            )
            rows.append(
                f'<tr><td data-label="Organ">{self._body(m.body)}</td><td data-label="Namn">{shown(m.person)}</td>'
                f'<td data-label="Roll">{shown(m.get_role_display())}</td>'
                f'<td data-label="Till och med">{shown(m.end_date) if m.end_date else "tills vidare"}{follows}</td>'
                f'<td data-label="Åtgärder">{self._replace(m) if m.can_replace else ""}</td></tr>'
            )
        return mark_safe("".join(rows))  # noqa: S308 - every value through shown()
