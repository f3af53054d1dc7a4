"""Import of a plan's budget from a spreadsheet (issue 11, item 2): upload → preview (every line, every error, a
choice for each line that matches no key; nothing saved) → confirm, which replaces the plan's budget lines.

One URL, one form per page: the upload form, or on a clean preview the confirm form. The preview's lines are never
taken back from the browser unsigned: the confirm form carries them signed (django.core.signing, as the population
import does), so an edited payload is refused; the coordinator's choices for unmatched lines are posted beside it.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.web import CONCURRENT_CHANGE

from . import budget_import as importing
from . import rules
from .models import BudgetLine
from .views import _crumbs, _plan_anchor, _plan_for

ANCHOR = "avsnitt-budget"
SIGNED = "underlag"
CHOICE = "val-%d"  # the select of an unmatched line, by its line number in the file
_SALT = "documents.budget_import"
_MAX_AGE = 60 * 60
TAMPERED = _lazy(
    "Förhandsgranskningen har gått ut eller ändrats, så inget sparades. Välj filen och förhandsgranska den igen."
)


class BudgetUploadForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Budgetfil (.xlsx eller CSV)"),
        help_text=_lazy(
            "En rubrikrad med Benämning och Budget och antingen Nyckel eller Kommun och VGR, som tabellen i "
            "förvaltningsplanen. Rubrik- och summarader får finnas med."
        ),
        error_messages={"required": _lazy("Välj filen med budgeten."), "empty": _lazy("Filen är tom.")},
    )


def sign(plan, preview: importing.Preview) -> str:
    """The confirm form's value: the plan and the previewed lines (tests post it as the form would)."""
    return signing.dumps({"plan": plan.pk, "lines": importing.payload(preview)}, salt=_SALT, compress=True)


def _unsign(value: str, plan) -> importing.Preview | None:
    try:
        carried = signing.loads(value, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(carried, dict) or carried.get("plan") != plan.pk:
        return None
    return importing.from_payload(carried.get("lines"), year=plan.year)


def budget_import(request, pk):
    plan = _plan_for(request, pk, action=rules.EDIT_PLAN)
    if request.method == "POST" and SIGNED in request.POST:
        return _confirm(request, plan)
    form = BudgetUploadForm(request.POST or None, request.FILES or None)
    refusals = rules.budget_edit_check(request.user, plan)
    if request.method == "POST":
        if refusals:
            return _page(request, plan, form=form, problems=refusals)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            preview = importing.parse(upload.read(importing.MAX_BYTES + 1), year=plan.year, filename=upload.name)
            if preview.errors:
                form.add_error(
                    "file",
                    _("Filen har %(n)d fel, så inget kan sparas. Rätta filen och välj den igen.")
                    % {"n": len(preview.errors)},
                )
                return _page(request, plan, preview=preview, form=form)
            return _page(request, plan, preview=preview, signed=sign(plan, preview))
    return _page(request, plan, form=form, unavailable=refusals[0] if refusals else "")


def _confirm(request, plan):
    preview = _unsign(request.POST[SIGNED], plan)
    if preview is None:
        return _page(request, plan, form=BudgetUploadForm(), problems=[str(TAMPERED)])
    signed = request.POST[SIGNED]
    problems = list(preview.errors)
    problems += importing.decide(
        preview, {line.line: request.POST.get(CHOICE % line.line, "") for line in preview.undecided}
    )
    if refusals := rules.budget_edit_check(request.user, plan):
        problems = refusals
    if problems:
        return _page(request, plan, preview=preview, signed=signed, problems=problems)
    try:
        count = importing.budget_import(actor=request.user, plan=plan, lines=importing.budget_lines(preview))
    except ValidationError as error:
        return _page(request, plan, preview=preview, signed=signed, problems=error.messages)
    except IntegrityError:
        return _page(request, plan, preview=preview, signed=signed, problems=[str(CONCURRENT_CHANGE)])
    messages.success(request, _("Budgeten är importerad: %(n)d rader.") % {"n": count})
    return redirect(_plan_anchor(plan, ANCHOR))


def _page(request, plan, *, preview=None, form=None, signed="", problems=(), unavailable=""):
    title = _("Förhandsgranska budgetimporten") if preview is not None and form is None else _("Importera budget")
    rows = []
    if preview is not None:
        for line in preview.lines:
            options = preview.options(line) if line.undecided else []
            rows.append({"line": line, "options": options, "field": CHOICE % line.line})
    return render(
        request,
        "documents/budget_import.html",
        {
            "plan": plan,
            "title": title,
            "form": form,
            "preview": preview,
            "rows": rows,
            "signed": signed,
            "signed_name": SIGNED,
            "problems": list(problems),
            "has_errors": bool(problems or (form is not None and form.errors)),
            "unavailable_note": unavailable,
            "replaced": BudgetLine.objects.filter(budget__plan=plan).count() if signed else 0,
            "cancel_url": _plan_anchor(plan, ANCHOR),
            "crumbs": _crumbs(plan, title),
        },
    )
