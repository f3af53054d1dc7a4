"""Minutes as they were held (seed 004): titles in the attendance (copied from the people for the rows there are),
invited guests typed on the spot (name, title, organisation), several secretaries, and a justering on paper (its
date on the minutes, each signatory's approval marked as on paper)."""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def copy_titles(apps, schema_editor):
    """The rows there are take the person's title today: the best there is of the title at the meeting."""
    Attendance = apps.get_model("meetings", "Attendance")
    rows = Attendance.objects.filter(person__isnull=False, title="").exclude(person__title="").select_related("person")
    for row in rows:
        row.title = row.person.title
        row.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_text_limits"),
        ("meetings", "0006_decision"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalMeeting_co_secretaries",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "HistoricalMeeting_co_secretaries",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterModelOptions(
            name="attendance",
            options={
                "ordering": ["meeting", "subregion__short_name", "group_label", "person__last_name", "guest_name"],
                "verbose_name": "närvaro",
                "verbose_name_plural": "närvaro",
            },
        ),
        migrations.RemoveConstraint(
            model_name="attendance",
            name="attendance_person_unless_vacant",
        ),
        migrations.AddField(
            model_name="attendance",
            name="guest_name",
            field=models.CharField(
                blank=True, help_text="För en inbjuden som inte finns i portalen.", max_length=160, verbose_name="namn"
            ),
        ),
        migrations.AddField(
            model_name="attendance",
            name="guest_organisation",
            field=models.CharField(blank=True, max_length=200, verbose_name="organisation"),
        ),
        migrations.AddField(
            model_name="attendance",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="Titeln vid mötet, som den skrivs i protokollet. Hämtas från personen men kan ändras.",
                max_length=200,
                verbose_name="titel",
            ),
        ),
        migrations.AddField(
            model_name="historicalattendance",
            name="guest_name",
            field=models.CharField(
                blank=True, help_text="För en inbjuden som inte finns i portalen.", max_length=160, verbose_name="namn"
            ),
        ),
        migrations.AddField(
            model_name="historicalattendance",
            name="guest_organisation",
            field=models.CharField(blank=True, max_length=200, verbose_name="organisation"),
        ),
        migrations.AddField(
            model_name="historicalattendance",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="Titeln vid mötet, som den skrivs i protokollet. Hämtas från personen men kan ändras.",
                max_length=200,
                verbose_name="titel",
            ),
        ),
        migrations.AddField(
            model_name="historicaljusteringresponse",
            name="on_paper",
            field=models.BooleanField(
                default=False, help_text="Justerat på papper och registrerat av sekreteraren.", verbose_name="på papper"
            ),
        ),
        migrations.AddField(
            model_name="historicalminutes",
            name="justerat_on_paper",
            field=models.DateField(
                blank=True,
                help_text="Dagen protokollet justerades på papper, registrerad av sekreteraren (t.ex. tidigare års).",
                null=True,
                verbose_name="justerat på papper",
            ),
        ),
        migrations.AddField(
            model_name="justeringresponse",
            name="on_paper",
            field=models.BooleanField(
                default=False, help_text="Justerat på papper och registrerat av sekreteraren.", verbose_name="på papper"
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="co_secretaries",
            field=models.ManyToManyField(
                blank=True,
                help_text="De som för protokollet tillsammans med sekreteraren; de har samma rätt till mötet.",
                related_name="meetings_as_co_secretary",
                to="governance.person",
                verbose_name="fler sekreterare",
            ),
        ),
        migrations.AddField(
            model_name="minutes",
            name="justerat_on_paper",
            field=models.DateField(
                blank=True,
                help_text="Dagen protokollet justerades på papper, registrerad av sekreteraren (t.ex. tidigare års).",
                null=True,
                verbose_name="justerat på papper",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "vacant"),
                    ("person__isnull", False),
                    models.Q(("guest_name", ""), _negated=True),
                    _connector="OR",
                ),
                name="attendance_person_or_guest_unless_vacant",
                violation_error_message="Välj en person i portalen, eller skriv namnet på en inbjuden som inte finns här.",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("person__isnull", True), ("guest_name", ""), _connector="OR"),
                name="attendance_person_or_guest_not_both",
                violation_error_message="Välj en person eller skriv ett namn, inte båda.",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting_co_secretaries",
            name="history",
            field=models.ForeignKey(
                db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to="meetings.historicalmeeting"
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting_co_secretaries",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_tablespace="",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="meetings.meeting",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting_co_secretaries",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_tablespace="",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="governance.person",
            ),
        ),
        migrations.RunPython(copy_titles, migrations.RunPython.noop),
    ]
