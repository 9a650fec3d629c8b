"""The citizen portal in the browser: submit online, track with number and phone, and
rate once the order is closed."""

import re

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import dispatch, handling, review
from hotline.portal.models import CitizenRating
from tests.browser.conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)


def handle_to_the_end(city, order):
    """The office's side, done through the services: dispatch, sign, reply, accept, close."""
    users = city.users
    order = dispatch.order_dispatch(order=order, lead=city.district, actor=users[Role.DISPATCHER])
    order = handling.order_sign(order=order, actor=users[Role.UNIT_HANDLER])
    order = handling.order_reply(
        order=order,
        text="已联系物业清理楼道杂物，并张贴消防通道禁止堆放提示。",
        actor=users[Role.UNIT_HANDLER],
    )
    order = review.order_review(order=order, decision="accept", actor=users[Role.SUPERVISOR])
    return review.order_close(order=order, actor=users[Role.SUPERVISOR])


def track(page, number: str, phone: str) -> None:
    """Looks an order up on the portal's tracking page."""
    page.goto("/portal/track/")
    page.get_by_label("工单编号").fill(number)
    page.get_by_label("联系电话").fill(phone)
    submit(page, page.get_by_role("button", name="查询"))


def test_submit_track_and_rate(city, new_page):
    page = new_page()
    page.goto("/portal/")
    page.get_by_role("link", name="在线提交诉求").click()
    page.get_by_label("诉求类型").select_option(label="投诉")
    page.get_by_label("诉求内容").fill("小区3栋楼道长期堆放杂物，堵塞消防通道，物业不处理。")
    page.get_by_label("详细地址").fill("岳塘区书院路12号3栋")
    page.get_by_label("姓名").fill("吴先生")
    page.get_by_label("联系电话").fill("139 0000 1234")
    submit(page, page.get_by_role("button", name="提交"))
    number = re.search(r"\d{11}", page.locator("main").inner_text()).group()
    order = Order.objects.get(number=number)
    assert order.channel == "website" and order.citizen.phone == "13900001234"

    # A wrong phone is told apart from nothing: the same "not found".
    track(page, number, "13900009999")
    assert "未找到" in page.locator("main").inner_text()

    handle_to_the_end(city, order)
    track(page, number, "13900001234")
    shown = page.locator("main").inner_text()
    assert "已归档" in shown and "消防通道禁止堆放" in shown
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("评价意见").fill("处理及时，谢谢。")
    submit(page, page.get_by_role("button", name="提交评价"))
    rating = CitizenRating.objects.get(order=order)
    assert rating.result == "satisfied" and rating.comment == "处理及时，谢谢。"
