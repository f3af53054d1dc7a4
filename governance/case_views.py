"""Cases in the browser (issue 12): the list of the cases a user may see and a case's page with its path.

Who: `Case.objects.visible_to(user)` is the scope (404 outside it); the steps that move a case are governance.cases'
services (their forms are not here yet). Views parse, call, message and render.
"""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.web import apply_to_form, page_of

from . import cases
from .case_forms import RaiseForm
from .case_models import Case, CaseLink, CaseStep, Process
from .models import Body


def _crumbs(*more):
    return [(_("Ärenden"), reverse("governance:case_list") if more else ""), *more]


def case_list(request):
    user = request.user
    rows = Case.objects.visible_to(user)
    organ = request.GET.get("organ") or ""
    status = request.GET.get("status") or ""
    process = request.GET.get("process") or ""
    body = Body.objects.filter(slug=organ).first() if organ else None
    if body is not None:
        rows = rows.filter(Q(raised_by=body) | Q(owner=body) | Q(preparing_body=body))
    if status in Case.Status.values:
        rows = rows.filter(status=status)
    if process:
        rows = rows.filter(process__slug=process)
    rows = rows.select_related("raised_by", "owner", "preparing_body", "process").order_by("-created_at", "-id")
    page = page_of(request, rows)
    title = _("Ärenden") if body is None else _("Ärenden i %(b)s") % {"b": body}
    return render(
        request,
        "governance/cases/list.html",
        {
            "title": title,
            "crumbs": _crumbs() if body is None else [(_("Ärenden"), reverse("governance:case_list")), (body, "")],
            "page": page,
            "body": body,
            "organ": organ,
            "status": status,
            "process": process,
            "statuses": Case.Status.choices,
            "processes": Process.objects.all(),
        },
    )


def _case_for(request, pk) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user)
        .select_related("raised_by", "owner", "preparing_body", "preparer", "process", "created_by")
        .prefetch_related(
            Prefetch("links", queryset=CaseLink.objects.order_by("pk")),
            Prefetch(
                "steps",
                queryset=CaseStep.objects.select_related("from_body", "to_body", "actor").order_by("happened_on", "pk"),
            ),
        ),
        pk=pk,
    )


def case_detail(request, pk):
    case = _case_for(request, pk)
    return render(
        request,
        "governance/cases/detail.html",
        {
            "title": case.title,
            "crumbs": _crumbs((case.reference, "")),
            "case": case,
            "steps": list(case.steps.all()),
            "links": list(case.links.all()),
        },
    )


def case_create(request):
    """Raise a case for one of the user's bodies (?organ=<slug> chooses it beforehand)."""
    user = request.user
    organ = Body.objects.filter(slug=request.GET.get("organ") or "").first()
    form = RaiseForm(request.POST or None, actor=user, initial={"body": organ.pk if organ else None})
    if request.method == "POST" and form.is_valid():
        case = apply_to_form(
            form,
            lambda: cases.case_raise(
                actor=user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                process=form.cleaned_data["process"],
                links=form.links(),
            ),
        )
        if case:
            messages.success(request, _("Ärendet ”%(t)s” är väckt.") % {"t": case.title})
            return redirect(case)
    title = _("Väck ett ärende")
    return render(
        request,
        "governance/cases/form.html",
        {
            "title": title,
            "crumbs": _crumbs((title, "")),
            "form": form,
            "can_raise": form.fields["body"].queryset.exists(),
            "submit": _("Väck ärendet"),
        },
    )
