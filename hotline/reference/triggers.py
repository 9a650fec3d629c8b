"""The triggers that move the generation on, (re)made after every ``migrate``: SQLite
rebuilds a table to alter it, dropping its triggers, so a migration could not keep them.

PostgreSQL bumps once per statement (TRUNCATE included), SQLite once per row. The bump
is an UPDATE of the one row, so it becomes visible when the writer commits, together
with what it wrote: a process that reads the generation and then the data never tags
newer data with an older generation than the data's own."""

import secrets

from django.apps import apps as installed
from django.db import connections

# model label → columns whose change does not concern the cached copies: a sign-in
# writes ``last_login`` and must neither empty the caches nor wait for a long directory
# import that holds the generation's row.
WATCHED = {
    "directory.Region": (),
    "directory.Unit": (),
    "directory.Category": (),
    "directory.CatalogueEntry": (),
    "directory.Tag": (),
    "authtoken.Token": (),
    "accounts.User": ("last_login",),
    "configuration.Holiday": (),
    "configuration.Setting": (),
}


def install(*, using: str = "default", **_) -> None:
    from hotline.reference.models import Generation

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if Generation._meta.db_table not in tables:  # a migrate that stopped short of ours
        return
    target = connection.ops.quote_name(Generation._meta.db_table)
    bump = f"UPDATE {target} SET value = value + 1"
    with connection.cursor() as cursor:
        if not Generation.objects.using(using).exists():
            # From a random value: a row made anew (a flushed database) must not meet
            # a process's kept values at the generation they were read at.
            Generation.objects.using(using).create(pk=1, value=secrets.randbits(62))
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION reference_generation_bump() RETURNS trigger"
                f" LANGUAGE plpgsql AS $$ BEGIN {bump}; RETURN NULL; END $$"
            )
        for label, ignored in WATCHED.items():
            model = installed.get_model(label)
            if model._meta.db_table not in tables:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(
                connection.ops.quote_name(field.column)
                for field in model._meta.concrete_fields
                if field.name not in ignored
            )
            update = f"UPDATE OF {columns}" if ignored else "UPDATE"
            for event in ("INSERT", update, "DELETE"):
                name = connection.ops.quote_name(
                    f"reference_{model._meta.db_table}_{event.split()[0].lower()}"
                )
                if connection.vendor == "postgresql":
                    cursor.execute(
                        f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table}"
                        " FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_bump()"
                    )
                else:  # made anew: the watched columns may have changed
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {table}"
                        f" FOR EACH ROW BEGIN {bump}; END"
                    )
            if connection.vendor == "postgresql":
                name = connection.ops.quote_name(f"reference_{model._meta.db_table}_truncate")
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {name} AFTER TRUNCATE ON {table}"
                    " FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_bump()"
                )
