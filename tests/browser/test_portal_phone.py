"""The portal on a phone (390 px wide): a header that keeps its words whole, a request
with a place found by pinyin initials and two photos, and a refused request whose
timeline never says it was accepted (受理)."""

import re

import pytest

from hotline.attachments.models import Attachment
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import intake
from tests.browser.conftest import screenshot, submit
from tests.browser.test_citizen_portal import track

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_SCREEN = {"width": 390, "height": 844}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    for link in page.get_by_role("navigation", name="市民服务").get_by_role("link").all():
        box = link.bounding_box()
        # One line of text each: never a column of single characters.
        assert box["height"] < 40 and box["width"] > box["height"], link.inner_text()


def test_a_request_from_a_phone_with_a_place_and_photos_then_refused(
    city, new_page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = new_page()
    page.set_viewport_size(PHONE_SCREEN)
    page.goto("/portal/")
    fits_the_screen(page)
    page.get_by_role("link", name="我要反映").click()
    fits_the_screen(page)
    page.get_by_label("诉求类型").select_option(label="投诉")
    page.get_by_label("诉求内容").fill("书院路口的路灯坏了一个多月，晚上很黑。")
    page.get_by_role("searchbox", name="所在区域").fill("syl")
    street = page.get_by_role("radio", name=re.compile("书院路街道"))
    street.check()
    page.get_by_label("详细地址").fill("书院路与建设路交叉口")
    page.get_by_label("现场照片（可不传）").set_input_files(
        [
            {"name": "路灯.png", "mimeType": "image/png", "buffer": PNG},
            {"name": "路口.png", "mimeType": "image/png", "buffer": PNG},
        ]
    )
    page.get_by_label("姓名").fill("钱女士")
    page.get_by_label("联系电话").fill("13900005678")
    screenshot(page, "portal-390")
    submit(page, page.get_by_role("button", name="提交"))
    number = re.search(r"\d{11}", page.locator("main").inner_text()).group()
    order = Order.objects.get(number=number)
    assert (order.region, order.address) == (city.street, "书院路与建设路交叉口")
    assert sorted(Attachment.objects.filter(order=order).values_list("name", flat=True)) == [
        "路口.png",
        "路灯.png",
    ]

    intake.order_reject(order=order, reason="vague", actor=city.users[Role.DISPATCHER])
    track(page, number, "13900005678")
    timeline = page.locator(".timeline").inner_text()
    assert "已收到您的网上诉求" in timeline and "不予受理" in timeline
    assert "已受理" not in timeline
    fits_the_screen(page)


def test_the_favicon_is_served(city, new_page):
    page = new_page()
    response = page.goto("/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"
