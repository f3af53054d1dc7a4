"""Who signs the minutes, and justering: sending them to the chair and justerare, taking them back, approvals and
comments, and corrections after justering. Separation of duties: whoever wrote the minutes does not sign them.

The checks and their messages are in meetings.rules; these services call them first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from governance import cases, permissions
from governance.permissions import require as _require
from governance.permissions import require_person as _require_person

from . import rules
from .models import Action, AgendaItem, Correction, Decision, JusteringResponse, Meeting, Minutes

SECRETARY_NOT_CHAIR = gettext_lazy("Mötets sekreterare kan inte vara dess ordförande. Välj en annan ordförande.")
SECRETARY_NOT_ADJUSTER = gettext_lazy("Mötets sekreterare kan inte justera anteckningarna. Välj andra justerare.")
WRITER_NOT_SIGNATORY = gettext_lazy(
    "Du skriver mötets anteckningar och kan inte själv vara ordförande eller justerare. Välj någon annan."
)
WROTE_NOT_SIGNATORY = gettext_lazy(
    "Den personen har planerat mötet eller skrivit dess anteckningar och kan inte vara ordförande eller justerare. "
    "Välj någon annan."
)
NEEDS_INDEPENDENT_SIGNATORY = rules.NEEDS_INDEPENDENT_SIGNATORY


def _refuse(refusals: list[str]) -> None:
    if refusals:
        raise ValidationError(refusals)


def minutes_writer_ids(meeting: Meeting) -> set[int]:
    """The people who wrote the minutes: the meeting's secretary and whoever planned or changed the meeting or saved
    its items, decisions or actions."""
    from governance.models import Person

    users = set(AgendaItem.history.filter(meeting_id=meeting.pk).values_list("history_user_id", flat=True))
    if meeting.pk:  # whoever planned or changed the meeting holds the pen as well
        users |= set(Meeting.history.filter(id=meeting.pk).values_list("history_user_id", flat=True))
    items = AgendaItem.objects.filter(meeting=meeting).values("pk")
    users |= set(Decision.history.filter(item_id__in=items).values_list("history_user_id", flat=True))
    users |= set(Action.history.filter(item_id__in=items).values_list("history_user_id", flat=True))
    ids = set(Person.objects.filter(user_id__in=users - {None}).values_list("pk", flat=True))
    if meeting.pk:
        return ids | meeting.secretary_ids()
    return ids | ({meeting.secretary_id} if meeting.secretary_id else set())


def signatory_refusals(*, meeting: Meeting, adjusters, actor=None, co_secretaries=None) -> dict[str, str]:
    """The meeting's secretaries (its secretary and co-secretaries, whoever plans it, and whoever has written its
    minutes) are not its chair or justerare. co_secretaries=None: the meeting's stored ones."""
    errors: dict[str, str] = {}
    adjuster_ids = {p.pk for p in adjusters}
    if co_secretaries is None:
        co_secretaries = meeting.named("co_secretaries") if meeting.pk else ()
    secretaries = ({meeting.secretary_id} | {p.pk for p in co_secretaries}) - {None}
    writer = permissions.person_of(actor) if actor is not None else None
    writers = (minutes_writer_ids(meeting) if meeting.pk else set()) | ({writer.pk} if writer else set())
    writers -= secretaries  # named secretaries get their own message below
    if meeting.chair_id and meeting.chair_id in secretaries:
        errors["chair"] = str(SECRETARY_NOT_CHAIR)
    elif meeting.chair_id in writers:
        errors["chair"] = str(WRITER_NOT_SIGNATORY if writer and meeting.chair_id == writer.pk else WROTE_NOT_SIGNATORY)
    if adjuster_ids & secretaries:
        errors["adjusters"] = str(SECRETARY_NOT_ADJUSTER)
    elif adjuster_ids & writers:
        errors["adjusters"] = str(WRITER_NOT_SIGNATORY if writer and writer.pk in adjuster_ids else WROTE_NOT_SIGNATORY)
    return errors


def signatories(meeting: Meeting) -> list:
    """The chair and the justerare, each once."""
    people = ([meeting.chair] if meeting.chair else []) + list(meeting.named("adjusters"))
    return list({p.pk: p for p in people}.values())


def has_independent_signatories(meeting: Meeting) -> bool:
    """Justering is by people who did not write the minutes: no signatory is among their writers (so at least the
    chair, who is required, is independent of the text)."""
    return not ({p.pk for p in signatories(meeting)} & minutes_writer_ids(meeting))


def minutes_start(*, actor, meeting: Meeting) -> Minutes:
    """The meeting's minutes, started (as a draft, with a history row) if they were not yet."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = audit.create(Minutes, actor=actor, reason=_("Protokoll påbörjat"), meeting=meeting)
    return minutes


def _locked_minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.select_for_update().filter(meeting=meeting).first()


@transaction.atomic
def minutes_send_for_justering(*, actor, meeting: Meeting) -> Minutes:
    _require(actor, rules.MANAGE_MEETING, meeting)
    minutes_start(actor=actor, meeting=meeting)
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    _refuse(rules.send_for_justering_check(actor, meeting, minutes))
    reason = _("Skickat för justering")
    with audit.recording(actor=actor, reason=reason):
        minutes.responses.filter(approved=True).delete()
    minutes.status, minutes.sent_at = Minutes.Status.IN_JUSTERING, timezone.now()
    return audit.save(minutes, actor=actor, reason=reason)


@transaction.atomic
def minutes_withdraw(*, actor, meeting: Meeting) -> Minutes:
    """Take minutes back from justering to change them; approvals given so far no longer count."""
    _require(actor, rules.MANAGE_MEETING, meeting)
    minutes = _locked_minutes(meeting)
    _refuse(rules.withdraw_check(actor, meeting, minutes))
    assert minutes is not None  # withdraw_check refuses minutes not in justering
    reason = _("Återtaget från justering")
    with audit.recording(actor=actor, reason=reason):
        minutes.responses.filter(approved=True).delete()
    minutes.status = Minutes.Status.DRAFT
    return audit.save(minutes, actor=actor, reason=reason)


CASE_OUTCOMES: dict[str, str] = {
    Decision.Kind.DECISION: "decided",
    Decision.Kind.REFERRAL: "referred_back",
    Decision.Kind.ESCALATION: "escalated",
}


def record_case_outcomes(*, actor, meeting: Meeting) -> int:
    """The minutes are justerade: each decision, referral or escalation on an item with a case becomes a step on the
    case's path, naming the meeting and the § and linking the item (once per decision; noted items move nothing).
    Called inside the justering's transaction, so a refusal leaves the minutes as they were."""
    body = meeting.body
    decisions = (
        Decision.objects.filter(item__meeting=meeting, item__case__isnull=False, kind__in=list(CASE_OUTCOMES))
        .select_related("item__case", "escalated_to")
        .order_by("number", "pk")
    )
    n = 0
    for decision in decisions:
        item = decision.item
        assert item.case is not None  # filtered above
        cases.case_record_outcome(
            actor=actor,
            case=item.case,
            body=body,
            outcome=CASE_OUTCOMES[decision.kind],
            text=decision.text,
            reference=f"{body.short_name or body.name} {meeting.date}, § {decision.number}/{decision.year}",
            link=f"{meeting.get_absolute_url()}#{item.anchor}",
            source=f"meetings.decision:{decision.pk}",
            on=meeting.date,
            escalated_to=decision.escalated_to,
            follow_up_on=decision.follow_up_on,
            follow_up_note=decision.follow_up_note,
        )
        n += 1
    return n


@transaction.atomic
def minutes_respond(*, actor, meeting: Meeting, approve: bool, comment: str = "", item=None) -> Minutes:
    """The chair or a justerare approves, or comments on an item. When all have approved, the minutes are
    justerade and locked."""
    _require(actor, rules.JUSTERA, meeting)
    minutes = _locked_minutes(meeting)
    _refuse(rules.comment_check(actor, meeting, minutes))
    assert minutes is not None  # comment_check refuses minutes not in justering
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Skriv en kommentar, eller godkänn anteckningarna.")})
    person = _require_person(actor)
    if approve:
        _refuse(rules.approve_check(actor, meeting, minutes))
    audit.create(
        JusteringResponse,
        actor=actor,
        reason=_("Godkänt") if approve else _("Kommentar vid justering"),
        minutes=minutes,
        person=person,
        item=item,
        approved=approve,
        comment=comment.strip(),
    )
    approved = set(minutes.responses.filter(approved=True).values_list("person_id", flat=True))
    if approve and all(p.pk in approved for p in signatories(meeting)):
        if not has_independent_signatories(meeting):
            raise ValidationError(NEEDS_INDEPENDENT_SIGNATORY)
        minutes.status, minutes.justerat_at = Minutes.Status.JUSTERAT, timezone.now()
        audit.save(minutes, actor=actor, reason=_("Justerat"))
        record_case_outcomes(actor=actor, meeting=meeting)
    return minutes


def paper_justering_refusals(*, actor, meeting: Meeting, date, signers) -> dict[str, str]:
    """What is wrong with a justering on paper as recorded: its date (not before the meeting, not ahead of today)
    and who signed (the chair and every justerare, nobody else, and not the one recording it)."""
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = str(rules.PAPER_DATE_MISSING)
    elif date < meeting.date:
        errors["date"] = str(rules.PAPER_DATE_BEFORE_MEETING) % {"date": meeting.date.isoformat()}
    elif date > timezone.localdate():
        errors["date"] = str(rules.PAPER_DATE_AHEAD)
    signer_ids = {p.pk for p in signers}
    expected = {p.pk: p for p in signatories(meeting)}
    me = permissions.person_of(actor)
    strangers = [p for p in signers if p.pk not in expected]
    missing = [p for pk, p in expected.items() if pk not in signer_ids]
    if me is not None and me.pk in signer_ids:
        errors["signers"] = str(rules.PAPER_OWN_SIGNATURE)
    elif strangers:
        errors["signers"] = str(rules.PAPER_NOT_A_SIGNATORY) % {"names": ", ".join(str(p) for p in strangers)}
    elif missing:
        errors["signers"] = str(rules.PAPER_SIGNATORY_MISSING) % {"names": ", ".join(str(p) for p in missing)}
    return errors


@transaction.atomic
def minutes_record_paper_justering(*, actor, meeting: Meeting, date, signers) -> Minutes:
    """A secretary records that the minutes were justerade on paper on `date` by `signers` (the chair and every
    justerare): for an earlier year's minutes entered now, or signatures gathered on paper. The minutes are
    justerade and locked as by approvals in the portal, marked "Justerat på papper <date>" on the page, in the PDF
    and in the history; approvals given in the portal before are replaced."""
    _require(actor, rules.MANAGE_MEETING, meeting)
    minutes_start(actor=actor, meeting=meeting)
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    _refuse(rules.paper_justering_check(actor, meeting, minutes))
    errors = paper_justering_refusals(actor=actor, meeting=meeting, date=date, signers=signers)
    if errors:
        raise ValidationError(errors)
    reason = _("Justerat på papper %(date)s") % {"date": date.isoformat()}
    with audit.recording(actor=actor, reason=reason):
        minutes.responses.filter(approved=True).delete()
    for person in signatories(meeting):
        audit.create(
            JusteringResponse, actor=actor, reason=reason, minutes=minutes, person=person, approved=True, on_paper=True
        )
    minutes.status, minutes.justerat_at, minutes.justerat_on_paper = Minutes.Status.JUSTERAT, timezone.now(), date
    audit.save(minutes, actor=actor, reason=reason)
    record_case_outcomes(actor=actor, meeting=meeting)
    return minutes


def justering_block(meeting: Meeting) -> list[tuple]:
    """(person, role, date approved) for each signatory, for the PDF and the page: on paper, the paper's date."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    approvals = {}
    if minutes:
        for r in minutes.responses.filter(approved=True):
            approvals[r.person_id] = (
                minutes.justerat_on_paper if r.on_paper and minutes.justerat_on_paper else r.created_at
            )
    rows = []
    for p in signatories(meeting):
        role = _("Ordförande") if p.pk == meeting.chair_id else _("Justerare")
        rows.append((p, role, approvals.get(p.pk)))
    return rows


@transaction.atomic
def correction_add(*, actor, meeting: Meeting, text: str, item=None) -> Correction:
    _require(actor, rules.MANAGE_MEETING, meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    _refuse(rules.correction_check(actor, meeting, minutes))
    if not text.strip():
        raise ValidationError({"text": _("Skriv rättelsen.")})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Punkten hör inte till mötet.")})
    assert minutes is not None  # correction_check refuses minutes not yet justerade
    correction = Correction(minutes=minutes, item=item, text=text.strip(), created_by=_require_person(actor))
    return audit.save(correction, actor=actor, reason=_("Rättelse föreslagen"))


@transaction.atomic
def correction_approve(*, actor, correction: Correction) -> Correction:
    _require(actor, rules.JUSTERA, correction.minutes.meeting)
    correction = audit.lock(correction)
    _refuse(rules.correction_approve_check(actor, correction))
    correction.approved_by, correction.approved_at = permissions.person_of(actor), timezone.now()
    return audit.save(correction, actor=actor, reason=_("Rättelse godkänd"))
