"""Pages of the governance structure: thin views that read through querysets and write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.collation import swedish
from core.web import apply_to_form as _apply
from core.web import page_of

from . import permissions, services
from .chart import build_tree, lay_out, svg_html, tree_html
from .forms import (
    BodyForm,
    CharterForm,
    StatusForm,
)
from .models import Body, Charter, Membership, Organisation, Person, PopulationFigure, Subregion


def _chart_context():
    bodies = list(Body.objects.with_status().select_related("subregion").order_by("sort_order", swedish("name")))
    active = [b for b in bodies if b.status != "closed"]
    root = build_tree(active, _("Parterna: Västra Götalandsregionen och de 49 kommunerna"))
    body_prefix = reverse("governance:chart")  # /organ/ – a body's page is /organ/<slug>/
    return {
        "tree": root,
        "tree_html": tree_html(root.children, body_prefix),
        "svg_html": svg_html(lay_out(root)),
        "closed_bodies": [b for b in bodies if b.status == "closed"],
    }


@login_not_required
def home(request):
    """The start page: the governance chart, and for a signed-in user what waits for them."""
    context = _chart_context()
    if request.user.is_authenticated:
        context["waiting"] = _waiting_for(request.user)
    return render(request, "governance/home.html", context)


def _waiting_for(user) -> dict:
    today = services.today()
    person = Person.objects.filter(user=user).first()
    mine = []
    if person:
        mine = list(Membership.objects.current(today).filter(person=person).select_related("body", "subregion"))
    subregions = permissions.administered_subregions(user)
    vacancies = []
    if subregions:
        from .models import Vacancy

        vacancies = list(
            Vacancy.objects.filter(subregion__in=subregions, filled_on__isnull=True).select_related("body", "subregion")
        )
    return {"person": person, "memberships": mine, "subregions": subregions, "vacancies": vacancies}


@login_not_required
def chart(request):
    context = _chart_context()
    context["crumbs"] = [(_("Organ"), "")]
    context["perms_edit"] = permissions.can(request.user, permissions.EDIT_BODY)
    return render(request, "governance/chart.html", context)


@login_not_required
def body_detail(request, slug):
    today = services.today()
    body = get_object_or_404(
        Body.objects.with_status().select_related("mandate_giver", "convener", "subregion"), slug=slug
    )
    running = Membership.objects.current(today).filter(body=body)
    # The rule check counts every running seat; the list shows one page of them at a time.
    current = list(running.select_related("party").only("role", "subregion_id", "party__kind"))
    page = page_of(
        request,
        running.select_related("person__organisation", "subregion", "party").order_by(
            "subregion__short_name", "role", swedish("person__last_name"), "pk"
        ),
    )
    subregions = list(Subregion.objects.all())
    vacancies = list(body.vacancies.filter(filled_on__isnull=True).select_related("subregion"))
    rules = list(body.composition_rules.select_related("subregion"))
    groups: dict = {}
    for m in page:
        groups.setdefault(m.subregion, []).append(m)
    if page.number == 1:
        for v in vacancies:
            groups.setdefault(v.subregion, [])
    grouped = sorted(groups.items(), key=lambda kv: (kv[0] is None, str(kv[0] or "")))
    context = {
        "body": body,
        "mandate_parties": list(body.mandate_parties.all()),
        "children": list(body.mandated_bodies.with_status().order_by("sort_order", swedish("name"))),
        "charter": body.charters.order_by("-version").first(),
        "grouped_members": grouped,
        "page": page,
        "vacancies": vacancies,
        "findings": services.body_composition_check(
            body=body, subregions=subregions, memberships=current, vacancies=vacancies, rules=rules
        ),
        "rules": rules,
        "past_members": list(
            Membership.objects.past(today)
            .filter(body=body)
            .select_related("person", "subregion")
            .order_by("-end_date")[:50]
        ),
        "status_changes": list(body.status_changes.all()),
        "renames": list(body.renames.all()),
        "can_edit": permissions.can(request.user, permissions.EDIT_BODY, body),
        "can_appoint": request.user.is_authenticated and permissions.may_appoint_in(request.user, body),
    }
    for _subregion, members in grouped:
        for m in members:
            m.body = body  # the seat rule reads the body; it is this page's
            m.can_manage = permissions.can(request.user, permissions.MANAGE_SEAT, m)
    return render(request, "governance/body_detail.html", context)


@login_not_required
def charter_detail(request, slug, version):
    body = get_object_or_404(Body, slug=slug)
    charter = get_object_or_404(Charter, body=body, version=version)
    versions = list(body.charters.values_list("version", "valid_from"))
    return render(request, "governance/charter_detail.html", {"body": body, "charter": charter, "versions": versions})


@login_not_required
def subregion_list(request):
    subregions = Subregion.objects.all()
    return render(request, "governance/subregion_list.html", {"subregions": subregions})


def _latest_population(organisations):
    for org in organisations:
        figures = org.population_figures.all()  # prefetched, newest first
        org.latest_population = figures[0] if figures else None
    return organisations


@login_not_required
def subregion_detail(request, slug):
    subregion = get_object_or_404(Subregion, slug=slug)
    municipalities = _latest_population(
        list(
            subregion.organisations.filter(kind=Organisation.Kind.MUNICIPALITY)
            .prefetch_related(Prefetch("population_figures", PopulationFigure.objects.order_by("-year")))
            .order_by(swedish("name"))
        )
    )
    representatives = page_of(
        request,
        Membership.objects.current()
        .filter(subregion=subregion)
        .select_related("person__organisation", "body", "party")
        .order_by("body__sort_order", "body__name", "role", swedish("person__last_name"), "pk"),
    )
    by_body: dict = {}
    for m in representatives:
        by_body.setdefault(m.body, []).append(m)
    total = sum(o.latest_population.population for o in municipalities if o.latest_population)
    return render(
        request,
        "governance/subregion_detail.html",
        {
            "subregion": subregion,
            "municipalities": municipalities,
            "by_body": list(by_body.items()),
            "page": representatives,
            "total_population": total,
            "vacancies": list(subregion.vacancies.filter(filled_on__isnull=True).select_related("body")),
        },
    )


@login_not_required
def organisation_list(request):
    organisations = _latest_population(
        list(
            Organisation.objects.select_related("subregion")
            .prefetch_related(Prefetch("population_figures", PopulationFigure.objects.order_by("-year")))
            .order_by("kind", swedish("name"))
        )
    )
    return render(request, "governance/organisation_list.html", {"organisations": organisations})


@login_not_required
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("subregion"), slug=slug)
    memberships = page_of(
        request,
        Membership.objects.current()
        .filter(person__organisation=organisation)
        .select_related("person", "body", "subregion")
        .order_by(swedish("person__last_name"), "body__name", "pk"),
    )
    return render(
        request,
        "governance/organisation_detail.html",
        {
            "organisation": organisation,
            "figures": list(organisation.population_figures.order_by("-year")),
            "memberships": memberships,
            "page": memberships,
        },
    )


def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)
    if not permissions.can(request.user, permissions.VIEW_PERSON, person):
        raise Http404
    today = services.today()
    memberships = list(person.memberships.select_related("body", "subregion", "party").order_by("-start_date"))
    return render(
        request,
        "governance/person_detail.html",
        {
            "person": person,
            "current": [m for m in memberships if m.is_current(today)],
            "past": [m for m in memberships if not m.is_current(today)],
        },
    )


# --- editing -----------------------------------------------------------------------------------


def body_edit(request, slug=None):
    body = get_object_or_404(Body, slug=slug) if slug else None
    if not permissions.can(request.user, permissions.EDIT_BODY, body):
        raise PermissionDenied
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = _apply(form, lambda: services.body_save(actor=request.user, body=form.save(commit=False)))
            if saved:
                form.save_m2m()
        if saved:
            messages.success(request, _("Organet är sparat."))
            return redirect(saved)
    return render(request, "governance/body_form.html", {"form": form, "body": body})


def body_status(request, slug):
    body = get_object_or_404(Body, slug=slug)
    if not permissions.can(request.user, permissions.EDIT_BODY, body):
        raise PermissionDenied
    form = StatusForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.body_change_status(
                actor=request.user,
                body=body,
                status=data["status"],
                effective_from=data["effective_from"],
                note=data["note"],
            ),
        ):
            messages.success(request, _("Statusändringen är registrerad."))
            return redirect(body)
    return render(
        request,
        "governance/simple_form.html",
        {
            "form": form,
            "body": body,
            "title": _("Ändra status för %(b)s") % {"b": body},
            "submit": _("Registrera statusändring"),
        },
    )


def charter_create(request, slug):
    body = get_object_or_404(Body, slug=slug)
    if not permissions.can(request.user, permissions.EDIT_BODY, body):
        raise PermissionDenied
    current = body.charters.order_by("-version").first()
    form = CharterForm(request.POST or None, instance=Charter() if request.method == "POST" else current)
    if request.method == "POST" and form.is_valid():
        charter = _apply(
            form,
            lambda: services.charter_create_version(
                actor=request.user, body=body, charter=form.save(commit=False), reason=form.cleaned_data["reason"]
            ),
        )
        if charter:
            messages.success(request, _("Version %(v)d av uppdragsbeskrivningen är sparad.") % {"v": charter.version})
            return redirect(body)
    return render(
        request,
        "governance/simple_form.html",
        {
            "form": form,
            "body": body,
            "title": _("Ny version av uppdragsbeskrivningen för %(b)s") % {"b": body},
            "submit": _("Spara som ny version"),
        },
    )


def body_history(request, slug):
    """Historik for a body: the body itself and everything that belongs to it, with who, when and why."""
    from core import history

    from .models import BodyStatusChange, Vacancy

    body = get_object_or_404(Body, slug=slug)
    if not permissions.can(request.user, permissions.VIEW_HISTORY, body):
        raise Http404
    entries = history.merged(
        history.entries(Body, Body.history.filter(id=body.pk)),
        history.entries(Membership, Membership.history.filter(body_id=body.pk)),
        history.entries(Charter, Charter.history.filter(body_id=body.pk)),
        history.entries(BodyStatusChange, BodyStatusChange.history.filter(body_id=body.pk)),
        history.entries(Vacancy, Vacancy.history.filter(body_id=body.pk)),
    )
    return render(
        request,
        "governance/history.html",
        {"body": body, "entries": entries, "title": _("Historik för %(b)s") % {"b": body}},
    )


def person_history(request, pk):
    from core import history

    person = get_object_or_404(Person, pk=pk)
    if not permissions.can(request.user, permissions.VIEW_HISTORY, person):
        raise Http404
    entries = history.merged(
        history.entries(Person, Person.history.filter(id=person.pk)),
        history.entries(Membership, Membership.history.filter(person_id=person.pk)),
    )
    return render(
        request,
        "governance/history.html",
        {"person": person, "entries": entries, "title": _("Historik för %(p)s") % {"p": person}},
    )
