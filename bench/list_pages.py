"""Response time of every list page with a large history in the database (SPEC 13 and
issue 4: p95 ≤ 300 ms with 1 million orders).

    python bench/list_pages.py --database-url URL [--rounds 20]

URL is a database already holding the history (for instance the one
``bench/import_speed.py`` leaves behind). The benchmark migrates it (a no-op when
current), makes the demo accounts, then requests each list page — first page and a
later page through its keyset cursor, and the usual filters — ``--rounds`` times as
the role that uses it, in process through Django's test client (no network, so the
figure is the application's and the database's time). It prints one table row per
page: median, p95 and max in milliseconds, and the rows the page showed.
"""

import argparse
import os
import re
import statistics
import time

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

NEXT = re.compile(r'rel="next" href="([^"]+)"')


def _time(client, path: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    body = response.content.decode()
    found = NEXT.search(body)
    return elapsed, body.count("<tr") - 1, found.group(1).replace("&amp;", "&") if found else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from hotline.accounts.models import User
    from hotline.demo import setup
    from hotline.orders.models import Order

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    setup.ensure_accounts(settings.VAR_DIR / "bench-password")
    print(f"orders in the database: {Order.objects.count():,}")
    print("| page | role | median ms | p95 ms | max ms | rows |")
    print("| --- | --- | --- | --- | --- | --- |")
    worst = 0.0
    for name, path, username in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        base = path.rsplit("?", 1)[0]
        targets = [(name, path)]
        _, _, after = _time(client, path)  # warms the connection and finds page 2
        if after:
            targets.append((f"{name}（下一页）", base + after if after.startswith("?") else after))
        for label, target in targets:
            samples, rows = [], 0
            for _ in range(args.rounds):
                elapsed, rows, _ = _time(client, target)
                samples.append(elapsed)
            samples.sort()
            p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
            worst = max(worst, p95)
            print(
                f"| {label} | {username} | {statistics.median(samples):.0f} | {p95:.0f} "
                f"| {samples[-1]:.0f} | {rows} |"
            )
    print(f"worst p95: {worst:.0f} ms")


if __name__ == "__main__":
    main()
