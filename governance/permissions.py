"""The one permission policy: every view, form, service and template asks `can(user, action, obj)`.

Rights come from the governance structure itself. Membership-derived rights (coordinator, secretary,
representative) follow the membership's dates, so they end the day after the mandate ends. Delegated
rights (subregion administrator) are django-guardian object permissions granted on the container, the
subregion, so new seats need no permission rows.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Body, Membership, Subregion

# Actions (a small vocabulary; each maps to one rule below).
EDIT_BODY = "edit_body"  # body details, charters, status, composition rules: obj = Body or None (create)
MANAGE_SEAT = "manage_seat"  # appoint/replace/end a seat: obj = a Membership or Vacancy (body, role, subregion)
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
    """The user's running memberships, cached on the user object for the request."""
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


def can(user, action: str, obj=None) -> bool:
    user = user or AnonymousUser()
    if not user.is_authenticated or not user.is_active:
        return False
    if action == JUSTERA:
        return is_signatory(user, obj)
    if is_admin(user):
        return True
    if action == EDIT_BODY:
        return is_coordinator(user)
    if action == MANAGE_SEAT:
        return not seat_refusals(user, body=obj.body, role=obj.role, subregion=obj.subregion)
    if action in (VIEW_PERSON, VIEW_HISTORY):
        return True
    if action == MANAGE_MEETINGS:
        return is_secretary_of(user, obj)
    if action == VIEW_MEETINGS:
        return is_member_of(user, obj) or is_coordinator(user)
    if action == EDIT_PLAN:
        return is_coordinator(user)
    if action == VIEW_PLAN:
        return obj.is_public or works_with_plan(user, obj)
    if action == RECORD_POSITION:
        return is_preparer(user)
    if action == COMMENT:
        return is_coordinator(user) or bool(represented_subregion_ids(user) & {s.pk for s in obj.subregions.all()})
    if action == RESPOND:
        round_, subregion = obj
        return subregion.pk in represented_subregion_ids(user) and any(
            s.pk == subregion.pk for s in round_.subregions.all()
        )
    return False


def works_with_plan(user, plan) -> bool:
    """Those who write, review or decide a plan: they see its drafts and versions, not only what is in force."""
    if not user or not user.is_authenticated:
        return False
    return (
        is_admin(user)
        or is_coordinator(user)
        or is_preparer(user)
        or bool(represented_subregion_ids(user) & {s.pk for r in plan.rounds.all() for s in r.subregions.all()})
    )


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


def is_signatory(user, meeting) -> bool:
    """The meeting's chair or one of its justerare, in person: nobody approves minutes on another's behalf, not even
    the administrator."""
    person = person_of(user)
    return person is not None and (
        meeting.chair_id == person.pk or any(p.pk == person.pk for p in meeting.adjusters.all())
    )


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
