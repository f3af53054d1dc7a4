from django.db import migrations


def create_collation(apps, schema_editor):
    # Swedish ICU collation for ORDER BY (Å, Ä, Ö after Z); SQLite registers its own at connect.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS sv (provider = icu, locale = 'sv-SE')")


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS sv")


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(create_collation, drop_collation)]
