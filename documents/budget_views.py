"""A plan's budget lines: add, change, remove while the plan may be edited (issue 11). One form per page."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.web import apply_to_form as _apply
from core.web import ask_first, confirm_page
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import budget, confirmations, money, rules, services
from .models import Budget, BudgetLine, ManagementPlan
from .plan_forms import BudgetChangeForm, BudgetDecisionForm, BudgetLineForm, BudgetUpliftForm
from .views import _crumbs, _plan_anchor, _plan_for, plan_form_page

ANCHOR = "avsnitt-budget"


def _line_for(request, pk, *, action=None) -> BudgetLine:
    """The line of a plan the user may see (else 404), if the user may edit the plan (else 403)."""
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__plan__in=ManagementPlan.objects.visible_to(request.user)).select_related(
            "budget__plan__managed_object", "key"
        ),
        pk=pk,
    )
    plan = line.budget.plan
    permissions.require(request.user, action or rules.budget_write_action(request.user, plan, line.budget), plan)
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


def _budget_of(plan) -> Budget | None:
    return Budget.objects.filter(plan=plan).select_related("decision__item__meeting", "decision__body").first()


def _none_to_cite(plan, decisions) -> list[str]:
    if decisions.exists():
        return []
    body = plan.managed_object.budget_body
    return [rules.NO_CITABLE_DECISION % {"b": body.short_name or body.name if body else ""}]


def _form_page(request, plan, line: BudgetLine):
    """Add or change a line: the coordinator's form while the budget is not decided; once it is, the budget body's
    preparer's, which also asks for the later decision that allows the change."""
    is_new = line.pk is None
    found = _budget_of(plan)
    decided = rules.budget_write_action(request.user, plan, found) == rules.DECIDE_BUDGET
    initial = {"heading": request.GET.get("rubrik", "")} if is_new else _initial(line)
    data = request.POST or None
    if decided:
        decisions = rules.citable_decisions(plan, found)
        form: BudgetLineForm = BudgetChangeForm(data, initial=initial, decisions=decisions)
        refusals = rules.budget_change_check(request.user, plan, found) or _none_to_cite(plan, decisions)
    else:
        form = BudgetLineForm(data, initial=initial)
        refusals = rules.budget_edit_check(request.user, plan, found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in ("heading", "name", "amount", "key", "own_region_percent", "note"):
            setattr(line, name, data[name])
        decision = data.get("decision")
        if _apply(form, lambda: services.budget_line_save(actor=request.user, plan=plan, line=line, decision=decision)):
            messages.success(request, _("Budgetraden ”%(n)s” är sparad.") % {"n": line.name})
            return redirect(_plan_anchor(plan, ANCHOR))
    title = _("Ny budgetrad") if is_new else _("Ändra budgetrad")
    if decided:
        title = _("Ny budgetrad enligt beslut") if is_new else _("Ändra budgetrad enligt beslut")
    return plan_form_page(
        request,
        plan,
        form,
        title=title,
        submit=_("Lägg till raden") if is_new else _("Spara raden"),
        cancel_url=_plan_anchor(plan, ANCHOR),
        intro=_("Budgeten är beslutad (%(d)s). Ändringen registreras med hänvisning till beslutet som medger den.")
        % {"d": rules.decision_label(found.decision)}
        if decided and found is not None and found.decision
        else None,
        refusals=refusals,
    )


def budget_line_create(request, pk):
    plan = _plan_for(request, pk)
    permissions.require(request.user, rules.budget_write_action(request.user, plan, _budget_of(plan)), plan)
    return _form_page(request, plan, BudgetLine())


def budget_line_edit(request, pk):
    line = _line_for(request, pk)
    return _form_page(request, line.budget.plan, line)


def budget_line_delete(request, pk):
    """The page asks first (a link leads to it); only its "Ja" removes the line. The coordinators' step: a decided
    budget's line is set to 0 kr by a decision instead."""
    line = _line_for(request, pk, action=rules.EDIT_PLAN)
    plan = line.budget.plan
    question = confirmations.budget_line_delete(line)
    if page := ask_first(request, rules.budget_edit_check(request.user, plan), question):
        return page
    if request.method != "POST":
        return confirm_page(request, question)
    if _flash_errors(request, lambda: services.budget_line_delete(actor=request.user, line=line) or True):
        messages.success(request, _("Budgetraden ”%(n)s” är borttagen.") % {"n": line.name})
    return redirect(_plan_anchor(plan, ANCHOR))


def budget_decide(request, pk):
    """Record the budget body's decision on the budget: one form (the decision), which says the budget is then
    locked; posting it is the one confirmation."""
    plan = _plan_for(request, pk, action=rules.DECIDE_BUDGET)
    found = _budget_of(plan)
    body = plan.managed_object.budget_body
    decisions = rules.citable_decisions(plan)
    form = BudgetDecisionForm(
        request.POST or None,
        decisions=decisions,
        help_text=_("Paragrafen i %(b)s:s justerade protokoll där budgeten beslutades.") % {"b": body.short_name}
        if body
        else None,
    )
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        if _apply(form, lambda: services.budget_decide(actor=request.user, plan=plan, decision=decision)):
            messages.success(
                request, _("Beslutet är registrerat: %(d)s. Budgeten är låst.") % {"d": rules.decision_label(decision)}
            )
            return redirect(_plan_anchor(plan, ANCHOR))
    refusals = rules.budget_decide_check(request.user, plan, found) or _none_to_cite(plan, decisions)
    title = _("Registrera beslut om budgeten")
    return plan_form_page(
        request,
        plan,
        form,
        title=title,
        submit=_("Registrera beslutet och lås budgeten"),
        cancel_url=_plan_anchor(plan, ANCHOR),
        intro=_(
            "När beslutet är registrerat hänvisar budgeten och varje rad till det, och budgeten låses. En senare "
            "ändring registreras med hänvisning till beslutet som medger den."
        ),
        refusals=refusals,
    )


UPLIFT_SALT = "documents.budget_uplift"
UPLIFT_SIGNED = "underlag"


def _uplift_signed(plan, digest: str) -> str:
    return signing.dumps({"plan": plan.pk, "digest": digest}, salt=UPLIFT_SALT)


def _uplift_digest_from(request, plan) -> str | None:
    """The digest of the lines the preview showed, from the replace form's signed field; None when it is missing,
    tampered, for another plan or older than an hour."""
    try:
        data = signing.loads(request.POST.get(UPLIFT_SIGNED, ""), salt=UPLIFT_SALT, max_age=3600)
    except signing.BadSignature:
        return None
    return data.get("digest") if isinstance(data, dict) and data.get("plan") == plan.pk else None


def budget_uplift(request, pk):
    """Next year's budget from last year's: the form (index, rounding), then a preview of every line, then "Ersätt"
    (the one confirmation: it replaces the lines the draft has). Only the lines the preview showed are saved: the
    replace form carries their digest, signed; without it, or when last year's budget changed since, the page
    previews again."""
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    source = rules.uplift_source(plan)
    form = BudgetUpliftForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        percent, rounding = form.cleaned_data["percent"], form.cleaned_data["rounding"]
        expected = _uplift_digest_from(request, plan) if "replace" in request.POST else None
        if expected is not None:
            saved = _apply(
                form,
                lambda: services.budget_uplift(
                    actor=request.user, plan=plan, percent=percent, rounding=rounding, expected=expected
                ),
            )
            if saved:
                messages.success(request, _("Budgeten är uppräknad från %(y)d.") % {"y": plan.year - 1})
                return redirect(_plan_anchor(plan, ANCHOR))
        elif "replace" in request.POST:
            form.add_error(None, rules.UPLIFT_SOURCE_CHANGED)
        if source is not None and not rules.budget_uplift_check(request.user, plan):
            try:
                lines = services.budget_uplift_rows(source=source, plan=plan, percent=percent, rounding=rounding)
            except money.MoneyError as error:
                form.add_error("percent", error.message)
            else:
                preview = {
                    "new": budget.table(None, lines),
                    "old": budget.table(source),
                    "signed": _uplift_signed(plan, services.uplift_digest(lines)),
                }
    refusals = rules.budget_uplift_check(request.user, plan)
    if request.method == "POST" and refusals and not form.errors:
        form.add_error(None, refusals[0])
    title = _("Räkna upp budgeten från %(y)d") % {"y": plan.year - 1}
    current = BudgetLine.objects.filter(budget__plan=plan).count()
    return render(
        request,
        "documents/budget_uplift.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "source": source,
            "preview": preview,
            "signed_name": UPLIFT_SIGNED,
            "current_lines": current,
            "refusal": refusals[0] if refusals and request.method == "GET" else None,
            "cancel_url": _plan_anchor(plan, ANCHOR),
            "crumbs": _crumbs(plan, title),
        },
    )
