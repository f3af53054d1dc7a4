"""Case services: one call per intent, each checks its rule first, writes in a transaction under a lock on the case,
records a step (never changed afterwards) and leaves history with who and why (core.audit).

What other apps call:
- meetings: `case_on_agenda` / `case_off_agenda` when a secretary puts a case on an agenda or strikes it, and
  `case_record_outcome` when the minutes that decided it are justerade (decided, referred back, escalated), naming
  the meeting and §. A step recorded for a source (e.g. "meetings.decision:17") is written once: recording it again
  returns the step already there.
- documents: `case_raise`, `case_send_for_preparation` and `case_record_outcome` for a plan's path from GITS through
  Gemensam beredning to VVG.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from core.text import sanitise

from . import case_rules as rules
from .case_models import Case, CaseLink, CaseStep
from .models import Body, Person

Kind = CaseStep.Kind
Status = Case.Status


def _refuse(refusals: list[str]) -> None:
    if refusals:
        raise ValidationError(refusals)


def _lock(case: Case) -> Case:
    """The case row, locked (SELECT … FOR UPDATE on PostgreSQL) and fresh: every step is checked against it."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("owner", "raised_by", "preparing_body")
        .get(pk=case.pk)
    )


def _with_status(body: Body) -> Body:
    """The body with its status for the day (Body.is_closed reads the annotation)."""
    return Body.objects.with_status().get(pk=body.pk)


def _step(case: Case, *, actor, kind: str, reason: str, on: datetime.date | None = None, **fields) -> CaseStep:
    return audit.create(
        CaseStep,
        actor=actor,
        reason=reason,
        case=case,
        kind=kind,
        happened_on=on or timezone.localdate(),
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,  # who, on the step itself
        **fields,
    )


def _move(case: Case, *, actor, reason: str, **fields) -> Case:
    for name, value in fields.items():
        setattr(case, name, value)
    return audit.save(case, actor=actor, reason=reason)


@transaction.atomic
def case_raise(
    *,
    actor,
    body: Body,
    title: str,
    description: str = "",
    process=None,
    links: list[tuple[str, str]] | tuple = (),
    on: datetime.date | None = None,
    routed: bool = False,
) -> Case:
    """Raise a case for a body: it owns the case until it sends it on.

    `routed`: the case is raised because a rule of an app above governance routes a matter there (documents: a
    revision of a governing document is decided by its owner body, a principled one by VVG). The actor then need
    not sit in the body; the body must still be active, and the step names her."""
    body = _with_status(body)
    _refuse(rules.raise_check(actor, body, routed=routed))
    description = sanitise(description)
    if not title.strip():
        raise ValidationError({"title": ["Ge ärendet en rubrik."]})
    case = audit.create(
        Case,
        actor=actor,
        reason="Ärende väckt",
        title=title.strip(),
        description=description,
        process=process,
        raised_by=body,
        owner=body,
        created_by=actor if actor.is_authenticated else None,
    )
    for title_, address in links:
        if title_.strip() or address.strip():
            audit.create(
                CaseLink,
                actor=actor,
                reason="Dokument i ärendet",
                case=case,
                title=(title_ or address).strip(),
                address=address.strip(),
            )
    _step(case, actor=actor, kind=Kind.RAISED, reason="Ärende väckt", on=on, to_body=body, text=description)
    return case


@transaction.atomic
def case_send_for_preparation(
    *,
    actor,
    case: Case,
    preparing_body: Body,
    deciding_body: Body,
    preparer: Person | None = None,
    note: str = "",
    on: datetime.date | None = None,
    routed: bool = False,
) -> Case:
    """Send a case to a body that prepares it for another body's decision (e.g. Gemensam beredning for VVG). The
    deciding body owns it from now on and finds it among its incoming cases. `routed`: as in case_raise, a rule
    sends it (a principled change goes to VVG), so the actor need not carry the owner's cases."""
    case = _lock(case)
    preparing_body, deciding_body = _with_status(preparing_body), _with_status(deciding_body)
    _refuse(
        rules.prepare_check(
            actor,
            case,
            preparing_body=preparing_body,
            deciding_body=deciding_body,
            preparer=preparer,
            routed=routed,
        )
    )
    note = sanitise(note)
    from_body = case.owner
    _step(
        case,
        actor=actor,
        kind=Kind.PREPARING,
        reason="Skickat för beredning",
        on=on,
        from_body=from_body,
        to_body=preparing_body,
        text=note,
        reference=f"Bereds av {preparing_body} för beslut i {deciding_body}",
    )
    return _move(
        case,
        actor=actor,
        reason="Skickat för beredning",
        owner=deciding_body,
        preparing_body=preparing_body,
        preparer=preparer,
        status=Status.PREPARING,
    )


def _existing(case: Case, kind: str, source: str) -> CaseStep | None:
    return CaseStep.objects.filter(case=case, kind=kind, source=source).first() if source else None


@transaction.atomic
def case_on_agenda(
    *, actor, case: Case, body: Body, reference: str, link: str = "", source: str, on: datetime.date
) -> CaseStep:
    """A case put on a meeting's agenda (meetings calls this for the meeting's secretary, having checked her right)."""
    case = _lock(case)
    step = _existing(case, Kind.ON_AGENDA, source)
    if step is not None:
        return step
    _refuse(rules.agenda_check(case, body))
    step = _step(
        case,
        actor=actor,
        kind=Kind.ON_AGENDA,
        reason="Satt på dagordningen",
        on=on,
        to_body=body,
        reference=reference,
        link=link,
        source=source,
    )
    _move(case, actor=actor, reason="Satt på dagordningen", status=Status.ON_AGENDA)
    return step


@transaction.atomic
def case_off_agenda(*, actor, case: Case, body: Body, reference: str, source: str) -> CaseStep | None:
    """The item was struck before a decision: the case waits again as it did before it was put on the agenda."""
    case = _lock(case)
    if case.status != Status.ON_AGENDA or case.owner_id != body.pk:
        return None
    step = _step(
        case,
        actor=actor,
        kind=Kind.OFF_AGENDA,
        reason="Struket från dagordningen",
        from_body=body,
        reference=reference,
        source=source,
    )
    before = Status.PREPARING if case.preparing_body_id else Status.RAISED
    _move(case, actor=actor, reason="Struket från dagordningen", status=before)
    return step


OUTCOMES: dict[str, str] = {
    Kind.DECIDED: Status.DECIDED,
    Kind.REFERRED_BACK: Status.REFERRED_BACK,
    Kind.ESCALATED: Status.ESCALATED,
}


@transaction.atomic
def case_record_outcome(
    *,
    actor,
    case: Case,
    body: Body,
    outcome: str,
    text: str,
    reference: str,
    link: str = "",
    source: str,
    on: datetime.date,
    escalated_to: Body | None = None,
    follow_up_on: datetime.date | None = None,
    follow_up_note: str = "",
) -> CaseStep:
    """A body's decision on the case, recorded once when the minutes that hold it are justerade (or, for a plan,
    when the preparer records VVG's position): decided (with an optional follow-up date), referred back with its
    reason, or escalated to another body, which then owns it."""
    if outcome not in OUTCOMES:
        raise ValidationError("Okänt utfall för ärendet.")
    case = _lock(case)
    step = _existing(case, outcome, source)
    if step is not None:
        return step
    _refuse(
        rules.outcome_check(
            case, body, escalated_to=escalated_to, escalate=outcome == Kind.ESCALATED, outcome=outcome, on=on
        )
    )
    text = sanitise(text)
    step = _step(
        case,
        actor=actor,
        kind=outcome,
        reason=str(Kind(outcome).label),
        on=on,
        from_body=body,
        to_body=escalated_to if outcome == Kind.ESCALATED else None,
        text=text,
        reference=reference,
        link=link,
        source=source,
        follow_up_on=follow_up_on,
    )
    fields: dict = {"status": OUTCOMES[outcome]}
    if outcome == Kind.ESCALATED:
        fields.update(owner=escalated_to, preparing_body=None, preparer=None)
    if outcome == Kind.DECIDED and follow_up_on:
        fields.update(follow_up_on=follow_up_on, follow_up_note=follow_up_note[:300], followed_up_at=None)
    _move(case, actor=actor, reason=str(Kind(outcome).label), **fields)
    for listener in _outcome_listeners:  # in the same transaction: a refusal there leaves the minutes as they were
        listener(case=case, step=step, body=body, outcome=outcome, source=source, actor=actor)
    return step


# What an app above governance does when a case it carries gets an outcome (documents: a revision decided at
# justering is approved; one escalated becomes principled). Called inside case_record_outcome's transaction.
_outcome_listeners: list = []


def register_outcome_listener(listener) -> None:
    if listener not in _outcome_listeners:
        _outcome_listeners.append(listener)


@transaction.atomic
def case_report_back(*, actor, case: Case, text: str) -> Case:
    """The deciding body reports its decision back to the body that raised the case."""
    case = _lock(case)
    text = sanitise(text)
    _refuse(rules.report_back_check(actor, case, text=text))
    _step(
        case,
        actor=actor,
        kind=Kind.REPORTED_BACK,
        reason="Återrapporterat",
        from_body=case.owner,
        to_body=case.raised_by,
        text=text.strip(),
    )
    return _move(case, actor=actor, reason="Återrapporterat", status=Status.REPORTED_BACK)


@transaction.atomic
def case_follow_up_done(*, actor, case: Case, text: str) -> Case:
    case = _lock(case)
    text = sanitise(text)
    _refuse(rules.follow_up_check(actor, case, text=text))
    _step(case, actor=actor, kind=Kind.FOLLOWED_UP, reason="Uppföljt", from_body=case.owner, text=text.strip())
    return _move(case, actor=actor, reason="Uppföljt", followed_up_at=timezone.now())


@transaction.atomic
def case_close(*, actor, case: Case, reason: str, routed: bool = False) -> Case:
    """Close the case with a reason. `routed`: as in case_raise, a rule of an app above closes it."""
    case = _lock(case)
    reason = sanitise(reason)
    _refuse(rules.close_check(actor, case, reason=reason, routed=routed))
    _step(case, actor=actor, kind=Kind.CLOSED, reason="Avslutat", from_body=case.owner, text=reason.strip())
    return _move(case, actor=actor, reason="Avslutat", status=Status.CLOSED)
