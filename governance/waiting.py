"""Governance's panels on other pages (core.waiting): its part of the start page's "Väntar på dig"."""

from django.db.models import F
from django.urls import reverse
from django.utils.safestring import mark_safe

from core import waiting
from core.rows import shown, url_for

from . import permissions, rules
from .models import Membership, Vacancy
from .querysets import first_per
from .services import ENDING_WITHIN_DAYS, term_changes, today

# Rows of each list per administered subregion on the start page (vacancies, coming changes, running seats), and
# of one's own seats: the first ones, soonest first, with a link to all of them on the subregion's or person's page.
SHOWN = 10


@waiting.panel("governance/_waiting.html", slot="home", order=90)
def seats_waiting(request) -> dict | None:
    """Governance's part of "Väntar på dig": one's own seats, and for a subregion administrator her subregions'
    vacancies, terms ending within ENDING_WITHIN_DAYS days and running seats, each with the action to take (the seat
    rules in governance.rules say which; a seat already replaced says by whom instead). Each list shows its first
    SHOWN rows per subregion (one query per list, querysets.first_per) and says how many there are in all."""
    user = request.user
    if not user.is_authenticated:
        return None
    person = permissions.person_of(user)
    on = today()
    mine = []
    if person:
        mine = list(
            Membership.objects.current(on)
            .filter(person=person)
            .select_related("body", "subregion")
            .order_by("body__sort_order", "body__name", "pk")[: SHOWN + 1]
        )
    rows = _Rows()
    own = {
        "memberships": mine[:SHOWN],
        "membership_items": rows.own(mine[:SHOWN]),
        "more_memberships": person if len(mine) > SHOWN else None,
    }
    subregions = permissions.administered_subregions(user)
    if not subregions:
        return {**own, "subregions": [], "administered": []}
    vacancies_of = first_per(
        Vacancy.objects.visible_to(user).open().filter(subregion__in=subregions).select_related("body", "subregion"),
        "subregion_id",
        order=("since", "pk"),
        n=SHOWN,
    )
    coming_of = first_per(
        Membership.objects.filter(subregion__in=subregions)
        .changes(on, days=ENDING_WITHIN_DAYS)
        .select_related("person", "body", "subregion", "replaces__person"),
        "subregion_id",
        order=("change_on", "person__first_name", "person__last_name", "pk"),
        n=SHOWN,
    )
    seats_of = first_per(
        Membership.objects.current(on).filter(subregion__in=subregions).select_related("person", "body", "subregion"),
        "subregion_id",
        order=(F("end_date").asc(nulls_last=True), "start_date", "pk"),  # the terms that end first
        n=SHOWN,
    )
    vacancies = [v for found in vacancies_of.values() for v in found]
    coming = [m for found in coming_of.values() for m in found]
    seats = [m for found in seats_of.values() for m in found]
    rules.note_seat_rules([x.body for x in [*vacancies, *coming, *seats]])
    # The successors of the terms shown, appointed already (whether or not they are among the changes shown).
    successors = list(
        Membership.objects.filter(replaces__in=[m.pk for m in [*coming, *seats]], start_date__gt=on).select_related(
            "person"
        )
    )
    rules.note_successors([*coming, *seats], [*coming, *successors])
    for v in vacancies:
        v.can_fill = not rules.seat_check(user, v)
    for m in [*coming, *seats]:
        m.can_replace = not rules.replace_check(user, m)
    administered = []
    for s in subregions:
        vacancies_here = vacancies_of.get(s.pk, [])
        changes = term_changes(coming_of.get(s.pk, []), on=on)
        seats_here = seats_of.get(s.pk, [])
        administered.append(
            {
                "subregion": s,
                "vacancies": vacancies_here,
                "vacancy_items": rows.vacancies(vacancies_here),
                "vacancy_count": _in_group(vacancies_here),
                "changes": changes,
                "change_items": rows.changes(changes),
                "change_count": _in_group(coming_of.get(s.pk, [])),
                "seats": seats_here,
                "seat_rows": rows.seats(seats_here),
                "seat_count": _in_group(seats_here),
            }
        )
    return {**own, "subregions": subregions, "administered": administered, "days": ENDING_WITHIN_DAYS, "shown": SHOWN}


def _in_group(rows) -> int:
    """How many rows the list has in all (querysets.first_per's `in_group`), whatever it shows."""
    return rows[0].in_group if rows else 0


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
