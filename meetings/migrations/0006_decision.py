"""The meeting decision model is called Decision (the glossary's ställningstagande), not Position: a rename that
keeps every row and its history."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_text_limits"),
        ("meetings", "0005_text_limits"),
    ]

    operations = [
        migrations.RenameModel(old_name="Position", new_name="Decision"),
        migrations.RenameModel(old_name="HistoricalPosition", new_name="HistoricalDecision"),
        migrations.AlterField(
            model_name="decision",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="decisions", to="governance.body"
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="item",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="decisions", to="meetings.agendaitem"
            ),
        ),
        migrations.RemoveConstraint(model_name="decision", name="position_number_per_body_year"),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.UniqueConstraint(fields=("body", "year", "number"), name="decision_number_per_body_year"),
        ),
    ]
