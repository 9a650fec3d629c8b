"""Response time of every list page with a large history in the database (SPEC 13:
p95 ≤ 300 ms with 10 million orders on PostgreSQL).

    python bench/list_pages.py --database-url URL [--rounds 40] [--cold-rounds 10] [--only 领导看板]
        [--facts]

URL is a database already holding the history (for instance the one
``bench/import_speed.py`` leaves behind). The benchmark migrates it (a no-op when
current), makes the demo accounts, then requests each list page — first page and a
later page through its keyset cursor, and the usual filters — ``--rounds`` times as
the role that uses it, in process through Django's test client (no network, so the
figure is the application's and the database's time). Every page is requested with the
clock set to the end of the history's last day (``--at``, by default the latest order's
time), so that this month, today, yesterday and the weeks they are compared with all
hold orders: the month's statistics count a full month. It prints one table row per
page: the SQL statements one request sends, median, p95 (nearest rank: with 40 rounds
the second slowest) and max in milliseconds, the median CPU milliseconds of this process
(with SQLite, the application's and the database's work) and of the PostgreSQL backend
(when the server runs on this machine), the one-minute load average when the page's
rounds began, and the rows the page showed.

The pages that keep figures in the cache (the dashboard, the month's statistics, the
surges) are also measured with the cache emptied before every request: the first load
after the cache expired.
"""

import argparse
import math
import os
import re
import statistics
import time
from datetime import datetime
from pathlib import Path
from unittest import mock

# (page, path, role's demo account)
PAGES = [
    ("受理登记", "/intake/", "operator"),
    ("来电人历史", "/intake/caller/?phone=13000005024", "operator"),
    ("派单 · 待派单", "/dispatch/", "dispatcher"),
    ("派单 · 退单待审", "/dispatch/?tab=returned", "dispatcher"),
    ("派单 · 疑难工单", "/dispatch/?tab=difficult", "dispatcher"),
    ("派单 · 改派", "/dispatch/?tab=redispatch", "dispatcher"),
    ("本单位 · 待签收", "/unit/", "yuetang"),
    ("本单位 · 办理中", "/unit/?tab=in_progress", "yuetang"),
    ("本单位 · 已超期", "/unit/?tab=overdue", "yuetang"),
    ("下级单位进度", "/unit/progress/", "yuetang"),
    ("回访", "/callback/", "callback"),
    ("审核督办 · 答复审核", "/supervision/", "supervisor"),
    ("审核督办 · 延期申请", "/supervision/?tab=extensions", "supervisor"),
    ("审核督办 · 督办", "/supervision/?tab=supervision", "supervisor"),
    ("审核督办 · 抽查", "/supervision/?tab=spot_checks", "supervisor"),
    ("审核督办 · 申诉", "/supervision/?tab=appeals", "supervisor"),
    ("违规记录", "/office/violations/", "supervisor"),
    ("审计", "/office/audit/", "supervisor"),
    ("用户", "/office/users/", "admin"),
    ("工单查询", "/orders/", "supervisor"),
    ("工单查询 · 按状态", "/orders/?status=closed", "supervisor"),
    ("工单查询 · 按日期", "/orders/?received_from=2025-06-01&received_to=2025-06-30", "supervisor"),
    ("工单查询（承办单位）", "/orders/", "yuetang"),
    ("领导看板", "/leader/", "leader"),
    ("本月统计", "/statistics/", "leader"),
    ("诉求激增（近两周）", "/surges/", "leader"),
    ("通报", "/reports/", "supervisor"),
]

# (page, path, role's demo account): the pages that cache, requested again with the
# cache emptied before every request.
COLD = [
    ("领导看板 · 无缓存", "/leader/", "leader"),
    ("本月统计 · 无缓存", "/statistics/", "leader"),
    ("诉求激增（近两周） · 无缓存", "/surges/", "leader"),
]

NEXT = re.compile(r'rel="next" href="([^"]+)"')


class _Backend:
    """CPU seconds of the connection's PostgreSQL backend, when the server runs here."""

    def __init__(self):
        from django.db import connection

        self.stat = None
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
            self.stat = stat if stat.exists() else None

    def seconds(self) -> float:
        if self.stat is None:
            return 0.0
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time(client, path: str, backend: _Backend) -> tuple[float, float, float, int, str]:
    """Wall, CPU and backend CPU milliseconds of one request, the rows shown, the next
    page's link."""
    started, cpu, server = time.perf_counter(), time.process_time(), backend.seconds()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    spent = (time.process_time() - cpu) * 1000
    served = (backend.seconds() - server) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    body = response.content.decode()
    found = NEXT.search(body)
    after = found.group(1).replace("&amp;", "&") if found else ""
    return elapsed, spent, served, body.count("<tr") - 1, after


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above ``share`` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _statements(client, target: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(target)
    return len(captured)


def _measure(client, label, username, target, rounds, backend, before=None) -> float:
    walls, cpus, served, rows = [], [], [], 0
    if before:
        before()
    statements = _statements(client, target)
    load = os.getloadavg()[0]
    for _ in range(rounds):
        if before:
            before()
        elapsed, spent, server, rows, _ = _time(client, target, backend)
        walls.append(elapsed)
        cpus.append(spent)
        served.append(server)
    p95 = percentile(walls, 0.95)
    print(
        f"| {label} | {username} | {statements} | {statistics.median(walls):.0f} | {p95:.0f} "
        f"| {max(walls):.0f} | {statistics.median(cpus):.0f} | {statistics.median(served):.0f} "
        f"| {load:.1f} | {rows} |",
        flush=True,
    )
    return p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument(
        "--cold-rounds",
        type=int,
        help="rounds of the pages measured with the cache emptied (default: --rounds; at "
        "10 million orders each takes seconds)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the pages whose name contains this (repeatable)",
    )
    parser.add_argument(
        "--facts",
        action="store_true",
        help="first run the report_facts job at the clock, as an office's hourly run would "
        "have left the per-day counts then (every closed day up to the clock's yesterday)",
    )
    parser.add_argument(
        "--at",
        type=datetime.fromisoformat,
        help="the clock for the pages about today (ISO 8601; default: the latest order)",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Max
    from django.test import Client

    from hotline.accounts.models import User
    from hotline.demo import setup
    from hotline.orders.models import Order

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    setup.ensure_accounts(settings.VAR_DIR / "bench-password")
    print(f"orders in the database: {Order.objects.count():,}")
    at = args.at or Order.objects.aggregate(last=Max("received_at"))["last"]
    print(
        f"the clock: {at.isoformat()}; {args.rounds} rounds a page, "
        f"{args.cold_rounds or args.rounds} with the cache emptied"
    )
    backend = _Backend()
    if args.facts:
        with mock.patch("django.utils.timezone.now", return_value=at):
            from hotline.statistics.day_facts import report_facts

            started, cpu, server = time.perf_counter(), time.process_time(), backend.seconds()
            summary = report_facts(now=at)
            print(
                f"report_facts at the clock: {summary}; {time.perf_counter() - started:.0f} s "
                f"wall, {time.process_time() - cpu:.1f} + {backend.seconds() - server:.1f} "
                "CPU-s (this process + its server backend)",
                flush=True,
            )
    print(
        "| page | role | queries | median ms | p95 ms | max ms | CPU median ms "
        "| server CPU median ms | load | rows |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    worst = 0.0

    def chosen(name: str) -> bool:
        return not args.only or any(part in name for part in args.only)

    with mock.patch("django.utils.timezone.now", return_value=at):
        for name, path, username in filter(lambda page: chosen(page[0]), PAGES):
            client = Client()
            client.force_login(User.objects.get(username=username))
            base = path.rsplit("?", 1)[0]
            targets = [(name, path)]
            *_, after = _time(client, path, backend)  # warms the cache and finds page 2
            if after:
                targets.append(
                    (f"{name}（下一页）", base + after if after.startswith("?") else after)
                )
            for label, target in targets:
                p95 = _measure(client, label, username, target, args.rounds, backend)
                worst = max(worst, p95)
        for name, path, username in filter(lambda page: chosen(page[0]), COLD):
            client = Client()
            client.force_login(User.objects.get(username=username))
            rounds = args.cold_rounds or args.rounds
            p95 = _measure(client, name, username, path, rounds, backend, cache.clear)
            worst = max(worst, p95)
    print(f"worst p95: {worst:.0f} ms")


if __name__ == "__main__":
    main()
