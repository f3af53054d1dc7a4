"""Governance's panels on other pages (core.waiting): its part of the start page's "Väntar på dig"."""

from core import waiting

from . import permissions
from .models import Membership, Vacancy
from .services import today


@waiting.panel("governance/_waiting.html", slot="home", order=90)
def seats_waiting(request) -> dict | None:
    """Governance's part of "Väntar på dig": open seats to fill in the subregions one administers, and one's seats."""
    user = request.user
    if not user.is_authenticated:
        return None
    person = permissions.person_of(user)
    mine = []
    if person:
        mine = list(Membership.objects.current(today()).filter(person=person).select_related("body", "subregion"))
    subregions = permissions.administered_subregions(user)
    vacancies = []
    if subregions:
        vacancies = list(
            Vacancy.objects.visible_to(user).open().filter(subregion__in=subregions).select_related("body", "subregion")
        )
    return {"memberships": mine, "subregions": subregions, "vacancies": vacancies}
