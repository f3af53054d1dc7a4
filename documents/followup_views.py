"""Budget follow-up pages (issue 11 item 7): the follow-up table and chart, entering outcome per quarter, importing it
from CSV, and the quarterly report (draft, issue, the issued PDF served as stored).

Who: the follow-up page and issued reports for those who work with the plan (rules.READ_BUDGET_WORK); entering outcome
and writing reports for the coordinators (rules.EDIT_PLAN, 403 for others who see the plan), while the plan is in
force (rules.follow_up_check, shown on the page and refused by the services). Anyone who may not see the plan: 404.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from core import store
from core.web import CONCURRENT_CHANGE, Confirmation, ask_first
from core.web import apply_to_form as _apply
from core.web import flash_errors as _flash_errors

from . import followup, money, rules
from .models import BudgetOutcome, QuarterlyReport
from .views import _crumbs, _plan_for

SIGNED = "underlag"
_SALT = "documents.outcome_import"
_MAX_AGE = 60 * 60
PREVIEW_EXPIRED = _lazy(
    "Förhandsgranskningen har gått ut eller ändrats, så inget sparades. Välj filen och förhandsgranska den igen."
)
PREVIEW_CHANGED = _lazy("Budgeten har ändrats sedan förhandsgranskningen, så inget sparades. Se felen nedan.")
REPORT_CACHE_CONTROL = "private, max-age=86400"


def _followup_url(plan):
    return reverse("documents:budget_followup", kwargs={"pk": plan.pk})


def _crumbs_for(plan, *here):
    crumbs = _crumbs(plan, _("Budgetuppföljning"))
    if here:
        crumbs[-1] = (crumbs[-1][0], _followup_url(plan))
        crumbs += list(here)
    return crumbs


def _quarter(quarter) -> int:
    """The URL's quarter (its pattern takes only 1–4)."""
    return int(quarter)


# --- the follow-up page ------------------------------------------------------------------------


@require_safe
def budget_followup(request, pk):
    plan = _plan_for(request, pk, action=rules.READ_BUDGET_WORK)
    b = followup.budget_of(plan)
    t = followup.table(b)
    reports = {r.quarter: r for r in QuarterlyReport.objects.filter(budget=b)} if b else {}
    refusals = rules.follow_up_check(request.user, plan)
    return render(
        request,
        "documents/budget_followup.html",
        {
            "plan": plan,
            "followup": t,
            "chart": followup.chart(t),
            "quarters": followup.QUARTERS,
            "reports": [(q, reports.get(q)) for q in followup.QUARTERS],
            "may_enter": not refusals and b is not None,
            "refusal": refusals[0] if refusals else "",
            "crumbs": _crumbs(plan, _("Budgetuppföljning")),
        },
    )


# --- entering outcome --------------------------------------------------------------------------


class OutcomeForm(forms.Form):
    """One field per budget line for the quarter's outcome, and one for its forecast for the year (both optional)."""

    def __init__(self, *args, lines, quarter, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"utfall_{line.pk}"] = forms.CharField(
                label=_("Utfall kvartal %(q)d för ”%(n)s”") % {"q": quarter, "n": line.name},
                required=False,
                help_text=_("I kronor, t.ex. 1 234 500 eller −2 000 för en kreditering. Tomt: inget utfall."),
            )
            self.fields[f"prognos_{line.pk}"] = forms.CharField(
                label=_("Prognos för året för ”%(n)s”") % {"n": line.name},
                required=False,
                help_text=_("Valfri. Tomt: prognosen räknas fram ur utfallet."),
            )

    def _amount(self, name, *, allow_negative):
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        try:
            return money.parse_amount(text, allow_negative=allow_negative)
        except money.AmountError as error:
            self.add_error(name, error.message)
            return None

    def clean(self):
        data = super().clean()
        self.amounts = {line.pk: self._amount(f"utfall_{line.pk}", allow_negative=True) for line in self.lines}
        self.forecasts = {line.pk: self._amount(f"prognos_{line.pk}", allow_negative=False) for line in self.lines}
        return data


def _plain(amount) -> str:
    return money.format_amount(amount).removesuffix("\u00a0kr") if amount is not None else ""


def outcome_edit(request, pk, quarter):
    """ "Registrera utfall för kvartal N": one form, a field per line (and its forecast)."""
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    quarter = _quarter(quarter)
    b = followup.budget_of(plan)
    lines = list(b.lines.order_by("position", "id")) if b else []
    stored = {o.line_id: o.amount for o in BudgetOutcome.objects.filter(line__in=lines, quarter=quarter)}
    initial = {}
    for line in lines:
        initial[f"utfall_{line.pk}"] = _plain(stored.get(line.pk))
        initial[f"prognos_{line.pk}"] = _plain(line.forecast)
    form = OutcomeForm(request.POST or None, initial=initial, lines=lines, quarter=quarter)
    refusals = rules.follow_up_check(request.user, plan)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form,
            lambda: (
                followup.outcome_save(
                    actor=request.user, plan=plan, quarter=quarter, amounts=form.amounts, forecasts=form.forecasts
                )
                or True
            ),
        )
        if saved:
            messages.success(request, _("Utfallet för kvartal %(q)d är sparat.") % {"q": quarter})
            return redirect(_followup_url(plan))
    title = _("Registrera utfall för kvartal %(q)d") % {"q": quarter}
    return render(
        request,
        "documents/budget_followup_outcome.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "quarter": quarter,
            "rows": [
                (line, money.format_amount(line.amount), form[f"utfall_{line.pk}"], form[f"prognos_{line.pk}"])
                for line in lines
            ],
            "refusal": refusals[0] if refusals and request.method == "GET" else "",
            "no_budget": b is None or not lines,
            "cancel_url": _followup_url(plan),
            "crumbs": _crumbs_for(plan, (title, "")),
        },
    )


# --- importing outcome -------------------------------------------------------------------------


class OutcomeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med utfall (CSV)"),
        help_text=_(
            "Semikolonseparerad, med kolumnerna Benämning;Kvartal;Utfall, eller Benämning och en kolumn per kvartal "
            "(Q1–Q4 eller Kvartal 1–Kvartal 4). Belopp som 1 234 500 eller 1 234,50."
        ),
    )


def sign(text: str, plan_pk: int) -> str:
    """The confirm form's value: the file's text, signed (tests post it as the form would)."""
    return signing.dumps({"text": text, "plan": plan_pk}, salt=_SALT, compress=True)


def _unsign(value: str, plan_pk: int) -> str | None:
    try:
        carried = signing.loads(value, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return None
    ok = isinstance(carried, dict) and carried.get("plan") == plan_pk and isinstance(carried.get("text"), str)
    return carried["text"] if ok else None


def outcome_import(request, pk):
    """Upload → preview (every figure, every error with line and column; nothing saved) → confirm (all or nothing)."""
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    b = followup.budget_of(plan)
    refusals = rules.follow_up_check(request.user, plan)
    if request.method == "POST" and SIGNED in request.POST:
        text = _unsign(request.POST[SIGNED], plan.pk)
        if text is None:
            return _import_page(request, plan, None, form=OutcomeUploadForm(), problems=[str(PREVIEW_EXPIRED)])
        result = followup.preview_text(text, b)
        if not result.ok:
            return _import_page(request, plan, result, form=OutcomeUploadForm(), problems=[str(PREVIEW_CHANGED)])
        try:
            count = followup.outcome_import(actor=request.user, plan=plan, entries=result.as_entries())
        except ValidationError as error:
            return _import_page(request, plan, result, form=OutcomeUploadForm(), problems=error.messages)
        except IntegrityError:
            return _import_page(request, plan, result, form=OutcomeUploadForm(), problems=[str(CONCURRENT_CHANGE)])
        messages.success(request, _("Utfallet är importerat: %(n)d belopp.") % {"n": count})
        return redirect(_followup_url(plan))
    form = OutcomeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and refusals:
        form.is_valid()
        form.add_error(None, refusals[0])
        return _import_page(request, plan, None, form=form)
    if request.method == "POST" and form.is_valid():
        text = followup.decode(form.cleaned_data["file"].read(followup.MAX_BYTES + 1))
        if text is None:
            form.add_error("file", _("Filen går inte att läsa som text. Spara den som CSV (UTF-8) och välj den igen."))
            return _import_page(request, plan, None, form=form)
        result = followup.preview_text(text, b)
        if result.ok:
            return _import_page(request, plan, result, signed=sign(text, plan.pk))
        form.add_error(
            "file",
            _("Filen har %(n)d fel, så inget kan sparas. Rätta filen och välj den igen.") % {"n": len(result.errors)},
        )
        return _import_page(request, plan, result, form=form)
    return _import_page(request, plan, None, form=form, refusal=refusals[0] if refusals else "")


def _import_page(request, plan, result, *, form=None, signed="", problems=(), refusal=""):
    title = _("Förhandsgranska utfall") if result is not None and result.ok else _("Importera utfall")
    return render(
        request,
        "documents/budget_followup_import.html",
        {
            "plan": plan,
            "title": title,
            "form": form,
            "preview": result,
            "signed": signed,
            "signed_name": SIGNED,
            "problems": list(problems),
            "refusal": refusal,
            "has_errors": bool(problems or (form is not None and form.errors)),
            "cancel_url": _followup_url(plan),
            "crumbs": _crumbs_for(plan, (title, "")),
        },
    )


# --- the quarterly report ----------------------------------------------------------------------


class ReportForm(forms.Form):
    economy = forms.CharField(label=_("Ekonomi"), required=False, max_length=20_000, widget=forms.Textarea)
    services_status = forms.CharField(
        label=_("Status för varje tjänst"), required=False, max_length=20_000, widget=forms.Textarea
    )
    development = forms.CharField(label=_("Utveckling"), required=False, max_length=20_000, widget=forms.Textarea)
    deviations = forms.CharField(label=_("Avvikelser"), required=False, max_length=20_000, widget=forms.Textarea)
    other = forms.CharField(label=_("Övrigt"), required=False, max_length=20_000, widget=forms.Textarea)


def report_edit(request, pk, quarter):
    """The draft of quarter N's report (Ekonomi prefilled with the follow-up figures); an issued one is shown."""
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    quarter = _quarter(quarter)
    b = followup.budget_of(plan)
    report = followup.report_of(b, quarter) if b else None
    title = _("Kvartalsrapport %(q)d %(y)s") % {"q": quarter, "y": plan.year}
    if report is not None:
        initial = {k: getattr(report, k) for k in followup.REPORT_FIELDS}
    else:
        initial = {"economy": followup.economy_summary(followup.table(b, through=quarter), quarter)}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form,
            lambda: followup.report_save(actor=request.user, plan=plan, quarter=quarter, fields=form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Utkastet till kvartalsrapport %(q)d är sparat.") % {"q": quarter})
            return redirect(reverse("documents:quarterly_report", kwargs={"pk": plan.pk, "quarter": quarter}))
    refusals = rules.follow_up_check(request.user, plan)
    return render(
        request,
        "documents/quarterly_report.html",
        {
            "plan": plan,
            "form": form,
            "title": title,
            "quarter": quarter,
            "report": report,
            "refusal": refusals[0] if refusals and request.method == "GET" else "",
            "cancel_url": _followup_url(plan),
            "crumbs": _crumbs_for(plan, (title, "")),
        },
    )


def _issue_question(plan, quarter) -> Confirmation:
    return Confirmation(
        title=_("Utfärda kvartalsrapport %(q)d?") % {"q": quarter},
        happens=[
            _("Rapporten blir en PDF med uppföljningen till och med kvartal %(q)d och sparas som den är utfärdad.")
            % {"q": quarter}
        ],
        final=_("En utfärdad rapport kan inte ändras eller utfärdas igen."),
        verb=_("utfärda rapporten"),
        cancel_url=reverse("documents:quarterly_report", kwargs={"pk": plan.pk, "quarter": quarter}),
        crumbs=_crumbs_for(plan, (_("Utfärda kvartalsrapport %(q)d") % {"q": quarter}, "")),
        slow=True,
    )


@require_POST
def report_issue(request, pk, quarter):
    """ "Utfärda rapporten": asks once (it cannot be undone), then renders and stores the PDF."""
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    quarter = _quarter(quarter)
    b = followup.budget_of(plan)
    report = followup.report_of(b, quarter) if b else None
    back = redirect(reverse("documents:quarterly_report", kwargs={"pk": plan.pk, "quarter": quarter}))
    refusals = rules.follow_up_check(request.user, plan)
    if report is None:
        messages.error(request, refusals[0] if refusals else str(followup.REPORT_NOT_SAVED))
        return back
    if report.is_issued:
        refusals = [*refusals, str(followup.REPORT_ISSUED)]
    if page := ask_first(request, refusals, lambda: _issue_question(plan, quarter)):
        return page
    if _flash_errors(request, lambda: followup.report_issue(actor=request.user, report=report)):
        messages.success(request, _("Kvartalsrapport %(q)d är utfärdad. PDF-filen ändras aldrig.") % {"q": quarter})
    return back


@require_safe
def report_pdf(request, pk, quarter):
    """The issued report's PDF, byte for byte as stored (ETag = SHA-256), for those who work with the plan."""
    plan = _plan_for(request, pk, action=rules.READ_BUDGET_WORK)
    report = get_object_or_404(
        QuarterlyReport.objects.filter(budget__plan=plan, issued_at__isnull=False).exclude(pdf_sha256="")
        .select_related("budget__plan__managed_object"),
        quarter=_quarter(quarter),
    )  # fmt: skip
    response = store.serve(request, lambda: report.pdf.open("rb"), report.pdf_sha256, followup.report_file_name(report))
    response.headers["Cache-Control"] = REPORT_CACHE_CONTROL
    return response
