"""Live telephony in the browser (SPEC 8): the switch posts its events to the live
server like a real one; the operator signed in at seat 8001 sees the caller pop up
within a second of the answer, registers the order, and the order keeps the call id;
a missed call appears on the 漏接回拨 list and leaves it when called back."""

import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from hotline.calls.live import switch_create
from hotline.orders.models import Order
from tests.browser.conftest import screenshot, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def switch_post(live_server):
    token = switch_create(name="测试交换机").token

    def post(call_id: str, event: str, at: datetime, **fields) -> dict:
        body = {"call_id": call_id, "event": event, "at": at.isoformat(), **fields}
        request = urllib.request.Request(
            f"{live_server.url}/api/calls/events/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (200, 201)
            return json.loads(response.read())

    return post


def test_the_operator_at_seat_8001_sees_the_caller_pop_up_and_registers_the_order(
    city, sign_in, switch_post
):
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#seat-extension-input").fill("8001")
    submit(operator, operator.get_by_role("button", name="签入坐席"))
    operator.locator("#seat-extension").wait_for()
    assert operator.locator("#seat-extension").inner_text() == "8001"

    now = datetime.now(UTC)
    switch_post(
        "1796605200.1", "ringing", now - timedelta(seconds=6), caller="13800000001", queue="hotline"
    )
    answer = switch_post("1796605200.1", "answered", now, seat="8001")
    answered_at = time.monotonic()  # the switch's answer is recorded
    assert answer["seat_signed_in"] is True
    operator.locator("#pop-call-id").wait_for(timeout=1000)
    # The pop is drawn first and fills the form once htmx has settled it: the operator
    # sees both within the second.
    expect(operator.locator("#id_phone")).to_have_value("13800000001", timeout=1000)
    assert time.monotonic() - answered_at < 1.0
    assert operator.locator("#pop-caller").inner_text() == "13800000001"
    assert operator.locator("input[name=call_id]").input_value() == "1796605200.1"
    # The caller's history loads for the popped number.
    operator.locator("#caller-history").get_by_text("首次来电").wait_for()
    screenshot(operator, "screen-pop")

    operator.locator("#id_citizen_name").fill("陈女士")
    operator.locator("#id_appeal_type").select_option(label="咨询")
    operator.locator("#id_content").fill("咨询社保卡补办需要带什么材料")
    submit(operator, operator.get_by_role("button", name="当场答复"))
    order = Order.objects.get()
    assert order.call_id == "1796605200.1"
    operator.locator("#intake-done a").click()
    operator.wait_for_load_state()
    assert operator.locator("#order-call-id").inner_text() == "1796605200.1"


def test_a_missed_call_appears_on_the_list_and_leaves_it_when_called_back(
    city, sign_in, switch_post
):
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    switch_post("m-1", "ringing", long_ago, caller="13900000002", queue="hotline")
    switch_post("m-1", "missed", long_ago + timedelta(seconds=40))
    operator = sign_in("operator")
    operator.goto("/calls/missed/")
    row = operator.locator("#missed-list tr[data-caller='13900000002']")
    row.wait_for()
    row.get_by_label("回拨结果").select_option(label="未联系上")
    submit(operator, row.get_by_role("button", name="登记回拨"))
    assert "已登记回拨 13900000002：未联系上" in operator.locator("main").inner_text()
    assert operator.locator("#missed-list tr[data-caller='13900000002']").count() == 0
    assert "没有待回拨的号码" in operator.locator("#missed-list").inner_text()
