"""Governance's panels on other pages (core.waiting): its part of the start page's "Väntar på dig"."""

from core import waiting
from core.collation import swedish

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
    subregions = permissions.administered_subregions(user)
    if not subregions:
        return {"memberships": mine, "subregions": [], "administered": []}
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
        administered.append(
            {
                "subregion": s,
                "vacancies": [v for v in vacancies if v.subregion_id == s.pk],
                "changes": term_changes([m for m in coming if m.subregion_id == s.pk], on=on),
                "seats": seats_of[s.pk][:SEATS_SHOWN],
                "more_seats": len(seats_of[s.pk]) > SEATS_SHOWN,
            }
        )
    return {"memberships": mine, "subregions": subregions, "administered": administered, "days": ENDING_WITHIN_DAYS}
