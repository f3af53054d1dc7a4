"""A plan's budget lines: add, change, remove while the plan may be edited (issue 11). One form per page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.web import apply_to_form as _apply
from core.web import ask_first, confirm_page
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import confirmations, rules, services
from .models import BudgetLine, ManagementPlan
from .plan_forms import BudgetLineForm
from .views import _crumbs, _plan_anchor, _plan_for

ANCHOR = "avsnitt-budget"


def _line_for(request, pk) -> BudgetLine:
    """The line of a plan the user may see (else 404), if the user may edit the plan (else 403)."""
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__plan__in=ManagementPlan.objects.visible_to(request.user)).select_related(
            "budget__plan__managed_object", "key"
        ),
        pk=pk,
    )
    permissions.require(request.user, rules.EDIT_PLAN, line.budget.plan)
    return line


def _initial(line: BudgetLine) -> dict:
    from . import money

    return {
        "heading": line.heading,
        "name": line.name,
        "amount": money.format_amount(line.amount).removesuffix("\u00a0kr"),
        "key": line.key_id,
        "own_region_percent": money.format_percent(line.own_region_percent).removesuffix("\u00a0%")
        if line.own_region_percent is not None
        else "",
        "note": line.note,
    }


def _form_page(request, plan, line: BudgetLine):
    is_new = line.pk is None
    initial = {"heading": request.GET.get("rubrik", "")} if is_new else _initial(line)
    form = BudgetLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in ("heading", "name", "amount", "key", "own_region_percent", "note"):
            setattr(line, name, data[name])
        if _apply(form, lambda: services.budget_line_save(actor=request.user, plan=plan, line=line)):
            messages.success(request, _("Budgetraden ”%(n)s” är sparad.") % {"n": line.name})
            return redirect(_plan_anchor(plan, ANCHOR))
    title = _("Ny budgetrad") if is_new else _("Ändra budgetrad")
    refusals = rules.budget_edit_check(request.user, plan)
    return render(
        request,
        "documents/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "submit": _("Lägg till raden") if is_new else _("Spara raden"),
            "unavailable_note": refusals[0] if request.method == "GET" and refusals else None,
            "cancel_url": _plan_anchor(plan, ANCHOR),
            "crumbs": _crumbs(plan, title),
        },
    )


def budget_line_create(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    return _form_page(request, plan, BudgetLine())


def budget_line_edit(request, pk):
    line = _line_for(request, pk)
    return _form_page(request, line.budget.plan, line)


def budget_line_delete(request, pk):
    """The page asks first (a link leads to it); only its "Ja" removes the line."""
    line = _line_for(request, pk)
    plan = line.budget.plan
    question = confirmations.budget_line_delete(line)
    if page := ask_first(request, rules.budget_edit_check(request.user, plan), question):
        return page
    if request.method != "POST":
        return confirm_page(request, question)
    if _flash_errors(request, lambda: services.budget_line_delete(actor=request.user, line=line) or True):
        messages.success(request, _("Budgetraden ”%(n)s” är borttagen.") % {"n": line.name})
    return redirect(_plan_anchor(plan, ANCHOR))
