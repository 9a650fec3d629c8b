"""Surge detection and first-dispatch accuracy on a generated history (SPEC 10).

Three months of the demo city at 3 000 orders a month (March–May 2024, with the
Qingming and Labour Day holidays and their make-up working Sundays), imported through
the product's importer, plus a storm night: on Tuesday 21 May 2024, between 19:00 and
midnight, 岳塘区 files 12 road (道路破损) and 12 flooding (城市排水/内涝) orders. At this
volume the whole city files about one 市政设施 order a day, so the storm is many times
its usual level (the test checks at least five times) and above the minimum of ten
orders a day that any surge needs.
"""

import csv
import json
import statistics
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hotline.accounts.services import user_create
from hotline.cli.main import run
from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.domain.statistics import Period, rate
from hotline.orders.services.history_import import orders_import
from hotline.statistics.day_facts import report_facts
from hotline.statistics.handling import first_dispatch_by_unit, handling_figures
from hotline.statistics.models import DayFact
from hotline.statistics.surges import (
    orders_behind,
    surge_orders,
    surges_between,
    surges_with_orders,
)

pytestmark = pytest.mark.django_db

STORM = date(2024, 5, 21)
STORM_ITEMS = {"010501": "道路破损", "010503": "城市排水/内涝"}
PER_ITEM = 12
YUETANG = "430304"
TOPIC = "0105"  # 市政设施


def _storm_lines(day: date = STORM) -> list[str]:
    lines = []
    for i in range(2 * PER_ITEM):
        code = list(STORM_ITEMS)[i % 2]
        at = datetime.combine(day, time(19), LOCAL_TZ) + timedelta(minutes=12 * i)
        street = ("001", "002", "003")[i % 3]
        order = {
            "channel": "phone",
            "received_at": at.isoformat(),
            "appeal_type": "help",
            "category": code,
            "region": YUETANG + street,
            "address": f"岳塘区建设路{i + 1}号",
            "content": f"暴雨后{STORM_ITEMS[code]}，路面积水严重，车辆无法通行，请尽快处理。",
            "citizen": {"name": "刘先生", "phone": f"1390000{i:04d}", "kind": "urban"},
            "disposition": "answered",
            "events": [],
        }
        lines.append(json.dumps(order, ensure_ascii=False))
    return lines


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker, tmp_path_factory):
    """The generated lines as dicts (what the checks below count independently)."""
    folder = tmp_path_factory.mktemp("surges")
    generate(
        directory=DIRECTORY,
        start=date(2024, 3, 1),
        months=3,
        seed=11,
        out=folder,
        orders_per_month=3000,
        # The figures below are this history's counted by hand: without the citizens'
        # requests, which move a few orders' districts.
        requests=[],
    )
    path = folder / "orders.jsonl"
    with path.open("a", encoding="utf-8") as file:
        file.write("\n".join(_storm_lines()) + "\n")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with django_db_blocker.unblock(), transaction.atomic():
        directory_import(folder=DIRECTORY)
        user_create(username="leader", role=Role.LEADER, password="x")
        assert orders_import(path=path).orders == len(lines)
        yield lines
        transaction.set_rollback(True)


def _day(line: dict) -> date:
    return datetime.fromisoformat(line["received_at"]).astimezone(LOCAL_TZ).date()


def _in_topic(line: dict) -> bool:
    code = line.get("category") or ""
    return code == TOPIC or (code.startswith(TOPIC) and len(code) == 6)


def _topic_counts(lines, *, district: str | None = None) -> Counter:
    return Counter(
        _day(line)
        for line in lines
        if _in_topic(line) and (district is None or (line.get("region") or "")[:6] == district)
    )


# --- surges -------------------------------------------------------------------------------


def test_the_storm_night_is_found_on_its_day_for_its_topic_in_its_district(history):
    found = surges_between(start=STORM, end=STORM)
    assert [(s.day, s.kind, s.label) for s in found] == [
        (STORM, "category", "市政设施"),
        (STORM, "category_district", "岳塘区 · 市政设施"),
    ]
    in_yuetang = _topic_counts(history, district=YUETANG)
    citywide = _topic_counts(history)
    for surge, counts in zip(found, (citywide, in_yuetang), strict=True):
        tuesdays = [counts[STORM - timedelta(weeks=k)] for k in range(1, 7)]
        assert surge.observed == counts[STORM]
        assert surge.expected == statistics.median(tuesdays)
        assert surge.observed >= 5 * surge.expected
    assert found[1].observed == in_yuetang[STORM] >= 2 * PER_ITEM
    assert [(s.observed, s.expected, s.score) for s in found] == [(26, 1.0, 25.0), (25, 0.0, 25.0)]


def test_ordinary_weeks_raise_nothing(history):
    # The week after Labour Day, with its make-up working Saturday (11 May).
    assert surges_between(start=date(2024, 5, 6), end=date(2024, 5, 12)) == []
    # And every other day from the first one with four known weeks to the end of May.
    days = surges_between(start=date(2024, 3, 29), end=date(2024, 5, 31))
    assert {s.day for s in days} == {STORM}


def test_the_orders_behind_a_surge_are_those_of_its_day_topic_and_district(history):
    leader = _leader()
    surge = surges_between(start=STORM, end=STORM)[1]
    orders = list(surge_orders(surge, viewer=leader, limit=100))
    expected = sorted(
        (line["received_at"], line.get("category"))
        for line in history
        if _day(line) == STORM
        and _in_topic(line)
        and (line.get("region") or "").startswith(YUETANG)
    )
    assert len(orders) == len(expected) == surge.observed
    assert {o.region.code[:6] for o in orders} == {YUETANG}
    assert {o.category.code for o in orders} <= {"010501", "010502", "010503", "010504"}
    assert len(surge_orders(surge, viewer=leader)) == 10  # the page lists the first ten


def test_surges_take_five_queries_and_their_orders_two_for_all(history):
    with CaptureQueriesContext(connection) as queries:
        surges_between(start=date(2024, 5, 1), end=date(2024, 5, 31))
    # the stored counts' state, the daily counts (none stored), the first order's day,
    # the holiday table, topics, districts
    assert len(queries) == 6
    leader = _leader()
    with CaptureQueriesContext(connection) as queries:
        rows = surges_with_orders(start=STORM, end=STORM, viewer=leader)
    assert len(rows) == 2 and len(queries) == 6 + 2
    assert [list(orders) for _, orders in rows] == [
        list(surge_orders(surge, viewer=leader)) for surge, _ in rows
    ]
    # However many surges are listed: six take the same two queries as two.
    surges = [surge for surge, _ in rows] * 3
    with CaptureQueriesContext(connection) as queries:
        listed = orders_behind(surges, viewer=leader)
    assert len(queries) == 2
    assert listed == [orders for _, orders in rows] * 3


def test_the_command_lists_the_surges(history, capsys):
    assert run(["surges", "--from", "2024-05-20", "--to", "2024-05-22"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "2024-05-21  事项  市政设施  当日 26 件，预期 1 件，26.0 倍，偏离 25.0",
        "2024-05-21  区域事项  岳塘区 · 市政设施  当日 25 件，预期 0 件，偏离 25.0",
    ]
    assert out[2] == "2024-05-20 至 2024-05-22 共 2 处突增"


def test_the_page_lists_the_surges_with_links_to_their_orders(history, client):
    client.force_login(_leader())
    response = client.get("/surges/", {"from": "2024-05-21", "to": "2024-05-21"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "岳塘区 · 市政设施" in page
    first = list(surge_orders(surges_between(start=STORM, end=STORM)[1], viewer=_leader()))[0]
    assert f'href="/orders/{first.number}/"' in page
    assert "category=0105&amp;region=430304" in page  # 查看全部
    quiet = client.get("/surges/", {"from": "2024-05-06", "to": "2024-05-12"})
    assert "所选期间没有突增" in quiet.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2024-5-x"}, "日期「2024-5-x」格式不正确，应为 YYYY-MM-DD"),
        ({"from": "2024-05-22", "to": "2024-05-21"}, "起始日期不能晚于截止日期"),
        ({"from": "2023-01-01", "to": "2024-05-21"}, "查询区间不能超过 366 天"),
    ],
)
def test_the_page_refuses_a_bad_range_in_chinese(history, client, params, message):
    client.force_login(_leader())
    response = client.get("/surges/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def _leader():
    from hotline.accounts.models import User

    return User.objects.get(username="leader")


# --- first-dispatch accuracy -----------------------------------------------------------------


def _first_dispatches(lines, period: Period) -> dict[str, list[bool]]:
    """Per unit code first dispatched to: for each order, whether it was kept."""
    kept: dict[str, list[bool]] = {}
    for line in lines:
        if line["disposition"] != "dispatched" or not period.start <= _day(line) <= period.end:
            continue
        types = [event["type"] for event in line["events"]]
        unit = next(e["unit"] for e in line["events"] if e["type"] == "dispatch")
        kept.setdefault(unit, []).append("return" not in types and "redispatch" not in types)
    return kept


def test_first_dispatch_accuracy_of_the_period_in_the_report_figures(history):
    may = Period.month(2024, 5)
    kept = [k for ks in _first_dispatches(history, may).values() for k in ks]
    figures = handling_figures(period=may)
    assert 0 < kept.count(False) < len(kept)  # the history has returns and re-dispatches
    assert figures["first_dispatch_accuracy"] == rate(kept.count(True), len(kept))


def test_first_dispatch_accuracy_per_unit_first_dispatched_to(history):
    may = Period.month(2024, 5)
    names = {
        row["code"]: row["name"]
        for row in csv.DictReader((Path(DIRECTORY) / "units.csv").open(encoding="utf-8"))
    }
    expected = sorted(
        (
            {
                "unit": names[code],
                "dispatched": len(ks),
                "kept": ks.count(True),
                "accuracy": rate(ks.count(True), len(ks)),
                "percent": round(rate(ks.count(True), len(ks)) * 100, 2),
            }
            for code, ks in _first_dispatches(history, may).items()
        ),
        key=lambda row: (-row["dispatched"], row["unit"]),
    )
    with CaptureQueriesContext(connection) as queries:
        rows = first_dispatch_by_unit(period=may)
    assert rows == expected
    assert len(queries) == 3  # the stored counts' state, the grouped counts, the unit names
    assert any(row["kept"] < row["dispatched"] for row in rows)


def test_the_dashboard_parts_render(history):
    from django.template.loader import render_to_string

    rows = first_dispatch_by_unit(period=Period.month(2024, 5))
    html = render_to_string("web/assistance/_first_dispatch.html", {"first_dispatch": rows})
    assert f"<td>{rows[0]['unit']}</td>" in html
    assert f"{rows[0]['percent']:.2f}%" in html
    surge_rows = surges_with_orders(start=STORM, end=STORM, viewer=_leader())
    html = render_to_string("web/assistance/_surges.html", {"surge_rows": surge_rows})
    assert "2024年5月21日" in html and "当日 <strong>26</strong> 件，预期 1 件（26.0 倍）" in html
    assert (
        render_to_string("web/assistance/_first_dispatch.html", {}).count("本期没有转办工单") == 1
    )


def test_the_stored_daily_counts_judge_alike_and_a_late_import_shows_at_once(history, tmp_path):
    weeks = {"start": date(2024, 4, 15), "end": date(2024, 5, 31)}  # six weeks from 4 March
    counted = surges_between(**weeks)
    assert report_facts(now=datetime(2024, 6, 1, 1, tzinfo=LOCAL_TZ)).startswith("已统计")
    with CaptureQueriesContext(connection) as queries:
        assert surges_between(**weeks) == counted
    # the days are the stored counts': read, and no statement groups the orders
    statements = [q["sql"] for q in queries]
    assert any(DayFact._meta.db_table in sql for sql in statements)
    assert not any("orders_order" in sql and "GROUP BY" in sql for sql in statements)
    # A second storm, on a quiet Wednesday already stored, imported afterwards: its
    # import's events make the day counted from the orders on the next load.
    quiet = date(2024, 5, 8)
    assert surges_between(start=quiet, end=quiet) == []
    path = tmp_path / "late.jsonl"
    path.write_text("\n".join(_storm_lines(quiet)) + "\n", encoding="utf-8")
    assert orders_import(path=path).orders == 2 * PER_ITEM
    found = surges_between(start=quiet, end=quiet)
    assert {s.label for s in found} == {"市政设施", "岳塘区 · 市政设施"}
    assert min(s.observed for s in found) >= 2 * PER_ITEM
