"""The document core, data: one Document per management plan (kind förvaltningsplan, the plan's title), and every
version, review round and historical round row pointed at its plan's document. Numbers are already per plan, so per
document: nothing is renumbered. Backwards, `plan` is filled again from the document."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    ManagementPlan = apps.get_model("documents", "ManagementPlan")
    HistoricalManagementPlan = apps.get_model("documents", "HistoricalManagementPlan")
    for plan in ManagementPlan.objects.select_related("managed_object").filter(document__isnull=True):
        document = Document.objects.create(
            kind="management_plan", title=f"Förvaltningsplan {plan.managed_object.short_name} {plan.year}"
        )
        Document.objects.filter(pk=document.pk).update(created_at=plan.created_at)
        ManagementPlan.objects.filter(pk=plan.pk).update(document=document)
        HistoricalManagementPlan.objects.filter(id=plan.pk).update(document=document)
    of_plan = ManagementPlan.objects.filter(pk=OuterRef("plan_id")).values("document_id")[:1]
    for name in ("DocumentVersion", "ReviewRound"):
        apps.get_model("documents", name).objects.update(document_id=Subquery(of_plan))
    HistoricalReviewRound = apps.get_model("documents", "HistoricalReviewRound")
    HistoricalReviewRound.objects.update(document_id=Subquery(of_plan))


def backwards(apps, schema_editor):
    ManagementPlan = apps.get_model("documents", "ManagementPlan")
    of_document = ManagementPlan.objects.filter(document_id=OuterRef("document_id")).values("pk")[:1]
    for name in ("DocumentVersion", "ReviewRound", "HistoricalReviewRound"):
        apps.get_model("documents", name).objects.update(plan_id=Subquery(of_document))


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_document")]

    operations = [migrations.RunPython(forwards, backwards)]
