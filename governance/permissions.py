"""The one permission policy: every view, form, service and template asks `can(user, action, obj)`.

This module holds the dispatcher and the role facts (who holds which seat today); each app registers the rules for
its own actions with `@rule(ACTION)` in its rules module (governance/rules.py, documents/rules.py, meetings/rules.py),
so nothing here reads a documents or meetings object.

Rights come from the governance structure itself. Membership-derived rights (coordinator, secretary,
representative) follow the membership's dates, so they end the day after the mandate ends. Delegated
rights (subregion administrator) are django-guardian object permissions granted on the container, the
subregion, so new seats need no permission rows.
"""

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Body, Membership, Subregion

COORDINATING_KINDS = (Body.Kind.COORDINATION, Body.Kind.OPERATIVE)  # GITS and its operative team


def _today() -> datetime.date:
    return timezone.localdate()


class Seat(NamedTuple):
    """What the role facts read of one of the user's running seats (a coordinator may hold hundreds)."""

    body_id: int
    body_kind: str
    role: str
    subregion_id: int | None


def _memberships(user, on: datetime.date) -> list[Seat]:
    """The user's running seats, cached on the user object for the request (none for anonymous users)."""
    if not user or not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_shvo_memberships", {})
    if on not in cache:
        rows = Membership.objects.current(on).filter(person__user=user).order_by()
        cache[on] = [Seat(*row) for row in rows.values_list("body_id", "body__kind", "role", "subregion_id")]
    return cache[on]


def is_admin(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def _staff_memberships(user, on: datetime.date | None = None) -> list[Seat]:
    """Running memberships that may carry a staff right (coordinator, secretary, preparer): never a subregion's seat,
    so whoever fills subregion seats cannot create these rights."""
    if not user or not user.is_authenticated:
        return []
    return [m for m in _memberships(user, on or _today()) if m.subregion_id is None]


def is_coordinator(user, on: datetime.date | None = None) -> bool:
    """A GITS coordinator: a running seat in GITS or its operative team that is not a subregion's seat."""
    return any(m.body_kind in COORDINATING_KINDS for m in _staff_memberships(user, on))


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


def require(actor, action: str, obj=None, *, refusal=None) -> None:
    """Refuse (PermissionDenied) unless the policy allows the action: what services call first. `refusal` is the
    rule's own message when it has one (what to do instead), else the general one."""
    if not can(actor, action, obj):
        raise PermissionDenied(refusal or NOT_ALLOWED)


NO_PERSON = _("Ditt konto är inte kopplat till en person, så du kan inte skriva under detta. Kontakta administratören.")


def require_person(actor):
    """What is signed (an approval, a comment, a correction, a response) is signed by a person: an account without one
    (the technical administrator) is told so, never failed."""
    person = person_of(actor)
    if person is None:
        raise ValidationError(NO_PERSON)
    return person


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


def preparer_body_ids(user) -> set[int]:
    """The bodies whose decisions the user prepares (a running preparer seat that is not a subregion's seat)."""
    return {m.body_id for m in _staff_memberships(user) if m.role == Membership.Role.PREPARER}


def secretary_body_ids(user) -> set[int]:
    return {m.body_id for m in _staff_memberships(user) if m.role == Membership.Role.SECRETARY}


def member_body_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return {m.body_id for m in _memberships(user, _today())}
