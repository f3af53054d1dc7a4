"""Pages of the governance structure: thin views that read through querysets and write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core import waiting
from core.collation import swedish
from core.web import apply_to_form as _apply
from core.web import page_of

from . import permissions, rules, services
from .chart import build_tree, lay_out, svg_html, tree_html
from .chart import rendered as chart_rendered
from .forms import (
    BodyForm,
    CharterForm,
    StatusForm,
)
from .models import Body, Charter, Membership, Organisation, Person, PopulationFigure, Subregion, Vacancy

COMING_LIMIT = 100  # coming changes of seats listed on a body page (successors and terms ending soon)


def _chart_context(user):
    """The chart as HTML, rendered once per version of the bodies (Body.objects.chart_version) in this process:
    the bodies are public (the same chart for everyone), so one small query answers while nothing changed."""
    assert Body.objects.all().public  # the kept chart is the same for every visitor
    return {"chart_html": chart_rendered(Body.objects.chart_version(), lambda: _chart_fragment(user))}


def _chart_fragment(user) -> str:
    bodies = list(
        Body.objects.visible_to(user).with_status().select_related("subregion").order_by("sort_order", swedish("name"))
    )
    active = [b for b in bodies if not b.is_closed]
    root = build_tree(active, _("Parterna: Västra Götalandsregionen och de 49 kommunerna"))
    body_prefix = reverse("governance:chart")  # /organ/ – a body's page is /organ/<slug>/
    return render_to_string(
        "components/chart.html",
        {
            "tree": root,
            "tree_html": tree_html(root.children, body_prefix),
            "svg_html": svg_html(lay_out(root)),
            "closed_bodies": [b for b in bodies if b.is_closed],
        },
    )


@login_not_required
def home(request):
    """The start page: for everyone the ways in that other apps register for the slot "start" (core.waiting: the
    newest published minutes, the plans in force, coming meetings) and the governance chart; for a signed-in user
    also what waits for them, the panels each app registers for the slot "home", governance's own among them."""
    context = _chart_context(request.user)
    context["start_panels"] = waiting.panels_for(request, "start")
    context["panels"] = waiting.panels_for(request, "home")
    return render(request, "governance/home.html", context)


@login_not_required
def chart(request):
    context = _chart_context(request.user)
    context["crumbs"] = [(_("Organ"), "")]
    context["perms_edit"] = permissions.can(request.user, rules.EDIT_BODY)
    return render(request, "governance/chart.html", context)


@login_not_required
def body_detail(request, slug):
    today = services.today()
    body = get_object_or_404(
        Body.objects.visible_to(request.user).with_status().select_related("mandate_giver", "convener", "subregion"),
        slug=slug,
    )
    running = Membership.objects.current(today).filter(body=body)
    # The rule check counts every running seat; the list shows one page of them at a time.
    current = services.seat_facts(running)
    page = page_of(
        request,
        running.select_related("person__organisation", "subregion", "party").order_by(
            "subregion__short_name", "role", swedish("person__last_name"), "pk"
        ),
    )
    # Coming changes: successors already appointed and terms that end soon (with who replaces whom).
    coming = list(
        Membership.objects.filter(body=body)
        .changing(today, days=services.ENDING_WITHIN_DAYS)
        .select_related("person", "subregion", "replaces__person")
        .order_by("start_date", "pk")[:COMING_LIMIT]
    )
    subregions = list(Subregion.objects.all())
    vacancies = list(body.vacancies.open().select_related("subregion"))
    composition_rules = list(body.composition_rules.select_related("subregion"))
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
            body=body, subregions=subregions, memberships=current, vacancies=vacancies, rules=composition_rules
        ),
        "rules": composition_rules,
        "past_members": list(
            Membership.objects.past(today)
            .filter(body=body)
            .select_related("person", "subregion")
            .order_by("-end_date")[:50]
        ),
        "status_changes": list(body.status_changes.all()),
        "renames": list(body.renames.all()),
        "can_edit": permissions.can(request.user, rules.EDIT_BODY, body),
        "can_appoint": permissions.can(request.user, rules.APPOINT_IN, body),
        "can_view_history": permissions.can(request.user, rules.VIEW_HISTORY, body),
        "can_view_people": permissions.can(request.user, rules.VIEW_PERSON),
        "panels": waiting.panels_for(request, "body", body=body),
        "crumbs": [(_("Organ"), reverse("governance:chart")), (body.name, "")],
    }
    signed_in = request.user.is_authenticated
    # The running seats' successors all start after today, so they are among `coming`: no query per row.
    rules.note_successors([*page, *coming], coming)
    for m in [*page, *coming]:
        m.body = body  # the seat rule reads the body; it is this page's
        m.can_manage = signed_in and not rules.seat_check(request.user, m)
        m.can_replace = m.can_manage and not rules.replace_check(request.user, m)
    context["term_changes"] = services.term_changes(coming, on=today)
    return render(request, "governance/body_detail.html", context)


@login_not_required
def charter_detail(request, slug, version):
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    charter = get_object_or_404(Charter.objects.visible_to(request.user), body=body, version=version)
    versions = list(body.charters.values_list("version", "valid_from"))
    crumbs = [
        (_("Organ"), reverse("governance:chart")),
        (body.name, body.get_absolute_url()),
        (_("Uppdragsbeskrivning version %(v)d") % {"v": charter.version}, ""),
    ]
    return render(
        request,
        "governance/charter_detail.html",
        {"body": body, "charter": charter, "versions": versions, "crumbs": crumbs},
    )


@login_not_required
def subregion_list(request):
    subregions = Subregion.objects.visible_to(request.user)
    return render(
        request, "governance/subregion_list.html", {"subregions": subregions, "crumbs": [(_("Delregioner"), "")]}
    )


def _latest_population(organisations):
    for org in organisations:
        figures = org.population_figures.all()  # prefetched, newest first
        org.latest_population = figures[0] if figures else None
    return organisations


@login_not_required
def subregion_detail(request, slug):
    subregion = get_object_or_404(Subregion.objects.visible_to(request.user), slug=slug)
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
            "vacancies": list(subregion.vacancies.open().select_related("body")),
            "crumbs": [(_("Delregioner"), reverse("governance:subregion_list")), (subregion.short_name, "")],
        },
    )


@login_not_required
def organisation_list(request):
    organisations = _latest_population(
        list(
            Organisation.objects.visible_to(request.user)
            .select_related("subregion")
            .prefetch_related(Prefetch("population_figures", PopulationFigure.objects.order_by("-year")))
            .order_by("kind", swedish("name"))
        )
    )
    return render(
        request,
        "governance/organisation_list.html",
        {"organisations": organisations, "crumbs": [(_("Organisationer"), "")]},
    )


@login_not_required
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("subregion"), slug=slug
    )
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
            "can_view_people": permissions.can(request.user, rules.VIEW_PERSON),
            "crumbs": [
                (organisation.subregion.short_name, organisation.subregion.get_absolute_url())
                if organisation.subregion
                else (_("Organisationer"), reverse("governance:organisation_list")),
                (organisation.name, ""),
            ],
        },
    )


def person_detail(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("organisation", "user"), pk=pk)
    permissions.require(request.user, rules.VIEW_PERSON, person)
    today = services.today()
    memberships = list(person.memberships.select_related("body", "subregion", "party").order_by("-start_date"))
    return render(
        request,
        "governance/person_detail.html",
        {
            "person": person,
            "current": [m for m in memberships if m.is_current(today)],
            "past": [m for m in memberships if not m.is_current(today)],
            "account_pending": rules.invitation_pending(person.user),
            "can_invite": permissions.can(request.user, rules.INVITE_ACCOUNT, person)
            and not rules.invite_check(request.user, person),
            "crumbs": [(str(person), "")],
        },
    )


# --- editing -----------------------------------------------------------------------------------


def body_edit(request, slug=None):
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug) if slug else None
    permissions.require(request.user, rules.EDIT_BODY, body)
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form,
            lambda: services.body_save(
                actor=request.user, body=form.save(commit=False), mandate_parties=form.cleaned_data["mandate_parties"]
            ),
        )
        if saved:
            messages.success(request, _("Organet är sparat."))
            return redirect(saved)
    title = _("Ändra %(b)s") % {"b": body.name} if body else _("Nytt organ")
    crumbs = [(_("Organ"), reverse("governance:chart"))]
    crumbs += [(body.name, body.get_absolute_url()), (_("Ändra"), "")] if body else [(title, "")]
    return render(request, "governance/body_form.html", {"form": form, "body": body, "title": title, "crumbs": crumbs})


def _body_form_context(form, body, title, submit):
    crumbs = [(_("Organ"), reverse("governance:chart")), (body.name, body.get_absolute_url()), (title, "")]
    return {"form": form, "body": body, "title": title, "submit": submit, "crumbs": crumbs}


def body_status(request, slug):
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    permissions.require(request.user, rules.EDIT_BODY, body)
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
        _body_form_context(form, body, _("Ändra status för %(b)s") % {"b": body}, _("Registrera statusändring")),
    )


def charter_create(request, slug):
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    permissions.require(request.user, rules.EDIT_BODY, body)
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
        _body_form_context(
            form, body, _("Ny version av uppdragsbeskrivningen för %(b)s") % {"b": body}, _("Spara som ny version")
        ),
    )


def body_history(request, slug):
    """Historik for a body: the body itself and everything that belongs to it, with who, when and why."""
    from core import history

    from .models import BodyStatusChange

    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    permissions.require(request.user, rules.VIEW_HISTORY, body)
    page = history.page(
        request,
        history.Source(Body, Body.history.filter(id=body.pk), name=_("organet %(b)s") % {"b": body}),
        *(
            history.Source(model, model.history.filter(body_id=body.pk), hide=("body",))
            for model in (Membership, Charter, BodyStatusChange, Vacancy)
        ),
    )
    return render(
        request,
        "governance/history.html",
        {
            "body": body,
            "page": page,
            "title": _("Historik för %(b)s") % {"b": body},
            "crumbs": [
                (_("Organ"), reverse("governance:chart")),
                (body.name, body.get_absolute_url()),
                (_("Historik"), ""),
            ],
        },
    )


def person_history(request, pk):
    from core import history

    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, rules.VIEW_HISTORY, person)
    page = history.page(
        request,
        history.Source(Person, Person.history.filter(id=person.pk), name=_("personen %(p)s") % {"p": person}),
        history.Source(Membership, Membership.history.filter(person_id=person.pk), hide=("person",)),
    )
    return render(
        request,
        "governance/history.html",
        {
            "person": person,
            "page": page,
            "title": _("Historik för %(p)s") % {"p": person},
            "crumbs": [(str(person), person.get_absolute_url()), (_("Historik"), "")],
        },
    )
