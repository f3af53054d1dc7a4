"""Domain rules of management plans and review rounds. Views, commands and tests call these."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core import audit
from core.audit import lock as _lock
from core.audit import reason_text
from core.audit import save as _save
from core.text import is_blank, sanitise, word_diff
from governance import cases
from governance.case_models import CaseStep
from governance.models import Body, Membership
from governance.permissions import require as _require

from . import budget, money, rules
from .models import (
    Budget,
    BudgetLine,
    Document,
    DocumentVersion,
    Goal,
    ManagedObject,
    ManagementPlan,
    PlanSection,
    PlanTransition,
)

Status = ManagementPlan.Status


class EditConflict(Exception):
    """Somebody saved the same text since it was opened; carries what they saved, so the user can merge."""

    def __init__(self, current):
        super().__init__(_("Någon annan har sparat avsnittet sedan du öppnade det."))
        self.current = current


def refuse(refusals: list[str]) -> None:
    """What a service does with a check's answer (documents.rules.*_check): refuse with its messages."""
    if refusals:
        raise ValidationError(refusals)


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _transition(plan, *, actor, to: str, note: str = ""):
    note = Truncator(note).chars(300)  # PlanTransition.note
    reason = note or _("Status: %(s)s") % {"s": Status(to).label}
    audit.create(
        PlanTransition,
        actor=actor,
        reason=reason,
        plan=plan,
        from_status=plan.status,
        to_status=to,
        by=_user(actor),
        note=note,
    )
    plan.status = to
    _save(plan, actor=actor, reason=reason)


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
        "budget": budget.snapshot(plan),
    }


def versions_visible_to(user, plan: ManagementPlan):
    """The plan's versions this reader sees, newest first (DocumentVersion.objects.visible_to: all of them for those who
    work with the plan; of a public plan, only the decided text)."""
    return (
        DocumentVersion.objects.visible_to(user)
        .filter(document_id=plan.document_id)
        .select_related("created_by")
        .order_by("-number")
    )


def plan_snapshot(*, plan: ManagementPlan, actor, note: str = "") -> DocumentVersion:
    content = plan_content(plan)
    last = plan.versions.order_by("-number").first()
    if last and last.content == content:
        return last
    number = (last.number if last else 0) + 1
    note = Truncator(note).chars(200)  # DocumentVersion.note
    return audit.create(
        DocumentVersion,
        actor=actor,
        reason=note or _("Ny version"),
        document_id=plan.document_id,
        number=number,
        content=content,
        note=note,
        created_by=_user(actor),
    )


def versions_compare(old: DocumentVersion, new: DocumentVersion) -> list[dict]:
    """Section by section (and the goals as one part): both texts and the word-level difference."""

    def parts(content):
        result = {s["key"]: (s["title"], s["body"]) for s in content["sections"]}
        goals = "\n".join(
            f"{g['category']}: {g['title']} – {g['description']} ({g['status']})" for g in content["goals"]
        )
        result["goals_list"] = (_("Mål (lista)"), goals)
        if content.get("budget"):  # versions from before budgets, and plans without one, have no budget row
            result["budget_lines"] = (_("Budget (rader)"), budget.snapshot_text(content["budget"]))
        return result

    a, b = parts(old.content), parts(new.content)
    keys = list(dict.fromkeys([*a, *b]))
    rows = []
    for key in keys:
        title = (b.get(key) or a.get(key))[0]
        old_text, new_text = (a.get(key) or ("", ""))[1], (b.get(key) or ("", ""))[1]
        rows.append({"title": title, "changed": old_text != new_text, "diff": word_diff(old_text, new_text)})
    return rows


def draft_changes(version: DocumentVersion) -> list[dict]:
    """How the document's current text differs from a saved version (the one a round sent, say), part by part: the
    changed rows of versions_compare against the newest version. Every saved change to a draft snapshots a version
    (plan_snapshot), so the newest version is the current draft, read in one query."""
    newest = DocumentVersion.objects.filter(document_id=version.document_id).order_by("-number").first()
    if newest is None or newest.pk == version.pk:
        return []
    return [row for row in versions_compare(version, newest) if row["changed"]]


# --- writing -----------------------------------------------------------------------------------


def _plan_document(managed_object, year: int, *, actor, reason: str) -> Document:
    """The document a new plan is: its versions and review rounds belong to it."""
    title = str(ManagementPlan(managed_object=managed_object, year=year))
    return audit.create(Document, actor=actor, reason=reason, kind=Document.Kind.MANAGEMENT_PLAN, title=title)


@transaction.atomic
def plan_create(*, actor, managed_object, year: int) -> ManagementPlan:
    _require(actor, rules.EDIT_PLAN, ManagementPlan(managed_object=managed_object, status=Status.DRAFT))
    _lock(managed_object)  # two coordinators creating the same year: the second waits, then is told
    if ManagementPlan.objects.filter(managed_object=managed_object, year=year).exists():
        raise ValidationError({"year": _("Det finns redan en förvaltningsplan för %(y)d.") % {"y": year}})
    reason = _("Plan skapad")
    plan = _save(
        ManagementPlan(
            document=_plan_document(managed_object, year, actor=actor, reason=reason),
            managed_object=managed_object,
            year=year,
        ),
        actor=actor,
        reason=reason,
    )
    for n, key in enumerate(PlanSection.ORDER, start=1):
        audit.create(PlanSection, actor=actor, reason=reason, plan=plan, key=key, position=n)
    plan_snapshot(plan=plan, actor=actor, note=_("Ny plan"))
    return plan


@transaction.atomic
def plan_start_next_year(*, actor, plan: ManagementPlan) -> ManagementPlan:
    """Next year's draft starts as a copy of this plan: every section and goal, goals' follow-up reset."""
    _require(actor, rules.EDIT_PLAN, plan)
    refuse(rules.start_next_check(actor, plan))
    _lock(plan.managed_object)
    year = plan.year + 1
    if ManagementPlan.objects.filter(managed_object=plan.managed_object, year=year).exists():
        raise ValidationError(_("Planen för %(y)d finns redan.") % {"y": year})
    reason = _("Startad som kopia av %(p)s") % {"p": plan}
    document = _plan_document(plan.managed_object, year, actor=actor, reason=reason)
    new = _save(
        ManagementPlan(document=document, managed_object=plan.managed_object, year=year, based_on=plan),
        actor=actor,
        reason=reason,
    )
    for s in plan.sections.all():
        body = s.body.replace(str(plan.year), str(year))
        audit.create(
            PlanSection,
            actor=actor,
            reason=reason,
            plan=new,
            key=s.key,
            position=s.position,
            body=body,
            updated_by=actor,
        )
    for g in plan.goals.all():
        audit.create(
            Goal,
            actor=actor,
            reason=reason,
            plan=new,
            category=g.category,
            title=g.title,
            description=g.description,
            position=g.position,
        )
    plan_snapshot(plan=new, actor=actor, note=_("Kopia av %(y)d") % {"y": plan.year})
    return new


@transaction.atomic
def section_save(*, actor, section: PlanSection, body: str, base_version: int) -> PlanSection:
    """Save a section only if nobody saved it since `base_version` was read (compare-and-swap in one UPDATE).
    A second, concurrent save is never lost and never overwrites silently: it raises EditConflict. An empty text
    never replaces the section's saved text."""
    plan = section.plan
    _require(actor, rules.EDIT_PLAN, plan)
    refuse(rules.plan_edit_check(actor, plan))
    if is_blank(body) and not is_blank(section.body):
        raise ValidationError({"body": rules.BLANK_SECTION})
    saved = section
    reason = reason_text(_("Avsnittet %(t)s ändrat") % {"t": saved.title})
    if not audit.compare_and_swap(  # the UPDATE … WHERE version = base_version, with its history row
        saved,
        expected={"revision": base_version},
        changes={
            "body": sanitise(body),
            "revision": F("revision") + 1,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
        actor=actor,
        reason=reason,
    ):
        raise EditConflict(PlanSection.objects.select_related("updated_by").get(pk=section.pk))
    plan_snapshot(plan=plan, actor=actor, note=reason)
    return saved


@transaction.atomic
def goal_save(*, actor, goal: Goal) -> Goal:
    _require(actor, rules.EDIT_PLAN, goal.plan)
    refuse(rules.plan_edit_check(actor, goal.plan))
    if not goal.pk:
        goal.position = (goal.plan.goals.filter(category=goal.category).aggregate(m=Max("position"))["m"] or 0) + 1
    goal.full_clean()
    _save(goal, actor=actor, reason=_("Mål sparat"))
    plan_snapshot(plan=goal.plan, actor=actor, note=_("Mål: %(t)s") % {"t": goal.title})
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    _require(actor, rules.EDIT_PLAN, goal.plan)
    refuse(rules.plan_edit_check(actor, goal.plan))
    plan = goal.plan
    audit.delete(goal, actor=actor, reason=_("Mål borttaget: %(t)s") % {"t": goal.title})
    plan_snapshot(plan=plan, actor=actor, note=_("Mål borttaget"))


@transaction.atomic
def goal_follow_up(*, actor, goal: Goal, status: str, follow_up: str) -> Goal:
    """During the plan's year the coordinator records each goal's status and notes; the plan text stays locked."""
    _require(actor, rules.EDIT_PLAN, goal.plan)
    refuse(rules.follow_up_check(actor, goal.plan))
    goal.status, goal.follow_up = status, follow_up
    goal.full_clean()
    return _save(goal, actor=actor, reason=_("Uppföljning av mål"))


# --- review rounds -----------------------------------------------------------------------------


@transaction.atomic
def plan_submit(*, actor, plan: ManagementPlan) -> ManagementPlan:
    """To Gemensam beredning VVG och SITIV, once every comment of every round has a disposition. The plan's case is
    raised for the coordinating body (GITS) and sent to Gemensam beredning for VVG's decision (again, after a
    referral back)."""
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)
    refuse(rules.submit_check(actor, plan))
    from .reviews import round_close  # reviews builds on this module

    for review in plan.rounds.filter(closed_at__isnull=True):
        round_close(actor=actor, round_=review)
    plan_snapshot(plan=plan, actor=actor, note=_("Inlämnad version"))
    _case_submitted(plan, actor=actor)  # sets plan.case; the transition saves it
    _transition(plan, actor=actor, to=Status.SUBMITTED, note=_("Inlämnad till Gemensam beredning VVG och SITIV"))
    return plan


def plan_position_errors(*, date: datetime.date) -> dict[str, str]:
    """What is wrong with the date of VVG's position, by field (empty: nothing)."""
    if date > timezone.localdate():
        return {"date": _("Datumet för ställningstagandet kan inte ligga i framtiden.")}
    return {}


@transaction.atomic
def plan_record_position(*, actor, plan: ManagementPlan, date: datetime.date, reference: str = "") -> ManagementPlan:
    """The preparer records VVG's position; the plan is then in force for its year and locked."""
    _require(actor, rules.RECORD_POSITION, plan)
    _lock(plan)
    refuse(rules.decide_check(actor, plan))
    if errors := plan_position_errors(date=date):
        raise ValidationError(errors)
    plan.position_date, plan.position_reference = date, reference.strip()
    _transition(plan, actor=actor, to=Status.IN_FORCE, note=_("VVG tog ställning %(d)s") % {"d": date.isoformat()})
    _case_outcome(
        plan,
        actor=actor,
        outcome=CaseStep.Kind.DECIDED,
        text=_("%(body)s tog ställning till planen.") % {"body": _short(plan.managed_object.steering_body)},
        source=f"documents.plan:{plan.pk}:position",
        on=date,
    )
    return plan


@transaction.atomic
def plan_refer_back(*, actor, plan: ManagementPlan, note: str) -> ManagementPlan:
    """Återremiss: the preparer sends a submitted plan back to the coordinators as a draft."""
    _require(actor, rules.RECORD_POSITION, plan)
    _lock(plan)
    refuse(rules.decide_check(actor, plan, refer_back=True))
    if not note.strip():
        raise ValidationError({"note": _("Skriv vad som behöver göras innan planen lämnas in igen.")})
    _transition(plan, actor=actor, to=Status.DRAFT, note=_("Återremiss: %(n)s") % {"n": note.strip()})
    referrals = plan.transitions.filter(from_status=Status.SUBMITTED, to_status=Status.DRAFT).count()
    _case_outcome(
        plan,
        actor=actor,
        outcome=CaseStep.Kind.REFERRED_BACK,
        text=note.strip(),
        source=f"documents.plan:{plan.pk}:referral:{referrals}",
        on=timezone.localdate(),
    )
    return plan


# --- the plan's case (issue 12) --------------------------------------------------------------------------------
# The plan's path reads as a case: raised for the coordinating body when the plan is submitted, sent to the body that
# prepares for the steering body (Gemensam beredning for VVG), decided or referred back when the preparer records
# the steering body's answer. The bodies are found by the structure (kinds and mandates); where it lacks them the
# plan goes its way without a case. Everything happens in the plan's own transaction.


def _short(body: Body) -> str:
    return body.short_name or body.name


def _active(rows):
    return rows.exclude(pk__in=Body.objects.with_status().filter(status="closed").values("pk"))


def _coordinating_body(actor, plan: ManagementPlan) -> Body | None:
    """The coordinators' body (kind coordination, GITS): the one the submitter sits in (directly, or through its
    operative team), else the one the plan's managed object's bodies belong to."""
    coordination = _active(Body.objects.filter(kind=Body.Kind.COORDINATION))
    seats = Membership.objects.current().filter(person__user=actor, subregion__isnull=True).values("body")
    object_bodies = plan.managed_object.bodies.values("pk")
    for scope in (
        Q(pk__in=seats) | Q(mandated_bodies__in=seats, mandated_bodies__kind=Body.Kind.OPERATIVE),
        Q(pk__in=object_bodies) | Q(mandated_bodies__in=object_bodies),
    ):
        body = coordination.filter(scope).order_by("sort_order", "pk").first()
        if body is not None:
            return body
    return None


def _preparing_body(deciding: Body, plan: ManagementPlan) -> Body | None:
    """The body that prepares for the deciding body (kind preparation, mandated by it): Gemensam beredning for VVG,
    the one among the managed object's bodies first."""
    rows = _active(Body.objects.filter(kind=Body.Kind.PREPARATION, mandate_giver=deciding))
    through = ManagedObject.bodies.through
    in_object = Exists(through.objects.filter(managedobject_id=plan.managed_object_id, body_id=OuterRef("pk")))
    return rows.annotate(in_object=in_object).order_by("-in_object", "sort_order", "pk").first()


def _case_submitted(plan: ManagementPlan, *, actor) -> None:
    deciding = plan.managed_object.steering_body
    raising = _coordinating_body(actor, plan)
    preparing = _preparing_body(deciding, plan)
    if raising is None or preparing is None or not _active(Body.objects.filter(pk=deciding.pk)).exists():
        return
    case = plan.case
    if case is None or not case.is_open:
        case = cases.case_raise(
            actor=actor,
            body=raising,
            title=str(plan),
            description=_("%(plan)s lämnas in till %(prep)s för beslut i %(body)s.")
            % {"plan": plan, "prep": preparing, "body": _short(deciding)},
            links=[(str(plan), plan.get_absolute_url())],
        )
        plan.case = case
    cases.case_send_for_preparation(
        actor=actor,
        case=case,
        preparing_body=preparing,
        deciding_body=deciding,
        note=_("Planen är inlämnad för %(body)s ställningstagande.") % {"body": _short(deciding)},
    )


def _case_outcome(plan: ManagementPlan, *, actor, outcome: str, text: str, source: str, on: datetime.date) -> None:
    """VVG's answer on the plan's case, recorded by the preparer: its owner must be the steering body (the case
    service refuses otherwise, and the plan's transition is undone with it). A plan without a case, or whose case
    was closed, records none."""
    case = plan.case
    if case is None or not case.is_open:
        return
    deciding = plan.managed_object.steering_body
    where = f"{_short(deciding)} {on.isoformat()}"
    reference = (
        f"{where}, {plan.position_reference}" if outcome == CaseStep.Kind.DECIDED and plan.position_reference else where
    )
    cases.case_record_outcome(
        actor=actor,
        case=case,
        body=deciding,
        outcome=outcome,
        text=text,
        reference=reference,
        link=plan.get_absolute_url(),
        source=source,
        on=on,
    )


@transaction.atomic
def plan_archive(*, actor, plan: ManagementPlan) -> ManagementPlan:
    _require(actor, rules.EDIT_PLAN, plan)
    refuse(rules.archive_check(actor, plan))
    _transition(plan, actor=actor, to=Status.ARCHIVED, note=_("Arkiverad"))
    return plan


# --- budget (issue 11) -------------------------------------------------------------------------------------------


def budget_line_errors(*, plan: ManagementPlan, line: BudgetLine) -> dict[str, str]:
    """What is wrong with a line, by field, in Swedish: amount ≥ 0, a key or an own share (one), a key valid for
    the plan's year, an own share within 0–100 %."""
    errors: dict[str, str] = {}
    if line.amount is not None and line.amount < 0:
        errors["amount"] = str(money.AMOUNT_NEGATIVE)
    has_key, has_own = line.key_id is not None, line.own_region_percent is not None
    if has_key and has_own:
        errors["own_region_percent"] = str(rules.KEY_OR_OWN_SHARE)
    elif not has_key and not has_own:
        errors["key"] = str(rules.KEY_OR_OWN_SHARE_MISSING)
    elif line.key is not None and not budget.key_valid_for_year(line.key, plan.year):
        errors["key"] = rules.KEY_NOT_VALID_FOR_YEAR % {"k": line.key.name, "y": plan.year}
    if line.own_region_percent is not None and not 0 <= line.own_region_percent <= 100:
        errors["own_region_percent"] = str(money.PERCENT_OUT_OF_RANGE)
    return errors


def _budget_write(actor, plan: ManagementPlan, decision):
    """Check a write to the plan's budget, inside the plan's lock: citing a later decision when the budget is decided
    and the actor is the budget body's preparer (who did not write it); otherwise as the coordinator's writing,
    without a decision, while the plan may be edited and the budget is not decided. Returns the budget (None before
    the first line)."""
    _lock(plan)  # two first lines at once make one budget; positions are taken one at a time; a decision waits
    found = Budget.objects.filter(plan=plan).select_related("decision__item__meeting", "decision__body").first()
    action = rules.budget_write_action(actor, plan, found)
    _require(actor, action, plan)
    if action == rules.DECIDE_BUDGET:
        refuse(rules.budget_change_check(actor, plan, found))
        refuse(rules.decision_cite_errors(plan, decision, budget=found))
    else:
        refuse(rules.budget_edit_check(actor, plan, found))
        if decision is not None:
            refuse([str(rules.BUDGET_NOT_DECIDED)])
    return found


@transaction.atomic
def budget_line_save(*, actor, plan: ManagementPlan, line: BudgetLine, decision=None) -> BudgetLine:
    """Add or change a line of the plan's budget (the budget is made with its first line): while the budget is not
    decided, by someone who may edit the plan; once decided, by the budget body's preparer citing the later
    decision that allows the change (`decision`), which the line then shows as the one that set it."""
    found = _budget_write(actor, plan, decision)
    if line.pk and not BudgetLine.objects.filter(pk=line.pk, budget__plan=plan).exists():
        refuse([str(rules.LINE_GONE)])  # removed (or replaced by an import or uplift) while this form was open
    if errors := budget_line_errors(plan=plan, line=line):
        raise ValidationError(errors)
    if line.budget_id is None:
        line.budget = found or audit.create(Budget, actor=actor, reason=_("Budget skapad"), plan=plan)
    elif line.budget.plan_id != plan.pk:
        raise ValidationError(str(rules.NOT_ALLOWED))
    if not line.pk:
        line.position = (line.budget.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    line.decision = decision
    line.full_clean(exclude=["budget", "decision"])
    reason = _("Budgetrad sparad: %(n)s") % {"n": line.name}
    if decision is not None:
        reason = _("Budgetrad ändrad enligt %(d)s: %(n)s") % {"d": rules.decision_label(decision), "n": line.name}
    _save(line, actor=actor, reason=reason, force_insert=not line.pk, force_update=bool(line.pk))
    plan_snapshot(plan=plan, actor=actor, note=reason)
    return line


@transaction.atomic
def budget_line_delete(*, actor, line: BudgetLine) -> None:
    """Remove a line of a budget that is not decided (a decided budget's line is set to 0 kr by a decision)."""
    plan = line.budget.plan
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)
    refuse(rules.budget_edit_check(actor, plan))
    reason = _("Budgetrad borttagen: %(n)s") % {"n": line.name}
    audit.delete(line, actor=actor, reason=reason)
    plan_snapshot(plan=plan, actor=actor, note=reason)


@transaction.atomic
def budget_decide(*, actor, plan: ManagementPlan, decision) -> Budget:
    """Record the budget body's decision on the plan's budget (SITIV § n/år in justerade minutes): the budget and
    each of its lines cite it, and the budget is locked. By the body's preparer who did not write the budget."""
    _require(actor, rules.DECIDE_BUDGET, plan)
    _lock(plan)  # two preparers at once: the second sees the first's decision
    found = Budget.objects.filter(plan=plan).first()
    refuse(rules.budget_decide_check(actor, plan, found))
    refuse(rules.decision_cite_errors(plan, decision))
    assert found is not None  # budget_decide_check refuses a plan without a budget
    label = rules.decision_label(decision)
    reason = _("Budgeten beslutad: %(d)s") % {"d": label}
    found.decision, found.decided_at, found.decided_by = decision, timezone.now(), _user(actor)
    _save(found, actor=actor, reason=reason)
    for line in found.lines.all():
        line.decision = decision
        _save(line, actor=actor, reason=reason)
    return found


def budget_uplift_rows(*, source: Budget, plan: ManagementPlan, percent, rounding: str) -> list[BudgetLine]:
    """Next year's lines from `source`'s (unsaved): each amount raised by the index and rounded as chosen
    (money.uplift), keys kept where they hold for the new year, otherwise the key's share as the line's own."""
    rows = []
    for old in source.lines.select_related("key").order_by("position", "id"):
        line = BudgetLine(heading=old.heading, name=old.name, note=old.note, position=old.position)
        line.amount = money.uplift(old.amount, percent, to=rounding)  # type: ignore[arg-type]
        if old.key is not None and budget.key_valid_for_year(old.key, plan.year):
            line.key = old.key
        else:
            line.own_region_percent = old.region_percent
        rows.append(line)
    return rows


def uplift_digest(rows: list[BudgetLine]) -> str:
    """What a preview of the uplift showed, as a digest: the replace step saves only these lines."""
    import hashlib

    text = "\n".join(f"{r.heading}|{r.name}|{r.amount}|{r.key_id}|{r.own_region_percent}|{r.note}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def budget_uplift(*, actor, plan: ManagementPlan, percent, rounding: str, expected: str | None = None) -> Budget:
    """Replace the plan's budget lines with last year's raised by an index (vårdprisindex 2,5 %), rounded to the
    öre, the krona or the thousand as the coordinator chooses; the budget records from where, by how much and how."""
    _require(actor, rules.EDIT_PLAN, plan)
    _lock(plan)
    refuse(rules.budget_uplift_check(actor, plan))
    source = rules.uplift_source(plan)
    assert source is not None  # budget_uplift_check refuses without one
    try:
        rows = budget_uplift_rows(source=source, plan=plan, percent=percent, rounding=rounding)
    except money.MoneyError as e:
        raise ValidationError({"percent": e.message}) from e
    if expected is not None and uplift_digest(rows) != expected:
        refuse([str(rules.UPLIFT_SOURCE_CHANGED)])  # last year's budget changed since the preview
    found = Budget.objects.filter(plan=plan).first()
    target = found or audit.create(Budget, actor=actor, reason=_("Budget skapad"), plan=plan)
    reason = _("Budgeten uppräknad från %(y)d med %(p)s") % {"y": source.plan.year, "p": money.format_percent(percent)}
    for old in target.lines.all():
        audit.delete(old, actor=actor, reason=reason)
    for line in rows:
        line.budget = target
        if errors := budget_line_errors(plan=plan, line=line):
            raise ValidationError(errors)
        _save(line, actor=actor, reason=reason)
    target.uplifted_from, target.uplift_percent, target.uplift_rounding = source, percent, rounding
    _save(target, actor=actor, reason=reason)
    plan_snapshot(plan=plan, actor=actor, note=reason)
    return target
