"""The document core, schema first: Document (one per management plan), PlanVersion renamed DocumentVersion, and a
`document` foreign key beside `plan` on versions and review rounds (nullable until 0007 fills it; 0008 drops `plan`).
The data is moved in 0007 on its own, so PostgreSQL never alters a table with pending deferred-constraint events."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

KINDS = [
    ("management_plan", "Förvaltningsplan"),
    ("routine", "Rutin"),
    ("guideline", "Riktlinje"),
    ("agreement", "Överenskommelse"),
    ("charter", "Uppdragsbeskrivning"),
    ("action_plan", "Handlingsplan"),
]


def _document_fk(**kwargs):
    return models.ForeignKey(null=True, to="documents.document", **kwargs)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_plansection_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=KINDS, max_length=20, verbose_name="slag")),
                ("title", models.CharField(max_length=300, verbose_name="titel")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "dokument", "verbose_name_plural": "dokument", "ordering": ["title", "id"]},
        ),
        migrations.CreateModel(
            name="HistoricalDocument",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("kind", models.CharField(choices=KINDS, max_length=20, verbose_name="slag")),
                ("title", models.CharField(max_length=300, verbose_name="titel")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical dokument",
                "verbose_name_plural": "historical dokument",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="managementplan",
            name="document",
            field=models.OneToOneField(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="plan", to="documents.document"
            ),
        ),
        migrations.AddField(
            model_name="historicalmanagementplan",
            name="document",
            field=_document_fk(
                blank=True, db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+"
            ),
        ),
        migrations.RemoveConstraint(model_name="planversion", name="plan_version_unique"),
        migrations.RenameModel(old_name="PlanVersion", new_name="DocumentVersion"),
        migrations.AddField(
            model_name="documentversion",
            name="document",
            field=_document_fk(on_delete=django.db.models.deletion.CASCADE, related_name="versions"),
        ),
        migrations.AlterField(
            model_name="documentversion",
            name="plan",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="documents.managementplan"
            ),
        ),
        migrations.RemoveConstraint(model_name="reviewround", name="review_round_one_open_per_plan"),
        migrations.AddField(
            model_name="reviewround",
            name="document",
            field=_document_fk(on_delete=django.db.models.deletion.CASCADE, related_name="rounds"),
        ),
        migrations.AlterField(
            model_name="reviewround",
            name="plan",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="documents.managementplan"
            ),
        ),
        migrations.AddField(
            model_name="historicalreviewround",
            name="document",
            field=_document_fk(
                blank=True, db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+"
            ),
        ),
    ]
