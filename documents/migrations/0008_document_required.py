"""The document core, schema last: versions and review rounds belong to the document alone (`plan` dropped), a plan
always has its document, numbers are unique per document, and one open round per document."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_document_data")]

    operations = [
        migrations.RemoveField(model_name="documentversion", name="plan"),
        migrations.RemoveField(model_name="reviewround", name="plan"),
        migrations.RemoveField(model_name="historicalreviewround", name="plan"),
        migrations.AlterField(
            model_name="managementplan",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="plan", to="documents.document"
            ),
        ),
        migrations.AlterField(
            model_name="documentversion",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="documents.document"
            ),
        ),
        migrations.AlterField(
            model_name="reviewround",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="rounds", to="documents.document"
            ),
        ),
        migrations.AlterModelOptions(name="documentversion", options={"ordering": ["document", "number"]}),
        migrations.AddConstraint(
            model_name="documentversion",
            constraint=models.UniqueConstraint(fields=("document", "number"), name="document_version_unique"),
        ),
        migrations.AddConstraint(
            model_name="reviewround",
            constraint=models.UniqueConstraint(
                condition=models.Q(("closed_at__isnull", True)),
                fields=("document",),
                name="review_round_one_open_per_document",
                violation_error_message="Det finns redan en öppen remissrunda för planen. Stäng den först.",
            ),
        ),
    ]
