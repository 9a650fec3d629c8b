"""The topic miner (每月一题) judged on planted chronic problems, and its speed.

Generates a history of the demo city (``--months`` × ``--per-month``), plants
``--planted`` chronic problems in it (``demo.history.chronic``: one building each, five
to eight orders over at least three months, several units, returns, reworks and
unsatisfied callbacks, worded differently), imports it into the database at
``--database-url`` (migrated first; a database that already holds orders is used as it
is, with the planted list kept beside the generated files in ``--work-dir``), and
proposes the last month's topics with the months before it as the lookback.

Accuracy: precision@N (the share of the first N candidates that are planted problems,
N = the number planted), recall@N (the share of planted problems among them) and the
mean rank of the planted problems (those not proposed at all count as ``--limit`` + 1).

Speed: ``propose_topics`` against its floor, the plain read of the narrow columns of the
window's orders that the miner cannot do without, interleaved (``--runs`` each), CPU
seconds of this process and, on PostgreSQL, of its server process, with the one-minute
load average at the start of each run.

    python bench/topic_miner.py --database-url URL --work-dir DIR \\
        [--months 3] [--per-month 30000] [--planted 8] [--seed 7] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path


def _load() -> float:
    with open("/proc/loadavg", encoding="ascii") as stat:
        return float(stat.read().split()[0])


def _server_cpu(pid: int | None) -> float:
    """CPU seconds of the database's server process (PostgreSQL on this machine)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--per-month", type=int, default=30000)
    parser.add_argument("--planted", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    start = date(2025, 1, 1)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import hotline.demo
    from hotline.demo.history.chronic import Planted, plant_chronic, planted_ranks
    from hotline.demo.history.generator import generate
    from hotline.directory.services import directory_import
    from hotline.domain.statistics import Period
    from hotline.governance.mining import MINED_DISPOSITIONS, propose_topics
    from hotline.orders.models import Order
    from hotline.orders.services.history_import import orders_import

    call_command("migrate", verbosity=0)
    folder = args.work_dir
    planted_file = folder / "planted.json"
    if not Order.objects.exists():
        folder.mkdir(parents=True, exist_ok=True)
        took = time.perf_counter()
        generate(
            directory=hotline.demo.DIRECTORY,
            start=start,
            months=args.months,
            seed=args.seed,
            out=folder,
            orders_per_month=args.per_month,
        )
        planted = plant_chronic(
            directory=hotline.demo.DIRECTORY,
            out=folder,
            count=args.planted,
            start=start,
            months=args.months,
            seed=args.seed,
        )
        planted_file.write_text(json.dumps([asdict(p) for p in planted], ensure_ascii=False))
        directory_import(folder=hotline.demo.DIRECTORY)
        result = orders_import(path=folder / "orders.jsonl", exclusive=True)
        print(
            f"generated and imported {result.orders} orders in {time.perf_counter() - took:.0f} s"
        )
    planted = [
        Planted(p["address"], p["problem"], tuple(p["numbers"]))
        for p in json.loads(planted_file.read_text())
    ]
    last = args.months - 1
    index = start.year * 12 + start.month - 1 + last
    month_start = date(index // 12, index % 12 + 1, 1)
    month_end = Period.month(month_start.year, month_start.month).end
    since = Period(start, month_end).bounds()[0]

    def propose():
        return propose_topics(
            month_start=month_start, month_end=month_end, lookback_months=last, limit=args.limit
        )

    def floor():
        window = Order.objects.filter(
            received_at__gte=since, disposition__in=MINED_DISPOSITIONS
        ).exclude(address="")
        rows = window.values_list(
            "id", "received_at", "category_id", "region_id", "address", "citizen_id"
        ).order_by()
        return sum(1 for _ in rows.iterator(chunk_size=20000))

    server_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server_pid = cursor.fetchone()[0]
    window_orders = Order.objects.filter(
        received_at__gte=Period(month_start, month_end).bounds()[0]
    ).count()
    print(
        f"database: {connection.vendor}; orders: {Order.objects.count()}, "
        f"of them in {month_start:%Y-%m}: {window_orders}; planted problems: {len(planted)}"
    )
    candidates = propose()  # warm: the first run loads jieba's dictionary
    numbers = dict(Order.objects.values_list("id", "number"))
    proposed = [{numbers[i] for i in c.order_ids} for c in candidates]
    ranks = planted_ranks(planted, proposed)
    n = len(planted)
    found = [r for r in ranks if r is not None]
    recall = sum(1 for r in found if r <= n) / n
    precision = len({r for r in found if r <= n}) / n
    mean_rank = statistics.mean(r if r is not None else args.limit + 1 for r in ranks)
    print(
        f"precision@{n} {precision:.2f}  recall@{n} {recall:.2f}  "
        f"mean rank of the planted {mean_rank:.2f}  ranks {sorted(ranks, key=lambda r: r or 99)}"
    )
    for rank, candidate in enumerate(candidates[: n + 3], 1):
        mark = "planted" if rank in ranks else "       "
        print(
            f"  {rank:2d} {mark} {candidate.score:7.1f} {candidate.title}  {candidate.evidence[0]}"
        )

    timings: dict[str, list[tuple[float, float, float, float]]] = {"miner": [], "floor": []}
    for _ in range(args.runs):
        for name, run in (("floor", floor), ("miner", propose)):
            load = _load()
            wall, cpu, server = time.perf_counter(), time.process_time(), _server_cpu(server_pid)
            run()
            timings[name].append(
                (
                    time.perf_counter() - wall,
                    time.process_time() - cpu,
                    _server_cpu(server_pid) - server,
                    load,
                )
            )
    for name, rows in timings.items():
        wall, cpu, server = (statistics.median(r[i] for r in rows) for i in range(3))
        loads = ", ".join(f"{r[3]:.2f}" for r in rows)
        print(
            f"{name}: median {wall:.2f} s wall, {cpu:.2f} s CPU here, {server:.2f} s CPU in the "
            f"server (loads {loads})"
        )
    miner_cpu = statistics.median(r[1] + r[2] for r in timings["miner"])
    floor_cpu = statistics.median(r[1] + r[2] for r in timings["floor"])
    print(f"miner / floor, CPU seconds of both processes: {miner_cpu / floor_cpu:.1f}x")


if __name__ == "__main__":
    main()
