"""The invoicing plan (one form), the invoicing basis (page, CSV, Excel) and the yearly reconciliation of a plan's
budget (issue 11, item 6). The figures come from documents.invoicing; the rules from documents.rules.

Who may see: signed-in users who see the plan (ManagementPlan.objects.visible_to, else 404) and work with it
(rules.READ_BUDGET_WORK = rules.works_with_plan, else 403). Anonymous users are sent to sign in (the site's login
middleware), as on every internal page. Changing the invoicing plan: rules.budget_edit_check (the coordinator, the
plan editable, the budget not decided)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.kept import kept
from core.versions import history_key
from core.web import apply_to_form
from governance.models import Organisation, PopulationFigure

from . import invoicing, rules
from .models import AllocationKey, Budget, BudgetLine, InvoicingPlan
from .views import _crumbs, _plan_anchor, _plan_for, plan_form_page

ANCHOR = "avsnitt-budget"


class InvoicingPlanForm(forms.Form):
    counterparty = forms.ChoiceField(
        label=gettext_lazy("Motpart"), choices=InvoicingPlan.Counterparty.choices, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation som faktureras"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Ingen – varje kommun faktureras"),
        help_text=gettext_lazy("Bara när en motpart faktureras hela andelen, t.ex. VästKom."),
    )
    frequency = forms.ChoiceField(label=gettext_lazy("Fakturering"), choices=InvoicingPlan.Frequency.choices)
    timing = forms.ChoiceField(
        label=gettext_lazy("När"),
        choices=InvoicingPlan.Timing.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "I förskott: fakturadatum är periodens första dag. I efterskott: dagen efter att perioden slutat."
        ),
    )
    population_year = forms.IntegerField(
        label=gettext_lazy("Folkmängd från år"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=gettext_lazy(
            "Tomt: det senaste året före budgetåret då alla kommuner har folkmängd. Skriv året med fyra siffror, "
            "t.ex. 2023."
        ),
        error_messages={
            "invalid": gettext_lazy("Skriv året med fyra siffror, t.ex. 2023."),
            "min_value": gettext_lazy("Skriv året med fyra siffror, t.ex. 2023."),
            "max_value": gettext_lazy("Skriv året med fyra siffror, t.ex. 2023."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name")


def _urls(plan) -> dict:
    return {
        "basis_url": reverse("documents:invoicing_basis", kwargs={"pk": plan.pk}),
        "csv_url": reverse("documents:invoicing_basis_csv", kwargs={"pk": plan.pk}),
        "xlsx_url": reverse("documents:invoicing_basis_xlsx", kwargs={"pk": plan.pk}),
        "reconciliation_url": reverse("documents:invoicing_reconciliation", kwargs={"pk": plan.pk}),
        "edit_url": reverse("documents:invoicing_plan_edit", kwargs={"pk": plan.pk}),
    }


def invoicing_plan_edit(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    budget = invoicing.budget_of(plan)
    current = invoicing.invoicing_of(budget)
    initial = {
        "counterparty": current.counterparty,
        "organisation": current.organisation_id,
        "frequency": current.frequency,
        "timing": current.timing,
        "population_year": current.population_year,
    }
    form = InvoicingPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply_to_form(
            form,
            lambda: invoicing.invoicing_plan_save(
                actor=request.user,
                plan=plan,
                counterparty=data["counterparty"],
                organisation=data["organisation"],
                frequency=data["frequency"],
                timing=data["timing"],
                population_year=data["population_year"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Faktureringsplanen är sparad."))
            return redirect("documents:invoicing_basis", pk=plan.pk)
    title = _("Ändra faktureringsplan")
    refusals = rules.budget_edit_check(request.user, plan, budget)
    if not refusals and (budget is None or not budget.lines.exists()):
        refusals = [str(invoicing.NO_BUDGET_LINES)]
    return plan_form_page(
        request,
        plan,
        form,
        title=title,
        submit=_("Spara faktureringsplanen"),
        cancel_url=reverse("documents:invoicing_basis", kwargs={"pk": plan.pk}),
        intro=_(
            "Hur kommunernas andel av budgeten faktureras. Standard: varje kommun efter folkmängd, månadsvis, i "
            "förskott."
        ),
        refusals=refusals,
    )


def _with_cells(lines, periods) -> list[tuple]:
    """Each line with its period cells rendered once here (49 × 12 cells: the template engine would spend most of the
    page's time on them), escaped as the template would."""
    labels = {p: escape(p) for p in periods}
    return [
        (
            line,
            mark_safe(  # noqa: S308 - every value is escaped above or here
                "".join(f'<td data-label="{labels[p]}" class="num">{escape(shown)}</td>' for p, shown in line.shown)
            ),
        )
        for line in lines
    ]


def basis_tables(plan) -> tuple:
    """(basis, problem, the two tables' HTML) for the plan: the same for everyone who may see the page, so kept per
    version of the rows they read (core.kept): the budget's lines and keys, its invoicing plan, the population figures
    and the organisations. 49 × 12 amounts are computed and rendered once per change, not per request."""

    def build():
        try:
            result, problem = invoicing.basis(plan), None
        except invoicing.InvoicingError as error:
            return None, error.message, ""
        html = render_to_string(
            "documents/_invoicing_tables.html",
            {
                "basis": result,
                "lines": _with_cells(result.lines(), result.periods),
                "period_sums": result.period_sums(),
            },
        )
        return result, problem, mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there

    return kept(_basis_key(plan), build)


def _basis_key(plan) -> str:
    models = (Budget, BudgetLine, AllocationKey, InvoicingPlan, PopulationFigure, Organisation)
    return f"{history_key('invoicing-basis', *models)}:{plan.pk}:{plan.year}"


@require_safe
def invoicing_basis(request, pk):
    plan = _plan_for(request, pk, action=rules.READ_BUDGET_WORK)
    title = _("Faktureringsunderlag")
    result, problem, tables = basis_tables(plan)
    context = {
        "plan": plan,
        "title": title,
        "basis": result,
        "tables": tables,
        "problem": problem,
        "may_edit": not rules.budget_edit_check(request.user, plan),  # read now: the kept basis is everyone's
        "back_url": _plan_anchor(plan, ANCHOR),
        "crumbs": _crumbs(plan, title),
        **_urls(plan),
    }
    return render(request, "documents/invoicing_basis.html", context)


def _download(request, pk, ext: str):
    """The basis as CSV or Excel: the file kept, like the page's tables, per version of the rows it reads."""
    plan = _plan_for(request, pk, action=rules.READ_BUDGET_WORK)
    result, problem, _tables = basis_tables(plan)
    if result is None:
        messages.error(request, problem)
        return redirect("documents:invoicing_basis", pk=plan.pk)
    if ext == "csv":
        data = kept(f"{_basis_key(plan)}:csv", lambda: invoicing.to_csv(result.rows).encode("utf-8"))
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    else:
        data = kept(
            f"{_basis_key(plan)}:xlsx", lambda: invoicing.to_xlsx(result.rows, title=f"Faktureringsunderlag {plan}")
        )
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = content_disposition_header(True, invoicing.filename(plan, ext))
    return response


@require_safe
def invoicing_basis_csv(request, pk):
    return _download(request, pk, "csv")


@require_safe
def invoicing_basis_xlsx(request, pk):
    return _download(request, pk, "xlsx")


@require_safe
def invoicing_reconciliation(request, pk):
    plan = _plan_for(request, pk, action=rules.READ_BUDGET_WORK)
    title = _("Avstämning av faktureringen %(y)d") % {"y": plan.year}

    def build():
        try:
            return invoicing.reconciliation(plan), None
        except invoicing.InvoicingError as error:
            return None, error.message

    # The same for everyone who may see it: kept per version of the rows it reads, like the basis.
    result, problem = kept(f"{_basis_key(plan)}:reconciliation", build)
    return render(
        request,
        "documents/invoicing_reconciliation.html",
        {
            "plan": plan,
            "title": title,
            "result": result,
            "problem": problem,
            "crumbs": _crumbs(plan, title),
            **_urls(plan),
        },
    )
