"""The one permission policy: every view, form, service and template asks `can(user, action, obj)`.

Rights come from the governance structure itself. Membership-derived rights (coordinator, secretary,
representative) follow the membership's dates, so they end the day after the mandate ends. Delegated
rights (subregion administrator) are django-guardian object permissions granted on the container, the
subregion, so new seats need no permission rows.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from .models import Body, Membership, Subregion

# Actions (a small vocabulary; each maps to one rule below).
EDIT_BODY = "edit_body"  # body details, charters, status, composition rules: obj = Body or None (create)
MANAGE_SEAT = "manage_seat"  # appoint/replace/end a membership or vacancy: obj = (Body, Subregion | None)
VIEW_PERSON = "view_person"  # the internal person pages: obj = Person
VIEW_HISTORY = "view_history"  # an object's Historik: obj = any governed object

COORDINATING_KINDS = (Body.Kind.COORDINATION, Body.Kind.OPERATIVE)


def _today() -> datetime.date:
    return timezone.localdate()


def _memberships(user, on: datetime.date) -> list[Membership]:
    """The user's running memberships, cached on the user object for the request."""
    cache = user.__dict__.setdefault("_shvo_memberships", {})
    if on not in cache:
        cache[on] = list(
            Membership.objects.current(on).filter(person__user=user).select_related("body", "subregion")
        )
    return cache[on]


def is_admin(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


def is_coordinator(user, on: datetime.date | None = None) -> bool:
    """A GITS coordinator: a running membership in GITS or its operative team."""
    if not user or not user.is_authenticated:
        return False
    return any(m.body.kind in COORDINATING_KINDS for m in _memberships(user, on or _today()))


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


def can(user, action: str, obj=None) -> bool:
    user = user or AnonymousUser()
    if not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user):
        return True
    if action == EDIT_BODY:
        return is_coordinator(user)
    if action == MANAGE_SEAT:
        body, subregion = obj
        if subregion is None:
            # Seats that represent no subregion (GITS staff, chairs, preparers) are the coordinators'.
            return is_coordinator(user)
        return any(s.pk == subregion.pk for s in administered_subregions(user))
    if action in (VIEW_PERSON, VIEW_HISTORY):
        return True
    return False


def manageable_subregions(user, body: Body) -> list[Subregion] | None:
    """The subregions a membership form may offer: None means all (and 'no subregion')."""
    if is_admin(user):
        return None
    return administered_subregions(user)
