"""The population pages: the figures per year (public, like the organisation list) and their import – upload, a
preview of every row and every error, and a confirm step that saves.

The preview is never taken back from the browser: the confirm form carries the file's text signed (django.core.signing,
so an edited value is refused), and the confirm step reads that text again against the figures stored now.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.collation import swedish
from core.web import CONCURRENT_CHANGE

from . import permissions, population, rules, services
from .forms import PopulationUploadForm
from .models import Organisation, PopulationFigure

YEARS_SHOWN = 3
SIGNED = "underlag"  # the confirm form's field: the file's text and the source, signed
_SALT = "governance.population_import"
_MAX_AGE = 60 * 60  # a preview left open for more than an hour is read again from a new upload
PREVIEW_CHANGED = _lazy(
    "Uppgifterna har ändrats sedan förhandsgranskningen, så inget sparades. Se felen nedan, rätta filen och välj den "
    "igen."
)
PREVIEW_EXPIRED = _lazy(
    "Förhandsgranskningen har gått ut eller ändrats, så inget sparades. Välj filen och förhandsgranska den igen."
)


def sign(text: str, source: str) -> str:
    """The confirm form's value: what the confirm step reads again (tests post it as the form would)."""
    return signing.dumps({"text": text, "source": source}, salt=_SALT, compress=True)


def _unsign(value: str) -> dict | None:
    try:
        carried = signing.loads(value, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return None
    ok = isinstance(carried, dict) and isinstance(carried.get("text"), str) and isinstance(carried.get("source"), str)
    return carried if ok else None


def _crumbs(*last):
    return [(_("Organisationer"), reverse("governance:organisation_list")), *last]


@login_not_required
def population_list(request):
    """The municipalities' figures of the latest years, a table per year: three queries at any number of years
    (the years, their figures with the municipality, and the import right's seats for a signed-in user)."""
    years = list(
        PopulationFigure.objects.filter(organisation__kind=Organisation.Kind.MUNICIPALITY)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:YEARS_SHOWN]
    )
    figures = (
        PopulationFigure.objects.filter(year__in=years, organisation__kind=Organisation.Kind.MUNICIPALITY)
        .select_related("organisation")
        .order_by("-year", swedish("organisation__name"))
    )
    by_year: dict[int, list[PopulationFigure]] = {year: [] for year in years}
    for figure in figures:
        by_year[figure.year].append(figure)
    tables = [
        {"year": year, "figures": rows, "total": sum(f.population for f in rows)} for year, rows in by_year.items()
    ]
    return render(
        request,
        "governance/population_list.html",
        {
            "tables": tables,
            "may_import": permissions.can(request.user, rules.IMPORT_POPULATION),
            "crumbs": _crumbs((_("Folkmängd"), "")),
        },
    )


def population_import(request):
    """Upload → preview (every row, every error; nothing saved) → confirm (saved, all or nothing)."""
    permissions.require(request.user, rules.IMPORT_POPULATION, refusal=rules.POPULATION_IMPORT_REFUSED)
    if request.method == "POST" and SIGNED in request.POST:
        return _confirm(request)
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(population.MAX_BYTES + 1)
        result = population.preview(data)
        source = form.cleaned_data["source"].strip() or "SCB"
        if result.ok:
            text = population.decode(data) or ""
            return _preview_page(request, result, source=source, signed=sign(text, source))
        form.add_error(
            "file",
            _("Filen har %(n)d fel, så inget kan sparas. Rätta filen och välj den igen.") % {"n": len(result.errors)},
        )
        return _preview_page(request, result, source=source, form=form)
    return _preview_page(request, None, source="", form=form)


def _confirm(request):
    carried = _unsign(request.POST[SIGNED])
    if carried is None:
        return _preview_page(request, None, source="", form=PopulationUploadForm(), problems=[str(PREVIEW_EXPIRED)])
    source = carried["source"]
    form = PopulationUploadForm(initial={"source": source})
    result = population.preview_text(carried["text"])  # against the figures stored now, not the ones previewed
    if not result.ok:
        return _preview_page(request, result, source=source, form=form, problems=[str(PREVIEW_CHANGED)])
    try:
        created, changed = services.population_import(actor=request.user, rows=result.rows, source=source)
    except ValidationError as error:
        return _preview_page(request, result, source=source, form=form, problems=error.messages)
    except IntegrityError:
        return _preview_page(request, result, source=source, form=form, problems=[str(CONCURRENT_CHANGE)])
    messages.success(
        request,
        _("Folkmängderna är sparade: %(c)d nya och %(u)d ändrade.") % {"c": created, "u": changed},
    )
    return redirect("governance:population_list")


def _preview_page(request, result, *, source: str, form=None, signed: str = "", problems=()):
    title = _("Förhandsgranska folkmängder") if result is not None else _("Importera folkmängder")
    return render(
        request,
        "governance/population_import.html",
        {
            "title": title,
            "form": form,
            "preview": result,
            "source": source,
            "signed": signed,
            "signed_name": SIGNED,
            "problems": list(problems),
            "has_errors": bool(problems or (form is not None and form.errors)),
            "crumbs": _crumbs(
                (_("Folkmängd"), reverse("governance:population_list")),
                (title, ""),
            ),
        },
    )
