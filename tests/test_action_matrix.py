"""Every route that accepts POST × every role × every lifecycle state answers as the rules say, and a refused POST
writes nothing.

ACTIONS lists each POST action (a route, or one of its forms: `meetings:attendance[fill]`), the states its object is
built in (tests/action_states.py, through the real services), its valid data, and the outcome per role and state:
ALLOWED (302 and the database changed, every new history row naming the poster and a reason), FORBIDDEN 403 / HIDDEN 404 / LOGIN (refused by right), or REFUSED_BACK /
REFUSED_FORM (refused by the object's state or a rule: 302 back with a message, or 200 with the form's error). Every
refusal must leave the database as it was. Every other route is in GET_ONLY; a route in neither fails the first test.

One test per action and state builds the object once and posts as each role inside a savepoint that is rolled back,
so every role meets the same object in the same state. "Unchanged" is a fingerprint of every row of the project's
tables (history and many-to-many included), the users and the seat rights.

KNOWN lists the cells where the code disagrees with the rules (shared/DOMAIN.md "Who may do what"); each one is a
strict xfail in test_known_disagreement, so fixing the code turns it into a failure that asks for its entry to go.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import transaction
from django.forms import BaseForm
from django.test import Client
from django.urls import get_resolver, reverse

from core.web import BACK, CONFIRMED
from tests import action_states as st
from tests.test_access_matrix import EXPECTED as GET_MATRIX
from tests.test_access_matrix import ROLES, SIGNED_IN, _fill, walk

pytestmark = pytest.mark.django_db

PASSWORD = "matris-losenord-1"


@dataclass(frozen=True)
class Outcome:
    status: int
    writes: bool | None  # True: the database changed; False: unchanged; None: not a database action (sign in/out)
    label: str
    login: bool = False  # a redirect to the sign-in page
    told: bool = False  # the page says why: an error message, or a form with errors
    check: Callable | None = None  # (client, ctx) -> a problem, or None
    page: Callable | None = None  # (response, posted data) -> a problem with the page answered, or None


ALLOWED = Outcome(302, True, "allowed")
FORBIDDEN = Outcome(403, False, "403")
HIDDEN = Outcome(404, False, "404")
LOGIN = Outcome(302, False, "to sign-in", login=True)
REFUSED_BACK = Outcome(302, False, "refused, back with a message", told=True)
REFUSED_FORM = Outcome(200, False, "refused, form error", told=True)


def _told(response) -> bool:
    """The answer explains the refusal: an error message for the next page, or a form (or the page) with errors."""
    if any(m.level >= messages.ERROR for m in get_messages(response.wsgi_request)):
        return True
    for context in response.context or []:
        for value in context.flatten().values():
            forms = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(f, BaseForm) and f.errors for f in forms):
                return True
    return bool(response.context and response.context.get("has_errors"))


def username(role):
    return "lasare" if role == "reader" else role


@dataclass(frozen=True)
class Action:
    route: str
    states: dict[str, Callable[[], dict]]  # state → builder of the objects the path and the data need
    path: Callable[[dict], str]
    payload: Callable[[dict, str], dict]  # (objects, role) → POST data
    expect: Callable[[str], dict[str, Outcome]]  # state → role → outcome
    button: str = ""  # which of the route's forms or buttons
    effect: Callable | None = None  # (objects) → bool: what an allowed POST must have done, beyond writing
    asks: Callable[[str, str], bool] | None = None  # (state, role) → an allowed POST asks first (ASKS_FIRST)

    @property
    def name(self):
        return f"{self.route}[{self.button}]" if self.button else self.route


def act(route, states, obj, payload, expect, button="", effect=None):
    """An action whose URL names `obj` (a key of the built objects; a slug for bodies) or is a fixed path."""
    if isinstance(obj, str) and obj.startswith("/"):
        path = lambda ctx: obj  # noqa: E731
    else:
        path = lambda ctx: reverse(route, args=[ctx[obj].slug if obj == "body" else ctx[obj].pk])  # noqa: E731
    if isinstance(payload, dict):
        data = lambda ctx, role: dict(payload)  # noqa: E731
    else:
        data = lambda ctx, role: payload(ctx)  # noqa: E731
    return Action(route, states, path, data, expect, button, effect)


# --- who may do what ---------------------------------------------------------------------------
COORDINATORS = ["samordnare", "admin"]
SECRETARIES = ["sekreterare", "admin"]
PREPARERS = ["beredning", "admin"]
SIGNATORIES = ["ordforande", "fyrbodal"]  # the chair and the justerare of the group's meetings (meetings/demo.py)
OUTSIDERS = ["reader", "admin-fyrbodal", "beredning"]  # see none of the group's meetings until they are published


def everyone(outcome, anonymous=LOGIN):
    return {**dict.fromkeys(SIGNED_IN, outcome), "anonymous": anonymous}


def only(allowed):
    """A right with no object state: the allowed roles write, everyone else signed in gets 403."""
    return lambda state: {**everyone(FORBIDDEN), **dict.fromkeys(allowed, ALLOWED)}


def managing(ok_states, refused):
    """The secretary's work on a Referensgrupp SHVO meeting (sekreterare, admin) in the states the rule allows;
    members who see the meeting get 403, outsiders 404."""

    def expect(state):
        mine = ALLOWED if state in ok_states else refused
        return {**everyone(FORBIDDEN), **dict.fromkeys(OUTSIDERS, HIDDEN), **dict.fromkeys(SECRETARIES, mine)}

    return expect


def signing(ok_states, refused):
    """Justering and approving corrections: the meeting's chair and justerare in person, not the administrator.
    Published minutes are public, so there outsiders see the meeting and get 403."""

    def expect(state):
        mine = ALLOWED if state in ok_states else refused
        outsiders = FORBIDDEN if state.startswith("published") else HIDDEN
        return {**everyone(FORBIDDEN), **dict.fromkeys(OUTSIDERS, outsiders), **dict.fromkeys(SIGNATORIES, mine)}

    return expect


PLAN_AUTHOR = {"submitted_by_admin": "admin"}  # whoever wrote a plan does not record the decision on it


def planning(allowed, ok_states, refused):
    """A plan action in the states the rule allows. A draft is seen by coordinators and preparers, a plan with a
    round also by the representatives asked, a plan in force by everyone: who sees it but may not act gets 403,
    who may not see it 404."""

    def expect(state):
        viewers = {"samordnare", "beredning", "admin"}
        if state != "draft":
            viewers |= {"fyrbodal", "skaraborg"}
        if state.startswith("in_force"):
            viewers = set(SIGNED_IN)
        out = {"anonymous": LOGIN}
        for role in SIGNED_IN:
            if role in allowed:
                out[role] = ALLOWED if state in ok_states and PLAN_AUTHOR.get(state) != role else refused
            else:
                out[role] = FORBIDDEN if role in viewers else HIDDEN
        return out

    return expect


def in_round(allowed, ok_states, refused, anonymous=LOGIN):
    """A round is for its audience (the coordinators and the representatives of the subregions asked); 404 for
    everyone else. In the audience, who may not do the thing gets 403."""

    def expect(state):
        audience = {"samordnare", "admin", "fyrbodal"} | ({"skaraborg"} if state != "open_fyrbodal_only" else set())
        out = {"anonymous": anonymous}
        for role in SIGNED_IN:
            if role not in audience:
                out[role] = HIDDEN
            else:
                out[role] = (ALLOWED if state in ok_states else refused) if role in allowed else FORBIDDEN
        return out

    return expect


def seats(allowed_by_state, form_refusals=None):
    """Who may fill the seat writes; who reaches the form but may not fill this seat is told there (200, by state in
    `form_refusals`); everyone else 403."""

    def expect(state):
        told = (form_refusals or {}).get(state, ())
        return {
            **everyone(FORBIDDEN),
            **dict.fromkeys(told, REFUSED_FORM),
            **dict.fromkeys(allowed_by_state[state], ALLOWED),
        }

    return expect


# --- the states --------------------------------------------------------------------------------


def meeting_states(**kw):
    return {s: (lambda s=s: st.meeting_in(s, **kw)) for s in st.MEETING_STATES}


PLAN_EXTRA_STATES = {
    "in_review_open_comment": lambda: st.plan_in("in_review", open_comment=True),
    "submitted_by_admin": lambda: st.plan_in("submitted", author="admin"),
    "in_force_this_year": st.demo_plan_in_force,
}


def plan_states(*extra):
    return {**{s: (lambda s=s: st.plan_in(s)) for s in st.PLAN_STATES}, **{e: PLAN_EXTRA_STATES[e] for e in extra}}


def round_states(*states):
    return {s: (lambda s=s: st.round_in(s)) for s in states}


def on_ref():
    return {"body": st.ref_group()}


NO_OBJECT = {"-": dict}
ON_REF = {"-": on_ref}

# Budget follow-up: a plan in each state with a draft of its first quarterly report, and in force with it issued.
FOLLOWUP_STATES = {s: (lambda s=s: st.followup_plan_in(s)) for s in [*st.PLAN_STATES, "in_force_issued"]}
IN_FORCE_ANY = ["in_force", "in_force_issued"]  # outcome is entered whether or not a report is issued

# --- the table ---------------------------------------------------------------------------------
DRAFT, LOCKED, EDITABLE_PLAN = ["draft"], ["justerat", "published"], ["draft", "in_review"]

# A secretary's action on a meeting: (route, form, object in the URL, data, states the rule allows, refusal otherwise)
MEETING_ROWS = [
    ("meetings:meeting_edit", "", "meeting", st.meeting_form, DRAFT, REFUSED_FORM),
    ("meetings:item_create", "", "meeting", st.ITEM_FORM, DRAFT, REFUSED_FORM),
    ("meetings:item_edit", "", "item", st.ITEM_FORM, DRAFT, REFUSED_FORM),
    ("meetings:item_move", "", "item", {"direction": "down"}, DRAFT, REFUSED_BACK),
    ("meetings:item_delete", "", "item", {}, DRAFT, REFUSED_BACK),
    ("meetings:agenda_publish", "", "meeting", {}, DRAFT, REFUSED_BACK),
    ("meetings:attendance", "save", "meeting", st.attendance_form, DRAFT, REFUSED_FORM),
    ("meetings:attendance", "guest", "meeting", st.guest_form, DRAFT, REFUSED_FORM),
    ("meetings:attendance", "typed_guest", "meeting", st.typed_guest_form, DRAFT, REFUSED_FORM),
    ("meetings:item_minutes", "save", "item", st.item_minutes_form, DRAFT, REFUSED_FORM),
    ("meetings:item_minutes", "edit", "item", st.item_minutes_edit_form, DRAFT, REFUSED_FORM),
    ("meetings:item_minutes", "remove", "item", st.item_minutes_remove_form, DRAFT, REFUSED_FORM),
    ("meetings:item_minutes", "more", "item", st.item_minutes_more_form, DRAFT, REFUSED_FORM),
    # Following actions up is not part of the minutes' text: allowed after justering too.
    ("meetings:action_status", "", "action", {"status": "done"}, st.MEETING_STATES, REFUSED_BACK),
    ("meetings:send_for_justering", "", "meeting", {}, DRAFT, REFUSED_BACK),
    ("meetings:withdraw", "", "meeting", {}, ["in_justering"], REFUSED_BACK),
    ("meetings:correction_create", "", "meeting", {"text": "Rättelse: mötet slutade 12.15."}, LOCKED, REFUSED_FORM),
    ("meetings:publish", "", "meeting", {}, ["justerat"], REFUSED_BACK),
]  # fmt: skip
SIGNATORY_ROWS = [
    ("meetings:justering", "approve", {"approve": "1"}),
    ("meetings:justering", "comment", st.justering_comment),
]
INVOICING_PLAN_FORM = {
    "counterparty": "municipalities",
    "organisation": "",
    "frequency": "quarterly",
    "timing": "arrears",
}
# A plan action: (route, object in the URL, data, who, states the rule allows, refusal otherwise, extra states)
PLAN_ROWS = [
    ("documents:plan_submit", "plan", {}, COORDINATORS, EDITABLE_PLAN, REFUSED_BACK, ["in_review_open_comment"]),
    ("documents:plan_record_position", "plan", st.position_form, PREPARERS, ["submitted", "submitted_by_admin"],
     REFUSED_FORM, ["submitted_by_admin"]),
    ("documents:plan_refer_back", "plan", {"note": "Förtydliga målen."}, PREPARERS,
     ["submitted", "submitted_by_admin"], REFUSED_FORM, ["submitted_by_admin"]),
    ("documents:plan_start_next", "plan", {}, COORDINATORS, ["in_force"], REFUSED_BACK, ["in_force_this_year"]),
    ("documents:plan_archive", "plan", {}, COORDINATORS, ["in_force"], REFUSED_BACK, ["in_force_this_year"]),
    ("documents:section_edit", "section", st.section_form, COORDINATORS, EDITABLE_PLAN, REFUSED_FORM, []),
    ("documents:goal_create", "plan", {"category": "development", "title": "Nytt mål"}, COORDINATORS,
     EDITABLE_PLAN, REFUSED_FORM, []),
    ("documents:goal_edit", "goal", {"category": "maintenance", "title": "Ändrat mål"}, COORDINATORS,
     EDITABLE_PLAN, REFUSED_FORM, []),
    ("documents:goal_delete", "goal", {}, COORDINATORS, EDITABLE_PLAN, REFUSED_BACK, []),
    ("documents:goal_follow_up", "goal", st.follow_up_form, COORDINATORS, ["in_force"], REFUSED_FORM, []),
    ("documents:round_create", "plan", st.round_form, COORDINATORS, ["draft"], REFUSED_FORM, []),
    ("documents:budget_line_create", "plan", st.BUDGET_LINE_FORM, COORDINATORS, EDITABLE_PLAN, REFUSED_FORM, []),
    ("documents:budget_line_edit", "budget_line", {**st.BUDGET_LINE_FORM, "amount": "2 000"}, COORDINATORS,
     EDITABLE_PLAN, REFUSED_FORM, []),
    ("documents:budget_line_delete", "budget_line", {}, COORDINATORS, EDITABLE_PLAN, REFUSED_BACK, []),
    ("documents:invoicing_plan_edit", "plan", INVOICING_PLAN_FORM, COORDINATORS, EDITABLE_PLAN, REFUSED_FORM, []),
    # Budget import (issue 11, item 2): the confirm step (the upload only previews).
    ("documents:budget_import", "plan", st.budget_import_confirm_form, COORDINATORS, EDITABLE_PLAN, REFUSED_FORM, []),
]  # fmt: skip


def budgeting(coordinators, preparer, refused, *, preparer_right=None):
    """A budget action (tests/action_states.budget_in): `coordinators` / `preparer` (`beredning`, SITIV's preparer; not
    the administrator) are the states each may act in, None when the right is not theirs at all (403 for who sees the
    plan, 404 for who does not). `preparer_right`: the states where the preparer holds the right (default: all when
    `preparer` is given)."""

    def expect(state):
        viewers = set(SIGNED_IN) if state.endswith("in_force") else {"samordnare", "beredning", "admin"}
        out = {"anonymous": LOGIN}
        for role in SIGNED_IN:
            ok = coordinators if role in COORDINATORS else preparer if role == "beredning" else None
            if role == "beredning" and preparer_right is not None and state not in preparer_right:
                ok = None
            if ok is not None:
                out[role] = ALLOWED if state in ok else refused
            else:
                out[role] = FORBIDDEN if role in viewers else HIDDEN
        return out

    return expect


def budget_states(builder, states):
    return {s: (lambda s=s: builder(s)) for s in states}


BUDGET_ACTIONS = [
    # SITIV's decision: only its preparer, on a budget not yet decided (a draft's or a plan in force's).
    act("documents:budget_decide", budget_states(st.budget_in, st.BUDGET_STATES), "plan", st.decision_form,
        budgeting(None, ["draft", "in_force"], REFUSED_FORM)),
    # A decided budget is changed by SITIV's preparer citing a later decision (the right is hers only once the
    # budget is decided); the coordinators write an undecided draft's and are refused otherwise.
    *[
        act(route, budget_states(st.budget_in, st.BUDGET_STATES), obj, st.budget_change_form,
            budgeting(["draft"], ["decided", "decided_in_force"], REFUSED_FORM,
                      preparer_right=["decided", "decided_in_force"]), "by_decision")
        for route, obj in (("documents:budget_line_create", "plan"), ("documents:budget_line_edit", "budget_line"))
    ],
    act("documents:budget_line_delete", budget_states(st.budget_in, ["decided", "decided_in_force"]), "budget_line",
        {}, budgeting([], None, REFUSED_BACK), "decided"),
    act("documents:budget_uplift", budget_states(st.uplift_in, st.UPLIFT_STATES), "plan", st.uplift_form,
        budgeting(["draft_next"], None, REFUSED_FORM)),
]  # fmt: skip

# Seats in Referensgrupp SHVO (and the coordinator's own GITS seat) and who may fill them.
EXISTING_SEAT = {
    "fyrbodal": ["admin-fyrbodal", "admin"],
    "skaraborg": ["admin"],
    "none": COORDINATORS,
    "own": ["admin"],
}
GIVING_UP_OWN = {**EXISTING_SEAT, "own": COORDINATORS}  # ending or handing on one's own seat gives up a right
SUBSTITUTE = {"role": "substitute"}  # Fyrbodal's two member seats are taken (the cap is two)
NEW_SEAT = {  # state: (who may fill it, the form's data)
    "none": (COORDINATORS, st.new_seat_form()),
    "fyrbodal": (["admin-fyrbodal", "admin"], st.new_seat_form(**SUBSTITUTE, subregion="Fyrbodal")),
    "skaraborg": (["admin"], st.new_seat_form(**SUBSTITUTE, subregion="Skaraborg")),
    "self_coordinator": (["admin"], st.new_seat_form(holder="samordnare")),
    "self_subregion_admin": (["admin"], st.new_seat_form(**SUBSTITUTE, subregion="Fyrbodal", holder="admin-fyrbodal")),
}
# The coordinator and Fyrbodal's administrator both reach the seat forms (for seats without a subregion, and for
# Fyrbodal's): a seat they may not fill is refused in the form, with the rule's message on the field.
NEW_SEAT_TOLD = {s: [r for r in ("samordnare", "admin-fyrbodal") if r not in who] for s, (who, _) in NEW_SEAT.items()}
NEW_SEAT_RIGHTS = {s: who for s, (who, _) in NEW_SEAT.items()}
SEAT_STATES = {k: (lambda k=k: st.seat(k)) for k in EXISTING_SEAT}
# A seat whose successor is already appointed is not replaced again (governance.rules.replaced_refusals): those who
# may fill it are told so on the form.
REPLACE_STATES = {**SEAT_STATES, "fyrbodal_replaced": lambda: st.replaced_seat("fyrbodal")}


def _response_expect(submit):
    def expect(state):
        out = everyone(HIDDEN, anonymous=HIDDEN)  # a draft response is its subregion's own
        out["fyrbodal"] = out["admin"] = ALLOWED if state == "draft" else REFUSED_FORM
        if submit and state == "draft":
            # The administrator may save a draft but not submit it: a submission is signed by a Person. Saving and
            # submitting is one transaction, so the refused submission saves nothing (the text stays on the form).
            out["admin"] = REFUSED_FORM
        if state == "submitted":
            out["samordnare"] = FORBIDDEN  # reads the submitted response, may not change it
        return out

    return expect


INVITERS = {"fyrbodal": ["admin-fyrbodal", "admin"], "skaraborg": ["admin"]}


def inviting(state):
    """Who may invite the person (403 for everyone else); an account in use is refused to them with a message."""
    allowed = INVITERS.get(state, ["admin-fyrbodal", "admin"])
    return {**everyone(FORBIDDEN), **dict.fromkeys(allowed, REFUSED_BACK if state == "in_use" else ALLOWED)}


RESET_ANSWERED = Outcome(302, False, "the same answer for every address, nothing written")
LINK_REFUSED = Outcome(200, False, "the link does not work, nothing written")
LINK_TO_FORM = Outcome(302, False, "on to the form without the token, nothing written")


def _signed_in_as(name):
    def check(client, ctx):
        who, want = client.session.get("_auth_user_id"), str(st.user(name).pk)
        return None if who == want else f"session user {who}, not {name}"

    return check


def _signed_out(client, ctx):
    return "still signed in" if client.session.get("_auth_user_id") else None


def _login_as(role):
    return "fyrbodal" if role == "anonymous" else username(role)


ACTIONS: list[Action] = [
    Action(
        "login",
        NO_OBJECT,
        lambda ctx: "/logga-in/",
        lambda ctx, role: {"username": _login_as(role), "password": PASSWORD},
        lambda state: {r: Outcome(302, None, "signed in", check=_signed_in_as(_login_as(r))) for r in ROLES},
    ),
    Action(
        "logout",
        NO_OBJECT,
        lambda ctx: "/logga-ut/",
        lambda ctx, role: {},
        lambda state: everyone(Outcome(302, None, "signed out", check=_signed_out)),
    ),
    act("meetings:feed_rotate", NO_OBJECT, "/kalender/byt-adress/", {}, lambda s: everyone(ALLOWED)),
    # Bodies and charters: the coordinators.
    act("governance:body_create", ON_REF, "/organ/nytt/", st.NEW_BODY_FORM, only(COORDINATORS)),
    act("governance:body_edit", ON_REF, "body", st.body_form, only(COORDINATORS)),
    act("governance:body_status", ON_REF, "body", st.status_form, only(COORDINATORS)),
    act("governance:charter_create", ON_REF, "body", st.charter_form, only(COORDINATORS)),
    # Population figures: the confirm step of an import (the upload only previews), the coordinators.
    act(
        "governance:population_import",
        NO_OBJECT,
        "/folkmangd/importera/",
        st.population_confirm_form,
        only(COORDINATORS),
        button="confirm",
    ),
    # Seats.
    *[
        act("governance:membership_create", {state: on_ref}, "/organ/referensgrupp-shvo/uppdrag/nytt/", form,
            seats(NEW_SEAT_RIGHTS, NEW_SEAT_TOLD))
        for state, (_who, form) in NEW_SEAT.items()
    ],
    *[
        act("governance:vacancy_create", {state: on_ref}, "/organ/referensgrupp-shvo/vakans/ny/",
            st.vacancy_form(subregion), seats(NEW_SEAT_RIGHTS, NEW_SEAT_TOLD))
        for state, subregion in (("none", None), ("fyrbodal", "Fyrbodal"), ("skaraborg", "Skaraborg"))
    ],
    act("governance:membership_edit", SEAT_STATES, "seat", st.seat_edit_form,
        seats(EXISTING_SEAT, {"own": ["samordnare"]})),  # nobody changes her own seat
    act("governance:membership_end", SEAT_STATES, "seat", st.seat_end_form, seats(GIVING_UP_OWN)),
    act("governance:membership_replace", REPLACE_STATES, "seat", st.seat_replace_form,
        seats({**GIVING_UP_OWN, "fyrbodal_replaced": []}, {"fyrbodal_replaced": ["admin-fyrbodal", "admin"]})),
    # Accounts: the administrator invites anyone, Fyrbodal's administrator her subregion's people; an account in use is
    # never invited again. Glömt lösenordet? gives every address the same answer and writes nothing; a set-password
    # link takes no password until its token has left the address (the whole flow: tests/test_accounts.py).
    act("governance:account_invite", {s: (lambda s=s: st.invitee(s)) for s in st.INVITE_STATES}, "person",
        st.INVITE_FORM, inviting, effect=st.invited_plainly),
    act("governance:password_reset", {"-": st.reset_limits}, "/konto/glomt-losenord/",
        {"email": "maria.ek@example.se"}, lambda s: dict.fromkeys(ROLES, RESET_ANSWERED)),
    Action(
        "governance:password_set",
        {"invalid_link": lambda: {"path": "/konto/losenord/MQ/fel-token/"}, "valid_link": st.set_password_link},
        lambda ctx: ctx["path"],
        lambda ctx, role: dict(st.NEW_PASSWORD),
        lambda state: dict.fromkeys(ROLES, LINK_REFUSED if state == "invalid_link" else LINK_TO_FORM),
    ),
    # Meetings of Referensgrupp SHVO: the secretary (and the administrator) while the minutes allow it; justering and
    # corrections' approval by the chair and the justerare.
    act("meetings:meeting_create", ON_REF, "/organ/referensgrupp-shvo/moten/nytt/", st.meeting_form, only(SECRETARIES)),
    *[
        act(route, meeting_states(), obj, data, managing(ok, refused), button)
        for route, button, obj, data, ok, refused in MEETING_ROWS
    ],
    act("meetings:attendance", meeting_states(attendance=False), "meeting", {"fill": "1"},
        managing(DRAFT, REFUSED_BACK), "fill"),
    # A justering on paper, recorded by the secretary: for a meeting that has been held (the meetings of these states
    # were held last week), before the minutes are justerade; a meeting ahead is refused in tests/test_minutes_as_held.
    act("meetings:paper_justering",
        {**meeting_states(), **{s: (lambda s=s: st.held_meeting_in(s)) for s in st.HELD_STATES}},
        "meeting", st.paper_justering_form, managing(["draft", "in_justering", *st.HELD_STATES], REFUSED_FORM)),
    *[
        act(route, meeting_states(), "meeting", data, signing(["in_justering"], REFUSED_FORM), button)
        for route, button, data in SIGNATORY_ROWS
    ],
    act(
        "meetings:correction_approve",
        {
            "justerat": lambda: st.meeting_in("justerat", correction=True),
            "published": lambda: st.meeting_in("published", correction=True),
            "published_approved": lambda: st.meeting_in("published", correction=True, approved=True),
        },
        "correction", {}, signing(LOCKED, REFUSED_BACK),
    ),
    # Management plans: the coordinators write; the preparers record VVG's position on a submitted plan.
    act("documents:plan_create", NO_OBJECT, "/forvaltningsplaner/ny/", st.plan_create_form, only(COORDINATORS)),
    *[
        act(route, plan_states(*extra), obj, data, planning(who, ok, refused))
        for route, obj, data, who, ok, refused, extra in PLAN_ROWS
    ],
    *BUDGET_ACTIONS,
    # Budget follow-up (issue 11 item 7): the coordinators, while the plan is in force (rules.follow_up_check); an
    # issued quarterly report never changes.
    *[
        Action(route, FOLLOWUP_STATES, lambda ctx, route=route: reverse(route, kwargs={"pk": ctx["plan"].pk, "quarter": 1}),
               lambda ctx, role, data=data: data(ctx), planning(COORDINATORS, ok, REFUSED_FORM), button)
        for route, button, data, ok in (("documents:outcome_edit", "", st.outcome_form, IN_FORCE_ANY),
                                        ("documents:quarterly_report", "", st.report_form, ["in_force"]))
    ],
    Action("documents:outcome_import", FOLLOWUP_STATES, lambda ctx: reverse("documents:outcome_import", args=[ctx["plan"].pk]),
           lambda ctx, role: st.outcome_import_confirm_form(ctx), planning(COORDINATORS, IN_FORCE_ANY, REFUSED_FORM),
           "confirm"),
    Action("documents:quarterly_report_issue", FOLLOWUP_STATES,
           lambda ctx: reverse("documents:quarterly_report_issue", kwargs={"pk": ctx["plan"].pk, "quarter": 1}),
           lambda ctx, role: {}, planning(COORDINATORS, ["in_force"], REFUSED_BACK), effect=st.report_is_issued),
    # Review rounds: the coordinators close them and take positions; the representatives asked comment and answer.
    act("documents:round_close", round_states("open", "closed"), "round", {},
        in_round(COORDINATORS, ["open"], REFUSED_BACK)),
    act("documents:round_detail", {**round_states("open", "closed"),
                                   "open_fyrbodal_only": lambda: st.round_in("open", asked="Fyrbodal")},
        "round", st.comment_form,
        in_round(["samordnare", "fyrbodal", "skaraborg"], ["open", "open_fyrbodal_only"], REFUSED_BACK, HIDDEN),
        "comment"),
    act("documents:round_detail", round_states("open", "closed"), "round", st.reply_form,
        in_round(["samordnare", "fyrbodal", "skaraborg"], ["open"], REFUSED_BACK, HIDDEN), "reply"),
    act("documents:round_detail", round_states("open", "closed", "submitted"), "round", st.disposition_form,
        in_round(COORDINATORS, ["open", "closed"], REFUSED_BACK, HIDDEN), "dispose"),
    *[
        Action(
            "documents:response_edit",
            {s: (lambda s=s: st.response_in(s)) for s in ("draft", "submitted", "closed")},
            lambda ctx: reverse("documents:response_edit", kwargs={"pk": ctx["round"].pk, "subregion": "fyrbodal"}),
            lambda ctx, role, submit=submit: st.response_form(submit)(ctx),
            _response_expect(submit),
            "submit" if submit else "save",
            st.is_submitted if submit else None,
        )
        for submit in (False, True)
    ],
    # One's own comment: its author changes or withdraws it while the round is open and nobody has answered it.
    *[
        act(route, {s: (lambda s=s: st.comment_in(s)) for s in ("open", "disposed", "replied", "closed")},
            "comment", data, in_round(["fyrbodal"], ["open"], REFUSED_BACK))
        for route, data in (("documents:comment_edit", st.comment_edit_form), ("documents:comment_withdraw", {}))
    ],
]  # fmt: skip


# issue 12: backlog and forums. Referensgrupp SHVO's backlog: its members add and comment (the administrator, without
# a Person, is told so), the other subregions' representatives support (Fyrbodal proposed the item), the secretary and
# the coordinators carry it on, never the item's author ("own": written by the secretary). The SIP forum is the
# group's, convened by its chair (ordforande), who alone moderates. Outsiders of the backlog get 403 on the body's
# page and 404 on an item; outsiders of a forum 404.
BACKLOG_READERS = ["sekreterare", "ordforande", "fyrbodal", "skaraborg", "samordnare", "admin"]
BACKLOG_STEWARDS = ["sekreterare", "samordnare", "admin"]


def _backlog_item(state):
    from governance import backlog
    from tests.factories import make_backlog_item

    item = make_backlog_item(
        author="sekreterare" if state == "own" else "fyrbodal", proposed_by=None if state == "own" else "Fyrbodal"
    )
    if state == "closed":
        backlog.backlog_close(actor=st.user("samordnare"), item=item, reason="Löst på annat sätt")
    from governance.models import Body
    from tests.factories import make_working_group

    return {
        "item": item,
        "group": make_working_group(),
        "gb": Body.objects.get(slug="gemensam-beredning"),
        "vvg": Body.objects.get(slug="vvg"),
    }


def _forum_topic(state="-"):
    from governance import backlog
    from tests.factories import make_forum, make_topic, person_of_user

    ref = st.ref_group()
    forum = make_forum("SIP", bodies=[ref], convener=person_of_user("ordforande"))
    topic = make_topic(forum)
    post = topic.posts.get()
    if state == "hidden":
        backlog.forum_hide_post(actor=st.user("ordforande"), post=post, reason="Fel tråd")
    if state == "lifted":
        backlog.forum_lift_to_backlog(actor=st.user("ordforande"), topic=topic, body=ref)
    return {"forum": forum, "topic": topic, "post": post, "body": ref}


def backlog_rights(
    allowed, ok_states, refused=REFUSED_FORM, *, readers=BACKLOG_READERS, outsiders=HIDDEN, told=(), author_state=None
):
    """Readers in `allowed` act in `ok_states` (refused otherwise; `told` are always refused: no Person, or their own
    subregion's item), other readers 403, everyone else `outsiders`."""

    def expect(state):
        out = {"anonymous": LOGIN}
        for role in SIGNED_IN:
            if role not in readers:
                out[role] = outsiders
            elif role in told or (state == author_state and role == "sekreterare"):
                out[role] = refused
            elif role in allowed:
                out[role] = ALLOWED if state in ok_states else refused
            else:
                out[role] = FORBIDDEN
        return out

    return expect


ITEM_STATES = {s: (lambda s=s: _backlog_item(s)) for s in ("open", "closed")}
MANAGED_STATES = {s: (lambda s=s: _backlog_item(s)) for s in ("open", "own", "closed")}
BACKLOG_ACTIONS = [
    act("governance:backlog", ON_REF, "body", {"title": "Nytt önskemål"},
        backlog_rights(["sekreterare", "ordforande", "fyrbodal", "skaraborg"], ["-"], outsiders=FORBIDDEN,
                       told=["admin"])),
    act("governance:backlog_item", ITEM_STATES, "item", {"support": "1", "note": "Samma behov"},
        backlog_rights(["fyrbodal", "skaraborg"], ["open"], told=["fyrbodal"]), "support"),
    act("governance:backlog_item", ITEM_STATES, "item", {"comment": "1", "text": "Vi också."},
        backlog_rights(BACKLOG_READERS, ["open"], told=["admin"]), "comment"),
    act("governance:backlog_item", MANAGED_STATES, "item", {"prioritise": "1", "priority": "1"},
        backlog_rights(BACKLOG_STEWARDS, ["open", "own"], author_state="own"), "prioritise"),
    act("governance:backlog_to_case", MANAGED_STATES, "item",
        lambda ctx: {"preparing_body": ctx["gb"].pk, "deciding_body": ctx["vvg"].pk},
        backlog_rights(BACKLOG_STEWARDS, ["open", "own"], author_state="own")),
    act("governance:backlog_to_task", MANAGED_STATES, "item", lambda ctx: {"working_group": ctx["group"].pk},
        backlog_rights(BACKLOG_STEWARDS, ["open", "own"], author_state="own")),
    act("governance:backlog_close", MANAGED_STATES, "item", {"reason": "Löst på annat sätt"},
        backlog_rights(BACKLOG_STEWARDS, ["open", "own"], author_state="own")),
    Action("governance:forum_detail", {"-": _forum_topic}, lambda ctx: ctx["forum"].get_absolute_url(),
           lambda ctx, role: {"title": "Ny tråd", "text": "Hur gör ni?"},
           backlog_rights(BACKLOG_READERS, ["-"], told=["admin"])),
    act("governance:forum_topic", {"-": _forum_topic}, "topic", {"text": "Så här gör vi.", "parent": ""},
        backlog_rights(BACKLOG_READERS, ["-"], told=["admin"])),
    act("governance:forum_hide_post", {s: (lambda s=s: _forum_topic(s)) for s in ("-", "hidden")}, "post",
        {"reason": "Personuppgifter"}, backlog_rights(["ordforande"], ["-"])),
    act("governance:forum_summary", {"-": _forum_topic}, "topic", {"summary": "Alla vill ha en rutin."},
        backlog_rights(["ordforande"], ["-"])),
    act("governance:forum_lift", {s: (lambda s=s: _forum_topic(s)) for s in ("-", "lifted")}, "topic",
        lambda ctx: {"body": ctx["body"].pk, "title": "Lyft från forum"}, backlog_rights(["ordforande"], ["-"])),
]  # fmt: skip
ACTIONS += BACKLOG_ACTIONS


# issue 12: meetings. A case waiting for Referensgrupp SHVO put on the agenda of its meeting: the secretary's work
# while the minutes are a draft (refused with a message once they are locked for editing).
def _meeting_with_case(state):
    from tests.factories import make_case

    ctx = st.meeting_in(state)
    return {**ctx, "case": make_case(ctx["meeting"].body, "Väntande ärende")}


ACTIONS += [
    act("meetings:agenda_add_case", {s: (lambda s=s: _meeting_with_case(s)) for s in st.MEETING_STATES}, "meeting",
        lambda ctx: {"case": ctx["case"].pk}, managing(DRAFT, REFUSED_BACK)),
]  # fmt: skip

# issue 12: cases. Raising a case for Referensgrupp SHVO: its members, the coordinators and the administrator; everyone
# else is told in the form that they may only raise cases for their own bodies (nothing written).
CASE_RAISERS = ["sekreterare", "ordforande", "fyrbodal", "skaraborg", "samordnare", "admin"]


def _raise_rights(state):
    return {"anonymous": LOGIN, **{r: ALLOWED if r in CASE_RAISERS else REFUSED_FORM for r in SIGNED_IN}}


def _case(state):
    from governance.models import Body
    from tests.factories import case_in

    return {"case": case_in(state), "gb": Body.objects.get(slug="gemensam-beredning"),
            "vvg": Body.objects.get(slug="vvg")}  # fmt: skip


# A steward's steps on a case raised by Referensgrupp SHVO, in the states that matter: raised (it may be prepared and
# closed), decided with a follow-up date (reported back, followed up, closed) and closed (nothing). The group's
# secretary, the coordinators and the administrator carry it; its other members see it (403); everyone else 404.
CASE_STEWARDS = ["sekreterare", "samordnare", "admin"]
CASE_STATES = {s: (lambda s=s: _case(s)) for s in ("raised", "decided", "closed")}
CASE_ACTIONS = [
    act("governance:case_create", {"-": lambda: {"body": st.ref_group()}}, "/arenden/nytt/",
        lambda ctx: {"body": ctx["body"].pk, "title": "Nytt ärende", "link1_title": "Underlag"}, _raise_rights),
    act("governance:case_prepare", CASE_STATES, "case",
        lambda ctx: {"preparing_body": ctx["gb"].pk, "deciding_body": ctx["vvg"].pk},
        backlog_rights(CASE_STEWARDS, ["raised"])),
    act("governance:case_report_back", CASE_STATES, "case", {"text": "Beslutet gäller från i dag."},
        backlog_rights(CASE_STEWARDS, ["decided"])),
    act("governance:case_follow_up", CASE_STATES, "case", {"text": "Rutinen används."},
        backlog_rights(CASE_STEWARDS, ["decided"])),
    act("governance:case_close", CASE_STATES, "case", {"reason": "Löst på annat sätt"},
        backlog_rights(CASE_STEWARDS, ["raised", "decided"])),
]  # fmt: skip
ACTIONS += CASE_ACTIONS

# issue 13: governing documents. Built by tests/governing_builders.py: a routine of Referensgrupp SHVO in force, a
# revision of it proposed by the coordinator (open editorial, open principled, approved). Proposals are read by those
# holding a seat, the coordinators and the administrator (everyone else 404 while a revision is open).
from tests import governing_builders as gov  # noqa: E402

PROPOSERS = ["fyrbodal", "skaraborg", "samordnare", "sekreterare", "ordforande"]
DOCUMENT_READERS = ["fyrbodal", "skaraborg", "samordnare", "sekreterare", "ordforande", "beredning", "admin"]
REPS = {"fyrbodal": "fyrbodal", "skaraborg": "skaraborg"}  # role → the subregion she answers for
IN_CONSULTATION = ["fyrbodal", "skaraborg", "samordnare", "sekreterare", "ordforande", "admin"]
REVISION_STATES = {s: (lambda s=s: gov.revision_in(s)) for s in ("editorial", "principled", "approved")}


def _revision_path(route):
    return lambda ctx: reverse(route, args=[ctx["doc"].slug, ctx["revision"].version.number])


def revision_rights(allowed, ok_states, told=()):
    """On a revision: `allowed` act in `ok_states` (refused on the form otherwise, `told` always: no Person), the
    other readers of proposals 403, everyone else 404 while the revision is open (403 once approved: it is public)."""

    def expect(state):
        out = {"anonymous": LOGIN}
        for role in SIGNED_IN:
            if role in told:
                out[role] = REFUSED_FORM
            elif role in allowed:
                out[role] = ALLOWED if state in ok_states else REFUSED_FORM
            elif role in DOCUMENT_READERS or state == "approved":
                out[role] = FORBIDDEN
            else:
                out[role] = HIDDEN
        return out

    return expect


CONSULTATION_STATES = {
    s: (lambda s=s: gov.revision_state(s)) for s in ("editorial", "principled", "approved", "on_agenda", "withdrawn")
}
COMMENT_STATES = {s: (lambda s=s: gov.comment_in(s)) for s in ("open", "answered", "approved", "withdrawn")}
ANSWERERS = ["samordnare", "sekreterare"]  # the proposer (the coordinator) and the owner's secretary


def _answer_path(ctx):
    revision = ctx["revision"]
    return reverse(
        "documents:revision_comment_answer", args=[ctx["doc"].slug, revision.version.number, ctx["comment"].pk]
    )


def _position_form(ctx, role):
    from governance.models import Subregion

    subregion = Subregion.objects.get(slug=REPS.get(role, "fyrbodal"))
    return {"subregion": subregion.pk, "stance": "agree", "reason": ""}


GOVERNING_ACTIONS = [
    Action("documents:revision_propose", {"-": lambda: {"doc": gov.make_routine()}},
           lambda ctx: reverse("documents:revision_propose", args=[ctx["doc"].slug]),
           lambda ctx, role: gov.propose_form(ctx),
           lambda state: {**everyone(FORBIDDEN), **dict.fromkeys(PROPOSERS, ALLOWED), "admin": REFUSED_FORM}),
    Action("documents:supplement_write", {s: (lambda s=s: gov.supplement_state(s)) for s in ("-", "no_body")},
           lambda ctx: reverse("documents:supplement_write", args=[ctx["doc"].slug, "fyrbodal"]),
           lambda ctx, role: gov.supplement_form(ctx),
           lambda state: {**everyone(FORBIDDEN), "fyrbodal": ALLOWED if state == "-" else REFUSED_FORM}),
    Action("documents:governing_import", NO_OBJECT, lambda ctx: "/styrdokument/importera/", gov.import_confirm_form,
           lambda state: {**everyone(FORBIDDEN), "samordnare": ALLOWED, "sekreterare": ALLOWED,
                          "admin": REFUSED_BACK}, button="confirm"),
    Action("documents:validity_extend", {"-": lambda: {"doc": gov.make_routine()}},
           lambda ctx: reverse("documents:validity_extend", args=[ctx["doc"].slug]),
           lambda ctx, role: {"valid_until": st.iso(st.today() + 400 * st.DAY), "reason": "VVG förlängde den."},
           lambda state: {**everyone(FORBIDDEN), **dict.fromkeys(["samordnare", "sekreterare", "admin"], ALLOWED)}),
    Action("documents:revision_position", REVISION_STATES, _revision_path("documents:revision_position"),
           _position_form, revision_rights(list(REPS), ["editorial"])),
    Action("documents:revision_escalate", REVISION_STATES, _revision_path("documents:revision_escalate"),
           lambda ctx, role: {"reason": "Ansvaret flyttas."},
           revision_rights(IN_CONSULTATION, ["editorial"], told=["admin"])),
    Action("documents:revision_deescalate", REVISION_STATES, _revision_path("documents:revision_deescalate"),
           lambda ctx, role: {"decision": ctx["decision"].pk, "reason": "Bara språket ändras."},
           revision_rights(["sekreterare", "samordnare", "admin"], ["principled"])),
    # The consultation's comments: anyone in it comments while the proposal is open (on the agenda too); the
    # administrator, without a Person, is told so. The proposer (the coordinator) and the owner's steward answer
    # Fyrbodal's comment once; a proposal is taken back by them while it is open and not on an agenda.
    Action("documents:revision_comment", CONSULTATION_STATES, _revision_path("documents:revision_comment"),
           lambda ctx, role: {"section_key": "ansvar", "quote": "Kommunen ansvarar", "text": "Gäller det hemtjänsten?"},
           revision_rights(IN_CONSULTATION, ["editorial", "principled", "on_agenda"], told=["admin"]),
           effect=gov.has_new_comment),
    Action("documents:revision_comment_answer", COMMENT_STATES, _answer_path,
           lambda ctx, role: {f"svar-{ctx['comment'].pk}-disposition": "partly",
                              f"svar-{ctx['comment'].pk}-reason": "Vi förtydligar det i nästa version."},
           revision_rights(ANSWERERS, ["open"], told=["admin"]), effect=gov.is_answered_partly),
    Action("documents:revision_withdraw", CONSULTATION_STATES, _revision_path("documents:revision_withdraw"),
           lambda ctx, role: {"reason": "Ändringen behövs inte längre."},
           revision_rights([*ANSWERERS, "admin"], ["editorial", "principled"]), effect=gov.is_withdrawn),
]  # fmt: skip
ACTIONS += GOVERNING_ACTIONS

# Steps that cannot be undone ask first (core.web.ask_first): (state, role) → whether an allowed POST is asked.
ALWAYS = lambda state, role: True  # noqa: E731
GIVING_UP_OWN_SEAT = lambda state, role: state == "own" and role == "samordnare"  # noqa: E731 – rules.gives_up_own_seat
ASKS_FIRST: dict[str, Callable[[str, str], bool]] = {
    **dict.fromkeys([
        "meetings:feed_rotate", "meetings:item_delete", "meetings:agenda_publish", "meetings:justering[approve]",
        "meetings:correction_approve", "meetings:publish",
        "documents:plan_submit", "documents:plan_record_position", "documents:plan_archive", "documents:goal_delete",
        "documents:budget_line_delete", "documents:round_create", "documents:round_close", "documents:response_edit[submit]",
        "documents:comment_withdraw", "documents:quarterly_report_issue",
    ], ALWAYS),
    "governance:membership_end": GIVING_UP_OWN_SEAT,
    "governance:membership_replace": GIVING_UP_OWN_SEAT,
}  # fmt: skip


ASKS_FIRST["governance:backlog_close"] = ALWAYS  # issue 12: backlog and forums
ASKS_FIRST["governance:case_close"] = ALWAYS  # issue 12: cases
ASKS_FIRST["documents:revision_withdraw"] = ALWAYS  # issue 13: a proposal taken back is not opened again


def _confirmed(action: Action) -> Action:
    """The action as its confirm page's "Ja" posts it: every value, and confirmed=1."""
    posted = action.payload
    return replace(
        action, payload=lambda ctx, role: {**posted(ctx, role), CONFIRMED: "1"}, asks=ASKS_FIRST[action.name]
    )


ACTIONS = [_confirmed(a) if a.name in ASKS_FIRST else a for a in ACTIONS]

# Routes that only read. A POST to them, if accepted at all, writes nothing (test_get_only_routes_write_nothing).
GET_ONLY = {
    "health", "liveness", "floor", "home",
    "governance:chart", "governance:body_detail", "governance:charter_detail", "governance:subregion_list",
    "governance:subregion_detail", "governance:organisation_list", "governance:organisation_detail",
    "governance:population_list",
    "governance:body_history", "governance:person_detail", "governance:person_history",
    "governance:password_reset_done", "governance:password_set_done",
    "meetings:body_meetings", "meetings:meeting_detail", "meetings:meeting_history", "meetings:summary",
    "meetings:published_minutes", "meetings:published_all", "meetings:minutes_pdf", "meetings:published_pdf", "meetings:agenda_pdf",
    "meetings:minutes_preview_pdf",
    "meetings:meeting_ics", "meetings:calendar_feed", "meetings:my_calendar",
    "documents:plan_list", "documents:plan_detail", "documents:plan_history", "documents:plan_versions",
    "documents:plan_compare", "documents:plan_pdf", "documents:round_compilation",
    "documents:invoicing_basis", "documents:invoicing_basis_csv", "documents:invoicing_basis_xlsx",
    "documents:invoicing_reconciliation",
    "documents:budget_followup", "documents:quarterly_report_pdf",
    # issue 12: backlog and forums
    "governance:forum_list",
    "meetings:decision_register",  # issue 12: meetings
    # issue 12: cases
    "governance:case_list", "governance:case_detail", "governance:case_history",
    # issue 13: governing documents
    "documents:governing_list", "documents:governing_detail", "documents:governing_compare",
    "documents:revision_detail", "documents:revision_pdf", "documents:governing_history",
}  # fmt: skip

# --- where the code disagrees with the rules: (case id, role) → what the code does instead ------
KNOWN: dict[tuple[str, str], str] = {}  # fixed: agenda_publish and plan_start_next_year now check the state

# Decided: what a person signs (a correction, a position on a comment) needs a Person; the administrator's account
# has none and is told so (200, nothing written). A closed round says so before anything else (302 back).
OVERRIDES: dict[tuple[str, str], Outcome] = {
    **{(f"meetings:correction_create-{s}", "admin"): REFUSED_FORM for s in LOCKED},
    **{(f"documents:round_detail[dispose]-{s}", "admin"): REFUSED_FORM for s in ("open", "closed")},
    **{(f"documents:round_detail[{b}]-closed", "admin"): REFUSED_BACK for b in ("comment", "reply")},
}  # fmt: skip

CASES = [(a, s) for a in ACTIONS for s in a.states]


def case_id(action, state):
    return f"{action.name}-{state}"


# --- running -----------------------------------------------------------------------------------


def _client(role):
    client = Client()
    if role != "anonymous":
        client.force_login(st.user(username(role)))
    return client


def _post(role, action, path, ctx, before, expected) -> str | None:
    """POST as the role inside a savepoint that is rolled back; a description of what went wrong, or None."""
    sid = transaction.savepoint_create()
    try:
        client = _client(role)
        marks = st.history_marks() if expected.writes else None
        try:
            response = client.post(path, action.payload(ctx, role))
        except Exception as error:  # noqa: BLE001 – a crash is one more wrong answer, reported with the others
            return f"{role}: expected {expected.label} ({expected.status}), raised {error!r}"
        changed = st.changed_tables(before, st.fingerprint())
        location = response.get("Location", "")
        wrong = []
        if response.status_code != expected.status:
            wrong.append("status")
        if expected.login != location.startswith("/logga-in/"):
            wrong.append("not to sign-in" if expected.login else "to sign-in")
        if expected.told and not _told(response):
            wrong.append("no error message or form error")
        if expected.writes is True and not changed:
            wrong.append("no write")
        if expected.writes is False and changed:
            wrong.append("WROTE although refused")
        if marks is not None and changed and role != "anonymous":
            # Every write a service makes leaves history rows naming who did it and why (core.audit).
            wrong += st.unaudited_history(marks, actor=st.user(username(role)))
        # ... and no tracked row changes without one (an UPDATE or a delete that went around simple-history).
        wrong += st.unrecorded_writes(changed)
        if expected.check and (problem := expected.check(client, ctx)):
            wrong.append(problem)
        if expected.page and (problem := expected.page(response, action.payload(ctx, role))):
            wrong.append(problem)
        if expected is ALLOWED and action.effect and not action.effect(ctx):
            wrong.append(f"{action.effect.__name__} is not true")
        if not wrong:
            return None
        got = f"{response.status_code}{' → ' + location if location else ''}, "
        got += f"wrote {', '.join(changed)}" if changed else "wrote nothing"
        return f"{role}: expected {expected.label} ({expected.status}), got {got} [{'; '.join(wrong)}]"
    finally:
        transaction.savepoint_rollback(sid)


def _run(action, state, roles, instead=None) -> list[str]:
    """POST as each role; `instead` (outcome, role → the outcome expected in its place) for the variants that ask."""
    get_user_model().objects.create_user("lasare")
    if action.route == "login":
        for u in get_user_model().objects.all():
            u.set_password(PASSWORD)
            u.save(update_fields=["password"])
    ctx = action.states[state]()
    path, expected = action.path(ctx), action.expect(state)
    cid = case_id(action, state)
    expected = {role: OVERRIDES.get((cid, role), outcome) for role, outcome in expected.items()}
    if instead:
        expected = {role: instead(outcome, role) for role, outcome in expected.items()}
    before = st.fingerprint()
    return [p for role in roles if (p := _post(role, action, path, ctx, before, expected[role]))]


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the tests ---------------------------------------------------------------------------------


def test_every_route_is_a_post_action_or_get_only():
    routes, posted = set(walk()), {a.route for a in ACTIONS}
    assert posted & GET_ONLY == set(), "En väg kan inte vara både POST-åtgärd och bara läsning"
    assert routes - posted - GET_ONLY == set(), "Nya vägar: lägg dem i ACTIONS (tillstånd och roller) eller GET_ONLY"
    assert (posted | GET_ONLY) - routes == set(), "Tabellen nämner vägar som inte finns"


def test_every_case_names_every_role():
    for action, state in CASES:
        assert set(action.expect(state)) == set(ROLES), case_id(action, state)


def _views(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if hasattr(p, "url_patterns"):
            if p.namespace != "admin":
                yield from _views(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif p.name:
            yield prefix + p.name, p.callback


@pytest.mark.parametrize("name", sorted(GET_ONLY))
def test_get_only_views_do_not_read_post(name):
    """A view that handles POST (require_POST, `request.method == "POST"`, request.POST) belongs in ACTIONS."""
    view = dict(_views())[name]
    if hasattr(view, "view_class"):
        assert not hasattr(view.view_class, "post"), f"{name} has post(): add it to ACTIONS"
    else:
        assert "POST" not in inspect.getsource(view), f"{name} reads POST: add it to ACTIONS with states and roles"


@pytest.mark.parametrize("name", sorted(GET_ONLY))
def test_get_only_routes_write_nothing(name, demo_planned_meeting):
    get_user_model().objects.create_user("lasare")
    path = _fill(GET_MATRIX[name][0], demo_planned_meeting)
    before = st.fingerprint()
    wrote = []
    for role in ROLES:
        sid = transaction.savepoint_create()
        try:
            _client(role).post(path, {})
            if changed := st.changed_tables(before, st.fingerprint()):
                wrote.append(f"{role}: {changed}")
        finally:
            transaction.savepoint_rollback(sid)
    assert not wrote, f"POST {path} wrote: {wrote}"


@pytest.mark.parametrize(("action", "state"), CASES, ids=[case_id(a, s) for a, s in CASES])
def test_post_answers_each_role_as_the_rules_say(action, state, fast_passwords):
    cid = case_id(action, state)
    problems = _run(action, state, [r for r in ROLES if (cid, r) not in KNOWN])
    assert not problems, f"POST {action.name} ({state}):\n  " + "\n  ".join(problems)


def _posted_pairs(data: dict) -> list[tuple[str, str]]:
    return [(k, str(v)) for k, value in data.items() for v in (value if isinstance(value, list) else [value])]


def _the_confirm_page(response, posted) -> str | None:
    """The one confirm page, carrying every posted value (in hidden fields), and its "Ja" button."""
    if "components/confirm.html" not in [t.name for t in response.templates]:
        return "not the confirm page"
    carried, html = response.context["carried"], response.content.decode()
    if missing := [pair for pair in _posted_pairs(posted) if pair not in carried]:
        return f"the confirm page drops {missing}"
    return None if f'name="{CONFIRMED}" value="1"' in html else "no Ja button"


def _back_at_the_form(response, posted) -> str | None:
    """Avbryt on the confirm page shows the form again, with what was typed in it."""
    if "components/confirm.html" in [t.name for t in response.templates]:
        return "asked again"
    html = response.content.decode()
    typed = [v for k, v in _posted_pairs(posted) if k not in (BACK, "base_version") and len(v) > 3 and v != "1"]
    return None if all(v in html for v in typed) else f"the form lost what was typed ({typed})"


ASKED = Outcome(200, False, "the confirm page, nothing written", page=_the_confirm_page)
BACK_AT_FORM = Outcome(200, False, "back at the form, nothing written", page=_back_at_the_form)
ASKING_CASES = [(a, s) for a, s in CASES if a.asks]


def _unconfirmed(action: Action, extra: dict) -> Action:
    posted = action.payload
    return replace(action, payload=lambda ctx, role: {**_without_confirmed(posted(ctx, role)), **extra})


def _without_confirmed(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != CONFIRMED}


@pytest.mark.parametrize(("action", "state"), ASKING_CASES, ids=[case_id(a, s) for a, s in ASKING_CASES])
def test_irreversible_post_asks_first(action, state, fast_passwords):
    """Without confirmed=1, an allowed step that cannot be undone answers with the confirm page and writes nothing;
    refused ones are refused as with it."""

    def instead(outcome, role):
        return ASKED if outcome is ALLOWED and action.asks(state, role) else outcome

    problems = _run(_unconfirmed(action, {}), state, ROLES, instead)
    assert not problems, f"POST {action.name} ({state}) without {CONFIRMED}:\n  " + "\n  ".join(problems)


FORM_ASKING_CASES = [(a, s) for a, s in ASKING_CASES if a.name in {
    "documents:plan_record_position", "documents:round_create", "documents:response_edit[submit]",
    "meetings:justering[approve]", "governance:membership_end", "governance:membership_replace",
    "documents:revision_withdraw",
}]  # fmt: skip


@pytest.mark.parametrize(("action", "state"), FORM_ASKING_CASES, ids=[case_id(a, s) for a, s in FORM_ASKING_CASES])
def test_going_back_from_the_confirm_page_keeps_the_form(action, state, fast_passwords):
    """ "Avbryt" on the confirm page of a form (tillbaka=1) shows the form again as typed and writes nothing (for
    those who were asked: nobody else meets that page)."""
    cid, expected = case_id(action, state), action.expect(state)
    asked = [r for r in ROLES if OVERRIDES.get((cid, r), expected[r]) is ALLOWED and action.asks(state, r)]
    problems = _run(_unconfirmed(action, {BACK: "1"}), state, asked, lambda outcome, role: BACK_AT_FORM)
    assert not problems, f"POST {action.name} ({state}) with {BACK}:\n  " + "\n  ".join(problems)


KNOWN_CASES = [(a, s, r) for a, s in CASES for r in ROLES if (case_id(a, s), r) in KNOWN]


@pytest.mark.parametrize(
    ("action", "state", "role"),
    [
        pytest.param(a, s, r, marks=pytest.mark.xfail(strict=True, reason=KNOWN[case_id(a, s), r]))
        for a, s, r in KNOWN_CASES
    ],
    ids=[f"{case_id(a, s)}-{r}" for a, s, r in KNOWN_CASES],
)
def test_known_disagreement(action, state, role, fast_passwords):
    problems = _run(action, state, [role])
    assert not problems, problems[0]


def test_every_known_disagreement_and_override_is_a_case():
    cells = {(case_id(a, s), r) for a, s in CASES for r in ROLES}
    assert set(KNOWN) - cells == set()
    assert set(OVERRIDES) - cells == set()
