"""Historik for a management plan: the plan, its sections and goals, with who, when and why, field by field.

Comments are left out on purpose: they belong to a review round's audience, and a plan's history is for those who
write or decide the plan (coordinators and preparers)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import history
from governance import permissions

from . import rules
from .models import Goal, ManagementPlan, PlanSection
from .views import _plan_for


def plan_history(request, pk):
    plan = _plan_for(request, pk)
    if not (
        permissions.can(request.user, rules.EDIT_PLAN, plan)
        or permissions.can(request.user, rules.RECORD_POSITION, plan)
    ):
        raise Http404
    entries = history.merged(
        history.entries(ManagementPlan, ManagementPlan.history.filter(id=plan.pk)),
        history.entries(PlanSection, PlanSection.history.filter(plan_id=plan.pk)),
        history.entries(Goal, Goal.history.filter(plan_id=plan.pk)),
    )
    return render(
        request,
        "governance/history.html",
        {"plan": plan, "entries": entries, "title": _("Historik för %(p)s") % {"p": plan}},
    )
