"""Merging in the browser (SPEC 3, 10): a second caller reports a matter already open in
the same district; the operator sees the open order while typing, registers the call,
and the dispatcher merges it with one click from the similar-orders box of the queue."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.assistance.similar import similar_open_orders
from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.intake import CitizenInput
from tests.browser.conftest import submit
from tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)

ORIGINAL = "书院路88号旁工地每晚十一点后仍在施工，噪音很大，影响休息。"
DUPLICATE = "书院路88号工地夜里十一点多还在施工，噪音扰民，吵得没法休息。"


@pytest.fixture
def open_order(city):
    """The first caller's order, sent to 岳塘区 two hours ago."""
    at = timezone.now() - timedelta(hours=2)
    order = register(
        city,
        at,
        content=ORIGINAL,
        citizen=CitizenInput(name="周女士", phone="13800000009"),
    )
    order_dispatch(order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=at)
    # The comparison's first use loads the text models (seconds on a busy machine): done
    # here rather than within the page's wait.
    found = similar_open_orders(
        viewer=city.users[Role.OPERATOR], content=DUPLICATE, region=city.street
    )
    assert [s.order.number for s in found] == [order.number]
    return Order.objects.get(pk=order.pk)


def _take_the_second_call(operator, original: Order) -> str:
    operator.goto("/intake/")
    operator.locator("#id_phone").fill("13900000021")
    operator.locator("#id_citizen_name").fill("吴先生")
    operator.locator("#id_appeal_type").select_option(label="投诉")
    operator.locator("#category-q").fill("噪音")
    operator.get_by_text("噪音扰民").first.click()
    operator.locator("#region-q").fill("书院路")  # the region picker: by name or initials
    operator.locator('#region-options input[value="430304001"]').check()
    operator.locator("#id_address").fill("岳塘区书院路90号")
    operator.locator("#id_content").fill(DUPLICATE)
    operator.locator("#id_content").blur()  # the box follows the content once it is typed
    box = operator.locator("#intake-similar")
    box.get_by_role("link", name=original.number).wait_for()
    assert "相似的在办工单" in box.inner_text()
    assert f"登记后可将新工单并入 {original.number}" in box.inner_text()
    submit(operator, operator.get_by_role("button", name="转派"))
    submit(operator, operator.get_by_role("button", name="交派单员派单"))
    message = operator.get_by_role("status").first.inner_text()
    return re.search(r"\d{11}", message).group()


def test_a_duplicate_call_is_merged_into_the_open_order_with_one_click(city, sign_in, open_order):
    operator = sign_in("operator")
    number = _take_the_second_call(operator, open_order)
    duplicate = Order.objects.get(number=number)
    assert duplicate.status == "registered" and duplicate.merged_into is None

    dispatcher = sign_in("dispatcher")
    dispatcher.goto("/dispatch/")
    row = dispatcher.locator(f"#o-{number}")
    # Why the catalogue names its unit, opened from the keyboard.
    row.get_by_role("button", name="推荐理由").focus()
    dispatcher.keyboard.press("Enter")
    why = row.locator(".suggestion-why")
    why.wait_for()
    assert "派单目录「噪音扰民」由岳塘区主办（属地原则）" in why.inner_text()
    row.get_by_role("button", name="相似工单").click()
    similar = row.locator(".similar-orders")
    similar.get_by_role("link", name=open_order.number).wait_for()
    assert open_order.number in similar.inner_text()
    submit(dispatcher, similar.get_by_role("button", name="并入此单"))

    # The database: the duplicate is closed at intake as merged into the original,
    # by one merge event, and the original goes on untouched.
    duplicate.refresh_from_db()
    assert duplicate.status == "merged"
    assert duplicate.disposition == "merged"
    assert duplicate.merged_into_id == open_order.pk
    merge = Event.objects.get(order=duplicate, type="merge")
    assert merge.data["into"] == open_order.number
    assert merge.actor.username == "dispatcher"
    original = Order.objects.get(pk=open_order.pk)
    assert (original.status, original.version) == ("dispatched", open_order.version)

    # The page: back on the queue, the duplicate has left it.
    assert dispatcher.url.endswith("/dispatch/")
    assert (
        f"工单 {number}：已并入工单 {open_order.number}"
        in dispatcher.get_by_role("status").first.inner_text()
    )
    assert dispatcher.locator(f"#o-{number}").count() == 0
    # Both orders' pages show the link.
    dispatcher.goto(f"/orders/{number}/")
    facts = dispatcher.locator("dl.facts").first.inner_text()
    assert "并入工单" in facts and open_order.number in facts
    assert "已并单" in dispatcher.content()
    dispatcher.goto(f"/orders/{open_order.number}/")
    assert re.search(rf"并入本单的工单\s*{number}", dispatcher.locator("body").inner_text())
