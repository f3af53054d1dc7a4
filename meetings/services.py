"""Domain rules of meetings and minutes. Views, commands and tests call these."""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, store
from core.collation import swedish_key
from core.text import is_blank, sanitise
from governance import case_rules, cases
from governance.models import Membership, Vacancy
from governance.permissions import require as _require

from . import agenda, rules
from .models import GUEST_NAME_OR_PERSON, GUEST_NOT_BOTH, Action, AgendaItem, Attendance, Decision, Meeting, Minutes
from .signatories import (  # the justering services and who signs, re-exported: meetings.services is the one entry
    CASE_OUTCOMES,
    correction_add,
    correction_approve,
    justering_block,
    minutes_record_paper_justering,
    minutes_respond,
    minutes_send_for_justering,
    minutes_start,
    minutes_withdraw,
    minutes_writer_ids,
    signatories,
    signatory_refusals,
)

__all__ = [
    "correction_add",
    "correction_approve",
    "justering_block",
    "minutes_record_paper_justering",
    "minutes_respond",
    "minutes_send_for_justering",
    "minutes_withdraw",
    "minutes_writer_ids",
    "signatories",
    "signatory_refusals",
]


def _refuse(refusals: list[str]) -> None:
    if refusals:
        raise ValidationError(refusals)


def _refuse_fields(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _assert_editable(actor, meeting: Meeting) -> None:
    _refuse(rules.minutes_edit_check(actor, meeting, Minutes.objects.filter(meeting=meeting).first()))


# --- meetings and agenda -----------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, meeting: Meeting, adjusters=(), co_secretaries=()) -> Meeting:
    """Plan a meeting; its agenda starts with the standing items and the open actions to follow up."""
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    meeting.full_clean()
    errors = signatory_refusals(meeting=meeting, adjusters=adjusters, actor=actor, co_secretaries=co_secretaries)
    if errors:
        raise ValidationError(errors)
    reason = _("Möte planerat")
    audit.save(meeting, actor=actor, reason=reason)
    with audit.recording(actor=actor, reason=reason):
        meeting.adjusters.set(adjusters)
        if co_secretaries:
            meeting.co_secretaries.set(co_secretaries)
    previous = Meeting.objects.filter(body=meeting.body, date__lt=meeting.date).order_by("-date").first()
    number = 1
    if previous:
        audit.create(
            AgendaItem,
            actor=actor,
            reason=reason,
            meeting=meeting,
            position=number,
            is_standing=True,
            purpose=AgendaItem.Purpose.DECISION,
            title=_("Föregående protokoll"),
            description=_("Protokollet från %(d)s följs upp och läggs till handlingarna.")
            % {"d": previous.date.isoformat()},
        )
        number += 1
    open_actions = list(open_actions_for(meeting.body, before=meeting.date))
    if open_actions:
        lines = [
            f"{a.text} – {a.owner}" + (f", senast {a.due_date.isoformat()}" if a.due_date else "") for a in open_actions
        ]
        audit.create(
            AgendaItem,
            actor=actor,
            reason=reason,
            meeting=meeting,
            position=number,
            is_standing=True,
            purpose=AgendaItem.Purpose.DISCUSSION,
            title=_("Uppföljning av åtgärder"),
            description="\n".join(lines),
        )
    return meeting


def open_actions_for(body, before: datetime.date):
    return Action.objects.filter(
        item__meeting__body=body, item__meeting__date__lt=before, status=Action.Status.OPEN
    ).select_related("item__meeting")


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, adjusters=None, co_secretaries=None) -> Meeting:
    # The right is the stored meeting's: whoever changes its secretaries had the right before the change.
    _require(actor, rules.MANAGE_MEETING, Meeting.objects.get(pk=meeting.pk))
    _assert_editable(actor, meeting)
    meeting.full_clean()
    errors = rules.meeting_hours_errors(meeting) | signatory_refusals(
        meeting=meeting,
        adjusters=meeting.adjusters.all() if adjusters is None else adjusters,
        actor=actor,
        co_secretaries=co_secretaries,
    )
    if errors:
        raise ValidationError(errors)
    reason = _("Möte ändrat")
    audit.save(meeting, actor=actor, reason=reason)
    with audit.recording(actor=actor, reason=reason):
        if adjusters is not None:
            meeting.adjusters.set(adjusters)
        if co_secretaries is not None:
            meeting.co_secretaries.set(co_secretaries)
    return meeting


@transaction.atomic
def agenda_item_save(*, actor, item: AgendaItem) -> AgendaItem:
    """Save an item within the meeting's hours; the agenda stays in time order (meetings.agenda): a new item goes
    last, then a timed item takes its place by time among the timed ones, and so does an item whose time changed."""
    _require(actor, rules.MANAGE_MEETING, item.meeting)
    _assert_editable(actor, item.meeting)
    _refuse_fields(rules.item_time_errors(item))
    others = list(item.meeting.items.select_for_update().exclude(pk=item.pk).order_by("position"))
    if not item.pk:
        item.position = (others[-1].position if others else 0) + 1
    current = sorted([*others, item], key=lambda it: (it.position, it is not item))
    reason = _("Dagordningen ordnad efter tid")
    for n, it in enumerate(agenda.in_time_order(current), start=1):
        if it is item:
            item.position = n
        elif it.position != n:
            it.position = n
            audit.save(it, actor=actor, reason=reason)
    item.discussion = sanitise(item.discussion)
    return audit.save(item, actor=actor, reason=_("Dagordningspunkt sparad"))


def _renumber(items, *, actor, reason: str) -> None:
    for n, it in enumerate(items, start=1):
        if it.position != n:
            it.position = n
            audit.save(it, actor=actor, reason=reason)


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: int) -> None:
    """Swap an item with its neighbour (direction -1 up, +1 down); numbering stays 1..n."""
    _require(actor, rules.MANAGE_MEETING, item.meeting)
    _assert_editable(actor, item.meeting)
    items = list(item.meeting.items.select_for_update().order_by("position"))
    i = next(n for n, it in enumerate(items) if it.pk == item.pk)
    j = i + direction
    if 0 <= j < len(items):
        a, b = items[i].start_time, items[j].start_time
        if a is not None and b is not None and a != b:  # the agenda is in time order: a time says where it stands
            raise ValidationError(str(rules.OUT_OF_TIME_ORDER))
        items[i], items[j] = items[j], items[i]
    _renumber(items, actor=actor, reason=_("Dagordningen ordnad om"))


def meeting_reference(meeting: Meeting) -> str:
    """How a case's path names the meeting: "<body short name> <date>"."""
    body = meeting.body
    return f"{body.short_name or body.name} {meeting.date}"


@transaction.atomic
def agenda_item_add_case(*, actor, meeting: Meeting, case) -> AgendaItem:
    """Put a waiting case on the meeting's agenda as a decision item; the case's path records it at once."""
    _require(actor, rules.MANAGE_MEETING, meeting)
    _assert_editable(actor, meeting)
    case = type(case).objects.select_for_update().get(pk=case.pk)
    _refuse(case_rules.agenda_check(case, meeting.body))
    item = agenda_item_save(
        actor=actor,
        item=AgendaItem(meeting=meeting, title=case.title[:300], purpose=AgendaItem.Purpose.DECISION, case=case),
    )
    cases.case_on_agenda(
        actor=actor,
        case=case,
        body=meeting.body,
        reference=meeting_reference(meeting),
        link=meeting.get_absolute_url(),
        source=f"meetings.item:{item.pk}",
        on=meeting.date,
    )
    return item


@transaction.atomic
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    _require(actor, rules.MANAGE_MEETING, item.meeting)
    _assert_editable(actor, item.meeting)
    meeting = item.meeting
    reason = _("Dagordningspunkt borttagen")
    if item.case is not None:
        cases.case_off_agenda(
            actor=actor,
            case=item.case,
            body=meeting.body,
            reference=meeting_reference(meeting),
            source=f"meetings.item:{item.pk}",
        )
    audit.delete(item, actor=actor, reason=reason)
    _renumber(meeting.items.order_by("position"), actor=actor, reason=reason)


@transaction.atomic
def agenda_publish(*, actor, meeting: Meeting) -> Meeting:
    """Publish the agenda to the body's members (it becomes visible to them)."""
    _require(actor, rules.MANAGE_MEETING, meeting)
    _refuse(rules.agenda_publish_check(actor, meeting, Minutes.objects.filter(meeting=meeting).first()))
    meeting.agenda_published_at = timezone.now()
    return audit.save(meeting, actor=actor, reason=_("Dagordningen publicerad"))


# --- attendance --------------------------------------------------------------------------------


@transaction.atomic
def attendance_fill(*, actor, meeting: Meeting) -> int:
    """Fill attendance from the body's memberships on the meeting date, and its open vacancies. Idempotent."""
    _require(actor, rules.MANAGE_MEETING, meeting)
    _assert_editable(actor, meeting)
    reason = _("Närvaro hämtad från organets uppdrag")
    have = set(meeting.attendance.values_list("person_id", flat=True))
    created = 0
    for m in Membership.objects.current(meeting.date).filter(body=meeting.body).select_related("person", "subregion"):
        if m.person_id in have or m.role == Membership.Role.SUBSTITUTE:
            continue
        audit.create(
            Attendance,
            actor=actor,
            reason=reason,
            meeting=meeting,
            person=m.person,
            subregion=m.subregion,
            organisation=m.person.organisation,
            title=m.person.title,
            role_label=m.get_role_display(),
            group_label="" if m.subregion_id else meeting.body.short_name or meeting.body.name,
        )
        have.add(m.person_id)
        created += 1
    if not meeting.attendance.filter(status=Attendance.Status.VACANT).exists():
        vacancies = Vacancy.objects.filter(body=meeting.body, since__lte=meeting.date).exclude(
            filled_on__lte=meeting.date
        )
        for v in vacancies:
            audit.create(
                Attendance,
                actor=actor,
                reason=reason,
                meeting=meeting,
                status=Attendance.Status.VACANT,
                subregion=v.subregion,
                role_label=v.get_role_display(),
            )
            created += 1
    return created


GUEST_ONLY_INVITED = _("Den som inte finns i portalen kan läggas till som inbjuden eller adjungerad.")


@transaction.atomic
def attendance_save(*, actor, attendance: Attendance) -> Attendance:
    """A row of the attendance: a registered person (title and organisation recorded from the person when the row
    is added, and kept as at the meeting), an invited guest typed on the spot (name, title, organisation), or a
    vacant seat."""
    _require(actor, rules.MANAGE_MEETING, attendance.meeting)
    _assert_editable(actor, attendance.meeting)
    attendance.guest_name = attendance.guest_name.strip()
    attendance.title, attendance.role_label = attendance.title.strip(), attendance.role_label.strip()
    attendance.guest_organisation = attendance.guest_organisation.strip()
    if attendance.person_id and attendance.guest_name:
        raise ValidationError({"guest_name": GUEST_NOT_BOTH})
    if not attendance.person_id and attendance.status != Attendance.Status.VACANT:
        if not attendance.guest_name:
            raise ValidationError({"person": GUEST_NAME_OR_PERSON})
        if attendance.status not in (Attendance.Status.GUEST, Attendance.Status.CO_OPTED):
            raise ValidationError({"status": GUEST_ONLY_INVITED})
    if attendance.person is not None and not attendance.pk:
        attendance.title = attendance.title or attendance.person.title
        attendance.organisation_id = attendance.organisation_id or attendance.person.organisation_id
    if attendance.status == Attendance.Status.SUBSTITUTE and not attendance.substitute_for_id:
        raise ValidationError({"substitute_for": _("Ange vem ersättaren går in för.")})
    if attendance.status != Attendance.Status.SUBSTITUTE:
        attendance.substitute_for = None
    if attendance.person_id and attendance.substitute_for_id == attendance.person_id:
        raise ValidationError({"substitute_for": _("En person kan inte ersätta sig själv.")})
    if (
        attendance.person_id
        and Attendance.objects.filter(meeting=attendance.meeting, person=attendance.person)
        .exclude(pk=attendance.pk)
        .exists()
    ):
        raise ValidationError({"person": _("Personen finns redan i närvarolistan.")})
    return audit.save(attendance, actor=actor, reason=_("Närvaro registrerad"))


# --- minutes -----------------------------------------------------------------------------------


def minutes_for(meeting: Meeting, *, actor=None) -> Minutes:
    """The meeting's minutes, started as a draft (with a history row) if they were not yet."""
    return minutes_start(actor=actor, meeting=meeting)


def notes_digest(text: str) -> str:
    """What an item's notes were when a writer opened them (the page carries it back): a short digest, not the
    text, so a long text is not sent twice."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class NotesConflict(Exception):
    """Somebody saved the item's notes after the writer opened them: `current` is what they saved."""

    def __init__(self, current: str):
        super().__init__(str(rules.NOTES_CHANGED))
        self.current = current


@transaction.atomic
def item_minutes_save(*, actor, item: AgendaItem, discussion: str, base: str | None = None) -> AgendaItem:
    """Save an item's notes. With `base` (notes_digest of the notes the writer started from) the row is locked and
    the save refused with NotesConflict when someone else saved the notes since: nothing is overwritten unseen."""
    _require(actor, rules.MANAGE_MEETING, item.meeting)
    _assert_editable(actor, item.meeting)
    current = AgendaItem.objects.select_for_update().only("discussion").get(pk=item.pk).discussion
    if base is not None and notes_digest(current) != base:
        raise NotesConflict(current)
    if is_blank(discussion) and not is_blank(current):
        raise ValidationError({"discussion": rules.BLANK_NOTES})  # an empty form never replaces the notes
    item.discussion = sanitise(discussion)
    return audit.save(item, actor=actor, reason=_("Anteckningar skrivna"))


ONE_OUTCOME_PER_CASE_ITEM = _(
    "Punkten har redan ett ställningstagande som flyttar ärendet. Ändra det i stället för att lägga till ett till."
)


def _decision_errors(
    kind: str, text: str, escalated_to, item: AgendaItem | None = None, decision: Decision | None = None
) -> dict[str, str]:
    if not text.strip():
        return {"text": _("Skriv ställningstagandet.")}
    if item is not None and item.case_id is not None and kind != Decision.Kind.NOTED:
        others = item.decisions.exclude(kind=Decision.Kind.NOTED)
        if decision is not None:
            others = others.exclude(pk=decision.pk)
        if others.exists():  # one outcome per case and item: a second would be refused at justering, blocking it
            return {"kind": str(ONE_OUTCOME_PER_CASE_ITEM)}
    if kind == Decision.Kind.ESCALATION and escalated_to is None:
        return {"escalated_to": _("Välj vilket organ frågan lyfts till.")}
    if item is not None and item.case is not None and kind != Decision.Kind.NOTED:
        # The case will move at justering (meetings.signatories.record_case_outcomes): refused now, not then.
        escalate = kind == Decision.Kind.ESCALATION
        refusals = case_rules.outcome_check(
            item.case,
            item.meeting.body,
            escalated_to=escalated_to if escalate else None,
            escalate=escalate,
            outcome=CASE_OUTCOMES.get(kind),
            on=item.meeting.date,
        )
        if refusals:
            return {"escalated_to" if escalate else "kind": " ".join(refusals)}
    return {}


def _follow_up(kind: str, follow_up_on, follow_up_note: str) -> tuple:
    """A follow-up date and note belong to a decision proper; other kinds keep none."""
    if kind != Decision.Kind.DECISION:
        return None, ""
    return follow_up_on, (follow_up_note or "").strip()[:300]


@transaction.atomic
def decision_add(
    *, actor, item: AgendaItem, kind: str, text: str, escalated_to=None, follow_up_on=None, follow_up_note: str = ""
) -> Decision:
    """Record a decision (ställningstagande); it takes the next § number of the body's year (locked against
    concurrent numbering)."""
    meeting = item.meeting
    _require(actor, rules.MANAGE_MEETING, meeting)
    _assert_editable(actor, meeting)
    _refuse_fields(_decision_errors(kind, text, escalated_to, item))
    year = meeting.date.year
    audit.lock(meeting.body)  # the body's § numbers: also the first of a year, when there is no row to lock yet
    last = Decision.objects.filter(body=meeting.body, year=year).aggregate(m=Max("number"))["m"] or 0
    decision = Decision(
        item=item,
        body=meeting.body,
        year=year,
        number=last + 1,
        kind=kind,
        text=text.strip(),
        escalated_to=escalated_to if kind == Decision.Kind.ESCALATION else None,
    )
    decision.follow_up_on, decision.follow_up_note = _follow_up(kind, follow_up_on, follow_up_note)
    return audit.save(decision, actor=actor, reason=_("Ställningstagande registrerat"))


@transaction.atomic
def decision_update(
    *,
    actor,
    decision: Decision,
    kind: str,
    text: str,
    escalated_to=None,
    follow_up_on=None,
    follow_up_note: str = "",
) -> Decision:
    """Change a decision's kind and text until justering; its § number stays."""
    _require(actor, rules.MANAGE_MEETING, decision.item.meeting)
    _assert_editable(actor, decision.item.meeting)
    _refuse_fields(_decision_errors(kind, text, escalated_to, decision.item, decision))
    decision.kind, decision.text = kind, text.strip()
    decision.escalated_to = escalated_to if kind == Decision.Kind.ESCALATION else None
    decision.follow_up_on, decision.follow_up_note = _follow_up(kind, follow_up_on, follow_up_note)
    return audit.save(decision, actor=actor, reason=_("Ställningstagande ändrat"))


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
    """Remove a decision until justering. Its § number is not given to another decision of the body's year unless
    it was the highest (numbers are max+1)."""
    _require(actor, rules.MANAGE_MEETING, decision.item.meeting)
    _assert_editable(actor, decision.item.meeting)
    audit.delete(decision, actor=actor, reason=_("Ställningstagande borttaget"))


def _action_errors(item: AgendaItem, text: str, owner: str, due_date) -> dict[str, str]:
    errors = {}
    if not text.strip():
        errors["text"] = _("Skriv vad som ska göras.")
    if not owner.strip():
        errors["owner"] = _("Ange vem som är ansvarig.")
    return errors | rules.action_due_errors(item, due_date)


@transaction.atomic
def action_add(*, actor, item: AgendaItem, text: str, owner: str, due_date=None, subregion=None) -> Action:
    """Record an action; it is not due before the meeting."""
    _require(actor, rules.MANAGE_MEETING, item.meeting)
    _assert_editable(actor, item.meeting)
    _refuse_fields(_action_errors(item, text, owner, due_date))
    action = Action(item=item, text=text.strip(), owner=owner.strip(), due_date=due_date, subregion=subregion)
    return audit.save(action, actor=actor, reason=_("Åtgärd registrerad"))


@transaction.atomic
def action_update(*, actor, action: Action, text: str, owner: str, due_date=None, subregion=None) -> Action:
    """Change an action until justering (its follow-up status is action_set_status, also after)."""
    _require(actor, rules.MANAGE_MEETING, action.item.meeting)
    _assert_editable(actor, action.item.meeting)
    _refuse_fields(_action_errors(action.item, text, owner, due_date))
    action.text, action.owner, action.due_date, action.subregion = text.strip(), owner.strip(), due_date, subregion
    return audit.save(action, actor=actor, reason=_("Åtgärd ändrad"))


@transaction.atomic
def action_delete(*, actor, action: Action) -> None:
    _require(actor, rules.MANAGE_MEETING, action.item.meeting)
    _assert_editable(actor, action.item.meeting)
    audit.delete(action, actor=actor, reason=_("Åtgärd borttagen"))


@dataclass(frozen=True)
class Row:
    """A row of an item's minutes page: an existing decision or action (`obj`) to change (or to remove), or a new
    one (obj None); `values` are the service's keyword arguments (kind, text, escalated_to / text, owner, due_date,
    subregion)."""

    obj: Any = None
    values: dict = field(default_factory=dict)
    remove: bool = False


def _error_dict(error: ValidationError) -> dict:
    return error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}


@transaction.atomic
def item_minutes_write(
    *,
    actor,
    item: AgendaItem,
    discussion: str,
    decisions: Sequence[Row] = (),
    actions: Sequence[Row] = (),
    base: str | None = None,
) -> AgendaItem:
    """An item's notes, decisions and actions saved together, through the services above (their checks, locks and
    history): all of it or nothing. Every row is checked; the refusals come back together, keyed
    `decisions.<n>.<field>` and `actions.<n>.<field>` (n: the row's index in the list) so the page can point at
    the field, and nothing is written. Notes changed by someone else since `base` raise NotesConflict, and nothing is
    written either."""
    _require(actor, rules.MANAGE_MEETING, item.meeting)
    _assert_editable(actor, item.meeting)
    typed = sanitise(discussion)
    # Notes left as the page showed them (base: their digest) are not a change, whoever saved the notes meanwhile.
    untouched = base is not None and notes_digest(typed) == base
    if not untouched and typed != item.discussion:  # NotesConflict (someone saved since `base`) undoes all
        item_minutes_save(actor=actor, item=item, discussion=discussion, base=base)
    errors: dict[str, list] = {}

    def run(key: str, call) -> None:
        try:
            with transaction.atomic():  # a savepoint: a refused row writes nothing while the others are checked
                call()
        except ValidationError as error:
            for name, messages in _error_dict(error).items():
                errors[f"{key}.{name}"] = messages

    for n, row in enumerate(decisions):
        if row.obj is None:
            run(f"decisions.{n}", lambda row=row: decision_add(actor=actor, item=item, **row.values))
        elif row.remove:
            run(f"decisions.{n}", lambda row=row: decision_delete(actor=actor, decision=row.obj))
        else:
            run(f"decisions.{n}", lambda row=row: decision_update(actor=actor, decision=row.obj, **row.values))
    for n, row in enumerate(actions):
        if row.obj is None:
            run(f"actions.{n}", lambda row=row: action_add(actor=actor, item=item, **row.values))
        elif row.remove:
            run(f"actions.{n}", lambda row=row: action_delete(actor=actor, action=row.obj))
        else:
            run(f"actions.{n}", lambda row=row: action_update(actor=actor, action=row.obj, **row.values))
    if errors:
        raise ValidationError(errors)
    return item


@transaction.atomic
def action_set_status(*, actor, action: Action, status: str) -> Action:
    """Follow-up of an action is allowed after justering: it is not part of the minutes' text."""
    _require(actor, rules.MANAGE_MEETING, action.item.meeting)
    if status not in Action.Status.values:
        raise ValidationError({"status": str(rules.UNKNOWN_ACTION_STATUS)})
    action.status = status
    return audit.save(action, actor=actor, reason=_("Åtgärdens status ändrad"))


# --- publishing --------------------------------------------------------------------------------


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting) -> Minutes:
    """Publish justerade minutes as PDF. The PDF is rendered once and stored with its SHA-256 and size; it is what
    everyone downloads from then on, and it is never regenerated (a second call is refused)."""
    from .publishing import render_minutes_pdf

    _require(actor, rules.MANAGE_MEETING, meeting)
    # The row lock makes two simultaneous clicks publish once: the second waits, then sees PUBLISHED.
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    _refuse(rules.publish_check(actor, meeting, minutes))
    assert minutes is not None  # publish_check refuses minutes that are not justerade
    stored = store.put(minutes.pdf, render_minutes_pdf(meeting))
    try:
        minutes.pdf_sha256 = stored.sha256
        minutes.pdf_size = stored.size
        minutes.status = Minutes.Status.PUBLISHED
        minutes.published_at = timezone.now()
        minutes.published_by = actor
        audit.save(minutes, actor=actor, reason=_("Publicerat som PDF"))
    except Exception:
        minutes.pdf.delete(save=False)  # no orphan file when the row could not be saved
        raise
    return minutes


def summary(meeting: Meeting) -> dict:
    """The closing summary and take-home summary: decisions and actions, generated, never typed twice."""
    items = list(meeting.items.prefetch_related("decisions__escalated_to", "actions__subregion").order_by("position"))
    decisions = [p for it in items for p in it.decisions.all()]
    actions = [a for it in items for a in it.actions.all()]
    by_subregion: dict = {}
    for a in actions:
        if a.subregion_id:
            by_subregion.setdefault(a.subregion, []).append(a)
    return {
        "items": items,
        "decisions": decisions,
        "actions": actions,
        "by_subregion": sorted(by_subregion.items(), key=lambda kv: kv[0].short_name),
    }


# Within a group, those present first, then who came in another capacity, then förhinder and vacant seats.
ATTENDANCE_ORDER = [
    Attendance.Status.PRESENT,
    Attendance.Status.SUBSTITUTE,
    Attendance.Status.CO_OPTED,
    Attendance.Status.GUEST,
    Attendance.Status.ABSENT,
    Attendance.Status.VACANT,
]


def attendance_groups(meeting: Meeting) -> list[tuple[str, list[Attendance]]]:
    """The attendance grouped by subregion or group label ("GITS", …) as on the page, at justering and in the PDF;
    in each group the present first and förhinder last, by name the Swedish way; groups of only invited guests after
    the groups of members. One query."""
    rows = meeting.attendance.select_related("person", "subregion", "organisation", "substitute_for")
    groups: dict[str, list[Attendance]] = {}
    for a in rows:
        groups.setdefault(a.group, []).append(a)
    rank: dict[str, int] = {str(status): n for n, status in enumerate(ATTENDANCE_ORDER)}

    def order(a: Attendance):
        name = f"{a.person.last_name} {a.person.first_name}" if a.person else a.guest_name
        return rank.get(a.status, len(rank)), swedish_key(name)

    for members in groups.values():
        members.sort(key=order)
    return sorted(groups.items(), key=lambda kv: (order(kv[1][0])[0], swedish_key(kv[0])))
