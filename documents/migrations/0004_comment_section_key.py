"""Comments point at a section of the version sent for review by its key, not at a live PlanSection row.

Existing comments (and their history rows) get the key of the section their foreign key pointed at; then the foreign
key goes."""

from django.db import migrations, models


def keys_from_sections(apps, schema_editor):
    PlanSection = apps.get_model("documents", "PlanSection")
    keys = dict(PlanSection.objects.values_list("pk", "key"))
    for name in ("Comment", "HistoricalComment"):
        model = apps.get_model("documents", name)
        for pk, section_id in model.objects.filter(section__isnull=False).values_list("pk", "section_id"):
            if section_id in keys:
                model.objects.filter(pk=pk).update(section_key=keys[section_id])


def sections_from_keys(apps, schema_editor):
    PlanSection = apps.get_model("documents", "PlanSection")
    ReviewRound = apps.get_model("documents", "ReviewRound")
    plan_of_round = dict(ReviewRound.objects.values_list("pk", "plan_id"))
    sections = {(plan, key): pk for pk, plan, key in PlanSection.objects.values_list("pk", "plan_id", "key")}
    for name in ("Comment", "HistoricalComment"):
        model = apps.get_model("documents", name)
        for pk, round_id, key in model.objects.exclude(section_key="").values_list("pk", "round_id", "section_key"):
            section_id = sections.get((plan_of_round.get(round_id), key))
            if section_id:
                model.objects.filter(pk=pk).update(section_id=section_id)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="section_key",
            field=models.CharField(blank=True, max_length=40, verbose_name="avsnitt"),
        ),
        migrations.AddField(
            model_name="historicalcomment",
            name="section_key",
            field=models.CharField(blank=True, max_length=40, verbose_name="avsnitt"),
        ),
        migrations.RunPython(keys_from_sections, sections_from_keys),
        migrations.RemoveField(
            model_name="comment",
            name="section",
        ),
        migrations.RemoveField(
            model_name="historicalcomment",
            name="section",
        ),
    ]
