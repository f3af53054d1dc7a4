"""The one permission policy: every view, form, service and template asks `can(user, action, obj)`.

This module holds the dispatcher and the role facts (who holds which seat today); each app registers the rules for
its own actions with `@rule(ACTION)` in its rules module, so no rule here reads a documents or meetings object.

Rights come from the governance structure itself. Membership-derived rights (coordinator, secretary,
representative) follow the membership's dates, so they end the day after the mandate ends. Delegated
rights (subregion administrator) are django-guardian object permissions granted on the container, the
subregion, so new seats need no permission rows.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Body, Membership, Subregion

# Governance's actions (documents and meetings own theirs, in documents/rules.py and meetings/rules.py).
EDIT_BODY = "edit_body"  # body details, charters, status, composition rules: obj = Body or None (create)
MANAGE_SEAT = "manage_seat"  # appoint/replace/end a seat: obj = a Membership or Vacancy (body, role, subregion)
VIEW_PERSON = "view_person"  # the internal person pages: obj = Person
VIEW_HISTORY = "view_history"  # an object's Historik: obj = any governed object

COORDINATING_KINDS = (Body.Kind.COORDINATION, Body.Kind.OPERATIVE)
# The seats a subregion administrator fills for her subregion: representatives, never rights over others' work.
SUBREGION_SEAT_ROLES = (Membership.Role.MEMBER, Membership.Role.SUBSTITUTE, Membership.Role.VICE_CHAIR)

# Refusals of seat management, one message each (the field they point at is the key in seat_refusals).
SELF_SEAT = _("Du kan inte tillsätta eller ändra ditt eget uppdrag. Be en kollega eller administratören göra det.")
SEAT_NEEDS_COORDINATOR = _(
    "Platser som inte företräder en delregion (t.ex. sekreterare, beredningsansvariga, GITS) tillsätts av "
    "GITS-samordnarna. Välj din delregion, eller be en samordnare."
)
SEAT_OWN_SUBREGION = _("Du kan bara tillsätta platser för din egen delregion.")
SEAT_NOT_IN_COORDINATING_BODY = _(
    "%(b)s har inga delregionsplatser; dess platser tillsätts av GITS-samordnarna utan delregion."
)
SEAT_ROLE_NOT_FOR_SUBREGION = _(
    "En delregions plats kan vara ledamot, ersättare eller vice ordförande, inte %(r)s. Välj en av dessa roller."
)
SEAT_BODY_HAS_NO_SUBREGION_SEATS = _(
    "%(b)s ger inte delregionerna några platser enligt sina sammansättningsregler. Tala med GITS-samordnarna."
)


def _today() -> datetime.date:
    return timezone.localdate()


def _memberships(user, on: datetime.date) -> list[Membership]:
    """The user's running memberships, cached on the user object for the request (none for anonymous users)."""
    if not user or not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_shvo_memberships", {})
    if on not in cache:
        cache[on] = list(Membership.objects.current(on).filter(person__user=user).select_related("body", "subregion"))
    return cache[on]


def is_admin(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def _staff_memberships(user, on: datetime.date | None = None) -> list[Membership]:
    """Running memberships that may carry a staff right (coordinator, secretary, preparer): never a subregion's seat,
    so whoever fills subregion seats cannot create these rights."""
    if not user or not user.is_authenticated:
        return []
    return [m for m in _memberships(user, on or _today()) if m.subregion_id is None]


def is_coordinator(user, on: datetime.date | None = None) -> bool:
    """A GITS coordinator: a running seat in GITS or its operative team that is not a subregion's seat."""
    return any(m.body.kind in COORDINATING_KINDS for m in _staff_memberships(user, on))


def administered_subregions(user) -> list[Subregion]:
    """Subregions whose seats the user may manage (guardian object permission on the subregion)."""
    if not user or not user.is_authenticated:
        return []
    cache = user.__dict__
    if "_shvo_admin_subregions" not in cache:
        from guardian.shortcuts import get_objects_for_user

        cache["_shvo_admin_subregions"] = list(
            get_objects_for_user(user, "governance.manage_seats", klass=Subregion, accept_global_perms=False)
        )
    return cache["_shvo_admin_subregions"]


Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}
NOT_ALLOWED = _("Du har inte behörighet att göra detta.")


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the rule that answers `can(user, action, obj)`. Each app registers its own actions from its
    rules module (loaded by its AppConfig.ready); an action has exactly one rule."""

    def register(fn: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not fn:
            raise ImproperlyConfigured(f"Two rules for the action {action!r}")
        _RULES[action] = fn
        return fn

    return register


def can(user, action: str, obj=None) -> bool:
    """The one dispatcher: the rule registered for the action answers, for signed-in and anonymous users alike (an
    inactive account is treated as anonymous). An unknown action is refused."""
    user = user if user is not None and user.is_active else AnonymousUser()
    fn = _RULES.get(action)
    return bool(fn and fn(user, obj))


def require(actor, action: str, obj=None) -> None:
    """Refuse (PermissionDenied) unless the policy allows the action: what services call first."""
    if not can(actor, action, obj):
        raise PermissionDenied(NOT_ALLOWED)


NO_PERSON = _("Ditt konto är inte kopplat till en person, så du kan inte skriva under detta. Kontakta administratören.")


def require_person(actor):
    """What is signed (an approval, a comment, a correction, a response) is signed by a person: an account without one
    (the technical administrator) is told so, never failed."""
    person = person_of(actor)
    if person is None:
        raise ValidationError(NO_PERSON)
    return person


@rule(EDIT_BODY)
def _edit_body(user, body) -> bool:
    return is_admin(user) or is_coordinator(user)


@rule(MANAGE_SEAT)
def _manage_seat(user, seat) -> bool:
    return user.is_authenticated and not seat_refusals(user, body=seat.body, role=seat.role, subregion=seat.subregion)


@rule(VIEW_PERSON)
def _view_person(user, person) -> bool:
    return user.is_authenticated


@rule(VIEW_HISTORY)
def _view_history(user, obj) -> bool:
    return user.is_authenticated


def seat_refusals(user, *, body: Body, role: str, subregion: Subregion | None, person=None) -> dict[str, str]:
    """Why the user may not fill this seat ({field: message}; empty when allowed). A right is checked for the seat it
    grants: a subregion administrator fills only her subregion's representative seats in bodies that give subregions
    seats; coordinators fill the seats without a subregion; nobody but the administrator appoints themselves."""
    user = user or AnonymousUser()
    if not user.is_authenticated or not user.is_active:
        return {"__all__": str(SEAT_NEEDS_COORDINATOR)}
    if is_admin(user):
        return {}
    if person is not None and person.user_id is not None and person.user_id == user.pk:
        return {"person": str(SELF_SEAT)}
    if subregion is None:
        return {} if is_coordinator(user) else {"subregion": str(SEAT_NEEDS_COORDINATOR)}
    if not any(s.pk == subregion.pk for s in administered_subregions(user)):
        return {"subregion": str(SEAT_OWN_SUBREGION)}
    if body.kind in COORDINATING_KINDS:
        return {"subregion": str(SEAT_NOT_IN_COORDINATING_BODY % {"b": body})}
    if role not in SUBREGION_SEAT_ROLES:
        label = Membership.Role(role).label.lower() if role in Membership.Role.values else role
        return {"role": str(SEAT_ROLE_NOT_FOR_SUBREGION % {"r": label})}
    if not gives_subregion_seats(body, subregion):
        return {"subregion": str(SEAT_BODY_HAS_NO_SUBREGION_SEATS % {"b": body})}
    return {}


def may_manage_seats(user) -> bool:
    """Whether the user fills any seats at all (the administrator, a coordinator, a subregion administrator)."""
    return is_admin(user) or is_coordinator(user) or bool(administered_subregions(user))


def seat_scope(user, body: Body) -> list[Subregion] | None:
    """The subregions whose seats in this body the user may fill: None means every seat (the administrator, and
    coordinators for the seats without a subregion); [] means none."""
    if is_admin(user) or is_coordinator(user):
        return None
    if body.kind in COORDINATING_KINDS:
        return []
    return [s for s in administered_subregions(user) if gives_subregion_seats(body, s)]


def may_appoint_in(user, body: Body) -> bool:
    """Whether the body page offers this user to fill a seat."""
    scope = seat_scope(user, body)
    return scope is None or bool(scope)


def gives_subregion_seats(body: Body, subregion: Subregion) -> bool:
    """A body has seats for a subregion when its composition rules count that subregion's representatives, or when
    it is that subregion's own body."""
    from .models import CompositionRule

    if body.subregion_id == subregion.pk:
        return True
    if "_shvo_seat_rules" not in body.__dict__:  # one query per body and request: the rules' subregions
        body.__dict__["_shvo_seat_rules"] = set(
            CompositionRule.objects.filter(body=body, kind=CompositionRule.Kind.PER_SUBREGION).values_list(
                "subregion_id", flat=True
            )
        )
    rules = body.__dict__["_shvo_seat_rules"]
    return None in rules or subregion.pk in rules


def person_of(user):
    if not user or not user.is_authenticated:
        return None
    if "_shvo_person" not in user.__dict__:
        from .models import Person

        user.__dict__["_shvo_person"] = Person.objects.filter(user=user).first()
    return user.__dict__["_shvo_person"]


def is_secretary_of(user, body, on: datetime.date | None = None) -> bool:
    """A running secretary membership in the body gives secretary rights for its meetings only."""
    return any(m.body_id == body.pk and m.role == Membership.Role.SECRETARY for m in _staff_memberships(user, on))


def is_member_of(user, body, on: datetime.date | None = None) -> bool:
    """Any running membership in the body (members, chair, secretary, substitutes, preparers)."""
    return any(m.body_id == body.pk for m in _memberships(user, on or _today()))


def represented_subregion_ids(user) -> set[int]:
    """Subregions the user speaks for today: running representative memberships (member, chair, vice chair)."""
    if not user or not user.is_authenticated:
        return set()
    return {
        m.subregion_id
        for m in _memberships(user, _today())
        if m.subregion_id and m.role in Membership.REPRESENTATIVE_ROLES
    }


def is_preparer(user) -> bool:
    """A VVG/SITIV preparer (beredningsansvarig): a running preparer seat that is not a subregion's seat."""
    return any(m.role == Membership.Role.PREPARER for m in _staff_memberships(user))


def secretary_body_ids(user) -> set[int]:
    return {m.body_id for m in _staff_memberships(user) if m.role == Membership.Role.SECRETARY}


def member_body_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return {m.body_id for m in _memberships(user, _today())}
