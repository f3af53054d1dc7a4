"""Who may move a case, and when: governance's case actions, registered with the one dispatcher.

Each `*_check(actor, case, ...)` returns the refusals (Swedish, empty = allowed): the services in governance.cases
raise them, the pages show them beside the buttons. The steps that minutes record (on an agenda, decided, referred
back, escalated) are checked by meetings, which owns agendas and justering; `agenda_check` and `outcome_check` here
say what the case itself allows.
"""

import datetime
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from .case_models import Case
from .models import Body, Membership, Person
from .permissions import (
    is_admin,
    is_coordinator,
    is_member_of,
    member_body_ids,
    preparer_body_ids,
    rule,
    secretary_body_ids,
)

RAISE_CASE = "raise_case"  # raise a case for a body: obj = Body (its members, the coordinators)
VIEW_CASE = "view_case"  # open a case's page: obj = Case
PREPARE_CASE = "prepare_case"  # send a case for preparation to a body, for a body's decision: obj = Case
REPORT_BACK = "report_back_case"  # report a decided case back to the body that raised it: obj = Case
FOLLOW_UP_CASE = "follow_up_case"  # record that a decision's follow-up was done: obj = Case
CLOSE_CASE = "close_case"  # close a case with a reason: obj = Case
CARRY_CASE = "carry_case"  # the role behind a steward's step, whatever the case's state: obj = Case
CARRY_CASE_TO_CLOSE = "carry_case_to_close"  # the same, for closing (the raising body's stewards too): obj = Case

NOT_A_MEMBER = _("Du kan bara väcka ärenden för ett organ där du har ett uppdrag. Välj ett av dina organ.")
CLOSED = _("Ärendet är avslutat. Väck ett nytt ärende om frågan kommer tillbaka.")
NOT_STEWARD = _(
    "Det är sekreteraren eller beredningsansvarig i %(body)s, eller GITS-samordnarna, som för ärendet vidare."
)
NOT_RAISER_STEWARD = _("Det är sekreteraren i %(body)s, som väckte ärendet, eller GITS-samordnarna, som avslutar det.")
PREPARE_STATE = _("Ärendet är %(status)s och kan inte skickas för beredning nu.")
PREPARE_SAME_BODY = _("Välj ett annat organ att bereda ärendet än det som ska besluta.")
PREPARER_NOT_IN_BODY = _(
    "%(person)s har inget pågående uppdrag i %(body)s. Välj någon som sitter i organet som bereder ärendet, eller"
    " lämna fältet tomt."
)
PREPARE_CLOSED_BODY = _("%(body)s är avvecklat och kan inte bereda eller besluta ärenden. Välj ett annat organ.")
REPORT_STATE = _("Bara ett beslutat ärende kan återrapporteras. Ärendet är %(status)s.")
REPORT_TEXT = _("Skriv vad som beslutades och vad det innebär för %(body)s.")
FOLLOW_UP_NONE = _("Ärendet har ingen uppföljning att registrera.")
FOLLOW_UP_TEXT = _("Skriv kort vad uppföljningen visade.")
CLOSE_REASON = _("Skriv varför ärendet avslutas.")
AGENDA_NOT_OWNER = _("Ärendet ägs av %(owner)s och kan bara tas upp på dess möten.")
AGENDA_STATE = _("Ärendet är %(status)s och väntar inte på ett möte.")
OUTCOME_NOT_ON_AGENDA = _("Ärendet är inte på dagordningen i %(body)s, så ett beslut där kan inte flytta det.")
ESCALATE_TO_SELF = _("Välj ett annat organ än %(body)s att lyfta ärendet till.")
ESCALATE_MISSING = _("Välj vilket organ ärendet lyfts till.")


def _status(case: Case) -> str:
    return str(case.get_status_display()).lower()


def stewarded_body_ids(user) -> set[int] | None:
    """The bodies whose cases the user carries forward: None (every body) for the administrator and the
    coordinators; else those where she holds a secretary or preparer seat (a staff seat, never a subregion's)."""
    if is_admin(user) or is_coordinator(user):
        return None
    return secretary_body_ids(user) | preparer_body_ids(user)


def stewards_of(user, body: Body) -> bool:
    """Who carries a body's cases forward (stewarded_body_ids)."""
    bodies = stewarded_body_ids(user)
    return bodies is None or body.pk in bodies


@rule(RAISE_CASE)
def _raise(user, body) -> bool:
    return bool(user.is_authenticated and body is not None and not raise_check(user, body))


@rule(VIEW_CASE)
def _view(user, case) -> bool:
    return bool(
        user.is_authenticated and case is not None and Case.objects.visible_to(user).filter(pk=case.pk).exists()
    )


@rule(PREPARE_CASE)
def _prepare(user, case) -> bool:
    return bool(user.is_authenticated and not prepare_check(user, case))


@rule(REPORT_BACK)
def _report(user, case) -> bool:
    return bool(user.is_authenticated and not report_back_check(user, case))


@rule(FOLLOW_UP_CASE)
def _follow_up(user, case) -> bool:
    return bool(user.is_authenticated and not follow_up_check(user, case))


@rule(CLOSE_CASE)
def _close(user, case) -> bool:
    return bool(user.is_authenticated and not close_check(user, case))


def raise_check(actor, body: Body, *, routed: bool = False) -> list[str]:
    if routed or is_admin(actor) or is_coordinator(actor) or is_member_of(actor, body):
        return [] if body.is_active else [str(PREPARE_CLOSED_BODY % {"body": body})]
    return [str(NOT_A_MEMBER)]


def raisable_bodies(actor):
    """The bodies the actor may raise a case for (her running seats; every active body for coordinators)."""
    rows = Body.objects.with_status().exclude(status="closed")
    if is_admin(actor) or is_coordinator(actor):
        return rows
    return rows.filter(pk__in=member_body_ids(actor))


def may_carry(actor, case: Case, *, raiser_too: bool = False) -> bool:
    """The role behind every step a steward takes on a case, whatever its state: she carries the owner's cases
    forward (or, `raiser_too`, the raising body's: closing). The pages answer 403 without it; the state's refusals
    are shown on the page."""
    return stewards_of(actor, case.owner) or (raiser_too and stewards_of(actor, case.raised_by))


@rule(CARRY_CASE)
def _carry(user, case) -> bool:
    return bool(user.is_authenticated and case is not None and may_carry(user, case))


@rule(CARRY_CASE_TO_CLOSE)
def _carry_to_close(user, case) -> bool:
    return bool(user.is_authenticated and case is not None and may_carry(user, case, raiser_too=True))


def _steward_check(actor, case: Case) -> list[str]:
    if may_carry(actor, case):
        return []
    return [str(NOT_STEWARD % {"body": case.owner})]


def prepare_check(
    actor,
    case: Case,
    *,
    preparing_body: Body | None = None,
    deciding_body: Body | None = None,
    preparer: Person | None = None,
    routed: bool = False,
) -> list[str]:
    """May the actor send the case for preparation now: she carries the owner's cases forward (unless a rule routes
    it, `routed`), the case waits for preparation, the preparing body is not the deciding one, neither is closed,
    and a named preparer sits in the preparing body."""
    if not case.is_open:
        return [str(CLOSED)]
    refusals = [] if routed else _steward_check(actor, case)
    if case.status not in (Case.Status.RAISED, Case.Status.PREPARING, Case.Status.REFERRED_BACK, Case.Status.ESCALATED):
        refusals.append(str(PREPARE_STATE % {"status": _status(case)}))
    if preparing_body is not None and deciding_body is not None and preparing_body.pk == deciding_body.pk:
        refusals.append(str(PREPARE_SAME_BODY))
    for body in (preparing_body, deciding_body):
        if body is not None and body.is_closed:
            refusals.append(str(PREPARE_CLOSED_BODY % {"body": body}))
    if preparer is not None and preparing_body is not None:
        if not Membership.objects.current().filter(person=preparer, body=preparing_body).exists():
            refusals.append(str(PREPARER_NOT_IN_BODY % {"person": preparer, "body": preparing_body}))
    return refusals


def report_back_check(actor, case: Case, *, text: str | None = None) -> list[str]:
    if not case.is_open:
        return [str(CLOSED)]
    refusals = _steward_check(actor, case)
    if case.status != Case.Status.DECIDED:
        refusals.append(str(REPORT_STATE % {"status": _status(case)}))
    if text is not None and not text.strip():
        refusals.append(str(REPORT_TEXT % {"body": case.raised_by}))
    return refusals


def follow_up_check(actor, case: Case, *, text: str | None = None) -> list[str]:
    if not case.follow_up_on or case.followed_up_at:
        return [str(FOLLOW_UP_NONE)]
    refusals = _steward_check(actor, case)
    if text is not None and not text.strip():
        refusals.append(str(FOLLOW_UP_TEXT))
    return refusals


def close_check(actor, case: Case, *, reason: str | None = None, routed: bool = False) -> list[str]:
    """May the actor close the case: she carries the owner's or the raising body's cases (unless a rule closes it,
    `routed`: a governing document's revision taken back by its owner's decision), with a reason."""
    if not case.is_open:
        return [str(CLOSED)]
    refusals = []
    if not routed and not may_carry(actor, case, raiser_too=True):
        refusals.append(str(NOT_RAISER_STEWARD % {"body": case.raised_by}))
    if reason is not None and not reason.strip():
        refusals.append(str(CLOSE_REASON))
    return refusals


def agenda_check(case: Case, body: Body) -> list[str]:
    """May this case be put on an agenda of this body (meetings asks, for its secretary)?"""
    if not case.is_open:
        return [str(CLOSED)]
    if case.owner_id != body.pk:
        return [str(AGENDA_NOT_OWNER % {"owner": case.owner})]
    if case.status not in Case.AGENDA_STATUSES:
        return [str(AGENDA_STATE % {"status": _status(case)})]
    return []


# What an app above governance adds to outcome_check for the cases it carries (documents: a governing document's
# revision may be decided only by the body and in the state its class allows). Each guard is called as
# guard(case, body, outcome, on) with outcome a CaseStep kind and `on` the meeting's day (None when unknown), and
# returns Swedish refusals; registered once, at start-up.
OutcomeGuard = Callable[..., list[str]]  # guard(case, body, outcome, on) -> refusals
_outcome_guards: list[OutcomeGuard] = []


def register_outcome_guard(guard: OutcomeGuard) -> None:
    if guard not in _outcome_guards:
        _outcome_guards.append(guard)


def outcome_check(
    case: Case,
    body: Body,
    *,
    escalated_to: Body | None = None,
    escalate: bool = False,
    outcome: str | None = None,
    on: datetime.date | None = None,
) -> list[str]:
    """May a decision of this body move the case (meetings asks when the decision is written and at justering)?
    `outcome` (a CaseStep kind: decided, referred back, escalated) lets the registered guards judge it."""
    if not case.is_open:
        return [str(CLOSED)]
    refusals = []
    if outcome is not None and case.owner_id == body.pk:
        for guard in _outcome_guards:
            refusals.extend(guard(case, body, outcome, on))
    if case.owner_id != body.pk:
        refusals.append(str(OUTCOME_NOT_ON_AGENDA % {"body": body}))
    if escalate:
        if escalated_to is None:
            refusals.append(str(ESCALATE_MISSING))
        elif escalated_to.pk == body.pk:
            refusals.append(str(ESCALATE_TO_SELF % {"body": body}))
    return refusals
