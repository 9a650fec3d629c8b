"""The dashboard's surges and first-dispatch accuracy (SPEC 10), on a small history whose
figures are worked out by hand below.

Six weeks before Wednesday 15 July 2026 (no holiday or make-up day among the days
compared), every Tuesday and Wednesday brings 2 noise complaints in 书院路街道 (岳塘区)
and 1 water-supply order in 雨湖区. Then:

- yesterday, Tuesday 14 July: 10 water orders and 2 noise complaints in 雨湖区, 1 water
  order in 书院路街道;
- today, Wednesday 15 July: 12 noise complaints and 2 water orders in 书院路街道, 1 noise
  complaint in 雨湖区.

Every baseline is flat, so the spread is max(√expected, 1) and the score (observed −
expected) / spread:

| day | series | observed | expected | spread | score |
| --- | --- | --- | --- | --- | --- |
| today | 岳塘区 | 14 | 2 | √2 | 8.49 |
| today | 噪音扰民 | 13 | 2 | √2 | 7.78 |
| today | 岳塘区 · 噪音扰民 | 12 | 2 | √2 | 7.07 |
| yesterday | 雨湖区 | 12 | 1 | 1 | 11.0 |
| yesterday | 供水 | 11 | 1 | 1 | 10.0 |
| yesterday | 雨湖区 · 供水 | 10 | 1 | 1 | 9.0 |

Nothing else reaches 10 orders a day. First dispatches this month: 10 of today's noise
complaints to 岳塘区, 2 of them returned (8/10 = 80.00%); 10 of yesterday's water orders
to 中环水务, 1 re-dispatched by the office (90.00%); yesterday's 2 noise complaints in
雨湖区 to 雨湖区, 1 returned (1/2, too few to rank). The month: 18 of 22 = 81.82%; today:
8 of 10 = 80.00%.
"""

import re
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import dispatch
from hotline.statistics.day_facts import report_facts
from hotline.statistics.first_dispatch import worst_units
from hotline.statistics.surges import current_surges
from hotline.web.templatetags.hotline_web import order_href
from tests.factories import register, user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 15)
YESTERDAY = TODAY - timedelta(days=1)
NOW = datetime.combine(TODAY, time(15), LOCAL_TZ)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(8), LOCAL_TZ) + timedelta(minutes=minute)


@pytest.fixture
def history(city):
    def orders(day, n, *, category, region, first=0):
        return [
            register(city, _at(day, first + i), category=category, region=region) for i in range(n)
        ]

    noise, water, street, yuhu = city.noise, city.water_supply, city.street, city.yuhu
    for weeks in range(1, 7):
        for day in (TODAY - timedelta(weeks=weeks), YESTERDAY - timedelta(weeks=weeks)):
            orders(day, 2, category=noise, region=street)
            orders(day, 1, category=water, region=yuhu, first=10)
    water_yuhu = orders(YESTERDAY, 10, category=water, region=yuhu)
    noise_yuhu = orders(YESTERDAY, 2, category=noise, region=yuhu, first=20)
    orders(YESTERDAY, 1, category=water, region=street, first=30)
    noise_street = orders(TODAY, 12, category=noise, region=street)
    water_street = orders(TODAY, 2, category=water, region=street, first=20)
    orders(TODAY, 1, category=noise, region=yuhu, first=30)

    dispatcher = city.users[Role.DISPATCHER]
    district_handler = city.users[Role.UNIT_HANDLER]  # 岳塘区
    other_handler = user(Role.UNIT_HANDLER, unit=city.other_district)

    def send(order, unit, day):
        dispatch.order_dispatch(order=order, lead=unit, actor=dispatcher, at=_at(day, 120))

    for order in noise_street[:10]:
        send(order, city.district, TODAY)
    for order in noise_street[:2]:
        dispatch.order_return(
            order=order, reason="不属本单位职责", actor=district_handler, at=_at(TODAY, 180)
        )
    for order in water_yuhu:
        send(order, city.water, YESTERDAY)
    dispatch.order_redispatch(
        order=water_yuhu[0], lead=city.other_district, actor=dispatcher, at=_at(YESTERDAY, 200)
    )
    for order in noise_yuhu:
        send(order, city.other_district, YESTERDAY)
    dispatch.order_return(
        order=noise_yuhu[0], reason="不属本单位职责", actor=other_handler, at=_at(YESTERDAY, 240)
    )
    return {"today_yuetang": noise_street + water_street}


def _table(html: str, marker: str) -> list[list[str]]:
    """The cells' text of each body row of the table that follows ``marker``."""
    table = html.split(marker, 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def _dashboard(client, city, role=Role.LEADER) -> str:
    client.force_login(city.users[role])
    response = client.get("/leader/")
    assert response.status_code == 200
    return response.content.decode()


SURGE_ROWS = [
    ["今日", "区域", "岳塘区", "14", "2", "7.0", "查看工单"],
    ["今日", "事项", "噪音扰民", "13", "2", "6.5", "查看工单"],
    ["今日", "区域事项", "岳塘区 · 噪音扰民", "12", "2", "6.0", "查看工单"],
    ["昨日", "区域", "雨湖区", "12", "1", "12.0", "查看工单"],
    ["昨日", "事项", "供水", "11", "1", "11.0", "查看工单"],
    ["昨日", "区域事项", "雨湖区 · 供水", "10", "1", "10.0", "查看工单"],
]


@pytest.mark.parametrize("role", [Role.LEADER, Role.SUPERVISOR])
def test_the_dashboard_lists_todays_and_yesterdays_surges(client, city, history, role):
    html = _dashboard(client, city, role)
    assert _table(html, '<table class="surges">') == SURGE_ROWS
    found = current_surges(today=TODAY)
    assert [(s.observed, s.expected, s.score) for s in found] == [
        (14, 2.0, 8.49),
        (13, 2.0, 7.78),
        (12, 2.0, 7.07),
        (12, 1.0, 11.0),
        (11, 1.0, 10.0),
        (10, 1.0, 9.0),
    ]


def test_each_surge_links_to_the_orders_behind_it(client, city, history):
    html = _dashboard(client, city)
    links = re.findall(r'<a href="(/orders/\?[^"]+)">查看工单</a>', html)
    assert len(links) == 6
    district_today = unescape(links[0])
    assert district_today == (
        "/orders/?received_from=2026-07-15&received_to=2026-07-15&region=430304"
    )
    assert unescape(links[2]).endswith("&category=0501&region=430304")
    listed = client.get(district_today).content.decode()
    shown = set(re.findall(r'href="/orders/(\d{11})/"', listed))
    assert shown == {o.number for o in history["today_yuetang"]}
    assert len(shown) == 14


def test_todays_surges_follow_the_orders_as_they_come(city, history):
    report_facts(now=NOW)  # the days before today stored, as the hourly job leaves them
    register(city, _at(TODAY, 300), category=city.noise, region=city.street)
    with CaptureQueriesContext(connection) as queries:
        found = current_surges(today=TODAY)
    assert [(s.label, s.observed) for s in found[:3]] == [
        ("岳塘区", 15),
        ("噪音扰民", 14),
        ("岳塘区 · 噪音扰民", 13),
    ]
    # the holiday table, the stored counts' state (three for the events since), the
    # days before today from the stored counts, today's from the orders, the first
    # day, topics and districts
    assert len(queries) == 10
    counted = [q["sql"] for q in queries if 'COUNT(*) AS "n"' in q["sql"]]
    assert len(counted) == 1 and "orders_order" in counted[0] and "UNION" not in counted[0]


def test_the_surges_page_up_to_today_counts_the_days_before_once(client, city, history):
    client.force_login(city.users[Role.LEADER])
    report_facts(now=NOW)
    first = client.get("/surges/").content.decode()
    labels = re.findall(r'<article class="surge" aria-label="([^"]+)">', first)
    assert labels == [
        "7月15日 岳塘区",
        "7月15日 噪音扰民",
        "7月15日 岳塘区 · 噪音扰民",
        "7月14日 雨湖区",
        "7月14日 供水",
        "7月14日 雨湖区 · 供水",
    ]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/surges/").content.decode()
    counts = [q["sql"] for q in queries if 'COUNT(*) AS "n"' in q["sql"]]
    assert len(counts) == 1 and "UNION" not in counts[0]  # today's only
    assert re.findall(r'<article class="surge" aria-label="([^"]+)">', again) == labels


def test_the_surges_page_links_each_order_listed_to_its_page(client, city, history):
    client.force_login(city.users[Role.LEADER])
    html = client.get("/surges/").content.decode()
    linked = re.findall(r'<li><a href="([^"]+)">(\d{11})</a>', html)
    assert len(linked) == 6 * 10  # the first ten orders behind each of the six surges
    assert all(href == reverse("web:order_detail", args=[n]) for href, n in linked)
    # Under a script prefix (the product served below a path), as reverse gives it.
    set_script_prefix("/hotline/")
    try:
        number = linked[0][1]
        assert order_href(number) == reverse("web:order_detail", args=[number])
        assert order_href(number).startswith("/hotline/orders/")
    finally:
        set_script_prefix("/")


def test_the_dashboard_shows_first_dispatch_accuracy_today_and_this_month(client, city, history):
    html = _dashboard(client, city)
    figures = _table(html, '<table class="figures-table">')
    assert ["首派准确率", "80.00%", "81.82%"] in figures
    assert _table(html, 'id="first-dispatch-title"') == [
        ["岳塘区", "10", "8", "80.00%"],
        ["中环水务", "10", "9", "90.00%"],
    ]


def test_a_quiet_dashboard_says_so(client, city):
    html = _dashboard(client, city)
    assert re.search(r"<title>([^<]*)</title>", html).group(1).startswith("领导看板")
    assert html.count('id="instruct-title"') == 1
    assert _table(html, '<table class="surges">') == [["今日、昨日没有诉求激增"]]
    assert _table(html, 'id="first-dispatch-title"') == [["本月没有首派后被退回或改派的单位"]]
    assert ["首派准确率", "—", "—"] in _table(html, '<table class="figures-table">')
    assert Order.objects.count() == 0


def test_the_worst_units_are_those_sent_enough_orders_with_some_back():
    def row(unit, dispatched, kept):
        return {"unit": unit, "dispatched": dispatched, "kept": kept, "accuracy": kept / dispatched}

    rows = [
        row("甲", 40, 36),  # 90 %
        row("乙", 9, 0),  # too few to rank
        row("丙", 10, 10),  # nothing came back
        row("丁", 20, 18),  # 90 %, fewer orders than 甲
        row("戊", 12, 6),  # 50 %
    ]
    assert [r["unit"] for r in worst_units(rows)] == ["戊", "甲", "丁"]
    assert [r["unit"] for r in worst_units(rows, limit=1)] == ["戊"]
