"""Goals of a management plan: add, change, remove while the plan is a draft; follow up while it is in force."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.web import apply_to_form as _apply
from core.web import ask_first, confirm_page
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import confirmations, rules, services
from .models import Goal, ManagementPlan
from .plan_forms import GoalFollowUpForm, GoalForm
from .views import _crumbs, _plan_anchor, _plan_for


def _goal_for(request, pk, *, action=rules.EDIT_PLAN) -> Goal:
    """The goal of a plan the user may see (else 404), if the user may do `action` to the plan (else 403)."""
    goal = get_object_or_404(
        Goal.objects.filter(plan__in=ManagementPlan.objects.visible_to(request.user)).select_related(
            "plan__managed_object"
        ),
        pk=pk,
    )
    permissions.require(request.user, action, goal.plan)
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
            "locked_note": request.method == "GET" and rules.plan_edit_check(request.user, plan),
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
    """The page asks first (a link leads to it); only its "Ja" removes the goal."""
    goal = _goal_for(request, pk)
    plan = goal.plan
    question = confirmations.goal_delete(goal)
    if page := ask_first(request, rules.plan_edit_check(request.user, plan), question):
        return page
    if request.method != "POST":
        return confirm_page(request, question)
    if _flash_errors(request, lambda: services.goal_delete(actor=request.user, goal=goal) or True):
        messages.success(request, _("Målet ”%(t)s” är borttaget.") % {"t": goal.title})
    return redirect(_plan_anchor(plan, "mal"))


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
            "not_in_force_note": request.method == "GET" and rules.follow_up_check(request.user, plan),
            "cancel_url": _plan_anchor(plan, f"mal-{goal.pk}"),
            "crumbs": _crumbs(plan, title),
        },
    )
