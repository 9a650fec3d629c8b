"""Periodic report speed against its floor (issue 5: the JSON report ≤ 1 s over 1 million
orders and ≤ 5 s over 10 million, on PostgreSQL).

    python bench/report_speed.py --database-url URL [--month 2025-11] [--year 2025]
    python bench/report_speed.py --database-url URL10 --replicate 10 --template NAME1

The first form times ``hotline.statistics.document.report_document`` — the JSON document
of ``hotline report`` — over the whole range of the orders in the database (from the
first day of the month of the earliest order to the last day of the month of the latest),
over one month and over one year, each as one warm-up and then ``--runs`` runs, and gives
the median. Beside it, the floor: the same figures computed by hand-written DuckDB queries
over the same rows, copied out of PostgreSQL (``COPY (SELECT …) TO STDOUT`` as CSV) into
DuckDB tables once, before timing (the copy is not counted); the floor's counts go
through the same domain functions (rates, ranking, the assessment's score and grade), and
its parts must equal the report's, or the benchmark stops (the parts of the report it
does not compute are named). A run starts only when the
machine's one-minute load average is below ``--max-load`` (it waits up to ``--wait``
seconds, then runs anyway and says so); each line gives the load the runs started at
and, beside the wall time, the CPU seconds of this process (DuckDB's threads included)
and of its PostgreSQL backend: on a busy machine the wall time carries the waiting.
After the timed runs it times each SQL statement of one more report run and prints the
slowest; ``--explain DIR`` writes their ``EXPLAIN (ANALYZE, BUFFERS)`` there, and
``--dashboards`` also times the 本月统计 and leader dashboard pages as of a day in the
latest month with orders.

The second form builds the large database: a copy of database NAME1 (``CREATE DATABASE …
TEMPLATE``) in which every order, with everything that refers to it (events, assignments,
replies, callbacks, extensions, tags, supervision, …), and every call record is there
``--replicate`` times. The copies share the originals' times, so they interleave into the
same months (a month holds ``--replicate`` times as many orders); ids become
``id × N + k`` (k = 0 … N-1, references alike), so that ids still rise with time and the
tables stay in time order on disk as a real history would; order numbers keep their year
and their ``N × sequence + k``; call ids of copy k get ``-k``. Indexes and constraints are
dropped for the load and built again; the tables are vacuumed and analysed. The copy is
left usable by the product: id sequences, the order numbering and the search index's
catch-up mark are brought up to the copies. The audit chains of the copies do not
verify (each order's chain starts from its number, and the copies' numbers are new).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

# --- load ------------------------------------------------------------------------------


def _load() -> float:
    with open("/proc/loadavg", encoding="ascii") as stat:
        return float(stat.read().split()[0])


def _wait_for_quiet(max_load: float, wait: float) -> str:
    """Waits until the one-minute load is below ``max_load`` (at most ``wait`` seconds);
    the load the run starts at, marked when the wait ran out."""
    deadline = time.monotonic() + wait
    while (load := _load()) >= max_load and time.monotonic() < deadline:
        time.sleep(5)
    return f"{load:.2f}" if load < max_load else f"{load:.2f}!"


class _Cpu:
    """CPU seconds of this process and of the database backend serving it (same
    machine), over a stretch of work."""

    def __init__(self):
        from django.db import connection

        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]

    def _backend(self) -> float:
        with open(f"/proc/{self.backend}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        self.started = (time.process_time(), self._backend(), time.perf_counter())
        return self

    def __exit__(self, *exc):
        app, backend, wall = self.started
        self.app = time.process_time() - app
        self.server = self._backend() - backend
        self.wall = time.perf_counter() - wall

    @property
    def total(self) -> float:
        return self.app + self.server


# --- the large database ----------------------------------------------------------------


def replicate(url: str, template: str, copies: int) -> None:
    """Makes the database at ``url`` a copy of ``template`` with its orders, everything
    that refers to them, and its call records there ``copies`` times (see the module
    docstring)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    started = time.perf_counter()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    print(f"copied {template} to {name}: {time.perf_counter() - started:.0f} s", flush=True)

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        step = _Steps()

        def rows(sql: str, params=()) -> list[tuple]:
            return conn.execute(sql, params).fetchall()

        # Orders and call records, and every table that refers to one already taken.
        tables = ["orders_order", "calls_call"]
        links = rows(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f'"
        )
        grown = True
        while grown:
            grown = False
            for child, parent in links:
                if parent in tables and child not in tables:
                    tables.append(child)
                    grown = True
        oids = [rows("SELECT %s::regclass::oid", (t,))[0][0] for t in tables]

        number_max = rows(
            "SELECT max(right(number, 7)::int), bool_and(number ~ '^[0-9]{11}$') FROM orders_order"
        )[0]
        if not number_max[1] or (number_max[0] or 0) * copies + copies - 1 >= 10**7:
            raise SystemExit("order numbers do not leave room for the copies")

        # Constraints and indexes to drop for the load and build again after it.
        constraints = rows(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE contype IN ('f', 'u') "
            "AND (conrelid = ANY(%s) OR confrelid = ANY(%s)) "
            "ORDER BY contype = 'f', conname",
            (oids, oids),
        )
        indexes = rows(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s) AND NOT i.indisprimary AND i.indexrelid NOT IN "
            "(SELECT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x'))",
            (oids,),
        )
        # Which columns point at a replicated table (their values move with the ids).
        moved: dict[str, set[str]] = {t: {"id"} for t in tables}  # a missing "id" moves nothing
        for table, column in rows(
            "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND c.conrelid = ANY(%s) AND c.confrelid = ANY(%s)",
            (oids, oids),
        ):
            moved[table].add(column)
        for table, constraint, _, _ in reversed(constraints):
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        for index, _ in indexes:
            conn.execute(f"DROP INDEX {index}")

        # The primary key of each table (the search index's rows are keyed by their order).
        keys = dict(
            rows(
                "SELECT i.indrelid::regclass::text, a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                "WHERE i.indisprimary AND i.indrelid = ANY(%s)",
                (oids,),
            )
        )
        sources = {}
        for table in tables:
            source = f"replica_source_{table}"
            conn.execute(f"DROP TABLE IF EXISTS {source}")
            conn.execute(
                f"CREATE UNLOGGED TABLE {source} AS SELECT * FROM {table} ORDER BY {keys[table]}"
            )
            sources[table] = source
        step(f"read {len(tables)} tables")
        conn.execute(f"TRUNCATE {', '.join(tables)}")

        for table in tables:
            columns = [
                c
                for (c,) in rows(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                    (table,),
                )
            ]
            values = []
            for column in columns:
                if column in moved[table]:
                    values.append(f"{column} * {copies} + replica_k")
                elif (table, column) == ("orders_order", "number"):
                    values.append(
                        f"left(number, 4) || lpad((right(number, 7)::int * {copies} "
                        "+ replica_k)::text, 7, '0')"
                    )
                elif (table, column) in {
                    ("orders_order", "call_id"),
                    ("orders_order", "external_ref"),
                    ("calls_call", "external_id"),
                }:
                    values.append(
                        f"CASE WHEN replica_k = 0 OR {column} = '' THEN {column} "
                        f"ELSE {column} || '-' || replica_k END"
                    )
                else:
                    values.append(column)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                f"FROM (SELECT s.*, generate_series(0, {copies - 1}) AS replica_k "
                f"FROM {sources[table]} s) AS s"
            )
            conn.execute(f"DROP TABLE {sources[table]}")
            step(f"wrote {table}")

        for _, definition in indexes:
            conn.execute(definition)
        step(f"built {len(indexes)} indexes")
        for table, constraint, definition, _ in constraints:
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {definition}')
        step(f"added {len(constraints)} unique and foreign-key constraints")
        for table in tables:
            if keys[table] != "id":
                continue
            sequence = rows("SELECT pg_get_serial_sequence(%s, 'id')", (table,))[0][0]
            if sequence:
                conn.execute(
                    f"SELECT setval('{sequence}', (SELECT coalesce(max(id), 0) + 1 FROM {table}), "
                    "false)"
                )
        conn.execute(
            "UPDATE orders_ordersequence s SET last = m.last FROM (SELECT left(number, 4)::int "
            "AS year, max(right(number, 7)::int) AS last FROM orders_order GROUP BY 1) m "
            "WHERE s.year = m.year"
        )
        # The search index's catch-up mark: every order up to it had its terms, and so
        # have all copies of those orders (else the catch-up would walk them all again).
        conn.execute(
            f"UPDATE orders_ordertextmark SET through = through * {copies} + {copies - 1} "
            "WHERE through > 0"
        )
        for table in tables:
            conn.execute(f"VACUUM (ANALYZE) {table}")
        step("vacuumed and analysed")
        counts = {t: rows(f"SELECT count(*) FROM {t}")[0][0] for t in tables[:2]}
        size = rows("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
        print(
            f"{name}: {counts['orders_order']:,} orders, {counts['calls_call']:,} call "
            f"records, {size}; {time.perf_counter() - started:.0f} s in all",
            flush=True,
        )


class _Steps:
    def __init__(self):
        self.last = time.perf_counter()

    def __call__(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what}: {now - self.last:.0f} s", flush=True)
        self.last = now


# --- the floor: the same rows in DuckDB ------------------------------------------------

# DuckDB table: (PostgreSQL query, DuckDB columns). Times leave PostgreSQL as UTC.
EXPORTS = {
    "orders": (
        "SELECT id, received_at AT TIME ZONE 'UTC', channel, appeal_type, category_id, "
        "disposition, reject_reason, lead_unit_id, urgent, concluded_at AT TIME ZONE 'UTC', "
        "on_time FROM orders_order",
        "id BIGINT, received_at TIMESTAMP, channel VARCHAR, appeal_type VARCHAR, "
        "category_id BIGINT, disposition VARCHAR, reject_reason VARCHAR, lead_unit_id BIGINT, "
        "urgent BOOLEAN, concluded_at TIMESTAMP, on_time BOOLEAN",
    ),
    "order_tags": (
        "SELECT order_id, tag_id FROM orders_order_tags",
        "order_id BIGINT, tag_id BIGINT",
    ),
    "tags": ("SELECT id, name FROM directory_tag", "id BIGINT, name VARCHAR"),
    "categories": (
        "SELECT id, name, level, parent_id FROM directory_category",
        "id BIGINT, name VARCHAR, level INTEGER, parent_id BIGINT",
    ),
    "units": (
        "SELECT id, name, active, parent_id FROM directory_unit",
        "id BIGINT, name VARCHAR, active BOOLEAN, parent_id BIGINT",
    ),
    "assignments": (
        "SELECT id, order_id, unit_id, role, assigned_at AT TIME ZONE 'UTC', "
        "ended_at AT TIME ZONE 'UTC', falls_due_at AT TIME ZONE 'UTC', excluded "
        "FROM orders_assignment",
        "id BIGINT, order_id BIGINT, unit_id BIGINT, role VARCHAR, assigned_at TIMESTAMP, "
        "ended_at TIMESTAMP, falls_due_at TIMESTAMP, excluded BOOLEAN",
    ),
    "replies": (
        "SELECT order_id, at AT TIME ZONE 'UTC', decision FROM orders_reply",
        "order_id BIGINT, at TIMESTAMP, decision VARCHAR",
    ),
    "callbacks": (
        "SELECT id, order_id, kind, result, at AT TIME ZONE 'UTC', rework, appeal_upheld "
        "FROM orders_callback",
        "id BIGINT, order_id BIGINT, kind VARCHAR, result VARCHAR, at TIMESTAMP, "
        "rework BOOLEAN, appeal_upheld BOOLEAN",
    ),
    "extensions": (
        "SELECT order_id, granted, decided_at AT TIME ZONE 'UTC' FROM orders_extension",
        "order_id BIGINT, granted BOOLEAN, decided_at TIMESTAMP",
    ),
    "events": (
        "SELECT order_id, type, at AT TIME ZONE 'UTC' FROM orders_event",
        "order_id BIGINT, type VARCHAR, at TIMESTAMP",
    ),
    "calls": (
        "SELECT started_at AT TIME ZONE 'UTC', answered FROM calls_call",
        "started_at TIMESTAMP, answered BOOLEAN",
    ),
}


def floor_database(url: str, folder: Path, *, reload: bool = False):
    """A DuckDB database in ``folder`` holding the rows the report reads, copied from
    PostgreSQL (again when the row counts changed or ``reload``)."""
    import duckdb
    import psycopg

    folder.mkdir(parents=True, exist_ok=True)
    path, marker = folder / "report.duckdb", folder / "source.json"
    with psycopg.connect(url) as conn:
        counts = {
            name: conn.execute(f"SELECT count(*) FROM ({query}) AS t").fetchone()[0]
            for name, (query, _) in EXPORTS.items()
        }
        fresh = path.exists() and marker.exists() and json.loads(marker.read_text()) == counts
        if fresh and not reload:
            return duckdb.connect(str(path)), counts, None
        path.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        db = duckdb.connect(str(path))
        for name, (query, columns) in EXPORTS.items():
            target = folder / f"{name}.csv"
            with (
                target.open("wb") as out,
                conn.cursor().copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy,
            ):
                for block in copy:
                    out.write(block)
            spec = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in columns.split(", "))
            db.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv('{target}', header = false, "
                f"columns = {{{spec}}}, auto_detect = false)"
            )
            target.unlink()
        db.execute("CHECKPOINT")
    marker.write_text(json.dumps(counts))
    return db, counts, time.perf_counter() - started


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


FLOOR_INTAKE = """
SELECT disposition, reject_reason, count(*) AS n FROM orders
WHERE received_at >= $start AND received_at < $until GROUP BY ALL
"""

FLOOR_HANDLING = """
WITH dispatched AS (
    SELECT id, urgent, concluded_at <= $made_at AS concluded,
           concluded_at <= $made_at AND on_time AS on_time
    FROM orders
    WHERE received_at >= $start AND received_at < $until AND disposition = 'dispatched'),
extended AS (
    SELECT DISTINCT order_id FROM extensions e SEMI JOIN dispatched d ON d.id = e.order_id
    WHERE granted AND decided_at <= $made_at),
moved AS (
    SELECT order_id, bool_or(type = 'return') AS returned
    FROM events e SEMI JOIN dispatched d ON d.id = e.order_id
    WHERE type IN ('return', 'redispatch') AND "at" <= $made_at GROUP BY order_id)
SELECT count(*) FILTER (WHERE concluded) AS concluded,
       count(*) FILTER (WHERE on_time) AS on_time,
       count(*) FILTER (WHERE urgent) AS urgent,
       count(*) FILTER (WHERE urgent AND on_time) AS urgent_on_time,
       count(x.order_id) AS extended,
       count(*) FILTER (WHERE m.returned) AS returned,
       count(*) FILTER (WHERE m.order_id IS NULL) AS first_kept
FROM dispatched d LEFT JOIN extended x ON x.order_id = d.id
     LEFT JOIN moved m ON m.order_id = d.id
"""

FLOOR_CALLBACKS = """
SELECT result, count(*) AS n FROM (
    -- Each order's latest callback, by time and then by id (ids < 2^32: one integer key).
    SELECT o.id, arg_max(c.result, epoch_us(c."at")::HUGEINT * 4294967296 + c.id) AS result
    FROM orders o LEFT JOIN callbacks c
         ON c.order_id = o.id AND c.kind = 'callback' AND c."at" <= $made_at
    WHERE o.received_at >= $start AND o.received_at < $until
      AND list_contains($scope, o.disposition)
    GROUP BY o.id)
GROUP BY ALL
"""

FLOOR_LISTS = {
    "appeal_types": """
SELECT appeal_type, count(*) FROM orders
WHERE received_at >= $start AND received_at < $until GROUP BY ALL""",
    "channels": """
SELECT channel, count(*) FROM orders
WHERE received_at >= $start AND received_at < $until GROUP BY ALL""",
    "categories": """
SELECT CASE WHEN c.level = 3 THEN p.name ELSE c.name END, count(*)
FROM orders o JOIN categories c ON c.id = o.category_id
     LEFT JOIN categories p ON p.id = c.parent_id
WHERE o.received_at >= $start AND o.received_at < $until GROUP BY ALL""",
    "units": """
SELECT u.name, count(*) FROM orders o JOIN units u ON u.id = o.lead_unit_id
WHERE o.received_at >= $start AND o.received_at < $until AND o.disposition = 'dispatched'
GROUP BY ALL""",
    "tags": """
SELECT t.name, count(*) FROM order_tags ot JOIN orders o ON o.id = ot.order_id
     JOIN tags t ON t.id = ot.tag_id
WHERE o.received_at >= $start AND o.received_at < $until GROUP BY ALL""",
}

FLOOR_CALLS = """
SELECT count(*) FILTER (WHERE started_at >= $start AND started_at < $until),
       count(*) FILTER (WHERE started_at >= $start AND started_at < $until AND answered),
       count(*) FILTER (WHERE started_at >= $yb_start AND started_at < $yb_until),
       count(*) FILTER (WHERE started_at >= $pp_start AND started_at < $pp_until)
FROM calls
WHERE started_at >= $start AND started_at < $until
   OR started_at >= $yb_start AND started_at < $yb_until
   OR started_at >= $pp_start AND started_at < $pp_until
"""

FLOOR_COMPARE = """
SELECT CASE WHEN received_at >= $yb_start AND received_at < $yb_until THEN 'year_on_year'
            ELSE 'period_on_period' END AS earlier,
       count(*) AS accepted,
       count(*) FILTER (WHERE disposition IN ('answered', 'harassment', 'invalid'))
           AS resolved_at_intake,
       count(*) FILTER (WHERE disposition = 'dispatched') AS dispatched,
       count(*) FILTER (WHERE disposition = 'dispatched' AND concluded_at <= $made_at)
           AS concluded
FROM orders
WHERE received_at >= $yb_start AND received_at < $yb_until
   OR received_at >= $pp_start AND received_at < $pp_until
GROUP BY ALL
"""

# The two periods may overlap (a range longer than a year): counted apart then.
FLOOR_COMPARE_ONE = """
SELECT count(*),
       count(*) FILTER (WHERE disposition IN ('answered', 'harassment', 'invalid')),
       count(*) FILTER (WHERE disposition = 'dispatched'),
       count(*) FILTER (WHERE disposition = 'dispatched' AND concluded_at <= $made_at)
FROM orders WHERE received_at >= $start AND received_at < $until
"""

FLOOR_ASSESSMENT = """
WITH held AS (
    SELECT id, order_id, unit_id, assigned_at, falls_due_at >= $start AS now
    FROM assignments
    WHERE role = 'lead' AND (ended_at IS NULL OR ended_at > $made_at)
      AND assigned_at <= $made_at AND NOT excluded
      AND falls_due_at >= $first AND falls_due_at < $until AND falls_due_at <= $made_at),
reworked AS (
    SELECT h.id FROM held h JOIN replies r ON r.order_id = h.order_id
    WHERE r."at" >= h.assigned_at AND r."at" <= $made_at AND r.decision = 'rework'
    UNION
    SELECT h.id FROM held h JOIN callbacks c ON c.order_id = h.order_id
    WHERE c."at" >= h.assigned_at AND c."at" <= $made_at AND c.rework),
heard AS (
    SELECT h.unit_id, h.now,
           count(*) FILTER (WHERE c.appeal_upheld IS DISTINCT FROM true
                            AND c.kind = 'callback' AND c.result <> 'unreachable') AS reached,
           count(*) FILTER (WHERE c.kind = 'callback'
                            AND c.result IN ('satisfied', 'basically_satisfied')) AS satisfied,
           count(*) FILTER (WHERE c.appeal_upheld IS DISTINCT FROM true
                            AND c.result = 'unsatisfied') AS unsatisfied
    FROM held h JOIN callbacks c ON c.order_id = h.order_id
    WHERE c."at" >= h.assigned_at AND c."at" <= $made_at
    GROUP BY ALL),
due AS (
    SELECT h.unit_id, h.now, count(*) AS due,
           count(*) FILTER (WHERE o.concluded_at <= $made_at) AS handled,
           count(*) FILTER (WHERE o.concluded_at <= $made_at AND NOT o.on_time) AS overdue,
           count(w.id) AS rework
    FROM held h JOIN orders o ON o.id = h.order_id LEFT JOIN reworked w ON w.id = h.id
    GROUP BY ALL)
SELECT d.unit_id, d.now, d.due, d.handled, d.overdue, d.rework,
       coalesce(e.reached, 0), coalesce(e.satisfied, 0), coalesce(e.unsatisfied, 0)
FROM due d LEFT JOIN heard e ON e.unit_id = d.unit_id AND e.now = d.now
"""


def floor_document(db, *, start: date, end: date, made_at: datetime, scope, rule) -> dict:
    """The report's document from the DuckDB copy: every count by a hand-written query,
    the rest by the same domain functions as ``report_document``."""
    from hotline.domain.assessment import UnitCounts, assess
    from hotline.domain.enums import AppealType, Channel, Disposition, RejectReason
    from hotline.domain.statistics import (
        TOP,
        Period,
        callback_dispositions,
        change,
        count_list,
        per_day,
        ranked_mapping,
        rate,
        share_list,
        top_share,
    )
    from hotline.statistics.assessment import _fraction, _grade

    period = Period(start, end)
    earlier = {"year_on_year": period.year_before(), "period_on_period": period.previous()}
    bounds = {"": period.bounds(), "yb_": earlier["year_on_year"].bounds()}
    bounds["pp_"] = earlier["period_on_period"].bounds()
    params = {"made_at": _utc(made_at)}
    for prefix, (since, until) in bounds.items():
        params[f"{prefix}start"], params[f"{prefix}until"] = _utc(since), _utc(until)
    current = {k: params[k] for k in ("start", "until", "made_at")}

    def query(sql: str, values: dict) -> list[tuple]:
        used = set(re.findall(r"\$(\w+)", sql))
        return db.execute(sql, {k: v for k, v in values.items() if k in used}).fetchall()

    # Calls and intake.
    offered, answered, yb_offered, pp_offered = query(FLOOR_CALLS, {**params})[0][:4]
    outcomes: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for disposition, reason, n in query(FLOOR_INTAKE, current):
        outcomes[disposition] = outcomes.get(disposition, 0) + n
        if disposition == Disposition.REJECTED and reason:
            reasons[reason] = reasons.get(reason, 0) + n
    accepted = sum(outcomes.values())
    resolved = sum(outcomes.get(d, 0) for d in ("answered", "harassment", "invalid"))
    dispatched = outcomes.get("dispatched", 0)
    intake = {
        "accepted": accepted,
        "resolved_at_intake": resolved,
        "resolved_at_intake_rate": rate(resolved, accepted),
        "dispatched": dispatched,
        "rejected": outcomes.get("rejected", 0),
        "rejected_by_reason": ranked_mapping(
            {RejectReason(r).label: n for r, n in reasons.items() if r in set(RejectReason)}
        ),
        "harassment": outcomes.get("harassment", 0),
        "invalid": outcomes.get("invalid", 0),
    }

    concluded, on_time, urgent, urgent_on_time, extended, returned, first_kept = query(
        FLOOR_HANDLING, current
    )[0]
    handling = {
        "concluded": concluded,
        "concluded_rate": rate(concluded, dispatched),
        "on_time": on_time,
        "on_time_rate": rate(on_time, concluded),
        "urgent": urgent,
        "urgent_on_time": urgent_on_time,
        "extended": extended,
        "returned": returned,
        "first_dispatch_accuracy": rate(first_kept, dispatched),
    }

    in_scope = [d.value for d in callback_dispositions(scope)]
    by_result = dict(query(FLOOR_CALLBACKS, {**current, "scope": in_scope}))
    needed = sum(by_result.values())
    done = needed - by_result.get(None, 0)
    reached = done - by_result.get("unreachable", 0)
    satisfied = by_result.get("satisfied", 0) + by_result.get("basically_satisfied", 0)
    callbacks = {
        "needed": needed,
        "done": done,
        "rate": rate(done, needed),
        "reached": reached,
        "satisfied": satisfied,
        "satisfaction_rate": rate(satisfied, reached),
    }

    lists = {name: query(sql, current) for name, sql in FLOOR_LISTS.items()}
    top = share_list(dict(lists["units"]), dispatched, limit=TOP)

    # 同比 and 环比.
    yb, pp = earlier["year_on_year"].bounds(), earlier["period_on_period"].bounds()
    if yb[1] <= pp[0] or pp[1] <= yb[0]:
        counted = {row[0]: row[1:] for row in query(FLOOR_COMPARE, {**params})}
    else:
        counted = {
            key: query(
                FLOOR_COMPARE_ONE,
                {"start": _utc(b[0]), "until": _utc(b[1]), "made_at": params["made_at"]},
            )[0]
            for key, b in (("year_on_year", yb), ("period_on_period", pp))
        }
    figures = ("accepted", "resolved_at_intake", "dispatched", "concluded")
    now = {"accepted": accepted, "resolved_at_intake": resolved, "dispatched": dispatched}
    now |= {"concluded": concluded, "offered": offered}
    compare = {}
    for key, earlier_period in earlier.items():
        values = dict(zip(figures, counted.get(key, (0, 0, 0, 0)), strict=True))
        values["offered"] = yb_offered if key == "year_on_year" else pp_offered
        compare[key] = {
            "period": earlier_period.as_json(),
            **{f: change(now[f], values[f]) for f in (*figures, "offered")},
        }

    # The unit assessment.
    unit_rows = query("SELECT id, name, active AND parent_id IS NULL FROM units", {})
    names = {pk: name for pk, name, _ in unit_rows}
    assessed = query(
        FLOOR_ASSESSMENT,
        {**current, "first": _utc(period.previous().bounds()[0])},
    )
    now_counts: dict[int, UnitCounts] = {}
    before_counts: dict[int, UnitCounts] = {}
    for unit_id, is_now, due, handled, overdue, rework, reached_, satisfied_, unsat in assessed:
        (now_counts if is_now else before_counts)[unit_id] = UnitCounts(
            due=due,
            handled=handled,
            overdue=overdue,
            rework=rework,
            reached=reached_,
            satisfied=satisfied_,
            spot_unsatisfied=unsat,
        )
    items = []
    for unit_id, counts in now_counts.items():
        result = assess(counts, rule)
        items.append(
            {
                "unit": names[unit_id],
                "due": counts.due,
                "handled": counts.handled,
                "handled_rate": _fraction(result.handled_rate),
                "overdue": counts.overdue,
                "on_time_rate": _fraction(result.on_time_rate),
                "rework": counts.rework,
                "rework_rate": _fraction(result.rework_rate),
                "spot_unsatisfied": counts.spot_unsatisfied,
                "satisfaction_rate": _fraction(result.satisfaction_rate),
                "score": result.score,
                "grade": result.grade,
                "previous_grade": _grade(before_counts.get(unit_id), rule),
            }
        )
    items.sort(key=lambda item: (-item["score"], item["unit"]))
    idle = sorted(name for pk, name, member in unit_rows if member and pk not in now_counts)

    return {
        "period": period.as_json(),
        "calls": {
            "offered": offered,
            "answered": answered,
            "answer_rate": rate(answered, offered),
            "daily_offered": per_day(offered, period.days),
        },
        "intake": intake,
        "handling": handling,
        "callbacks": callbacks,
        "appeal_types": share_list(
            {AppealType(c).label: n for c, n in lists["appeal_types"]}, accepted
        ),
        "top_categories": _merged_shares(lists["categories"], accepted, share_list, TOP),
        "top_units": {"units": top, "top10_share": top_share(top, dispatched)},
        "channels": count_list({Channel(c).label: n for c, n in lists["channels"]}),
        "tags": count_list(dict(lists["tags"])),
        "assessment": items,
        "idle_units": idle,
        "compare": compare,
    }


def _agrees(floor, document) -> bool:
    """The floor's figures are the document's: the floor counts SPEC 7's first figures
    (not the later additions — rates, districts, lines, topics… — nor every key of a
    row), so every key it has must hold the document's value."""
    if isinstance(floor, dict):
        return isinstance(document, dict) and all(
            _agrees(value, document.get(key)) for key, value in floor.items()
        )
    if isinstance(floor, list):
        return (
            isinstance(document, list)
            and len(floor) == len(document)
            and all(_agrees(a, b) for a, b in zip(floor, document, strict=True))
        )
    return floor == document


def _merged_shares(rows, total, share_list, limit):
    counts: dict[str, int] = {}
    for name, n in rows:  # two catalogue entries of one name are one topic
        counts[name] = counts.get(name, 0) + n
    return share_list(counts, total, limit=limit)


# --- timing ----------------------------------------------------------------------------


def _timed(run, *, runs: int, max_load: float, wait: float):
    """One warm-up, then ``runs`` runs each started when the machine is quiet: the
    warm-up's result, the wall and CPU times (this process, with DuckDB's threads, and
    the connection's PostgreSQL backend) and the loads the runs started at."""
    result = run()
    times, cpus, loads = [], [], []
    for _ in range(runs):
        loads.append(_wait_for_quiet(max_load, wait))
        with _Cpu() as cpu:
            run()
        times.append(cpu.wall)
        cpus.append(cpu.total)
    return result, times, cpus, loads


def _statement_profile(run) -> list[tuple[float, str, tuple]]:
    """Each SQL statement of one run with its time, slowest first."""
    from django.db import connection

    seen: list[tuple[float, str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(wrapper):
        run()
    return sorted(seen, key=lambda item: -item[0])


def _label(sql: str) -> str:
    """What a statement of ``report_document`` counts, for the printout."""
    hints = [
        ("assessment: due, handled, overdue, rework", ("orders_assignment", "orders_reply")),
        ("assessment: callbacks", ("orders_assignment",)),
        ("handling", ("orders_extension",)),
        ("callbacks", ("orders_callback",)),
        ("compare: calls", ("calls_call", " OR ")),
        ("calls", ("calls_call",)),
        ("tags", ("orders_order_tags",)),
        ("top categories", ("directory_category",)),
        ("top units", ("directory_unit", "lead_unit")),
        ("intake", ("reject_reason",)),
        ("compare: orders", ("orders_order", " OR ")),
        ("appeal types", ('GROUP BY "orders_order"."appeal_type"',)),
        ("channels", ('GROUP BY "orders_order"."channel"',)),
    ]
    for name, needles in hints:
        if all(needle in sql for needle in needles):
            return name
    return sql.split(" FROM ", 1)[-1].split()[0].strip('"')


def _explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, SETTINGS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _dashboards(*, at: datetime, runs: int, max_load: float, wait: float) -> list[str]:
    """The 本月统计 and leader dashboard pages, as the leader, with the clock at ``at``."""
    from unittest import mock

    from django.conf import settings
    from django.test import Client

    from hotline.accounts.models import User
    from hotline.demo import setup

    settings.ALLOWED_HOSTS = ["testserver"]
    setup.ensure_accounts(settings.VAR_DIR / "bench-password")
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    lines = []
    with mock.patch("django.utils.timezone.now", return_value=at):
        for name, path in (
            ("本月统计 /statistics/", "/statistics/"),
            ("领导看板 /leader/", "/leader/"),
        ):

            def get(path=path):
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")

            _, times, cpus, loads = _timed(get, runs=runs, max_load=max_load, wait=wait)
            lines.append(
                f"  {name}: median {statistics.median(times):.3f} s, CPU "
                f"{statistics.median(cpus):.3f} s (runs {', '.join(f'{t:.3f}' for t in times)};"
                f" load {', '.join(loads)})"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--replicate", type=int, metavar="N")
    parser.add_argument("--template", help="the database to replicate (with --replicate)")
    parser.add_argument("--month", default="2025-11")
    parser.add_argument("--year", default="2025")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-load", type=float, default=1.2)
    parser.add_argument("--wait", type=float, default=1800, help="seconds to wait for quiet")
    parser.add_argument("--work-dir", type=Path, help="where the DuckDB copy is kept")
    parser.add_argument("--reload", action="store_true", help="copy the rows to DuckDB again")
    parser.add_argument("--explain", type=Path, metavar="DIR")
    parser.add_argument("--dashboards", action="store_true")
    parser.add_argument(
        "--unchecked",
        action="store_true",
        help="time the floor even where its figures differ from the report's (named)",
    )
    parser.add_argument("--only", choices=["all", "month", "year"], nargs="*")
    parser.add_argument(
        "--facts",
        action="store_true",
        help="build the per-day counts (report_facts), then time the report read from them "
        "against the report counted from the orders and the floor, interleaved, in CPU seconds",
    )
    parser.add_argument("--rebuild", action="store_true", help="with --facts: build them anew")
    args = parser.parse_args()

    if args.replicate:
        if not args.template:
            parser.error("--replicate needs --template")
        replicate(args.database_url, args.template, args.replicate)
        return

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from hotline.configuration.selectors import assessment_rule, callback_scope
    from hotline.domain.deadlines import LOCAL_TZ
    from hotline.domain.statistics import Period
    from hotline.orders.models import Order
    from hotline.statistics.document import report_document
    from hotline.statistics.periods import period_parse

    name = urlparse(args.database_url).path.lstrip("/")
    folder = args.work_dir or Path(tempfile.gettempdir()) / f"report_speed_{name}"
    db, counts, load_took = floor_database(args.database_url, folder, reload=args.reload)
    import duckdb

    db.execute(f"SET threads = {os.cpu_count()}")
    span = Order.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
    first = span["first"].astimezone(LOCAL_TZ).date().replace(day=1)
    last = span["last"].astimezone(LOCAL_TZ).date()
    whole = Period(first, Period.month(last.year, last.month).end)
    periods = {
        "all": ("whole range", whole),
        "year": ("one year", period_parse(args.year)),
        "month": ("one month", period_parse(args.month)),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"{name}: {counts['orders']:,} orders, {counts['calls']:,} call records, "
        f"{counts['events']:,} events, {counts['assignments']:,} assignments, "
        f"{counts['callbacks']:,} callbacks; PostgreSQL {server}, DuckDB "
        f"{duckdb.__version__}, {os.cpu_count()} cores"
    )
    if load_took is not None:
        print(f"  rows copied to DuckDB in {load_took:.0f} s (not counted)")
    sys.stdout.flush()

    scope, rule = callback_scope(), assessment_rule()
    if args.facts:
        _facts_bench(args, periods, db, scope, rule)
        return
    rows = []
    for key in args.only or ("all", "year", "month"):
        label, period = periods[key]
        made_at = timezone.now()

        def report(period=period):
            return report_document(start=period.start, end=period.end)

        def floor(period=period, made_at=made_at):
            return floor_document(
                db, start=period.start, end=period.end, made_at=made_at, scope=scope, rule=rule
            )

        document, times, cpus, loads = _timed(
            report, runs=args.runs, max_load=args.max_load, wait=args.wait
        )
        floor_result, floor_times, floor_cpus, floor_loads = _timed(
            floor, runs=args.runs, max_load=args.max_load, wait=args.wait
        )
        # The report has grown parts the floor does not compute (violations, districts,
        # lines, topics …): the parts the floor has must be equal, the others are named.
        differ = [
            part for part in floor_result if not _agrees(floor_result[part], document.get(part))
        ]
        if differ and args.unchecked:
            print(f"  the floor's figures differ from the report's in: {', '.join(differ)}")
        elif differ:
            for part in differ:
                print(f"  {part}: report {document.get(part)!r}\n  floor  {floor_result[part]!r}")
            raise SystemExit(f"{label}: the floor's figures differ from the report's")
        beyond = [part for part in document if part not in floor_result]
        if beyond:
            print(f"  the report's parts the floor does not compute: {', '.join(beyond)}")
        accepted = document["intake"]["accepted"]
        median, floor_median = statistics.median(times), statistics.median(floor_times)
        spent, floor_spent = statistics.median(cpus), statistics.median(floor_cpus)
        rows.append((label, period, accepted, median, floor_median, spent, floor_spent))
        print(
            f"{label} {period.start} – {period.end}: {accepted:,} orders\n"
            f"  report_document: median {median:.3f} s, CPU {spent:.3f} s "
            f"(runs {', '.join(f'{t:.3f}' for t in times)}; load {', '.join(loads)})\n"
            f"  floor (DuckDB):  median {floor_median:.3f} s, CPU {floor_spent:.3f} s "
            f"(runs {', '.join(f'{t:.3f}' for t in floor_times)}; "
            f"load {', '.join(floor_loads)}); "
            + (f"figures differ in {', '.join(differ)}" if differ else "the same figures")
        )
        _wait_for_quiet(args.max_load, args.wait)
        profile = _statement_profile(report)
        total = sum(t for t, _, _ in profile)
        print(f"  {len(profile)} statements, {total:.3f} s in the database; slowest:")
        for index, (took, sql, params) in enumerate(profile[:5], start=1):
            print(f"    {took:.3f} s  {_label(sql)}")
            if args.explain:
                args.explain.mkdir(parents=True, exist_ok=True)
                out = args.explain / f"{name}-{key}-{index}.txt"
                out.write_text(f"{sql}\n{params!r}\n\n{_explain(sql, params)}\n")
        sys.stdout.flush()

    print(
        "\n| period | orders | report_document wall | CPU (app + server) | floor (DuckDB) wall "
        "| floor CPU | ratio by CPU |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, period, accepted, median, floor_median, spent, floor_spent in rows:
        print(
            f"| {label} ({period.start} – {period.end}) | {accepted:,} | {median:.2f} s "
            f"| {spent:.2f} s | {floor_median:.3f} s | {floor_spent:.3f} s "
            f"| {spent / floor_spent:.1f}× |"
        )

    if args.dashboards:
        at = datetime.combine(
            last.replace(day=min(last.day, 28)), datetime.min.time(), LOCAL_TZ
        ) + timedelta(hours=16)
        print(f"dashboards, the clock at {at.isoformat()}:")
        for line in _dashboards(at=at, runs=args.runs, max_load=args.max_load, wait=args.wait):
            print(line)


def _facts_bench(args, periods, db, scope, rule) -> None:
    """The per-day counts built (or brought up to date), then per period, ``--runs``
    rounds of: the report read from them, the report counted from the orders, the
    DuckDB floor — each started when the machine is quiet, its CPU seconds (this
    process and its database backend) and wall time taken."""
    from django.db import transaction
    from django.utils import timezone

    from hotline.statistics.day_facts import report_facts
    from hotline.statistics.document import report_document
    from hotline.statistics.models import DayFact, FactsState

    if args.rebuild:
        with transaction.atomic():
            FactsState.objects.all().delete()
            DayFact.objects.all().delete()
    load = _wait_for_quiet(args.max_load, args.wait)
    with _Cpu() as cpu:
        summary = report_facts(now=timezone.now())
    print(
        f"report_facts: {summary}; {DayFact.objects.count():,} rows; {cpu.app:.1f} CPU-s app + "
        f"{cpu.server:.1f} CPU-s server, {cpu.wall:.1f} s wall (load {load})",
        flush=True,
    )

    def stored(period):
        return report_document(start=period.start, end=period.end)

    def from_orders(period):
        with transaction.atomic():
            FactsState.objects.all().delete()
            document = report_document(start=period.start, end=period.end)
            transaction.set_rollback(True)
        return document

    table = []
    for key in args.only or ("year", "month"):
        label, period = periods[key]
        made_at = timezone.now()

        def floor(period, made_at=made_at):
            return floor_document(
                db, start=period.start, end=period.end, made_at=made_at, scope=scope, rule=rule
            )

        ways = {"per-day counts": stored, "from the orders": from_orders, "floor (DuckDB)": floor}
        results = {name: run(period) for name, run in ways.items()}
        if results["per-day counts"] != results["from the orders"]:
            raise SystemExit(f"{label}: the per-day counts' document differs")
        if not _agrees(results["floor (DuckDB)"], results["per-day counts"]):
            raise SystemExit(f"{label}: the floor's figures differ from the report's")
        spent: dict[str, list] = {name: [] for name in ways}
        for _ in range(args.runs):
            for name, run in ways.items():
                load = _wait_for_quiet(args.max_load, args.wait)
                with _Cpu() as cpu:
                    run(period)
                spent[name].append((cpu.total, cpu.app, cpu.server, cpu.wall, load))
        accepted = results["per-day counts"]["intake"]["accepted"]
        print(f"{label} {period.start} – {period.end}: {accepted:,} orders")
        medians = {}
        for name, runs in spent.items():
            medians[name] = [statistics.median(r[i] for r in runs) for i in range(4)]
            total, app, server, wall = medians[name]
            print(
                f"  {name}: median {total:.3f} CPU-s ({app:.3f} app + {server:.3f} server), "
                f"{wall:.3f} s wall; runs {', '.join(f'{r[0]:.3f}' for r in runs)} CPU-s; "
                f"load {', '.join(r[4] for r in runs)}"
            )
        table.append((label, period, accepted, medians))
        profile = _statement_profile(lambda period=period: stored(period))
        print(f"  per-day counts: {len(profile)} statements; slowest:")
        for took, sql, _ in profile[:6]:
            print(f"    {took:.3f} s  {_label(sql)}")
        sys.stdout.flush()
    print("\n| period | orders | per-day counts | from the orders | floor (DuckDB) | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, period, accepted, medians in table:
        facts_, orders_, floor_ = (
            medians[n] for n in ("per-day counts", "from the orders", "floor (DuckDB)")
        )
        print(
            f"| {label} ({period.start} – {period.end}) | {accepted:,} "
            f"| {facts_[0]:.3f} CPU-s, {facts_[3]:.3f} s "
            f"| {orders_[0]:.2f} CPU-s, {orders_[3]:.2f} s "
            f"| {floor_[0]:.3f} CPU-s, {floor_[3]:.3f} s | {facts_[0] / floor_[0]:.1f}× |"
        )


if __name__ == "__main__":
    main()
