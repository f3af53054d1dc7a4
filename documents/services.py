"""Domain rules of management plans and review rounds. Views, commands and tests call these."""

import datetime

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.audit import lock as _lock
from core.audit import reason_text
from core.audit import save as _save
from core.text import word_diff
from governance.permissions import require as _require

from . import rules
from .models import (
    Comment,
    Goal,
    ManagementPlan,
    PlanSection,
    PlanTransition,
    PlanVersion,
    ReviewRound,
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
}
Status = ManagementPlan.Status


class EditConflict(Exception):
    """Somebody saved the same text since it was opened; carries what they saved, so the user can merge."""

    def __init__(self, current):
        super().__init__(_("Någon annan har sparat avsnittet sedan du öppnade det."))
        self.current = current


def sanitise(text: str) -> str:
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


AUTHOR_MAY_NOT_DECIDE = _(
    "Du har skrivit i planen och kan därför inte registrera beslutet om den. Be en annan beredningsansvarig."
)


def plan_author_ids(plan: ManagementPlan) -> set[int]:
    """The users who wrote the plan: its sections, goals, versions, review rounds (opened or closed), dispositions,
    and who sent it on."""
    ids = set(PlanSection.history.filter(plan_id=plan.pk).values_list("history_user_id", flat=True))
    ids |= set(Goal.history.filter(plan_id=plan.pk).values_list("history_user_id", flat=True))
    ids |= set(plan.versions.values_list("created_by_id", flat=True))
    ids |= set(ReviewRound.history.filter(plan_id=plan.pk).values_list("history_user_id", flat=True))
    ids |= set(
        plan.transitions.filter(to_status__in=[Status.IN_REVIEW, Status.SUBMITTED]).values_list("by_id", flat=True)
    )
    ids |= set(
        Comment.objects.filter(round__plan=plan, disposition_by__user__isnull=False).values_list(
            "disposition_by__user_id", flat=True
        )
    )
    return ids - {None}


def may_decide(actor, plan: ManagementPlan) -> bool:
    """Separation of duties: whoever wrote a plan does not record the decision on it (the administrator neither)."""
    return actor is not None and actor.is_authenticated and actor.pk not in plan_author_ids(plan)


def _refuse_author(actor, plan: ManagementPlan) -> None:
    if not may_decide(actor, plan):
        raise ValidationError(AUTHOR_MAY_NOT_DECIDE)


def _assert_editable(plan: ManagementPlan):
    if plan.is_locked:
        raise ValidationError(_("Planen är %(s)s och kan inte ändras.") % {"s": plan.get_status_display().lower()})


def _transition(plan, *, actor, to: str, note: str = ""):
    note = Truncator(note).chars(300)  # PlanTransition.note
    PlanTransition.objects.create(plan=plan, from_status=plan.status, to_status=to, by=actor, note=note)
    plan.status = to
    _save(plan, actor=actor, reason=note or _("Status: %(s)s") % {"s": plan.get_status_display()})


# --- versions ----------------------------------------------------------------------------------


def plan_content(plan: ManagementPlan) -> dict:
    """The plan's text as plain data: what a version stores and what comparisons read."""
    return {
        "sections": [{"key": s.key, "title": s.title, "body": s.body} for s in plan.sections.order_by("position")],
        "goals": [
            {
                "category": g.get_category_display(),
                "title": g.title,
                "description": g.description,
                "status": g.get_status_display(),
            }
            for g in plan.goals.order_by("category", "position", "id")
        ],
    }


def versions_visible_to(user, plan: ManagementPlan):
    """The versions a reader sees: all of them for those who work with the plan; for the public, of a plan in force,
    only the text that was decided (the latest version), never the drafts before it."""
    versions = plan.versions.select_related("created_by").order_by("-number")
    if rules.works_with_plan(user, plan):
        return versions
    return versions[:1]


def plan_snapshot(*, plan: ManagementPlan, actor, note: str = "") -> PlanVersion:
    content = plan_content(plan)
    last = plan.versions.order_by("-number").first()
    if last and last.content == content:
        return last
    number = (last.number if last else 0) + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        content=content,
        note=Truncator(note).chars(200),  # PlanVersion.note
        created_by=actor if actor and actor.is_authenticated else None,
    )


def versions_compare(old: PlanVersion, new: PlanVersion) -> list[dict]:
    """Section by section (and the goals as one part): both texts and the word-level difference."""

    def parts(content):
        result = {s["key"]: (s["title"], s["body"]) for s in content["sections"]}
        goals = "\n".join(
            f"{g['category']}: {g['title']} – {g['description']} ({g['status']})" for g in content["goals"]
        )
        result["goals_list"] = (_("Mål (lista)"), goals)
        return result

    a, b = parts(old.content), parts(new.content)
    keys = list(dict.fromkeys([*a, *b]))
    rows = []
    for key in keys:
        title = (b.get(key) or a.get(key))[0]
        old_text, new_text = (a.get(key) or ("", ""))[1], (b.get(key) or ("", ""))[1]
        rows.append({"title": title, "changed": old_text != new_text, "diff": word_diff(old_text, new_text)})
    return rows


# --- writing -----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, managed_object, year: int) -> ManagementPlan:
    _require(actor, rules.EDIT_PLAN, ManagementPlan(managed_object=managed_object, status=Status.DRAFT))
    _lock(managed_object)  # two coordinators creating the same year: the second waits, then is told
    if ManagementPlan.objects.filter(managed_object=managed_object, year=year).exists():
        raise ValidationError({"year": _("Det finns redan en förvaltningsplan för %(y)d.") % {"y": year}})
    plan = _save(ManagementPlan(managed_object=managed_object, year=year), actor=actor, reason=_("Plan skapad"))
    for n, key in enumerate(PlanSection.ORDER, start=1):
        PlanSection.objects.create(plan=plan, key=key, position=n)
    plan_snapshot(plan=plan, actor=actor, note=_("Ny plan"))
    return plan


@transaction.atomic
def plan_start_next_year(*, actor, plan: ManagementPlan) -> ManagementPlan:
    """Next year's draft starts as a copy of this plan: every section and goal, goals' follow-up reset."""
    _require(actor, rules.EDIT_PLAN, plan)
    if plan.status not in (Status.IN_FORCE, Status.ARCHIVED):
        raise ValidationError(
            _("Nästa års plan startas från en plan som gäller. Den här planen är %(s)s.")
            % {"s": plan.get_status_display().lower()}
        )
    _lock(plan.managed_object)
    year = plan.year + 1
    if ManagementPlan.objects.filter(managed_object=plan.managed_object, year=year).exists():
        raise ValidationError(_("Planen för %(y)d finns redan.") % {"y": year})
    new = _save(
        ManagementPlan(managed_object=plan.managed_object, year=year, based_on=plan),
        actor=actor,
        reason=_("Startad som kopia av %(p)s") % {"p": plan},
    )
    for s in plan.sections.all():
        PlanSection.objects.create(
            plan=new, key=s.key, position=s.position, body=s.body.replace(str(plan.year), str(year)), updated_by=actor
        )
    for g in plan.goals.all():
        Goal.objects.create(
            plan=new, category=g.category, title=g.title, description=g.description, position=g.position
        )
    plan_snapshot(plan=new, actor=actor, note=_("Kopia av %(y)d") % {"y": plan.year})
    return new


@transaction.atomic
def section_save(*, actor, section: PlanSection, body: str, base_version: int) -> PlanSection:
    """Save a section only if nobody saved it since `base_version` was read (compare-and-swap in one UPDATE).
    A second, concurrent save is never lost and never overwrites silently: it raises EditConflict."""
    plan = section.plan
    _require(actor, rules.EDIT_PLAN, plan)
    _assert_editable(plan)
    clean = sanitise(body)
    updated = PlanSection.objects.filter(pk=section.pk, version=base_version).update(
        body=clean, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
    )
    if not updated:
        raise EditConflict(PlanSection.objects.select_related("updated_by").get(pk=section.pk))
    saved = PlanSection.objects.get(pk=section.pk)
    # The UPDATE bypasses save(); record the history row explicitly with user and reason.
    reason = reason_text(_("Avsnittet %(t)s ändrat") % {"t": saved.title})
    PlanSection.history.model.objects.create(
        **{f.attname: getattr(saved, f.attname) for f in PlanSection._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="~",
        history_user=actor,
        history_change_reason=reason,
    )
    plan_snapshot(plan=plan, actor=actor, note=reason)
    return saved


@transaction.atomic
def goal_save(*, actor, goal: Goal) -> Goal:
    _require(actor, rules.EDIT_PLAN, goal.plan)
    _assert_editable(goal.plan)
    if not goal.pk:
        goal.position = (goal.plan.goals.filter(category=goal.category).aggregate(m=Max("position"))["m"] or 0) + 1
    goal.full_clean()
    _save(goal, actor=actor, reason=_("Mål sparat"))
    plan_snapshot(plan=goal.plan, actor=actor, note=_("Mål: %(t)s") % {"t": goal.title})
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    _require(actor, rules.EDIT_PLAN, goal.plan)
    _assert_editable(goal.plan)
    plan = goal.plan
    goal.delete()
    plan_snapshot(plan=plan, actor=actor, note=_("Mål borttaget"))


@transaction.atomic
def goal_follow_up(*, actor, goal: Goal, status: str, follow_up: str) -> Goal:
    """During the plan's year the coordinator records each goal's status and notes; the plan text stays locked."""
    _require(actor, rules.EDIT_PLAN, goal.plan)
    if goal.plan.status != Status.IN_FORCE:
        raise ValidationError(_("Uppföljning görs när planen gäller."))
    goal.status, goal.follow_up = status, follow_up
    goal.full_clean()
    return _save(goal, actor=actor, reason=_("Uppföljning av mål"))


# --- review rounds -----------------------------------------------------------------------------


@transaction.atomic
def plan_submit(*, actor, plan: ManagementPlan) -> ManagementPlan:
    """To Gemensam beredning VVG och SITIV, once every comment of every round has a disposition."""
    _require(actor, rules.EDIT_PLAN, plan)
    if plan.status not in (Status.DRAFT, Status.IN_REVIEW):
        raise ValidationError(_("Planen är redan inlämnad."))
    open_comments = Comment.objects.filter(round__plan=plan, parent__isnull=True, disposition="").count()
    if open_comments:
        raise ValidationError(
            _("%(n)d kommentarer saknar ställningstagande. Ta ställning till alla innan planen lämnas in.")
            % {"n": open_comments}
        )
    from .reviews import round_close  # reviews builds on this module

    for review in plan.rounds.filter(closed_at__isnull=True):
        round_close(actor=actor, round_=review)
    plan_snapshot(plan=plan, actor=actor, note=_("Inlämnad version"))
    _transition(plan, actor=actor, to=Status.SUBMITTED, note=_("Inlämnad till Gemensam beredning VVG och SITIV"))
    return plan


@transaction.atomic
def plan_record_position(*, actor, plan: ManagementPlan, date: datetime.date, reference: str = "") -> ManagementPlan:
    """The preparer records VVG's position; the plan is then in force for its year and locked."""
    _require(actor, rules.RECORD_POSITION, plan)
    _lock(plan)
    if plan.status != Status.SUBMITTED:
        raise ValidationError(_("VVG:s ställningstagande kan bara registreras för en inlämnad plan."))
    _refuse_author(actor, plan)
    if date > timezone.localdate():
        raise ValidationError({"date": _("Datumet för ställningstagandet kan inte ligga i framtiden.")})
    plan.position_date, plan.position_reference = date, reference.strip()
    _transition(plan, actor=actor, to=Status.IN_FORCE, note=_("VVG tog ställning %(d)s") % {"d": date.isoformat()})
    return plan


@transaction.atomic
def plan_refer_back(*, actor, plan: ManagementPlan, note: str) -> ManagementPlan:
    """Återremiss: the preparer sends a submitted plan back to the coordinators as a draft."""
    _require(actor, rules.RECORD_POSITION, plan)
    _lock(plan)
    if plan.status != Status.SUBMITTED:
        raise ValidationError(_("Bara en inlämnad plan kan återremitteras."))
    _refuse_author(actor, plan)
    if not note.strip():
        raise ValidationError({"note": _("Skriv vad som behöver göras innan planen lämnas in igen.")})
    _transition(plan, actor=actor, to=Status.DRAFT, note=_("Återremiss: %(n)s") % {"n": note.strip()})
    return plan


@transaction.atomic
def plan_archive(*, actor, plan: ManagementPlan) -> ManagementPlan:
    _require(actor, rules.EDIT_PLAN, plan)
    if plan.status != Status.IN_FORCE:
        raise ValidationError(_("Bara en plan som gäller kan arkiveras."))
    if plan.year >= timezone.localdate().year:
        raise ValidationError(
            _("Planen gäller fortfarande för %(y)d och kan arkiveras först efter året.") % {"y": plan.year}
        )
    _transition(plan, actor=actor, to=Status.ARCHIVED, note=_("Arkiverad"))
    return plan
