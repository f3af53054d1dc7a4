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
MANAGE_MEETINGS = "manage_meetings"  # plan meetings, agendas, attendance, minutes, publish: obj = Body
VIEW_MEETINGS = "view_meetings"  # see a body's meetings, agendas and draft minutes: obj = Body
JUSTERA = "justera"  # approve or comment minutes: obj = Meeting (its chair and justerare)
EDIT_PLAN = "edit_plan"  # write a management plan, open review rounds, record dispositions, submit: obj = plan
VIEW_PLAN = "view_plan"  # read a plan: obj = plan (public once in force; drafts for coordinators and the audience)
RECORD_POSITION = "record_position"  # record VVG's position on a submitted plan: obj = plan
COMMENT = "comment"  # comment in a review round: obj = round
RESPOND = "respond"  # write and submit a subregion's joint response: obj = (round, subregion)

COORDINATING_KINDS = (Body.Kind.COORDINATION, Body.Kind.OPERATIVE)


def _today() -> datetime.date:
    return timezone.localdate()


def _memberships(user, on: datetime.date) -> list[Membership]:
    """The user's running memberships, cached on the user object for the request."""
    cache = user.__dict__.setdefault("_shvo_memberships", {})
    if on not in cache:
        cache[on] = list(Membership.objects.current(on).filter(person__user=user).select_related("body", "subregion"))
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
    if action == MANAGE_MEETINGS:
        return is_secretary_of(user, obj)
    if action == VIEW_MEETINGS:
        return is_member_of(user, obj) or is_coordinator(user)
    if action == EDIT_PLAN:
        return is_coordinator(user)
    if action == VIEW_PLAN:
        return (
            obj.is_public
            or is_coordinator(user)
            or is_preparer(user)
            or bool(represented_subregion_ids(user) & {s.pk for r in obj.rounds.all() for s in r.subregions.all()})
        )
    if action == RECORD_POSITION:
        return is_preparer(user)
    if action == COMMENT:
        return is_coordinator(user) or bool(represented_subregion_ids(user) & {s.pk for s in obj.subregions.all()})
    if action == RESPOND:
        round_, subregion = obj
        return subregion.pk in represented_subregion_ids(user) and any(
            s.pk == subregion.pk for s in round_.subregions.all()
        )
    if action == JUSTERA:
        person = person_of(user)
        return person is not None and (obj.chair_id == person.pk or any(p.pk == person.pk for p in obj.adjusters.all()))
    return False


def person_of(user):
    if not user or not user.is_authenticated:
        return None
    if "_shvo_person" not in user.__dict__:
        from .models import Person

        user.__dict__["_shvo_person"] = Person.objects.filter(user=user).first()
    return user.__dict__["_shvo_person"]


def is_secretary_of(user, body, on: datetime.date | None = None) -> bool:
    """A running secretary membership in the body gives secretary rights for its meetings only."""
    return any(m.body_id == body.pk and m.role == Membership.Role.SECRETARY for m in _memberships(user, on or _today()))


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
    """A VVG/SITIV preparer (beredningsansvarig): a running preparer membership."""
    if not user or not user.is_authenticated:
        return False
    return any(m.role == Membership.Role.PREPARER for m in _memberships(user, _today()))


def secretary_body_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return {m.body_id for m in _memberships(user, _today()) if m.role == Membership.Role.SECRETARY}


def member_body_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return {m.body_id for m in _memberships(user, _today())}


def manageable_subregions(user, body: Body) -> list[Subregion] | None:
    """The subregions a membership form may offer: None means all (and 'no subregion')."""
    if is_admin(user):
        return None
    return administered_subregions(user)
