"""Management-plan pages: thin views. Rules live in documents.services, rights in governance.permissions.can.

Visibility: a plan in force or archived is public; drafts are seen by those who work with it (coordinators,
preparers, the subregions of its review rounds): ManagementPlan.objects.visible_to(user), the same rule as
`can(user, VIEW_PLAN, plan)`. Anyone else gets 404, so nothing leaks. Someone who may see a plan but not do the
thing asked gets 403 (permissions.require). What the page offers comes from documents.rules' checks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.web import apply_to_form as _apply
from core.web import ask_first, going_back
from core.web import flash_errors as _flash_errors
from governance import permissions
from governance.case_rules import VIEW_CASE

from . import budget, confirmations, rules, services
from .forums import forums_table
from .models import Budget, BudgetLine, Goal, ManagedObject, ManagementPlan, PlanSection
from .plan_forms import GoalFollowUpForm, PlanCreateForm, PositionForm, ReferBackForm, SectionForm

Status = ManagementPlan.Status


# --- helpers -----------------------------------------------------------------------------------


def plan_queryset(user):
    """The plans the user may see, with their managed object (and the rounds the page lists) loaded."""
    return ManagementPlan.objects.visible_to(user).select_related("managed_object", "document")


def _plan_for(request, pk, *, action=None) -> ManagementPlan:
    """The plan if the user may see it (else 404); with `action`, also the right to do it (else 403)."""
    plan = get_object_or_404(plan_queryset(request.user).prefetch_related("document__rounds__subregions"), pk=pk)
    if action:
        permissions.require(request.user, action, plan)
    return plan


def _url_or_none(name, **kwargs):
    """Review-round pages are built separately; link to them only once their routes exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _crumbs(plan=None, here=None):
    crumbs = [(_("Förvaltningsplaner"), reverse("documents:plan_list"))]
    if plan is not None:
        crumbs.append((_("Förvaltningsplan %(y)s") % {"y": plan.year}, plan.get_absolute_url()))
    if here:
        crumbs.append((here, ""))
    else:
        crumbs[-1] = (crumbs[-1][0], "")
    return crumbs


def _plan_anchor(plan, anchor=""):
    return plan.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _next_free_year(managed_object, taken: set[tuple[int, int]]) -> int:
    year = timezone.localdate().year
    while (managed_object.pk if managed_object else None, year) in taken:
        year += 1
    return year


# --- reading -----------------------------------------------------------------------------------


@login_not_required
@require_safe
def plan_list(request):
    """The plans this user may see, newest first. A constant number of queries however many plans there are."""
    plans = plan_queryset(request.user).order_by("managed_object__name", "-year")
    can_create = permissions.can(request.user, rules.EDIT_PLAN, ManagementPlan(status=Status.DRAFT))
    form = None
    if can_create:
        objects = list(ManagedObject.objects.order_by("name"))
        taken = set(ManagementPlan.objects.values_list("managed_object_id", "year"))
        first = objects[0] if objects else None
        form = PlanCreateForm(initial={"managed_object": first, "year": _next_free_year(first, taken)})
    return render(
        request,
        "documents/plan_list.html",
        {"plans": plans, "can_create": can_create, "form": form, "crumbs": _crumbs()},
    )


def _goal_groups(goals):
    """Goals under each of the three categories, in the categories' order (empty categories included)."""
    by_category: dict[str, list[Goal]] = {c: [] for c in Goal.Category.values}
    for goal in goals:
        by_category.setdefault(goal.category, []).append(goal)
    return [(value, label, by_category[value]) for value, label in Goal.Category.choices]


def plan_form_page(request, plan, form, *, title, submit, cancel_url, intro=None, refusals=()):
    """One form about a plan (documents/plan_form.html) with its title and breadcrumbs; on a GET the user may not act
    on, the first refusal in its place (a POST shows the form with the service's errors)."""
    return render(
        request,
        "documents/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "unavailable_note": refusals[0] if request.method == "GET" and refusals else None,
            "cancel_url": cancel_url,
            "crumbs": _crumbs(plan, title),
        },
    )


def budget_table(plan) -> "budget.Table":
    """The plan's budget table (documents.budget), with its lines and keys in one query: none when it has none."""
    lines = list(
        BudgetLine.objects.filter(budget__plan=plan)
        .select_related(
            *budget.LINE_RELATED,
            "budget__decision__item__meeting",
            "budget__decision__body",
            "budget__uplifted_from__plan",
        )
        .order_by("position", "id")
    )
    return budget.table(None, lines)


def budget_actions(user, plan, table: "budget.Table") -> dict:
    """What the budget section offers this user: write it (undecided), change it by a decision, record the decision,
    uplift it from last year; and the deadline while it is not decided."""
    found = table.budget
    lookup = found if found is not None else Budget(plan=plan)
    editable = not rules.budget_edit_check(user, plan, lookup)
    return {
        "editable": editable,
        "changeable": table.decided
        and not rules.budget_change_check(user, plan, found)
        and rules.citable_decisions(plan, found).exists(),
        "may_decide": not table.decided and not table.is_empty and not rules.budget_decide_check(user, plan, found),
        "may_uplift": editable and not rules.budget_uplift_check(user, plan, lookup),
        "deadline": None if table.decided or plan.is_public else budget.deadline(plan),
    }


def plan_context(plan) -> dict:
    """What the page and the PDF both show, in the same order: sections, goals by category, the forums table."""
    sections = list(plan.sections.select_related("updated_by").order_by("position"))
    goals = list(plan.goals.order_by("category", "position", "id"))
    return {
        "plan": plan,
        "sections": sections,
        "goal_groups": _goal_groups(goals),
        "goal_count": len(goals),
        "forums": forums_table(plan.managed_object),
        "budget": budget_table(plan),
    }


@login_not_required
@require_safe
def plan_detail(request, pk):
    plan = get_object_or_404(plan_queryset(request.user).select_related("managed_object__steering_body", "case"), pk=pk)
    user = request.user
    may_edit = permissions.can(user, rules.EDIT_PLAN, plan)
    may_record = permissions.can(user, rules.RECORD_POSITION, plan)
    # Review rounds are internal: on a draft every reader is in the audience; once public, only those who work with
    # the plan see them listed. They are loaded (with their subregions, for the rules) only for those who see them.
    shows_rounds = may_edit or may_record or not plan.is_public
    if shows_rounds:
        prefetch_related_objects([plan], "document__rounds__subregions")
    editable = not rules.plan_edit_check(user, plan)
    can_follow_up = not rules.follow_up_check(user, plan)
    context = plan_context(plan)
    if can_follow_up:
        for _value, _label, goals in context["goal_groups"]:
            for goal in goals:
                goal.follow_up_form = GoalFollowUpForm(
                    initial={"status": goal.status, "follow_up": goal.follow_up}, prefix=f"goal{goal.pk}"
                )
    next_plan = None
    if can_follow_up:
        next_plan = ManagementPlan.objects.filter(managed_object=plan.managed_object, year=plan.year + 1).first()
    # A round links only for its audience (ReviewRound.objects.visible_to): the rounds are prefetched with their
    # subregions, so the rule answers without a query.
    rounds = [
        {
            "round": r,
            "url": _url_or_none("documents:round_detail", pk=r.pk)
            if may_edit or permissions.can(user, rules.COMMENT, r)
            else None,
        }
        for r in (sorted(plan.rounds.all(), key=lambda r: r.opened_at, reverse=True) if shows_rounds else [])
    ]
    actions = budget_actions(user, plan, context["budget"])
    # The invoicing basis (documents/invoicing_views.py): linked for those who work with the plan, once it has lines;
    # its plan changed while the budget may be written. The lines carry their budget: no query for the rule.
    has_lines = not context["budget"].is_empty
    may_see_invoicing = has_lines and permissions.can(user, rules.READ_BUDGET_WORK, plan)
    # The budget follow-up (documents.followup_views) of a plan in force or archived, linked for those who work with
    # every plan (the rounds are not loaded on a public plan, so no query is added).
    may_follow_budget = has_lines and plan.is_public and (may_edit or may_record)
    links = [
        (actions["editable"], "documents:budget_line_create", _("Lägg till en budgetrad")),
        (actions["editable"], "documents:budget_import", _("Importera budget från Excel eller CSV")),
        (actions["may_uplift"], "documents:budget_uplift", _("Räkna upp budgeten från %(y)d") % {"y": plan.year - 1}),
        (actions["changeable"], "documents:budget_line_create", _("Lägg till en rad enligt beslut")),
        (actions["may_decide"], "documents:budget_decide", _("Registrera beslutet om budgeten")),
        (may_see_invoicing, "documents:invoicing_basis", _("Faktureringsunderlag")),
        (may_see_invoicing and actions["editable"], "documents:invoicing_plan_edit", _("Ändra faktureringsplan")),
        (may_follow_budget, "documents:budget_followup", _("Budgetuppföljning")),
    ]
    context.update(
        {
            "budget_links": [
                {"url": reverse(name, args=[plan.pk]), "text": text} for show, name, text in links if show
            ],
            "crumbs": _crumbs(plan),
            "transitions": list(plan.transitions.select_related("by")),
            "rounds": rounds,
            "editable": editable,
            "can_submit": editable,
            "budget_actions": actions,
            "submit_refusals": rules.submit_check(user, plan) if editable else [],
            "round_create_url": _url_or_none("documents:round_create", pk=plan.pk) if editable else None,
            "can_record": may_record and not rules.decide_check(user, plan),
            "can_follow_up": can_follow_up,
            "can_start_next": can_follow_up and next_plan is None,
            "next_plan": next_plan,
            "can_archive": can_follow_up,
            "can_see_history": may_edit or may_record,
            "position_form": PositionForm(initial={"date": timezone.localdate()}),
            "refer_back_form": ReferBackForm(),
            "case_url": _case_url(user, plan),
        }
    )
    return render(request, "documents/plan_detail.html", context)


def _case_url(user, plan):
    """The plan's case (its path through Gemensam beredning to VVG), linked for those who may see the case, once the
    case page's route exists."""
    if plan.case is None or not permissions.can(user, VIEW_CASE, plan.case):
        return None
    return _url_or_none("governance:case_detail", pk=plan.case_id)


# --- writing sections (lost-update protection) -------------------------------------------------


def section_edit(request, pk):
    section = get_object_or_404(
        PlanSection.objects.filter(plan__in=ManagementPlan.objects.visible_to(request.user)).select_related(
            "updated_by", "plan__managed_object"
        ),
        pk=pk,
    )
    plan = section.plan
    permissions.require(request.user, rules.EDIT_PLAN, plan)
    conflict = None
    form = SectionForm(request.POST or None, initial={"body": section.body, "base_version": section.revision})
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["body"]
        try:
            saved = _apply(
                form,
                lambda: services.section_save(
                    actor=request.user, section=section, body=typed, base_version=form.cleaned_data["base_version"]
                ),
            )
        except services.EditConflict as error:
            # Somebody saved first. Keep what this user typed, show what the other saved and the difference, and
            # continue from their version: saving again (after merging) then succeeds, and nothing is overwritten
            # without the user having seen it.
            current = error.current
            conflict = {
                "current": current,
                "theirs": current.body,
                "diff": services.word_diff(current.body, typed),
            }
            form = SectionForm(initial={"body": typed, "base_version": current.revision})
            saved = None
        if saved:
            messages.success(request, _("Avsnittet %(t)s är sparat.") % {"t": saved.title})
            return redirect(_plan_anchor(plan, f"avsnitt-{saved.key}"))
    return render(
        request,
        "documents/section_form.html",
        {
            "plan": plan,
            "section": section,
            "form": form,
            "conflict": conflict,
            "locked_note": request.method == "GET" and rules.plan_edit_check(request.user, plan),
            "crumbs": _crumbs(plan, _("Ändra %(t)s") % {"t": section.title}),
        },
    )


# --- goals ---------------------------------------------------------------------------------------


def plan_create(request):
    permissions.require(request.user, rules.EDIT_PLAN, ManagementPlan(status=Status.DRAFT))
    objects = list(ManagedObject.objects.order_by("name"))
    taken = set(ManagementPlan.objects.values_list("managed_object_id", "year"))
    first = objects[0] if objects else None
    form = PlanCreateForm(
        request.POST or None, initial={"managed_object": first, "year": _next_free_year(first, taken)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = _apply(
            form,
            lambda: services.plan_create(actor=request.user, managed_object=data["managed_object"], year=data["year"]),
        )
        if plan:
            messages.success(request, _("Förvaltningsplanen för %(y)s är skapad som utkast.") % {"y": plan.year})
            return redirect(plan)
    title = _("Ny förvaltningsplan")
    return render(
        request,
        "documents/plan_form.html",
        {
            "form": form,
            "title": title,
            "submit": _("Skapa planen"),
            "cancel_url": reverse("documents:plan_list"),
            "crumbs": _crumbs(None, title),
        },
    )


@require_POST
def plan_submit(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    if page := ask_first(request, rules.submit_check(request.user, plan), lambda: confirmations.plan_submit(plan)):
        return page
    if _flash_errors(request, lambda: services.plan_submit(actor=request.user, plan=plan)):
        messages.success(request, _("Planen är inlämnad till Gemensam beredning VVG och SITIV och är nu låst."))
    return redirect(plan)


def _lifecycle_form_page(request, plan, form, *, title, submit, intro, refer_back=False):
    """The preparer's forms. Shown for a submitted plan; otherwise (on GET) a note says why there is nothing to do."""
    note = None
    if request.method != "POST":
        refusals = rules.decide_check(request.user, plan, refer_back=refer_back)
        note = refusals[0] if refusals else None
    return render(
        request,
        "documents/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "unavailable_note": note,
            "cancel_url": plan.get_absolute_url(),
            "crumbs": _crumbs(plan, title),
        },
    )


def plan_record_position(request, pk):
    plan = _plan_for(request, pk, action=rules.RECORD_POSITION)
    form = PositionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and not going_back(request):
        data = form.cleaned_data
        refusals = [*rules.decide_check(request.user, plan), *services.plan_position_errors(date=data["date"]).values()]
        if page := ask_first(
            request, refusals, lambda: confirmations.plan_position(plan, data["date"], data["reference"])
        ):
            return page
        if _apply(
            form,
            lambda: services.plan_record_position(
                actor=request.user, plan=plan, date=data["date"], reference=data["reference"]
            ),
        ):
            messages.success(request, _("VVG:s ställningstagande är registrerat. Planen gäller och är låst."))
            return redirect(plan)
    return _lifecycle_form_page(
        request,
        plan,
        form,
        title=_("Registrera VVG:s ställningstagande"),
        submit=_("Registrera ställningstagandet"),
        intro=_("När ställningstagandet är registrerat gäller planen för sitt år och kan inte längre ändras."),
    )


def plan_refer_back(request, pk):
    plan = _plan_for(request, pk, action=rules.RECORD_POSITION)
    form = ReferBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, lambda: services.plan_refer_back(actor=request.user, plan=plan, note=form.cleaned_data["note"])
        ):
            messages.success(request, _("Planen är återremitterad till samordnarna som utkast."))
            return redirect(plan)
    return _lifecycle_form_page(
        request,
        plan,
        form,
        title=_("Återremittera planen"),
        submit=_("Återremittera"),
        intro=_("Planen går tillbaka till funktionskoordinatorerna som utkast. Beskriv vad som behöver göras."),
        refer_back=True,
    )


@require_POST
def plan_start_next(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    new = _flash_errors(request, lambda: services.plan_start_next_year(actor=request.user, plan=plan))
    if new:
        messages.success(
            request,
            _("Utkastet till planen för %(y)s är skapat som en kopia av %(o)s.") % {"y": new.year, "o": plan.year},
        )
        return redirect(new)
    return redirect(plan)


@require_POST
def plan_archive(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    if page := ask_first(request, rules.archive_check(request.user, plan), lambda: confirmations.plan_archive(plan)):
        return page
    if _flash_errors(request, lambda: services.plan_archive(actor=request.user, plan=plan)):
        messages.success(request, _("Planen är arkiverad."))
    return redirect(plan)
