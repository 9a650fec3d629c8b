"""History import speed against its floor (SPEC 13: ≥ 50 000 rows/s on PostgreSQL,
≥ 20 000 rows/s on SQLite).

    python bench/import_speed.py --orders FILE.jsonl --database-url URL

It makes a fresh database at URL (a PostgreSQL database is dropped and re-created; a
SQLite file is deleted), loads the demo directory, times ``hotline import orders``, then
times the floor: the very rows the import wrote, read back and written again with the
raw bulk path alone (COPY on PostgreSQL, executemany on SQLite), with no parsing and no
replay. It prints one line of figures for docs/performance.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse


def _fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(parsed.path).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()

    _fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from hotline.demo import DIRECTORY
    from hotline.directory.services import directory_import
    from hotline.orders.bulk import write_rows
    from hotline.orders.history_rows import EVENT_COLUMNS, ORDER_COLUMNS, SIDE_COLUMNS
    from hotline.orders.services.history_import import (
        CITIZEN_COLUMNS,
        TAG_COLUMNS,
        orders_import,
    )

    call_command("migrate", verbosity=0)
    directory_import(folder=DIRECTORY)

    started = time.perf_counter()
    result = orders_import(path=args.orders)
    took = time.perf_counter() - started

    tables = {
        "orders_citizen": CITIZEN_COLUMNS,
        "orders_order": ORDER_COLUMNS,
        "orders_event": EVENT_COLUMNS,
        **SIDE_COLUMNS,
        "orders_order_tags": TAG_COLUMNS,
    }
    with connection.cursor() as cursor:
        snapshot = {}
        for table, columns in tables.items():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            snapshot[table] = cursor.fetchall()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in reversed(list(tables)):
                cursor.execute(f"DELETE FROM {table}")
        started = time.perf_counter()
        for table, columns in tables.items():
            write_rows(table, columns, [tuple(r) for r in snapshot[table]])
        floor_took = time.perf_counter() - started
    floor_rows = sum(len(rows) for rows in snapshot.values())

    print(
        f"{connection.vendor}: {result.orders} orders, {result.rows} rows in {took:.1f} s "
        f"= {result.rows / took:,.0f} rows/s; floor (raw bulk write of {floor_rows} rows) "
        f"{floor_took:.1f} s = {floor_rows / floor_took:,.0f} rows/s"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
