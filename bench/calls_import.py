"""Call-record import speed against its floor (SPEC 13, 2026-12: ≥ 100 000 rows/s on
PostgreSQL through COPY).

    python bench/calls_import.py --database-url postgres://postgres@127.0.0.1:5432/hotline_calls \
        [--rows 300000] [--rounds 3]

Makes a fresh database at URL, writes a CSV of ``--rows`` call records in the
telephony system's form (docs/interchange.md) and then, ``--rounds`` times and
interleaved:

* product: ``hotline import calls`` as the command runs it (``calls_import``: the file
  is in the form COPY reads as it is, so two regular-expression passes check it and it
  goes to COPY block by block; the call table's unique index refuses repeated ids),
  into an emptied table, up to the commit;
* first load: the same with ``--exclusive`` (nobody uses the database yet), which into
  the empty table builds its secondary indexes once at the end;
* line by line: what the product does with a file in any other form (or refused):
  read and check every line in Python, refuse repeated ids, COPY the rows;
* floor: PostgreSQL's own ``COPY … FROM STDIN (FORMAT csv)`` of the same file into a
  copy of the call table (same columns, indexes and constraints), up to the commit —
  no checking and no conversion in Python at all.

For each it prints rows per second of wall time and the CPU seconds of this process
and of the connection's PostgreSQL backend (read from /proc: the server runs on this
machine), and the ratio of the product's CPU to the floor's, with the load average.
"""

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import psycopg

FLOOR_TABLE = "floor_call"
COLUMNS = "external_id, started_at, caller, answered, agent, wait_seconds, talk_seconds"


def _fresh_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def _write_calls(path: Path, rows: int) -> None:
    rng = random.Random(13)
    start = datetime.fromisoformat("2026-11-01T00:00:00+08:00")
    with path.open("w", encoding="utf-8") as out:
        out.write("id,started_at,caller,answered,agent,wait_seconds,talk_seconds\n")
        for n in range(rows):
            at = start + timedelta(seconds=n * 2 + rng.randrange(2))
            answered = rng.random() < 0.9
            agent = f"A{rng.randrange(60):03d}" if answered else ""
            talk = str(rng.randrange(30, 600)) if answered else ""
            caller = f"1{rng.randrange(3, 10)}{rng.randrange(10**9):09d}"
            out.write(
                f"C{n:09d},{at.isoformat()},{caller},{str(answered).lower()},"
                f"{agent},{rng.randrange(0, 120)},{talk}\n"
            )


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(run, backend_pid: int) -> tuple[float, float, float]:
    """Wall seconds, this process's CPU seconds, the backend's CPU seconds."""
    wall, own, server = time.perf_counter(), _own_cpu(), _backend_cpu(backend_pid)
    run()
    return (
        time.perf_counter() - wall,
        _own_cpu() - own,
        _backend_cpu(backend_pid) - server,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    _fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hotline.calls.services import calls_import, calls_record
    from hotline.interchange.call_records import read_calls

    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="calls-bench-"))
    path = folder / "calls.csv"
    _write_calls(path, args.rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (product_pid,) = cursor.fetchone()
        # The first load's index builds in the backend itself: parallel workers' CPU
        # would not be counted (it is no less in total than one process's).
        cursor.execute("SET max_parallel_maintenance_workers = 0")
    floor = psycopg.connect(args.database_url)
    floor.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE calls_call INCLUDING ALL)")
    for column, value in (("status", "ended"), ("callee", ""), ("queue", ""), ("recording", "")):
        floor.execute(f"ALTER TABLE {FLOOR_TABLE} ALTER {column} SET DEFAULT '{value}'")
    floor.commit()
    (floor_pid,) = floor.execute("SELECT pg_backend_pid()").fetchone()

    def product() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE calls_call CASCADE")
        assert calls_import(path=path) == args.rows

    def first_load() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE calls_call CASCADE")
        assert calls_import(path=path, exclusive=True) == args.rows

    def line_by_line() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE calls_call CASCADE")
        records = list(read_calls(path.read_text(encoding="utf-8"), json_lines=False))
        assert calls_record(records=records) == args.rows

    def floor_copy() -> None:
        floor.execute(f"TRUNCATE {FLOOR_TABLE}")
        options = "FORMAT csv, HEADER true, FORCE_NOT_NULL (agent)"
        copy_sql = f"COPY {FLOOR_TABLE} ({COLUMNS}) FROM STDIN ({options})"
        with floor.cursor().copy(copy_sql) as copy, path.open("rb") as source:
            while block := source.read(1 << 20):
                copy.write(block)
        floor.commit()

    runs = {"product": (product, product_pid), "first load": (first_load, product_pid)}
    runs["line by line"] = (line_by_line, product_pid)
    runs["floor"] = (floor_copy, floor_pid)
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
    loads = []
    for _ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for name, (run, pid) in runs.items():
            results[name].append(_measure(run, pid))
    floor.execute(f"DROP TABLE {FLOOR_TABLE}")
    floor.commit()
    floor.close()

    print(f"{args.rows:,} call records, {args.rounds} interleaved rounds, median of each;")
    print(f"load average at each round's start: {', '.join(f'{x:.2f}' for x in loads)}")
    print("| work | rows/s (wall) | CPU s: app | CPU s: database | CPU s: total |")
    print("| --- | --- | --- | --- | --- |")
    totals = {}
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        app = statistics.median(r[1] for r in runs)
        server = statistics.median(r[2] for r in runs)
        totals[name] = statistics.median(r[1] + r[2] for r in runs)
        print(
            f"| {name} | {args.rows / wall:,.0f} | {app:.2f} | {server:.2f} | {totals[name]:.2f} |"
        )
    print(f"CPU ratio product / floor: {totals['product'] / totals['floor']:.1f}")
    for name, total in totals.items():
        print(f"{name}: rows per CPU second (all processes): {args.rows / total:,.0f}")


if __name__ == "__main__":
    main()
