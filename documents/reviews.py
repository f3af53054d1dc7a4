"""Review rounds (remissrundor): opening and closing a round, comments and their dispositions, subregions' joint
responses, reminders. Every write checks the rule first, runs in one transaction and records history."""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import lock as _lock
from core.audit import save as _save
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
from .services import EditConflict, _refuse_author, _transition, plan_snapshot, sanitise  # noqa: F401

Status = ManagementPlan.Status


@transaction.atomic
def round_open(*, actor, plan: ManagementPlan, deadline: datetime.date, subregions, message: str = "") -> ReviewRound:
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)  # one open round per plan: a second opener waits and then sees the first
    if plan.status not in (Status.DRAFT, Status.IN_REVIEW):
        raise ValidationError(_("Remiss kan bara skickas för en plan som är utkast eller på remiss."))
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("Sista svarsdag måste vara efter i dag.")})
    if not subregions:
        raise ValidationError({"subregions": _("Välj minst en delregion att skicka remissen till.")})
    if plan.rounds.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("Det finns redan en öppen remissrunda för planen. Stäng den först."))
    version = plan_snapshot(plan=plan, actor=actor, note=_("Remissversion"))
    review = _save(
        ReviewRound(plan=plan, version=version, deadline=deadline, message=message, opened_by=actor),
        actor=actor,
        reason=_("Remiss öppnad"),
    )
    review.subregions.set(subregions)
    for subregion in subregions:
        JointResponse.objects.create(round=review, subregion=subregion)
    if plan.status == Status.DRAFT:
        _transition(plan, actor=actor, to=Status.IN_REVIEW, note=_("Skickad på remiss"))
    return review


@transaction.atomic
def comment_add(*, actor, round_: ReviewRound, text: str, section=None, quote: str = "", parent=None) -> Comment:
    _require(actor, rules.COMMENT, round_)
    if not round_.is_open:
        raise ValidationError(_("Remissrundan är stängd; nya kommentarer tas inte emot."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv din kommentar.")})
    if parent is not None and parent.round_id != round_.pk:
        raise ValidationError(_("Svaret hör inte till den här remissrundan."))
    if section is not None and section.plan_id != round_.plan_id:
        raise ValidationError({"section": _("Avsnittet hör inte till planen.")})
    person = _require_person(actor)
    mine = permissions.represented_subregion_ids(actor) & {s.pk for s in round_.subregions.all()}
    comment = Comment(
        round=round_,
        section=section,
        quote=quote.strip()[:2000],
        parent=parent,
        author=person,
        text=text.strip(),
        subregion_id=min(mine) if mine else None,
    )
    return _save(comment, actor=actor, reason=_("Kommentar"))


@transaction.atomic
def response_save(*, actor, response: JointResponse, text: str, base_version: int) -> JointResponse:
    """A subregion's joint response; two representatives writing at once are protected like plan sections."""
    _require(actor, rules.RESPOND, (response.round, response.subregion))
    if response.is_submitted:
        raise ValidationError(_("Svaret är redan inskickat och kan inte ändras."))
    if not response.round.is_open:
        raise ValidationError(_("Remissrundan är stängd."))
    updated = JointResponse.objects.filter(pk=response.pk, version=base_version, submitted_at__isnull=True).update(
        text=sanitise(text), version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise EditConflict(JointResponse.objects.get(pk=response.pk))
    return JointResponse.objects.get(pk=response.pk)


@transaction.atomic
def response_submit(*, actor, response: JointResponse) -> JointResponse:
    _require(actor, rules.RESPOND, (response.round, response.subregion))
    response = JointResponse.objects.select_for_update().get(pk=response.pk)
    if response.is_submitted:
        raise ValidationError(_("Svaret är redan inskickat."))
    if not response.text.strip():
        raise ValidationError({"text": _("Skriv delregionens svar innan du skickar in det.")})
    response.submitted_at, response.submitted_by = timezone.now(), _require_person(actor)
    return _save(response, actor=actor, reason=_("Gemensamt svar inskickat"))


@transaction.atomic
def comment_dispose(*, actor, comment: Comment, disposition: str, reason: str) -> Comment:
    _require(actor, rules.EDIT_PLAN, comment.round.plan)
    if comment.round.plan.status not in (Status.DRAFT, Status.IN_REVIEW):
        raise ValidationError(_("Planen är inlämnad; ställningstaganden till kommentarer kan inte längre ändras."))
    if comment.parent_id:
        raise ValidationError(_("Ta ställning till den ursprungliga kommentaren, inte till ett svar i tråden."))
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
    if not round_.is_open:
        raise ValidationError(_("Remissrundan är redan stängd."))
    round_.closed_at = timezone.now()
    return _save(round_, actor=actor, reason=_("Remiss stängd"))


def round_send_reminders(*, today: datetime.date | None = None, days_before: int = 3) -> int:
    """E-mail the representatives of subregions that have not answered, when the deadline is near. Once a day."""
    today = today or timezone.localdate()
    sent = 0
    rounds = ReviewRound.objects.filter(
        closed_at__isnull=True, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days_before)
    )
    for review in rounds.select_related("plan__managed_object").prefetch_related("subregions", "responses"):
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
        review.save(update_fields=["reminded_at"])
    return sent


# --- lifecycle ---------------------------------------------------------------------------------
