"""Published reports never change (SPEC 7): the database itself refuses an UPDATE of a
published report or of one of its files, whatever code path tries it."""

from django.db import migrations

TABLES = ("reports_publishedreport", "reports_publishedfile")
MESSAGE = "a published report cannot be changed; publish a new version instead"


def freeze(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION reports_refuse_change() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
            )
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION reports_refuse_change()"
                )
        elif connection.vendor == "sqlite":
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )


def thaw(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS reports_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(freeze, thaw)]
