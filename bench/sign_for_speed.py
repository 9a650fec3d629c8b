"""The sign-for statements (签收及时率: ``sign_for_city`` for the report's handling figures,
``sign_for_by_unit`` under the assessment's ``sign_for_rows``) against their floor, with
and without the ``event_order_sign_for`` index, with the planner's column statistics
fresh and missing (as after a large load, before autovacuum analyses the tables).

    python bench/sign_for_speed.py --database-url URL [--month 2026-09] [--runs 3]
                                   [--skip-slow]

On a PostgreSQL database holding a city's history (``hotline generate`` + ``hotline
import orders``). Each case runs in a transaction that is rolled back: "without the
index" drops it inside the transaction, "statistics missing" deletes the tables'
``pg_statistic`` rows inside it, so the database is left as it was. The statements run
with the report's session settings (``REPORT_SETTINGS``: no JIT), as the report runs
them. The cases are interleaved, case by case, with the floor: the same lead
assignments counted and their orders' sign-for events read once by the
``event_order_seq`` index, nothing compared (the least any form of the statement must
read). Each line gives the one-minute load average at its start, the CPU seconds of
this process and of the PostgreSQL backend, and the ratio to the floor measured just
before it. ``--skip-slow`` leaves out the case that takes minutes (no index, statistics
missing).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from datetime import date, datetime, timedelta
from pathlib import Path


def _load() -> float:
    with open("/proc/loadavg", encoding="ascii") as stat:
        return float(stat.read().split()[0])


class _Cpu:
    """CPU seconds of this process and of the connection's PostgreSQL backend."""

    def __init__(self, connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def now(self) -> tuple[float, float]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        fields = self.backend.read_text().rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return me.ru_utime + me.ru_stime, server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--month", default=None, help="YYYY-MM; default: the second month")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-slow", action="store_true")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count, Min

    from hotline.domain.deadlines import LOCAL_TZ
    from hotline.domain.enums import AssignmentRole
    from hotline.domain.statistics import Period
    from hotline.orders.models import SIGN_FOR_EVENTS, Assignment, Event
    from hotline.statistics.document import REPORT_SETTINGS
    from hotline.statistics.sign_for import sign_for_by_unit, sign_for_city

    if args.month:
        first = date.fromisoformat(f"{args.month}-01")
    else:
        earliest = Assignment.objects.aggregate(first=Min("assigned_at"))["first"]
        first = (earliest.astimezone(LOCAL_TZ).date().replace(day=28) + timedelta(days=4)).replace(
            day=1
        )
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    period = Period(first, last)
    made_at = datetime.combine(last + timedelta(days=1), datetime.min.time(), LOCAL_TZ)
    made_at += timedelta(hours=9)

    def floor():
        begins, ends = period.bounds()
        lead = Assignment.objects.filter(
            role=AssignmentRole.LEAD.value, assigned_at__gte=begins, assigned_at__lt=ends
        )
        orders = lead.values("order_id")
        return (
            lead.aggregate(n=Count("pk"))["n"],
            Event.objects.filter(order__in=orders, type__in=SIGN_FOR_EVENTS).count(),
        )

    statements = {
        "sign_for_city": lambda: sign_for_city(period=period, made_at=made_at),
        "sign_for_by_unit": lambda: sign_for_by_unit(period=period, made_at=made_at),
    }
    cases = [(True, True), (True, False), (False, True), (False, False)]
    if args.skip_slow:
        cases.remove((False, False))
    cpu = _Cpu(connection)
    results = {}
    print(f"period {first:%Y-%m}, made at {made_at:%Y-%m-%d %H:%M}")
    for run in range(args.runs):
        for fresh, indexed in cases:
            if not fresh and not indexed and run > 0:
                continue  # minutes each: once is enough
            for name, statement in statements.items():
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        for setting, value in REPORT_SETTINGS.items():
                            cursor.execute(f"SET LOCAL {setting} = '{value}'")
                        if not indexed:
                            cursor.execute("DROP INDEX event_order_sign_for")
                        if not fresh:
                            cursor.execute(
                                "DELETE FROM pg_statistic WHERE starelid = ANY(ARRAY["
                                "'orders_event'::regclass, 'orders_assignment'::regclass,"
                                " 'orders_order'::regclass])"
                            )
                    load = _load()
                    start = cpu.now()
                    floor()
                    middle = cpu.now()
                    result = statement()
                    end = cpu.now()
                    transaction.set_rollback(True)
                floor_cpu = sum(middle) - sum(start)
                app, server = end[0] - middle[0], end[1] - middle[1]
                key = (name, fresh, indexed)
                results[key] = result
                print(
                    f"run {run + 1} | {name} | statistics {'fresh' if fresh else 'missing'}"
                    f" | index {'yes' if indexed else 'no'} | load {load:.2f}"
                    f" | app {app:.2f} + database {server:.2f} = {app + server:.2f} CPU-s"
                    f" | floor {floor_cpu:.2f} | ratio {(app + server) / floor_cpu:.1f}",
                    flush=True,
                )

    def comparable(result):
        return tuple(sorted(result.items())) if isinstance(result, dict) else result

    same = all(
        len({comparable(r) for (n, _, _), r in results.items() if n == name}) == 1
        for name in statements
    )
    print("results identical in every case" if same else "RESULTS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
