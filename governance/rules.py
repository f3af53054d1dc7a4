"""Governance's own actions and their rules: editing bodies, filling seats, reading people and history.

Registered with the one dispatcher (`permissions.can`) when GovernanceConfig.ready loads this module. The role facts
the rules read (is_admin, is_coordinator, administered_subregions …) are in governance.permissions.

State-aware checks return the refusals (Swedish, empty = allowed) that the services raise and the pages show:
`seat_refusals(...)` keyed by the form field they concern, `seat_check(actor, seat)` as a list.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from .models import Body, Membership, Subregion
from .permissions import COORDINATING_KINDS, administered_subregions, is_admin, is_coordinator, person_of, rule

EDIT_BODY = "edit_body"  # body details, charters, status, composition rules: obj = Body or None (create)
MANAGE_SEAT = "manage_seat"  # appoint/replace/end a seat: obj = a Membership or Vacancy (body, role, subregion)
APPOINT_IN = "appoint_in"  # open a seat form in a body at all (some seat there is the user's to fill): obj = Body
VIEW_PERSON = "view_person"  # the internal person pages: obj = Person
VIEW_HISTORY = "view_history"  # an object's Historik: obj = any governed object

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


@rule(EDIT_BODY)
def _edit_body(user, body) -> bool:
    return is_admin(user) or is_coordinator(user)


@rule(MANAGE_SEAT)
def _manage_seat(user, seat) -> bool:
    return user.is_authenticated and not seat_check(user, seat)


@rule(APPOINT_IN)
def _appoint_in(user, body) -> bool:
    return user.is_authenticated and may_appoint_in(user, body)


@rule(VIEW_PERSON)
def _view_person(user, person) -> bool:
    return user.is_authenticated


@rule(VIEW_HISTORY)
def _view_history(user, obj) -> bool:
    """One rule for every object's Historik, asked of the object's own queryset (so this module reads no other app's
    model): its `history_visible_to(user)` scope when the model has one (a plan's drafts, a meeting's justering),
    else its `visible_to(user)`. A queryset whose class says `public = True` or `signed_in = True` is read by every
    signed-in user without a query. A model with neither scope is refused: history is never open by default."""
    if not user.is_authenticated or obj is None:
        return False
    objects = type(obj)._default_manager.all()
    if getattr(type(objects), "public", None) is True or getattr(type(objects), "signed_in", None) is True:
        return True  # everything, for everyone (public) or for every signed-in user: no query needed
    scope = getattr(objects, "history_visible_to", None) or getattr(objects, "visible_to", None)
    if scope is None:
        return is_admin(user)
    return scope(user).filter(pk=obj.pk).exists()


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


def seat_check(actor, seat, *, person=None) -> list[str]:
    """The refusals for this seat (a Membership or Vacancy: body, role, subregion), empty when the actor may fill it:
    what the services raise and what the body page's Ersätt/Avsluta/Ändra links ask."""
    return list(seat_refusals(actor, body=seat.body, role=seat.role, subregion=seat.subregion, person=person).values())


def gives_up_own_seat(user, seat) -> bool:
    """Ending or handing on one's own seat gives up the rights it grants, and nobody changes her own seat afterwards
    (only the administrator could put it back), so it cannot be undone by the one who does it: the portal asks first.
    Any other seat's end date can be changed afterwards (Ändra uppdrag)."""
    person = person_of(user)
    return person is not None and not is_admin(user) and seat.person_id == person.pk


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
