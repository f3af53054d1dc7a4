"""Goals of a management plan: add, change, remove while the plan is a draft; follow up while it is in force."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.web import apply_to_form as _apply
from core.web import flash_errors as _flash_errors

from . import rules, services
from .models import Goal, ManagementPlan
from .plan_forms import GoalFollowUpForm, GoalForm
from .views import _crumbs, _plan_anchor, _plan_for

Status = ManagementPlan.Status


def _goal_for(request, pk, *, action=rules.EDIT_PLAN) -> Goal:
    goal = get_object_or_404(Goal, pk=pk)
    goal.plan = _plan_for(request, goal.plan_id, action=action)
    return goal


def _goal_form_page(request, plan, form, title, submit):
    return render(
        request,
        "documents/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "submit": submit,
            "locked_note": plan.is_locked and request.method == "GET",
            "cancel_url": _plan_anchor(plan, "mal"),
            "crumbs": _crumbs(plan, title),
        },
    )


def goal_create(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    form = GoalForm(request.POST or None, instance=Goal(plan=plan), initial={"category": request.GET.get("kategori")})
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.goal_save(actor=request.user, goal=form.save(commit=False))):
            messages.success(request, _("Målet är tillagt."))
            return redirect(_plan_anchor(plan, "mal"))
    return _goal_form_page(request, plan, form, _("Nytt mål"), _("Lägg till målet"))


def goal_edit(request, pk):
    goal = _goal_for(request, pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.goal_save(actor=request.user, goal=form.save(commit=False))):
            messages.success(request, _("Målet är ändrat."))
            return redirect(_plan_anchor(goal.plan, f"mal-{goal.pk}"))
    return _goal_form_page(request, goal.plan, form, _("Ändra mål"), _("Spara målet"))


def goal_delete(request, pk):
    goal = _goal_for(request, pk)
    plan = goal.plan
    if request.method == "POST":
        if _flash_errors(request, lambda: services.goal_delete(actor=request.user, goal=goal) or True):
            messages.success(request, _("Målet ”%(t)s” är borttaget.") % {"t": goal.title})
        return redirect(_plan_anchor(plan, "mal"))
    title = _("Ta bort målet?")
    return render(
        request,
        "documents/confirm.html",
        {
            "plan": plan,
            "title": title,
            "text": goal.title,
            "detail": goal.get_category_display(),
            "submit": _("Ta bort målet"),
            "crumbs": _crumbs(plan, title),
        },
    )


def goal_follow_up(request, pk):
    goal = _goal_for(request, pk)
    plan = goal.plan
    form = GoalFollowUpForm(
        request.POST or None, initial={"status": goal.status, "follow_up": goal.follow_up}, prefix=f"goal{goal.pk}"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.goal_follow_up(
                actor=request.user, goal=goal, status=data["status"], follow_up=data["follow_up"]
            ),
        ):
            messages.success(request, _("Uppföljningen av ”%(t)s” är sparad.") % {"t": goal.title})
            return redirect(_plan_anchor(plan, f"mal-{goal.pk}"))
    title = _("Följ upp målet")
    return render(
        request,
        "documents/plan_form.html",
        {
            "plan": plan,
            "goal": goal,
            "form": form,
            "title": title,
            "submit": _("Spara uppföljningen"),
            "not_in_force_note": plan.status != Status.IN_FORCE and request.method == "GET",
            "cancel_url": _plan_anchor(plan, f"mal-{goal.pk}"),
            "crumbs": _crumbs(plan, title),
        },
    )


# --- lifecycle -----------------------------------------------------------------------------------
