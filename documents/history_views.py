"""Historik for a management plan: the plan, its sections and goals, with who, when and why, field by field; and for
a governing document: the document, its revisions (proposed, positions taken, escalated, approved, withdrawn) and the
comments in their consultations, for those who work with documents (GoverningDocument.objects.history_visible_to).

Comments are left out on purpose: they belong to a review round's audience, and a plan's history is for those who
write or decide the plan (coordinators and preparers): ManagementPlan.objects.history_visible_to(user), 404 for
everyone else."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core import history

from .governing_models import GoverningDocument, Revision, RevisionComment
from .models import Goal, ManagementPlan, PlanSection
from .views import _crumbs


def plan_history(request, pk):
    plan = get_object_or_404(
        ManagementPlan.objects.history_visible_to(request.user).select_related("managed_object"), pk=pk
    )
    name = str(plan)
    page = history.page(
        request,
        history.Source(ManagementPlan, ManagementPlan.history.filter(id=plan.pk), name=name),
        history.Source(PlanSection, PlanSection.history.filter(plan_id=plan.pk), hide=("plan",), within=name),
        history.Source(Goal, Goal.history.filter(plan_id=plan.pk), hide=("plan",), within=name),
    )
    return render(
        request,
        "governance/history.html",
        {
            "plan": plan,
            "page": page,
            "title": _("Historik för %(p)s") % {"p": plan},
            "crumbs": _crumbs(plan, _("Historik")),
        },
    )


def governing_history(request, slug):
    from .governing_views import crumbs

    doc = get_object_or_404(
        GoverningDocument.objects.history_visible_to(request.user).select_related("document"), slug=slug
    )
    name = doc.title
    page = history.page(
        request,
        history.Source(GoverningDocument, GoverningDocument.history.filter(id=doc.pk), name=name),
        history.Source(Revision, Revision.history.filter(document_id=doc.pk), hide=("document",), within=name),
        history.Source(
            RevisionComment,
            RevisionComment.history.filter(revision_id__in=doc.revisions.values("pk")),
            hide=("revision",),
            within=name,
        ),
    )
    return render(
        request,
        "governance/history.html",
        {
            "page": page,
            "title": _("Historik för %(d)s") % {"d": name},
            "crumbs": crumbs((name, doc.get_absolute_url()), (_("Historik"), "")),
        },
    )
