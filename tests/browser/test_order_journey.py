"""One order's whole journey in the browser: operator → dispatcher → unit → supervisor →
callback agent → closed; and a unit handler guessing another unit's order URL."""

import re

import pytest

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.orders.models import Contact, Order
from hotline.orders.services.dispatch import order_dispatch
from tests.browser.conftest import screenshot, submit
from tests.conftest import local
from tests.factories import register, user

pytestmark = pytest.mark.django_db(transaction=True)


def row(page, number):
    return page.locator("tr", has_text=number).first


def test_an_order_from_the_call_to_its_closing(city, sign_in):
    # The operator takes the call and leaves the order for the dispatcher.
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#id_phone").fill("13800000009")
    operator.locator("#id_citizen_name").fill("周女士")
    operator.locator("#id_appeal_type").select_option(label="投诉")
    operator.locator("#category-q").fill("噪音")
    operator.get_by_text("噪音扰民").first.click()
    operator.locator("#region-q").fill("书院路")  # the region picker: by name or initials
    operator.locator('#region-options input[value="430304001"]').check()
    operator.locator("#id_address").fill("岳塘区书院路88号")
    operator.locator("#id_content").fill(
        "书院路88号旁工地每晚十一点后仍在施工，噪音很大，影响休息。"
    )
    submit(operator, operator.get_by_role("button", name="转派"))
    submit(operator, operator.get_by_role("button", name="交派单员派单"))
    message = operator.get_by_role("status").first.inner_text()
    number = re.search(r"\d{11}", message).group()
    assert Order.objects.get(number=number).status == "registered"

    # The dispatcher sends it to the unit the catalogue suggests.
    dispatcher = sign_in("dispatcher")
    dispatcher.goto("/dispatch/")
    submit(
        dispatcher, row(dispatcher, number).get_by_role("button", name=re.compile("岳塘区")).first
    )
    assert Order.objects.get(number=number).status == "dispatched"

    # The unit signs for it and replies.
    unit = sign_in(city.users[Role.UNIT_HANDLER].username)
    unit.goto("/unit/")
    submit(unit, row(unit, number).get_by_role("button", name="签收"))
    unit.goto("/unit/?tab=in_progress")
    screenshot(unit, "unit-inbox")
    # SPEC 4 (2026-12): the unit first records its call to the citizen, in one step.
    line = row(unit, number)
    line.locator("summary", has_text="联系诉求人").click()
    line.get_by_label("联系方式").select_option("phone")
    line.get_by_label("联系结果").select_option("reached")
    submit(unit, line.get_by_role("button", name="记录联系"))
    assert Contact.objects.filter(order__number=number, way="phone").count() == 1
    row(unit, number).get_by_role("link", name="答复").click()
    unit.locator("textarea").first.fill("已责令工地夜间停工，城管队员现场检查，已电话告知市民。")
    unit.get_by_label("问题已解决").check()
    submit(unit, unit.get_by_role("button", name="提交答复"))
    assert Order.objects.get(number=number).status == "replied"

    # The office accepts the reply.
    supervisor = sign_in("supervisor")
    supervisor.goto("/supervision/")
    submit(supervisor, row(supervisor, number).get_by_role("button", name="审核通过"))
    assert Order.objects.get(number=number).status == "concluded"

    # The callback agent reveals the number (logged), calls, records and closes.
    agent = sign_in(city.users[Role.CALLBACK_AGENT].username)
    agent.goto("/callback/")
    line = row(agent, number)
    line.get_by_role("button", name="显示号码").click()
    agent.get_by_text("13800000009").first.wait_for()
    line.get_by_label("满意", exact=True).check()
    submit(agent, line.get_by_role("button", name="记录回访"))
    assert AuditRecord.objects.filter(action="reveal", order__number=number).count() == 1
    order = Order.objects.get(number=number)
    if order.status != "closed":
        agent.goto("/callback/?tab=done")
        submit(agent, row(agent, number).get_by_role("button", name="归档"))
    assert Order.objects.get(number=number).status == "closed"

    # Everyone who may see it finds the whole story on the detail page.
    supervisor.goto(f"/orders/{number}/")
    timeline = supervisor.locator(".timeline")
    for label in ("登记", "转办", "签收", "答复", "审核", "回访", "归档"):
        assert label in timeline.inner_text(), label
    screenshot(supervisor, "order-timeline")


def test_a_unit_handler_guessing_another_units_order_gets_404(city, sign_in):
    order = register(city, local(2026, 3, 2, 9), region=city.yuhu)
    order_dispatch(
        order=order,
        lead=city.other_district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 10),
    )
    user(Role.UNIT_HANDLER, unit=city.water, username="water")
    page = sign_in(city.users[Role.UNIT_HANDLER].username)
    response = page.goto(f"/orders/{order.number}/")
    assert response.status == 404
    assert "未找到" in page.content()
    assert order.number not in page.goto("/orders/").text()
