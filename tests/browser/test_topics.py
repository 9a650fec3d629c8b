"""每月一题 in the browser (acceptance of the topics): the office takes a topic up from
the miner's candidates (候选一类事) with the keyboard, links another order by its number,
plans a milestone and records progress; the month's report lists the topic."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.governance.models import Topic, TopicOrder
from hotline.orders.services.dispatch import order_dispatch
from tests.browser.conftest import submit
from tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 1366, "height": 768}
PLACE = "岳塘区书院路云盘小区3栋"


def _dispatched(city, at, **fields):
    order = register(city, at, **fields)
    return order_dispatch(order=order, lead=city.district, actor=None, at=at)


def test_the_office_takes_up_a_candidate_plans_it_and_the_months_report_lists_it(city, sign_in):
    now = timezone.now()
    # Three noise complaints from one building this month: the miner's candidate.
    cluster = [
        _dispatched(city, now - timedelta(minutes=m), address=f"{PLACE}{u}单元")
        for m, u in ((30, 1), (20, 2), (10, 3))
    ]
    elsewhere = _dispatched(city, now - timedelta(minutes=5), address="雨湖区建设北路138号")

    office = sign_in(city.users[Role.SUPERVISOR].username)
    office.set_viewport_size(VIEWPORT)
    office.goto("/")
    office.get_by_role("link", name="候选一类事").click()
    card = office.locator("section.proposal").first
    assert "书院路云盘小区3栋" in card.inner_text()
    # 立项 from the keyboard: the title field, then Enter submits the prefilled form.
    card.get_by_label("题目").focus()
    office.keyboard.press("Control+A")
    office.keyboard.type("云盘小区3栋夜间噪音治理")
    with office.expect_navigation():
        office.keyboard.press("Enter")
    assert "已立项：云盘小区3栋夜间噪音治理" in office.content()
    topic = Topic.objects.get()
    assert topic.lead_unit == city.district
    linked = set(TopicOrder.objects.values_list("order_id", flat=True))
    assert linked == {o.pk for o in cluster}

    office.get_by_label("工单编号").fill(elsewhere.number)
    submit(office, office.get_by_role("button", name="关联工单"))
    assert f"已关联工单 {elsewhere.number}" in office.content()
    orders = office.locator("#orders-title").locator("xpath=..").inner_text()
    assert all(o.number in orders for o in [*cluster, elsewhere])

    office.get_by_label("工作节点").fill("约谈物业和施工单位")
    due = (now.astimezone(LOCAL_TZ) + timedelta(days=10)).date()
    office.get_by_label("计划完成日期").fill(due.isoformat())
    submit(office, office.get_by_role("button", name="添加工作节点"))
    submit(office, office.get_by_role("button", name="标记完成"))
    office.get_by_role("textbox", name="推进情况").fill("已约谈物业，夜间施工已停止")
    submit(office, office.get_by_role("button", name="填报进展"))
    plan = office.locator("#plan-title").inner_text()
    assert "完成 1/1" in plan
    assert (
        "已约谈物业，夜间施工已停止"
        in office.locator("#progress-title").locator("xpath=..").inner_text()
    )

    # The month's report, previewed from the reports page.
    today = now.astimezone(LOCAL_TZ).date()
    office.goto("/reports/new/")
    office.get_by_label("通报类型").select_option("month")
    office.get_by_label("年份").fill(str(today.year))
    office.get_by_label("月份").select_option(str(today.month))
    submit(office, office.get_by_role("button", name="创建草稿"))
    preview = office.locator(".report-preview").inner_text()
    assert "每月一题（主动治理）推进情况" in preview
    assert "云盘小区3栋夜间噪音治理" in preview
    assert "关联工单4件" in preview and "工作节点完成1/1" in preview
    assert "已约谈物业，夜间施工已停止" in preview
