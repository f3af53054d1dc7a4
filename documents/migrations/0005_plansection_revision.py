"""PlanSection.version is a concurrency token (lost-update protection), not a document version: call it revision."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_comment_section_key"),
    ]

    operations = [
        migrations.RenameField(model_name="plansection", old_name="version", new_name="revision"),
        migrations.RenameField(model_name="historicalplansection", old_name="version", new_name="revision"),
    ]
