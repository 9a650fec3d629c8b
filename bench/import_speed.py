"""History import speed against its floor (SPEC 13: ≥ 50 000 rows/s on PostgreSQL,
≥ 20 000 rows/s on SQLite).

    python bench/import_speed.py --orders FILE.jsonl --database-url URL [--exclusive] [--spool DIR]

It makes a fresh database at URL (a PostgreSQL database is dropped and re-created; a
SQLite file is deleted), loads the demo directory and times ``hotline import orders``
up to its commit: the import into a database in use, or with ``--exclusive`` the first
load of one nobody uses yet. Then it times the floor: the very rows the import wrote, read back
in the loader's own form (COPY text on PostgreSQL, tuples on SQLite), loaded into a
fresh database again through the same loader and the same path the import took (on a
first load: indexes and foreign keys built after the rows, ``COPY … FREEZE``), up to
the commit, then the same ``ANALYZE`` the import runs after a large load — the
database's share of the work, with no parsing, no replay and no formatting. On
PostgreSQL the rows read back wait in files (under ``--spool``, the system's temporary
folder unless given), not in memory: ten million orders are some sixty million rows.
Beside the times it gives where the CPU went (this process, the import's
worker processes, the PostgreSQL backend when the server is on this machine) and the
CPU that reading and replaying the lines alone takes, so that on a busy machine the
figures still say which part bounds the rate. It prints the figures for
docs/performance.md.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from datetime import datetime
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
        path = Path(parsed.path)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)


class _Cpu:
    """CPU time spent since creation: this process, its finished children (the import's
    workers), the connection's PostgreSQL backend when the server runs on this machine,
    and the whole machine (so that the time other programs took is known too) — where
    the time went, whatever else the machine was doing."""

    def __init__(self, connection):
        self.backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        self.start = self._now()

    def _now(self) -> tuple[float, float, float | None, float | None]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        tick = os.sysconf("SC_CLK_TCK")
        server = machine = None
        if self.backend is not None and self.backend.exists():
            fields = self.backend.read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / tick
        stat = Path("/proc/stat")
        if stat.exists():
            # user, nice, system, idle, iowait, irq, softirq, steal: all but idle and iowait
            times = [int(t) for t in stat.read_text().split("\n", 1)[0].split()[1:9]]
            machine = (sum(times) - times[3] - times[4]) / tick
        return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime, server, machine

    def spent(self, apart: float = 0.0) -> str:
        """``apart``: CPU-seconds of this process that are not the work measured."""
        now = self._now()
        main, workers = now[0] - self.start[0] - apart, now[1] - self.start[1]
        besides = f" (besides {apart:.1f} inflating the spooled rows)" if apart else ""
        text = f"main process {main:.1f}{besides}, workers {workers:.1f}"
        ours = main + workers
        if now[2] is not None and self.start[2] is not None:
            server = now[2] - self.start[2]
            ours += server
            text += f", database server {server:.1f}"
        self.total = ours
        text += f", total {ours:.1f}"
        if now[3] is not None and self.start[3] is not None:
            others = max(now[3] - self.start[3] - ours, 0.0)
            text += f" (other programs on the machine meanwhile: {others:.1f})"
        return text


def _ready_for_the_product() -> None:
    """The floor copied rows with their ids and numbers, past the id sequences and the
    numbering: bring both up to the rows (and the planner's statistics) so that the
    product can register orders on the database the benchmark leaves."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection
    from django.db.models import Max
    from django.db.models.functions import Left

    from hotline.orders.models import Order
    from hotline.orders.services.numbering import reserve_number

    models = [m for m in apps.get_models() if m._meta.managed]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        highest = Order.objects.annotate(year=Left("number", 4)).values("year")
        for row in highest.annotate(last=Max("number")):
            reserve_number(row["last"])
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


# The floor's rows go back in COPY statements of at most this many bytes, cut at a row's
# end (the import itself sends one COPY per table and chunk of 5 000 orders).
_BLOCK = 64 << 20


class Spool:
    """The rows read back, a file per table, compressed (at ten million orders they are
    some 25 GB of text, beside the database and the orders file on the same disk).
    Inflating them is not the database's work: its CPU is kept apart (``inflating``)
    and left out of the floor."""

    def __init__(self, folder: Path | None):
        self._folder = tempfile.TemporaryDirectory(dir=folder, prefix="import-floor-")
        self.inflating = 0.0  # CPU-seconds

    def write(self, table: str, blocks) -> None:
        squeeze = zlib.compressobj(1)
        with Path(self._folder.name, table).open("wb") as out:
            for block in blocks:
                out.write(squeeze.compress(block))
            out.write(squeeze.flush())

    def blocks(self, table: str) -> Iterator[memoryview]:
        """The table's rows in blocks of about ``_BLOCK`` bytes, each ending with a row."""
        inflate = zlib.decompressobj()
        pieces: list[bytes] = []
        size = 0
        started = time.process_time()
        with Path(self._folder.name, table).open("rb") as spooled:
            while squeezed := spooled.read(_BLOCK // 4):
                pieces.append(inflate.decompress(squeezed))
                size += len(pieces[-1])
                if size >= _BLOCK:
                    block = b"".join(pieces)
                    cut = block.rfind(b"\n") + 1
                    pieces, size = [block[cut:]], len(block) - cut
                    self.inflating += time.process_time() - started
                    yield memoryview(block)[:cut]
                    started = time.process_time()
            pieces.append(inflate.flush())
        block = b"".join(pieces)
        self.inflating += time.process_time() - started
        if block:
            yield block

    def cleanup(self) -> None:
        self._folder.cleanup()


def _load(averages: tuple[float, float, float]) -> str:
    return " / ".join(f"{a:.1f}" for a in averages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--exclusive",
        action="store_true",
        help="the import's exclusive first load (a database nobody uses yet)",
    )
    parser.add_argument(
        "--spool",
        type=Path,
        help="where the floor's rows wait on PostgreSQL (default: the temporary folder)",
    )
    args = parser.parse_args()

    _fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from hotline.demo import DIRECTORY
    from hotline.directory.models import Tag
    from hotline.directory.services import directory_import
    from hotline.interchange.order_lines import read_order
    from hotline.orders.bulk import Loader
    from hotline.orders.services.history_import import (
        PARALLEL_FROM,
        TABLES,
        _context,
        orders_import,
        refresh_statistics,
    )

    def fresh() -> None:
        connection.close()
        _fresh_database(args.database_url)
        call_command("migrate", verbosity=0)
        directory_import(folder=DIRECTORY)

    fresh()
    load_before = os.getloadavg()
    cpu = _Cpu(connection)
    started = time.perf_counter()
    result = orders_import(path=args.orders, exclusive=args.exclusive)
    took = time.perf_counter() - started
    import_cpu = cpu.spent()
    import_cpu_total = cpu.total
    load_after = os.getloadavg()
    first_load = bool(result.first_load)

    # What no import can avoid: reading every line and replaying it (one process).
    context = _context()
    replay_started = time.process_time()
    with args.orders.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if text.strip():
                read_order(text, number, context.lookups)
    replay_cpu = time.process_time() - replay_started

    postgres = connection.vendor == "postgresql"
    spool = Spool(args.spool)
    snapshot: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for table, columns in TABLES.items():
            names = ", ".join(columns)
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) TO STDOUT") as copy:
                    spool.write(table, copy)
            else:
                cursor.execute(f"SELECT {names} FROM {table} ORDER BY id")
                # Back to the stored text (the driver parses datetimes on the way out).
                snapshot[table] = [
                    tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in row)
                    for row in cursor.fetchall()
                ]
    tags = list(Tag.objects.order_by("id").values_list("id", "name", "active"))

    fresh()
    # The tags the import added, with the same ids (the rows refer to them).
    known = set(Tag.objects.values_list("id", flat=True))
    Tag.objects.bulk_create(
        [Tag(id=pk, name=name, active=active) for pk, name, active in tags if pk not in known]
    )
    cpu = _Cpu(connection)
    started = time.perf_counter()
    with transaction.atomic():
        loader = Loader(list(TABLES), first_load=first_load)
        try:
            for table, columns in TABLES.items():
                if postgres:
                    for block in spool.blocks(table):
                        loader.write(table, columns, block)
                else:
                    loader.write(table, columns, snapshot[table])
            loader.finish()
        finally:
            loader.close()
    if postgres and result.orders >= PARALLEL_FROM:  # as the import does after its commit
        refresh_statistics(TABLES)
    floor_took = time.perf_counter() - started - spool.inflating  # inflating: one core, no wait
    floor_cpu = cpu.spent(apart=spool.inflating)
    spool.cleanup()

    _ready_for_the_product()
    rows = result.rows
    path = "first load" if first_load else "incremental"
    print(
        f"{connection.vendor}: {result.orders} orders, {rows} rows\n"
        f"  import: {took:.1f} s = {rows / took:,.0f} rows/s "
        f"(index and constraint rebuild {result.rebuild_seconds:.1f} s)\n"
        f"  floor, the same rows through the same loader ({path}) and the same ANALYZE:"
        f" {floor_took:.1f} s "
        f"= {rows / floor_took:,.0f} rows/s (rebuild {loader.rebuild_seconds:.1f} s)\n"
        f"  CPU seconds, {os.cpu_count()} cores; import: {import_cpu}\n"
        f"  floor: {floor_cpu}\n"
        f"  import ÷ floor in CPU: {import_cpu_total / cpu.total:.2f}; the import's CPU ÷ 2 cores:"
        f" {import_cpu_total / 2:.1f} s = {rows / (import_cpu_total / 2):,.0f} rows/s\n"
        f"  load average (1, 5, 15 min) before the import: {_load(load_before)},"
        f" after it: {_load(load_after)}\n"
        f"  reading and replaying the lines alone, in one process: {replay_cpu:.1f}\n"
        f"  left behind: {args.database_url} — the floor's copy of the import, ready for the"
        " product (id sequences, order numbering and planner statistics brought up to date)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
