"""Domain rules of meetings and minutes. Views, commands and tests call these."""

import datetime

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import lock as _lock
from core.audit import save as _save
from governance import permissions
from governance.models import Membership, Vacancy
from governance.permissions import require as _require
from governance.permissions import require_person as _require_person

from . import rules
from .models import Action, AgendaItem, Attendance, Correction, Meeting, Minutes, Position

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
LOCKED_MESSAGE = _("Mötesanteckningarna är justerade och låsta. Ändringar görs som en rättelse.")


def sanitise(html: str) -> str:
    """Rich text from the browser, cleaned to a small safe subset (no scripts, styles or event handlers)."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


def _assert_editable(meeting: Meeting):
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and minutes.status != Minutes.Status.DRAFT:
        if minutes.is_locked:
            raise ValidationError(LOCKED_MESSAGE)
        raise ValidationError(_("Mötesanteckningarna är skickade för justering. Återta dem för att ändra."))


# --- who signs: separation of duties ------------------------------------------------------------

SECRETARY_NOT_CHAIR = _("Mötets sekreterare kan inte vara dess ordförande. Välj en annan ordförande.")
SECRETARY_NOT_ADJUSTER = _("Mötets sekreterare kan inte justera anteckningarna. Välj andra justerare.")
WRITER_NOT_SIGNATORY = _(
    "Du skriver mötets anteckningar och kan inte själv vara ordförande eller justerare. Välj någon annan."
)
WROTE_NOT_SIGNATORY = _(
    "Den personen har planerat mötet eller skrivit dess anteckningar och kan inte vara ordförande eller justerare. "
    "Välj någon annan."
)
NEEDS_INDEPENDENT_SIGNATORY = _(
    "Ordföranden och justerarna får inte vara några som har skrivit anteckningarna. "
    "Ändra mötets ordförande eller justerare innan anteckningarna justeras."
)


def minutes_writer_ids(meeting: Meeting) -> set[int]:
    """The people who wrote the minutes: the meeting's secretary and whoever planned or changed the meeting or saved
    its items, positions or actions."""
    from governance.models import Person

    users = set(AgendaItem.history.filter(meeting_id=meeting.pk).values_list("history_user_id", flat=True))
    if meeting.pk:  # whoever planned or changed the meeting holds the pen as well
        users |= set(Meeting.history.filter(id=meeting.pk).values_list("history_user_id", flat=True))
    items = AgendaItem.objects.filter(meeting=meeting).values("pk")
    users |= set(Position.history.filter(item_id__in=items).values_list("history_user_id", flat=True))
    users |= set(Action.history.filter(item_id__in=items).values_list("history_user_id", flat=True))
    ids = set(Person.objects.filter(user_id__in=users - {None}).values_list("pk", flat=True))
    return ids | ({meeting.secretary_id} if meeting.secretary_id else set())


def signatory_refusals(*, meeting: Meeting, adjusters, actor=None) -> dict[str, str]:
    """The meeting's secretaries (its secretary, whoever plans it, and whoever has written its minutes) are not its
    chair or justerare."""
    errors: dict[str, str] = {}
    adjuster_ids = {p.pk for p in adjusters}
    writer = permissions.person_of(actor) if actor is not None else None
    writers = (minutes_writer_ids(meeting) if meeting.pk else set()) | ({writer.pk} if writer else set())
    writers.discard(meeting.secretary_id)
    if meeting.chair_id and meeting.chair_id == meeting.secretary_id:
        errors["chair"] = str(SECRETARY_NOT_CHAIR)
    elif meeting.chair_id in writers:
        errors["chair"] = str(WRITER_NOT_SIGNATORY if writer and meeting.chair_id == writer.pk else WROTE_NOT_SIGNATORY)
    if meeting.secretary_id and meeting.secretary_id in adjuster_ids:
        errors["adjusters"] = str(SECRETARY_NOT_ADJUSTER)
    elif adjuster_ids & writers:
        errors["adjusters"] = str(WRITER_NOT_SIGNATORY if writer and writer.pk in adjuster_ids else WROTE_NOT_SIGNATORY)
    return errors


def _assert_independent_signatory(meeting: Meeting) -> None:
    """Justering is by people who did not write the minutes: no signatory is among their writers (so at least the
    chair, who is required, is independent of the text)."""
    if {p.pk for p in _signatories(meeting)} & minutes_writer_ids(meeting):
        raise ValidationError(NEEDS_INDEPENDENT_SIGNATORY)


# --- meetings and agenda -----------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, meeting: Meeting, adjusters=()) -> Meeting:
    """Plan a meeting; its agenda starts with the standing items and the open actions to follow up."""
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    meeting.full_clean()
    errors = signatory_refusals(meeting=meeting, adjusters=adjusters, actor=actor)
    if errors:
        raise ValidationError(errors)
    _save(meeting, actor=actor, reason=_("Möte planerat"))
    meeting.adjusters.set(adjusters)
    previous = Meeting.objects.filter(body=meeting.body, date__lt=meeting.date).order_by("-date").first()
    position = 1
    if previous:
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            is_standing=True,
            purpose="decision",
            title=_("Föregående mötesanteckningar"),
            description=_("Mötesanteckningarna från %(d)s följs upp och läggs till handlingarna.")
            % {"d": previous.date.isoformat()},
        )
        position += 1
    open_actions = list(open_actions_for(meeting.body, before=meeting.date))
    if open_actions:
        lines = [
            f"{a.text} – {a.owner}" + (f", senast {a.due_date.isoformat()}" if a.due_date else "") for a in open_actions
        ]
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            is_standing=True,
            purpose="discussion",
            title=_("Uppföljning av åtgärder"),
            description="\n".join(lines),
        )
    return meeting


def open_actions_for(body, before: datetime.date):
    return Action.objects.filter(
        item__meeting__body=body, item__meeting__date__lt=before, status=Action.Status.OPEN
    ).select_related("item__meeting")


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, adjusters=None) -> Meeting:
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    _assert_editable(meeting)
    meeting.full_clean()
    errors = signatory_refusals(
        meeting=meeting, adjusters=meeting.adjusters.all() if adjusters is None else adjusters, actor=actor
    )
    if errors:
        raise ValidationError(errors)
    _save(meeting, actor=actor, reason=_("Möte ändrat"))
    if adjusters is not None:
        meeting.adjusters.set(adjusters)
    return meeting


@transaction.atomic
def agenda_item_save(*, actor, item: AgendaItem) -> AgendaItem:
    _require(actor, rules.MANAGE_MEETINGS, item.meeting.body)
    _assert_editable(item.meeting)
    if not item.pk:
        last = item.meeting.items.aggregate(m=Max("position"))["m"] or 0
        item.position = last + 1
    item.discussion = sanitise(item.discussion)
    return _save(item, actor=actor, reason=_("Dagordningspunkt sparad"))


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: int) -> None:
    """Swap an item with its neighbour (direction -1 up, +1 down); numbering stays 1..n."""
    _require(actor, rules.MANAGE_MEETINGS, item.meeting.body)
    _assert_editable(item.meeting)
    items = list(item.meeting.items.select_for_update().order_by("position"))
    i = next(n for n, it in enumerate(items) if it.pk == item.pk)
    j = i + direction
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for n, it in enumerate(items, start=1):
        if it.position != n:
            it.position = n
            _save(it, actor=actor, reason=_("Dagordningen ordnad om"))


@transaction.atomic
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    _require(actor, rules.MANAGE_MEETINGS, item.meeting.body)
    _assert_editable(item.meeting)
    meeting = item.meeting
    item.delete()
    for n, it in enumerate(meeting.items.order_by("position"), start=1):
        if it.position != n:
            it.position = n
            it.save(update_fields=["position"])


@transaction.atomic
def agenda_publish(*, actor, meeting: Meeting) -> Meeting:
    """Publish the agenda to the body's members (it becomes visible to them)."""
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    _assert_editable(meeting)
    if not meeting.items.exists():
        raise ValidationError(_("Dagordningen är tom. Lägg till minst en punkt innan du publicerar den."))
    meeting.agenda_published_at = timezone.now()
    return _save(meeting, actor=actor, reason=_("Dagordningen publicerad"))


# --- attendance --------------------------------------------------------------------------------


@transaction.atomic
def attendance_fill(*, actor, meeting: Meeting) -> int:
    """Fill attendance from the body's memberships on the meeting date, and its open vacancies. Idempotent."""
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    _assert_editable(meeting)
    have = set(meeting.attendance.values_list("person_id", flat=True))
    created = 0
    for m in Membership.objects.current(meeting.date).filter(body=meeting.body).select_related("person", "subregion"):
        if m.person_id in have or m.role == Membership.Role.SUBSTITUTE:
            continue
        Attendance.objects.create(
            meeting=meeting,
            person=m.person,
            subregion=m.subregion,
            organisation=m.person.organisation,
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
            Attendance.objects.create(
                meeting=meeting, status=Attendance.Status.VACANT, subregion=v.subregion, role_label=v.get_role_display()
            )
            created += 1
    return created


@transaction.atomic
def attendance_save(*, actor, attendance: Attendance) -> Attendance:
    _require(actor, rules.MANAGE_MEETINGS, attendance.meeting.body)
    _assert_editable(attendance.meeting)
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
    return _save(attendance, actor=actor, reason=_("Närvaro registrerad"))


# --- minutes -----------------------------------------------------------------------------------


def minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


@transaction.atomic
def item_minutes_save(*, actor, item: AgendaItem, discussion: str) -> AgendaItem:
    _require(actor, rules.MANAGE_MEETINGS, item.meeting.body)
    _assert_editable(item.meeting)
    item.discussion = sanitise(discussion)
    return _save(item, actor=actor, reason=_("Anteckningar skrivna"))


@transaction.atomic
def position_add(*, actor, item: AgendaItem, kind: str, text: str, escalated_to=None) -> Position:
    """Record a position; it takes the next § number of the body's year (locked against concurrent numbering)."""
    meeting = item.meeting
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    _assert_editable(meeting)
    if not text.strip():
        raise ValidationError({"text": _("Skriv ställningstagandet.")})
    if kind == Position.Kind.ESCALATION and escalated_to is None:
        raise ValidationError({"escalated_to": _("Välj vilket organ frågan lyfts till.")})
    year = meeting.date.year
    _lock(meeting.body)  # the body's § numbers: also the first of a year, when there is no row to lock yet
    last = Position.objects.filter(body=meeting.body, year=year).aggregate(m=Max("number"))["m"] or 0
    position = Position(
        item=item,
        body=meeting.body,
        year=year,
        number=last + 1,
        kind=kind,
        text=text.strip(),
        escalated_to=escalated_to if kind == Position.Kind.ESCALATION else None,
    )
    return _save(position, actor=actor, reason=_("Ställningstagande registrerat"))


@transaction.atomic
def position_delete(*, actor, position: Position) -> None:
    _require(actor, rules.MANAGE_MEETINGS, position.body)
    _assert_editable(position.item.meeting)
    position.delete()


@transaction.atomic
def action_add(*, actor, item: AgendaItem, text: str, owner: str, due_date=None, subregion=None) -> Action:
    _require(actor, rules.MANAGE_MEETINGS, item.meeting.body)
    _assert_editable(item.meeting)
    errors = {}
    if not text.strip():
        errors["text"] = _("Skriv vad som ska göras.")
    if not owner.strip():
        errors["owner"] = _("Ange vem som är ansvarig.")
    if errors:
        raise ValidationError(errors)
    action = Action(item=item, text=text.strip(), owner=owner.strip(), due_date=due_date, subregion=subregion)
    return _save(action, actor=actor, reason=_("Åtgärd registrerad"))


@transaction.atomic
def action_set_status(*, actor, action: Action, status: str) -> Action:
    """Follow-up of an action is allowed after justering: it is not part of the minutes' text."""
    _require(actor, rules.MANAGE_MEETINGS, action.item.meeting.body)
    action.status = status
    return _save(action, actor=actor, reason=_("Åtgärdens status ändrad"))


def _signatories(meeting: Meeting):
    people = ([meeting.chair] if meeting.chair else []) + list(meeting.adjusters.all())
    return list({p.pk: p for p in people}.values())


@transaction.atomic
def minutes_send_for_justering(*, actor, meeting: Meeting) -> Minutes:
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    minutes = Minutes.objects.select_for_update().get(pk=minutes_for(meeting).pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Mötesanteckningarna är redan skickade för justering."))
    if not meeting.chair_id:
        raise ValidationError(_("Ange mötets ordförande innan anteckningarna skickas för justering."))
    if not meeting.items.exists():
        raise ValidationError(_("Mötesanteckningarna har inga punkter ännu."))
    _assert_independent_signatory(meeting)
    minutes.status, minutes.sent_at = Minutes.Status.IN_JUSTERING, timezone.now()
    minutes.responses.filter(approved=True).delete()
    return _save(minutes, actor=actor, reason=_("Skickat för justering"))


@transaction.atomic
def minutes_withdraw(*, actor, meeting: Meeting) -> Minutes:
    """Take minutes back from justering to change them; approvals given so far no longer count."""
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or minutes.status != Minutes.Status.IN_JUSTERING:
        raise ValidationError(
            LOCKED_MESSAGE if minutes and minutes.is_locked else _("Anteckningarna är inte skickade för justering.")
        )
    minutes.status = Minutes.Status.DRAFT
    minutes.responses.filter(approved=True).delete()
    return _save(minutes, actor=actor, reason=_("Återtaget från justering"))


@transaction.atomic
def minutes_respond(*, actor, meeting: Meeting, approve: bool, comment: str = "", item=None) -> Minutes:
    """The chair or a justerare approves, or comments on an item. When all have approved, the minutes are
    justerade and locked."""
    _require(actor, rules.JUSTERA, meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or minutes.status != Minutes.Status.IN_JUSTERING:
        raise ValidationError(
            LOCKED_MESSAGE if minutes and minutes.is_locked else _("Anteckningarna är inte skickade för justering.")
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Skriv en kommentar, eller godkänn anteckningarna.")})
    person = _require_person(actor)
    from .models import JusteringResponse

    if approve and person.pk in minutes_writer_ids(meeting):
        raise ValidationError(NEEDS_INDEPENDENT_SIGNATORY)
    if approve and minutes.responses.filter(person=person, approved=True).exists():
        raise ValidationError(_("Du har redan godkänt anteckningarna. De väntar nu på övriga justerare."))
    JusteringResponse.objects.create(
        minutes=minutes, person=person, item=item, approved=approve, comment=comment.strip()
    )
    approved = set(minutes.responses.filter(approved=True).values_list("person_id", flat=True))
    if approve and all(p.pk in approved for p in _signatories(meeting)):
        _assert_independent_signatory(meeting)
        minutes.status, minutes.justerat_at = Minutes.Status.JUSTERAT, timezone.now()
        _save(minutes, actor=actor, reason=_("Justerat"))
    return minutes


def justering_block(meeting: Meeting) -> list[tuple]:
    """(person, role, date approved) for each signatory, for the PDF and the page."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    approvals = {}
    if minutes:
        for r in minutes.responses.filter(approved=True):
            approvals[r.person_id] = r.created_at
    rows = []
    for p in _signatories(meeting):
        role = _("Ordförande") if p.pk == meeting.chair_id else _("Justerare")
        rows.append((p, role, approvals.get(p.pk)))
    return rows


@transaction.atomic
def correction_add(*, actor, meeting: Meeting, text: str, item=None) -> Correction:
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.is_locked:
        raise ValidationError(_("Anteckningarna är inte justerade än; ändra dem direkt i stället."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv rättelsen.")})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Punkten hör inte till mötet.")})
    correction = Correction(minutes=minutes, item=item, text=text.strip(), created_by=_require_person(actor))
    return _save(correction, actor=actor, reason=_("Rättelse föreslagen"))


@transaction.atomic
def correction_approve(*, actor, correction: Correction) -> Correction:
    _require(actor, rules.JUSTERA, correction.minutes.meeting)
    correction = _lock(correction)
    if correction.approved_at:
        raise ValidationError(_("Rättelsen är redan godkänd."))
    approver = _require_person(actor)
    if approver.pk == correction.created_by_id:
        raise ValidationError(_("Den som skrev rättelsen kan inte själv godkänna den. Be en annan justerare."))
    correction.approved_by, correction.approved_at = approver, timezone.now()
    return _save(correction, actor=actor, reason=_("Rättelse godkänd"))


def summary(meeting: Meeting) -> dict:
    """The closing summary and take-home summary: positions and actions, generated, never typed twice."""
    items = list(meeting.items.prefetch_related("positions__escalated_to", "actions__subregion").order_by("position"))
    positions = [p for it in items for p in it.positions.all()]
    actions = [a for it in items for a in it.actions.all()]
    by_subregion: dict = {}
    for a in actions:
        if a.subregion_id:
            by_subregion.setdefault(a.subregion, []).append(a)
    return {
        "items": items,
        "positions": positions,
        "actions": actions,
        "by_subregion": sorted(by_subregion.items(), key=lambda kv: kv[0].short_name),
    }
