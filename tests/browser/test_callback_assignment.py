"""回访分配 at 1366×768, by keyboard: the lead ticks three orders in the callback queue
and assigns them to an agent; the agent signs in, finds them under 我的回访 and records
one callback with a note."""

from datetime import timedelta

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Callback, Order
from tests.browser.test_lists import small_screen
from tests.conftest import local
from tests.services.test_callback_assignment import concluded

pytestmark = pytest.mark.django_db(transaction=True)

T0 = local(2026, 3, 2, 9, 0)


def test_the_lead_assigns_three_and_the_agent_calls_one_back(city, sign_in):
    orders = [concluded(city, T0 + timedelta(hours=i)) for i in range(4)]
    agent = city.users[Role.CALLBACK_AGENT]
    agent.first_name = "王回访"
    agent.save()

    lead = small_screen(sign_in("supervisor"))
    lead.goto("/callback/")
    assert lead.get_by_role("link", name="全部 4").is_visible()
    for order in orders[:3]:
        box = lead.get_by_label(f"选择工单 {order.number}")
        box.focus()
        lead.keyboard.press("Space")
        assert box.is_checked()
    lead.get_by_label("回访员").focus()
    lead.keyboard.press("ArrowDown")  # past 「（退回未分配）」 to the one agent
    assert lead.get_by_label("回访员").input_value() == agent.username
    lead.get_by_role("button", name="分配所选").focus()
    with lead.expect_navigation():
        lead.keyboard.press("Enter")
    told = lead.get_by_role("status").first.inner_text()
    assert "批量回访分配：3 件完成，0 件未完成" in told
    assert lead.locator(f"#order-{orders[0].number}").get_by_text("回访员：王回访").is_visible()
    assert lead.get_by_role("link", name="未分配 1").is_visible()

    page = small_screen(sign_in(agent.username))
    page.goto("/callback/")
    mine = page.get_by_role("link", name="我的回访 3")
    assert mine.get_attribute("aria-current") == "page"
    rows = page.locator("table.callback-queue tbody tr")
    assert [rows.nth(i).get_attribute("id") for i in range(rows.count())] == [
        f"order-{o.number}" for o in orders[:3]
    ]
    row = page.locator(f"#order-{orders[0].number}")
    row.get_by_label("满意", exact=True).focus()
    page.keyboard.press("Space")
    row.get_by_label("回访备注").fill("市民表示噪音已停止，满意")
    row.get_by_role("button", name="记录回访").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"工单 {orders[0].number}" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("link", name="我的回访 2").is_visible()
    callback = Callback.objects.get(order=orders[0])
    assert (callback.result, callback.note, callback.agent) == (
        "satisfied",
        "市民表示噪音已停止，满意",
        agent,
    )
    assert Order.objects.get(pk=orders[0].pk).callback_agent == ""
