"""Lists at 1366×768: a content search for 噪音 combined with a filter, its export
opened as a workbook, and a batch sign-for of five orders in the unit inbox."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db(transaction=True)

T0 = local(2026, 3, 9, 9, 0)


def small_screen(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    return page


def test_content_search_finds_noise_and_exports_the_filtered_list(city, sign_in):
    noisy = [
        factories.register(city, T0 + timedelta(hours=i), content=text, category=city.water_supply)
        for i, text in enumerate(["夜里水泵噪音很大", "楼上噪音扰民", "广场舞噪音太吵"])
    ]
    dispatch.order_dispatch(
        order=noisy[2],
        lead=city.water,
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(hours=3),
    )
    factories.register(city, T0, content="小区停水三天了", category=city.water_supply)
    page = small_screen(sign_in("supervisor"))
    page.goto("/orders/")
    page.get_by_label("内容").fill("噪音")
    page.get_by_label("状态").select_option(label="已登记")
    page.get_by_label("内容").press("Enter")
    page.wait_for_load_state()
    rows = page.locator("table.orders tbody tr")
    assert rows.count() == 2
    shown = [rows.nth(i).locator("td").first.inner_text() for i in range(2)]
    assert shown == [noisy[1].number, noisy[0].number]

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    saved = download.value
    assert saved.suggested_filename.startswith("工单查询-") and saved.suggested_filename.endswith(
        ".xlsx"
    )
    book = load_workbook(io.BytesIO(saved.path().read_bytes()), read_only=True)
    sheet = list(book.active.iter_rows(values_only=True))
    head = sheet[1]
    table = [dict(zip(head, row, strict=False)) for row in sheet[2:]]
    assert [r["工单编号"] for r in table] == shown
    assert [r["诉求内容"] for r in table] == ["楼上噪音扰民", "夜里水泵噪音很大"]
    assert {r["状态"] for r in table} == {"已登记"}
    assert page.get_by_role("status").filter(has_text="已导出 2 行").is_visible()


def test_a_unit_signs_five_orders_at_once(city, sign_in):
    orders = [
        dispatch.order_dispatch(
            order=factories.register(city, T0 + timedelta(minutes=i)),
            lead=city.district,
            actor=city.users[Role.DISPATCHER],
            at=T0 + timedelta(minutes=10 + i),
        )
        for i in range(5)
    ]
    page = small_screen(sign_in("unit_handler-U-YT"))
    page.goto("/unit/?tab=sign")
    page.get_by_label("全选本页").check()
    for order in orders:
        assert page.get_by_label(f"选择工单 {order.number}").is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="批量签收所选").click()
    messages = page.get_by_role("status").first.inner_text()
    for order in orders:
        assert f"工单 {order.number}：签收已完成" in messages
    assert "批量签收：5 件完成，0 件未完成" in messages
    assert set(
        Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True)
    ) == {"in_progress"}
    assert page.locator("table.unit-inbox tbody tr td.empty").inner_text() == "没有工单"
