"""Review rounds (remissrundor): opening and closing a round, comments and their dispositions, subregions' joint
responses, reminders. Every write checks the rule first, runs in one transaction and records history."""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.audit import lock as _lock
from core.audit import save as _save
from core.text import html_to_text, is_blank
from governance import permissions
from governance.models import Membership
from governance.permissions import require as _require
from governance.permissions import require_person as _require_person

from . import rules
from .models import (
    Comment,
    JointResponse,
    ManagementPlan,
    ReviewRound,
)
from .services import EditConflict, _transition, plan_snapshot, refuse, sanitise

Status = ManagementPlan.Status


def round_open_errors(*, deadline: datetime.date, subregions) -> dict[str, str]:
    """What is wrong with a new round's deadline and subregions, by field (empty: nothing)."""
    errors = {}
    if deadline <= timezone.localdate():
        errors["deadline"] = _("Sista svarsdag måste vara efter i dag.")
    if not subregions:
        errors["subregions"] = _("Välj minst en delregion att skicka remissen till.")
    return errors


@transaction.atomic
def round_open(*, actor, plan: ManagementPlan, deadline: datetime.date, subregions, message: str = "") -> ReviewRound:
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)  # one open round per plan: a second opener waits and then sees the first
    refusals = rules.round_open_check(actor, plan)
    if plan.is_locked:  # the plan's state first, then the form's fields, then an open round
        refuse(refusals)
    if errors := round_open_errors(deadline=deadline, subregions=subregions):
        raise ValidationError(errors)
    refuse(refusals)
    version = plan_snapshot(plan=plan, actor=actor, note=_("Remissversion"))
    reason = _("Remiss öppnad")
    review = _save(
        ReviewRound(document_id=plan.document_id, version=version, deadline=deadline, message=message, opened_by=actor),
        actor=actor,
        reason=reason,
    )
    with audit.recording(actor=actor, reason=reason):
        review.subregions.set(subregions)
    for subregion in subregions:
        audit.create(JointResponse, actor=actor, reason=reason, round=review, subregion=subregion)
    if plan.status == Status.DRAFT:
        _transition(plan, actor=actor, to=Status.IN_REVIEW, note=_("Skickad på remiss"))
    return review


SECTION_NOT_IN_VERSION = gettext_lazy("Avsnittet finns inte i remissversionen.")
QUOTE_NOT_IN_SECTION = gettext_lazy(
    "Det markerade stycket finns inte i avsnittet i remissversionen. Kopiera texten exakt som den står i avsnittet, "
    "eller lämna fältet tomt."
)
QUOTE_WITHOUT_SECTION = gettext_lazy("Ett markerat stycke hör till ett avsnitt. Kommentera avsnittet det står i.")


def plain_words(value: str) -> str:
    """Text as the quote check compares it: HTML stripped, entities decoded, every run of space one space."""
    return " ".join(html_to_text(value).split())


def quote_in_section(quote: str, body: str) -> bool:
    """Whether a quoted passage occurs in a section's text (whitespace-normalised, HTML stripped)."""
    return " ".join(quote.split()) in plain_words(body)


@transaction.atomic
def comment_add(
    *, actor, round_: ReviewRound, text: str, section_key: str = "", quote: str = "", parent=None
) -> Comment:
    """A comment on the version sent for review: on one of its sections (by key), optionally on a quoted passage
    that must occur in that section's text of that version, or on the round as a whole. A reply belongs to its
    thread's section."""
    _require(actor, rules.COMMENT, round_)
    refuse(rules.comment_check(actor, round_))
    text = sanitise(text)  # rich text: the editor's HTML, or plain text made into paragraphs and lists
    if not text:
        raise ValidationError({"text": _("Skriv din kommentar.")})
    if parent is not None and parent.round_id != round_.pk:
        raise ValidationError(_("Svaret hör inte till den här remissrundan."))
    quote = quote.strip()[:2000]
    if parent is not None:
        section_key, quote = parent.section_key, ""
    if section_key:
        sent = round_.version.section(section_key)
        if sent is None:
            raise ValidationError({"section_key": SECTION_NOT_IN_VERSION})
        if quote and not quote_in_section(quote, sent.body):
            raise ValidationError({"quote": QUOTE_NOT_IN_SECTION})
    elif quote:
        raise ValidationError({"quote": QUOTE_WITHOUT_SECTION})
    person = _require_person(actor)
    mine = permissions.represented_subregion_ids(actor) & {s.pk for s in round_.subregions.all()}
    comment = Comment(
        round=round_,
        section_key=section_key,
        quote=quote,
        parent=parent,
        author=person,
        text=text,
        subregion_id=min(mine) if mine else None,
    )
    return _save(comment, actor=actor, reason=_("Kommentar"))


@transaction.atomic
def comment_edit(*, actor, comment: Comment, text: str) -> Comment:
    """The author changes her comment's text while nobody has answered it or taken a position on it (the earlier
    text stays in the history)."""
    _require(actor, rules.CHANGE_COMMENT, comment)
    comment = audit.lock(comment)
    refuse(rules.comment_change_check(actor, comment))
    text = sanitise(text)  # the same rich text as a new comment (comment_add)
    if is_blank(text):
        raise ValidationError({"text": _("Skriv din kommentar, eller återkalla den om den ska bort.")})
    comment.text = text
    return _save(comment, actor=actor, reason=_("Kommentar ändrad av den som skrev den"))


@transaction.atomic
def comment_withdraw(*, actor, comment: Comment) -> None:
    """The author withdraws her comment on the same terms: it leaves the round page and the compilation, and the
    history keeps it (who wrote it, what it said, who withdrew it and when)."""
    _require(actor, rules.CHANGE_COMMENT, comment)
    comment = audit.lock(comment)
    refuse(rules.comment_change_check(actor, comment))
    audit.delete(comment, actor=actor, reason=_("Kommentar återkallad av den som skrev den"))


@transaction.atomic
def response_save(
    *, actor, response: JointResponse, text: str, base_version: int, submit: bool = False
) -> JointResponse:
    """A subregion's joint response; two representatives writing at once are protected like plan sections (an
    EditConflict carries what the other saved). With `submit`, the text is saved and submitted in one transaction:
    what is submitted is exactly what was on the screen, and a refused submit saves nothing. An empty draft never
    replaces text already saved."""
    _require(actor, rules.RESPOND, (response.round, response.subregion))
    refuse(rules.response_edit_check(actor, response))
    clean = sanitise(text)
    if submit and (refusals := rules.response_submit_check(actor, response, clean)):
        raise ValidationError({"text": refusals} if refusals == [str(rules.RESPONSE_EMPTY)] else refusals)
    saved = JointResponse.objects.select_related("round", "subregion").get(pk=response.pk)
    if is_blank(clean) and not is_blank(saved.text):
        raise ValidationError({"text": rules.BLANK_RESPONSE_DRAFT})
    if not audit.compare_and_swap(
        saved,
        expected={"version": base_version, "submitted_at__isnull": True},
        changes={"text": clean, "version": F("version") + 1, "updated_at": timezone.now()},
        actor=actor,
        reason=_("Utkast till gemensamt svar sparat"),
    ):
        raise EditConflict(JointResponse.objects.select_related("submitted_by").get(pk=response.pk))
    return _submit(actor, saved) if submit else saved


@transaction.atomic
def response_submit(*, actor, response: JointResponse) -> JointResponse:
    """Submit the saved text as it stands (response_save(submit=True) saves and submits in one go)."""
    _require(actor, rules.RESPOND, (response.round, response.subregion))
    response = JointResponse.objects.select_for_update().select_related("round", "subregion").get(pk=response.pk)
    refuse(rules.response_edit_check(actor, response))  # submitted already: rules.RESPONSE_SUBMITTED
    refuse(rules.response_submit_check(actor, response, response.text))
    return _submit(actor, response)


def _submit(actor, response: JointResponse) -> JointResponse:
    response.submitted_at, response.submitted_by = timezone.now(), _require_person(actor)
    return _save(response, actor=actor, reason=_("Gemensamt svar inskickat"))


@transaction.atomic
def comment_dispose(*, actor, comment: Comment, disposition: str, reason: str) -> Comment:
    _require(actor, rules.EDIT_PLAN, comment.round.plan)
    refuse(rules.dispose_check(actor, comment))
    if disposition not in Comment.Disposition.values:
        raise ValidationError({"disposition": _("Välj tillgodosedd, delvis eller inte tillgodosedd.")})
    if disposition != Comment.Disposition.ACCEPTED and not reason.strip():
        raise ValidationError({"disposition_reason": _("Motivera varför kommentaren inte tillgodoses helt.")})
    comment.disposition, comment.disposition_reason = disposition, reason.strip()
    comment.disposition_by, comment.disposition_at = _require_person(actor), timezone.now()
    return _save(comment, actor=actor, reason=_("Ställningstagande till kommentar"))


def round_status(round_: ReviewRound) -> list[dict]:
    """The overview: for every subregion asked, whether it has answered."""
    responses = {r.subregion_id: r for r in round_.responses.all()}
    return [
        {
            "subregion": s,
            "response": responses.get(s.pk),
            "answered": bool(responses.get(s.pk) and responses[s.pk].is_submitted),
        }
        for s in sorted(round_.subregions.all(), key=lambda s: s.short_name)
    ]


@transaction.atomic
def round_close(*, actor, round_: ReviewRound) -> ReviewRound:
    _require(actor, rules.EDIT_PLAN, round_.plan)
    refuse(rules.round_close_check(actor, round_))
    round_.closed_at = timezone.now()
    return _save(round_, actor=actor, reason=_("Remiss stängd"))


def round_send_reminders(*, today: datetime.date | None = None, days_before: int = 3, actor=None) -> int:
    """E-mail the representatives of subregions that have not answered, when the deadline is near. Once a day.
    Run by the daily command, so its history rows carry no user (`actor`, when a person starts it) but a reason."""
    today = today or timezone.localdate()
    sent = 0
    rounds = ReviewRound.objects.filter(
        closed_at__isnull=True, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days_before)
    )
    for review in rounds.select_related("document__plan__managed_object").prefetch_related("subregions", "responses"):
        if review.reminded_at and timezone.localdate(review.reminded_at) == today:
            continue
        waiting = [row["subregion"] for row in round_status(review) if not row["answered"]]
        emails = set(
            Membership.objects.current(today)
            .representatives()
            .filter(subregion__in=waiting)
            .exclude(person__email="")
            .values_list("person__email", flat=True)
        )
        if emails:
            send_mail(
                _("Påminnelse: remiss av %(p)s, svar senast %(d)s")
                % {"p": review.plan, "d": review.deadline.isoformat()},
                _(
                    "Er delregion har ännu inte skickat in sitt gemensamma svar på remissen av %(p)s. "
                    "Sista svarsdag är %(d)s."
                )
                % {"p": review.plan, "d": review.deadline.isoformat()},
                None,
                sorted(emails),
            )
            sent += len(emails)
        review.reminded_at = timezone.now()
        _save(review, actor=actor, reason=_("Påminnelse om remissvar skickad"), update_fields=["reminded_at"])
    return sent
