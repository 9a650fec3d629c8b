"""The leader dashboard: headline figures on a small set checked by hand, overdue orders
by unit, the latest supervised and urgent orders, and the instruction box."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from hotline.accounts.models import User
from hotline.domain.enums import Role
from hotline.orders.models import Instruction
from hotline.orders.selectors.dashboard import (
    latest_supervised,
    latest_urgent,
    overdue_by_unit,
    overdue_count,
)
from hotline.orders.services import dispatch, handling, intake, review, supervision
from hotline.statistics.headline import Figures, headline_figures
from hotline.statistics.trends import rate_trends
from hotline.web.views.leader import percent
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 10, 15, 0)  # a Tuesday afternoon


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def handler(city, unit):
    found = User.objects.filter(role=Role.UNIT_HANDLER, unit=unit).first()
    return found or factories.user(Role.UNIT_HANDLER, unit=unit)


def signed(city, at, *, lead=None, urgent=False):
    lead = lead or city.district
    order = factories.register(city, at, urgent=urgent)
    dispatch.order_dispatch(
        order=order, lead=lead, actor=city.users[Role.DISPATCHER], at=at + timedelta(minutes=5)
    )
    return handling.order_sign(
        order=order, actor=handler(city, lead), at=at + timedelta(minutes=20)
    )


def concluded(city, at, *, replied_after: timedelta, urgent=False, callback=None):
    order = signed(city, at, urgent=urgent)
    unit = city.users[Role.UNIT_HANDLER]
    handling.order_reply(order=order, text="已处理", actor=unit, at=at + replied_after)
    review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=at + replied_after + timedelta(hours=1),
    )
    if callback:
        review.order_callback(
            order=order,
            result=callback,
            actor=city.users[Role.CALLBACK_AGENT],
            at=at + replied_after + timedelta(hours=2),
        )
    return order


@pytest.fixture
def orders(city):
    a = concluded(
        city, local(2026, 3, 10, 9), replied_after=timedelta(hours=2), callback="satisfied"
    )
    e = factories.register(city, local(2026, 3, 10, 10))
    intake.order_answer(order=e, actor=city.users[Role.OPERATOR], at=local(2026, 3, 10, 10, 5))
    # Urgent: 24 hours from sign-for; replied after two days, so late.
    b = concluded(
        city,
        local(2026, 3, 2, 9),
        urgent=True,
        replied_after=timedelta(days=2),
        callback="unsatisfied",
    )
    f = concluded(
        city, local(2026, 3, 3, 9), replied_after=timedelta(hours=3), callback="unreachable"
    )
    c = signed(city, local(2026, 3, 4, 9), lead=city.water, urgent=True)  # overdue now
    d = signed(city, local(2026, 2, 20, 9), urgent=True)  # last month, overdue now
    g = signed(city, local(2026, 3, 5, 9), urgent=True)  # past its deadline but paused
    handling.order_pause(
        order=g,
        reason="等待市民补充材料",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, 5, 12),
    )
    supervisor = city.users[Role.SUPERVISOR]
    supervision.order_supervise(order=c, level="yellow", actor=supervisor, at=local(2026, 3, 9, 9))
    supervision.order_supervise(order=d, level="red", actor=supervisor, at=local(2026, 3, 9, 10))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def test_headline_figures(city, orders):
    today, month = headline_figures(today=date(2026, 3, 10))
    assert today == Figures(
        received=2, dispatched=1, concluded=1, reached=1, satisfied=1, due=1, on_time=1
    )
    assert month == Figures(
        received=6, dispatched=5, concluded=3, reached=2, satisfied=1, due=4, on_time=2
    )
    assert percent(month.satisfied_rate) == "50.00%"
    assert percent(Figures().satisfied_rate) == "—"


def test_the_on_time_rate_counts_the_overdue_orders_not_yet_concluded(city, orders):
    """SPEC 5: of the orders that fell due this month — A and F on time, B late, and C
    past its deadline still open — two on time: 50 %, not 2 of 3 concluded. D fell due
    last month; G's clock is paused."""
    _, month = headline_figures(today=date(2026, 3, 10))
    assert (month.on_time, month.due) == (2, 4)
    assert percent(month.on_time_rate) == "50.00%"


def test_each_rate_shows_its_numerator_and_denominator_on_hover(client, city, orders):
    client.force_login(city.users[Role.LEADER])
    html = client.get(reverse("web:leader_dashboard")).content.decode()
    assert '<td class="num" title="按期办结 2 / 应办结 4" tabindex="0">50.00%</td>' in html
    assert (
        '<td class="num" title="满意及基本满意 1 / 回访联系上 2" tabindex="0">50.00%</td>' in html
    )
    assert 'title="按期办结 1 / 应办结 1" tabindex="0">100.00%</td>' in html
    assert 'title="首派未被退回或改派 1 / 转办 1" tabindex="0">100.00%</td>' in html


def test_overdue_now_and_by_unit(city, orders):
    viewer = city.users[Role.LEADER]
    assert overdue_count(viewer=viewer, now=NOW) == 2
    rows = overdue_by_unit(viewer=viewer, now=NOW)
    assert [(r.unit.name, r.overdue) for r in rows] == [("岳塘区", 1), ("中环水务", 1)]
    # Before C's deadline only D, of last month, was overdue.
    assert overdue_count(viewer=viewer, now=local(2026, 3, 5, 9)) == 1


def test_latest_supervised_and_urgent(city, orders):
    viewer = city.users[Role.SUPERVISOR]
    assert [o.number for o in latest_supervised(viewer=viewer)] == [
        orders["d"].number,
        orders["c"].number,
    ]
    assert [o.number for o in latest_urgent(viewer=viewer)] == [
        orders[k].number for k in ("g", "c", "d")
    ]


def test_the_dashboard_page(signed_in, orders):
    response = signed_in(Role.LEADER).get(reverse("web:leader_dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("今日受理", "本月受理", "50.00%", "100.00%", "中环水务", "红牌督办"):
        assert text in html
    assert orders["c"].number in html and orders["g"].number in html
    assert signed_in(Role.SUPERVISOR).get(reverse("web:leader_dashboard")).status_code == 200


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.UNIT_HANDLER, Role.CALLBACK_AGENT])
def test_other_roles_get_403(signed_in, city, role):
    assert signed_in(role).get(reverse("web:leader_dashboard")).status_code == 403


def test_the_instruction_box_records_an_instruction(signed_in, orders):
    client = signed_in(Role.LEADER)
    url = reverse("web:leader_dashboard")
    response = client.post(
        url, {"number": orders["c"].number, "text": "请市住建局牵头尽快解决", "next": url}
    )
    assert response.status_code == 302 and response.url == url
    instruction = Instruction.objects.get(order=orders["c"])
    assert instruction.text == "请市住建局牵头尽快解决"
    assert "领导批示已记录" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "20269999999", "text": "请办理"}, "未找到工单「20269999999」"),
        ({"number": "abc", "text": "请办理"}, "工单编号只能是数字"),
        ({"number": "", "text": "请办理"}, "请填写工单编号"),
        ({"number": "__c__", "text": "   "}, "请填写批示内容"),
    ],
)
def test_the_instruction_box_refuses_bad_input(signed_in, orders, data, message):
    if data["number"] == "__c__":
        data = {**data, "number": orders["c"].number}
    response = signed_in(Role.LEADER).post(reverse("web:leader_dashboard"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Instruction.objects.exists()


def test_the_trends_give_each_of_the_last_twelve_months(city, orders):
    _, month = headline_figures(today=date(2026, 3, 10))
    on_time, satisfied = rate_trends(today=date(2026, 3, 10), month=month)
    assert [m.month for m in on_time.months][0] == date(2025, 4, 1)
    assert [m.month for m in on_time.months][-1] == date(2026, 3, 1)
    by_month = {m.month: (m.numerator, m.denominator) for m in on_time.months}
    assert by_month[date(2026, 3, 1)] == (2, 4)  # as the month's figure above
    assert by_month[date(2026, 2, 1)] == (0, 1)  # D fell due in February, still open
    assert by_month[date(2025, 12, 1)] == (0, 0)
    assert {m.month: (m.numerator, m.denominator) for m in satisfied.months}[date(2026, 3, 1)] == (
        1,
        2,
    )


def test_the_trend_lines_are_drawn_with_their_figures_on_hover(client, city, orders):
    client.force_login(city.users[Role.LEADER])
    html = client.get(reverse("web:leader_dashboard")).content.decode()
    assert "近 12 个月走势" in html
    assert "<title>2026-03 按期办结率 50.00%：按期办结 2 / 应办结 4</title>" in html
    assert "<title>2026-02 按期办结率 0.00%：按期办结 0 / 应办结 1</title>" in html
    assert 'aria-label="近 12 个月群众满意率，最近 2026-03 为 50.00%"' in html
    # A month with nothing to divide by is a gap, not a zero.
    assert "2025-12 按期办结率" not in html
