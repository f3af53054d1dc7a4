"""Governance's own actions and their rules: editing bodies, filling seats, reading people and history.

Registered with the one dispatcher (`permissions.can`) when GovernanceConfig.ready loads this module. The role facts
the rules read (is_admin, is_coordinator, administered_subregions …) are in governance.permissions.

State-aware checks return the refusals (Swedish, empty = allowed) that the services raise and the pages show:
`seat_refusals(...)` keyed by the form field they concern, `seat_check(actor, seat)` as a list.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from .models import Body, Membership, Person, Subregion
from .permissions import COORDINATING_KINDS, administered_subregions, is_admin, is_coordinator, person_of, rule

EDIT_BODY = "edit_body"  # body details, charters, status, composition rules: obj = Body or None (create)
MANAGE_SEAT = "manage_seat"  # appoint/replace/end a seat: obj = a Membership or Vacancy (body, role, subregion)
APPOINT_IN = "appoint_in"  # open a seat form in a body at all (some seat there is the user's to fill): obj = Body
VIEW_PERSON = "view_person"  # the internal person pages: obj = Person
VIEW_HISTORY = "view_history"  # an object's Historik: obj = any governed object
INVITE_ACCOUNT = (
    "invite_account"  # invite a person to an account by e-mail (or send the invitation again): obj = Person
)

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
SEAT_ALREADY_REPLACED = _(
    "%(new)s ersätter redan %(old)s från %(d)s. Ändra eller avsluta det kommande uppdraget i stället för att ersätta "
    "en gång till."
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


def replace_check(actor, membership) -> list[str]:
    """The refusals for replacing this seat's holder: the seat's own (seat_check), and a seat whose successor is
    already appointed (a second replacement would give the seat two incoming holders). What membership_replace
    raises and what the body page and the start page ask before they offer "Ersätt"."""
    return seat_check(actor, membership) + replaced_refusals(membership)


def replaced_refusals(membership) -> list[str]:
    """The state half of replace_check: refused when the seat's successor is already appointed."""
    successor = successor_of(membership)
    if successor is None:
        return []
    return [
        str(
            SEAT_ALREADY_REPLACED
            % {"new": successor.person, "old": membership.person, "d": successor.start_date.isoformat()}
        )
    ]


def successor_of(membership: Membership) -> Membership | None:
    """The term that replaces this one (Membership.replaces points back at it), or None. Pages that list many seats
    pass the successors they have loaded with `note_successors`; otherwise this asks once per membership."""
    if "successor" not in membership.__dict__:
        membership.__dict__["successor"] = (
            Membership.objects.filter(replaces=membership).select_related("person").order_by("start_date").first()
            if membership.pk
            else None
        )
    return membership.__dict__["successor"]


def note_successors(memberships, candidates) -> None:
    """Tell each membership its successor from already loaded terms (`candidates` must hold every term that could
    replace them, e.g. all of the body's terms starting after today for its running seats): no query per row."""
    by_replaced = {c.replaces_id: c for c in candidates if c.replaces_id}
    for m in memberships:
        m.__dict__["successor"] = by_replaced.get(m.pk)


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


def note_seat_rules(bodies) -> None:
    """Load, in one query, which subregions the bodies' composition rules give seats (what gives_subregion_seats
    reads), for lists that ask the seat rule of many bodies' seats."""
    from .models import CompositionRule

    pending = [b for b in bodies if "_shvo_seat_rules" not in b.__dict__]
    if not pending:
        return
    found: dict[int, set] = {b.pk: set() for b in pending}
    rows = CompositionRule.objects.filter(body_id__in=found, kind=CompositionRule.Kind.PER_SUBREGION)
    for body_id, subregion_id in rows.values_list("body_id", "subregion_id"):
        found[body_id].add(subregion_id)
    for b in pending:
        b.__dict__["_shvo_seat_rules"] = found[b.pk]


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


# --- accounts ----------------------------------------------------------------------------------

# Refusals of an invitation by the person's account (the right itself is INVITE_ACCOUNT, refused with 403).
INVITE_HAS_ACCOUNT = _(
    "%(p)s har redan ett konto. Har hen glömt lösenordet väljer hen ett nytt med ”Glömt lösenordet?” på "
    "inloggningssidan."
)
INVITE_ACCOUNT_CLOSED = _("%(p)s har ett konto som är avstängt. Kontakta portalens administratör.")


def invitable_people(user):
    """The people the user may invite to an account, the other side of INVITE_ACCOUNT: the administrator anyone; a
    subregion administrator her subregion's people, meaning those whose running and coming seats are all seats she
    fills herself (SUBREGION_SEAT_ROLES for a subregion she administers), with at least one. The inviter chooses the
    address the set-password link goes to, so an invitation may reach no right beyond the seats she could fill:
    someone who also holds a secretary, preparer, coordinating or chair seat, or another subregion's seat, is
    invited by the administrator."""
    if is_admin(user):
        return Person.objects.all()
    ids = [s.pk for s in administered_subregions(user)]
    if not ids:
        return Person.objects.none()
    return Person.objects.seated_only_in(ids, roles=SUBREGION_SEAT_ROLES)


@rule(INVITE_ACCOUNT)
def _invite_account(user, person) -> bool:
    if not user.is_authenticated or person is None:
        return False
    return is_admin(user) or invitable_people(user).filter(pk=person.pk).exists()


def invitation_pending(account) -> bool:
    """An account that waits for its first password: active, no usable password, never signed in. Only such an
    account is invited again (or sent a set-password link from "Glömt lösenordet?"); one in use never is."""
    return (
        account is not None and account.is_active and not account.has_usable_password() and account.last_login is None
    )


def invite_check(actor, person) -> list[str]:
    """Why the person cannot be invited now (empty: they can): an account in use, or a closed one. A person without
    an account, or whose invitation is still pending, can be invited (again)."""
    account = person.user if person.user_id else None
    if account is None or invitation_pending(account):
        return []
    if not account.is_active:
        return [str(INVITE_ACCOUNT_CLOSED % {"p": person})]
    return [str(INVITE_HAS_ACCOUNT % {"p": person})]


# --- population --------------------------------------------------------------------------------

IMPORT_POPULATION = "import_population"  # import SCB's population figures for the municipalities: obj = None
POPULATION_IMPORT_REFUSED = _(
    "Folkmängder importeras av portalens administratör och GITS-samordnarna. Skicka filen till en samordnare."
)


def population_import_check(actor) -> list[str]:
    """Why the actor may not import population figures (empty: she may): the administrator and the GITS coordinators
    keep the figures every municipality's invoice is split by."""
    if actor is not None and actor.is_authenticated and actor.is_active and (is_admin(actor) or is_coordinator(actor)):
        return []
    return [str(POPULATION_IMPORT_REFUSED)]


@rule(IMPORT_POPULATION)
def _import_population(user, obj) -> bool:
    return not population_import_check(user)
