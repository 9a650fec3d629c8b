"""SPEC 3 (2026-12) in the browser: a portal submission waits in the operators' intake
review unclassified, is classified and dispatched; an emergency transferred to 110 at
intake is counted in the month's figures as 即时转办, not as 不予受理."""

import re

import pytest

from hotline.orders.models import Event, Order
from tests.browser.conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_portal_submission_is_reviewed_classified_and_dispatched(city, new_page, sign_in):
    citizen = new_page()
    citizen.goto("/portal/submit/")
    citizen.get_by_label("诉求类型").select_option(label="其他")
    citizen.get_by_label("诉求内容").fill("书院路88号旁工地每晚十一点后仍在施工，噪音很大。")
    citizen.get_by_label("详细地址").fill("书院路88号")
    citizen.get_by_label("姓名").fill("吴先生")
    citizen.get_by_label("联系电话").fill("139 0000 1234")
    submit(citizen, citizen.get_by_role("button", name="提交"))
    number = re.search(r"\d{11}", citizen.locator("main").inner_text()).group()

    # Not the dispatcher's yet.
    dispatcher = sign_in("dispatcher")
    dispatcher.goto("/dispatch/")
    assert number not in dispatcher.locator("main").inner_text()

    operator = sign_in("operator")
    operator.goto("/intake/review/")
    line = operator.locator("tr", has_text=number)
    assert "未分类" in line.inner_text() and "网站" in line.inner_text()
    line.get_by_role("link", name="审核").click()
    operator.wait_for_load_state()
    assert "书院路88号旁工地" in operator.locator("#order-content").inner_text()
    operator.locator("#id_appeal_type").select_option(label="投诉")
    operator.locator("#category-q").fill("噪音")
    operator.get_by_text("噪音扰民").first.click()
    operator.locator("#region-q").fill("书院路")  # the region picker: by name or initials
    operator.locator('#region-options input[value="430304001"]').check()
    operator.locator("#id_address").fill("岳塘区书院路88号")
    # F4 (keyboard) asks for the catalogue's units, then confirms them.
    with operator.expect_navigation():
        operator.keyboard.press("F4")
    assert "派单目录建议" in operator.locator("#dispatch-step").inner_text()
    submit(operator, operator.get_by_role("button", name="确认转派"))
    assert "已审核并转派至「岳塘区」" in operator.get_by_role("status").first.inner_text()

    order = Order.objects.get(number=number)
    assert (order.status, order.lead_unit, order.category, order.appeal_type) == (
        "dispatched",
        city.district,
        city.noise,
        "complaint",
    )
    assert order.address == "岳塘区书院路88号"
    assert list(order.events.values_list("type", flat=True)) == ["register", "classify", "dispatch"]
    operator.goto("/intake/review/")
    assert number not in operator.locator("main").inner_text()


def test_an_intake_transfer_to_110_counts_as_transferred(city, sign_in):
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#id_phone").fill("13800000009")
    operator.locator("#id_appeal_type").select_option(label="求助")
    operator.locator("#id_content").fill("楼下有人持刀打架，请快派人。")
    # Without a note the transfer is refused, nothing written.
    operator.locator("#id_transfer_to").select_option("110")
    submit(operator, operator.get_by_role("button", name="即时转办"))
    assert "请填写转办说明" in operator.locator("main").inner_text()
    assert not Order.objects.exists()
    operator.locator("#id_transfer_note").fill("三方通话转110 接警员已接听")
    submit(operator, operator.get_by_role("button", name="即时转办"))
    assert "即时转办（公安110）" in operator.get_by_role("status").first.inner_text()
    order = Order.objects.get()
    assert (order.disposition, order.reject_reason) == ("transferred", "")
    assert Event.objects.get(order=order, type="transfer").data == {
        "to": "110",
        "note": "三方通话转110 接警员已接听",
    }

    supervisor = sign_in("supervisor")
    supervisor.goto("/statistics/")
    figures = {
        f.locator(".name").inner_text(): f.locator(".value").inner_text()
        for f in supervisor.locator(".figure").all()
    }
    assert figures["即时转办"].startswith("1") and figures["不予受理"].startswith("0")
