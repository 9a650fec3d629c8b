"""Response time of every list page with a large history in the database (SPEC 13 and
issue 4: p95 ≤ 300 ms with 1 million orders).

    python bench/list_pages.py --database-url URL [--rounds 20] [--only 领导看板]

URL is a database already holding the history (for instance the one
``bench/import_speed.py`` leaves behind). The benchmark migrates it (a no-op when
current), makes the demo accounts, then requests each list page — first page and a
later page through its keyset cursor, and the usual filters — ``--rounds`` times as
the role that uses it, in process through Django's test client (no network, so the
figure is the application's and the database's time). It prints one table row per
page: median, p95 and max in milliseconds, the median and p95 of the CPU time this
process spent (with SQLite, the application's and the database's work, whatever else
the machine is doing; with PostgreSQL, the application's only), and the rows the page
showed.

The dashboard and the surges page are about today: they are requested again with the
clock set to the end of the history's last day (``--at``, by default the latest order's
time), when today, yesterday and the weeks they are compared with all hold orders —
once with the dashboard's cache emptied before every request, once as it keeps it.
"""

import argparse
import os
import re
import statistics
import time
from datetime import datetime
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
    ("通报", "/reports/", "supervisor"),
]

# (page, path, role's demo account, empty the cache before each request): at ``--at``.
AT_HISTORY_END = [
    ("领导看板 · 历史末日 · 无缓存", "/leader/", "leader", True),
    ("领导看板 · 历史末日", "/leader/", "leader", False),
    ("诉求激增（近两周） · 历史末日", "/surges/", "leader", False),
]

NEXT = re.compile(r'rel="next" href="([^"]+)"')


def _time(client, path: str) -> tuple[float, float, int, str]:
    """Wall and CPU milliseconds of one request, the rows shown, the next page's link."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    spent = (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    body = response.content.decode()
    found = NEXT.search(body)
    after = found.group(1).replace("&amp;", "&") if found else ""
    return elapsed, spent, body.count("<tr") - 1, after


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]


def _measure(client, label, username, target, rounds, before=None) -> float:
    walls, cpus, rows = [], [], 0
    for _ in range(rounds):
        if before:
            before()
        elapsed, spent, rows, _ = _time(client, target)
        walls.append(elapsed)
        cpus.append(spent)
    p95 = _p95(walls)
    print(
        f"| {label} | {username} | {statistics.median(walls):.0f} | {p95:.0f} "
        f"| {max(walls):.0f} | {statistics.median(cpus):.0f} | {_p95(cpus):.0f} | {rows} |"
    )
    return p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the pages whose name contains this (repeatable)",
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
    print("| page | role | median ms | p95 ms | max ms | CPU median ms | CPU p95 ms | rows |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    worst = 0.0

    def chosen(name: str) -> bool:
        return not args.only or any(part in name for part in args.only)

    for name, path, username in filter(lambda page: chosen(page[0]), PAGES):
        client = Client()
        client.force_login(User.objects.get(username=username))
        base = path.rsplit("?", 1)[0]
        targets = [(name, path)]
        *_, after = _time(client, path)  # warms the connection and finds page 2
        if after:
            targets.append((f"{name}（下一页）", base + after if after.startswith("?") else after))
        for label, target in targets:
            worst = max(worst, _measure(client, label, username, target, args.rounds))
    at = args.at or Order.objects.aggregate(last=Max("received_at"))["last"]
    print(f"at the end of the history: {at.isoformat()}")
    with mock.patch("django.utils.timezone.now", return_value=at):
        for name, path, username, cold in filter(lambda page: chosen(page[0]), AT_HISTORY_END):
            client = Client()
            client.force_login(User.objects.get(username=username))
            _time(client, path)
            before = cache.clear if cold else None
            worst = max(worst, _measure(client, name, username, path, args.rounds, before))
    print(f"worst p95: {worst:.0f} ms")


if __name__ == "__main__":
    main()
