"""The intake review page and the dispatcher's transfer (SPEC 3, 2026-12), through the
pages: refusals in Chinese with nothing written, the timeline telling what happened."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from hotline.orders.selectors import order_state
from hotline.orders.services.intake import Intake, order_register, order_transfer
from hotline.portal.services import OnlineRequest, online_request_submit
from tests.conftest import local

pytestmark = pytest.mark.django_db


def online(city):
    return order_register(
        actor=None,
        intake=Intake(channel="wechat", appeal_type="other", content="书院路路灯不亮", review=True),
        at=local(2026, 12, 1, 9),
    )


def test_the_queue_lists_the_order_unclassified(signed_in, city):
    order = online(city)
    page = signed_in(Role.OPERATOR).get("/intake/review/").content.decode()
    assert order.number in page and "未分类" in page and "微信公众号" in page
    assert order.number not in signed_in(Role.DISPATCHER).get("/dispatch/").content.decode()


def test_dispatching_unclassified_is_refused_in_chinese_and_nothing_written(signed_in, city):
    order = online(city)
    response = signed_in(Role.OPERATOR).post(
        f"/intake/review/{order.number}/",
        {"version": order.version, "appeal_type": "complaint", "action": "queue"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请选择事项分类" in page and "请选择区域" in page
    order.refresh_from_db()
    assert order.version == 1 and order_state(order).in_review


def test_classified_and_left_to_the_dispatcher_with_the_timeline(signed_in, city):
    order = online(city)
    client = signed_in(Role.OPERATOR)
    response = client.post(
        f"/intake/review/{order.number}/",
        {
            "version": order.version,
            "appeal_type": "complaint",
            "category": city.noise.code,
            "region": city.yuetang.code,
            "action": "queue",
        },
    )
    assert response.status_code == 302
    assert order.number in signed_in(Role.DISPATCHER).get("/dispatch/").content.decode()
    detail = client.get(f"/orders/{order.number}/").content.decode()
    assert "受理审核" in detail and "噪音扰民" in detail and "岳塘区" in detail


def test_a_stale_review_is_refused(signed_in, city):
    order = online(city)
    response = signed_in(Role.OPERATOR).post(
        f"/intake/review/{order.number}/",
        {"version": 0, "transfer_to": "110", "transfer_note": "转110", "action": "transfer"},
    )
    assert response.status_code == 400
    assert "已被他人处理" in response.content.decode()
    assert Order.objects.get(pk=order.pk).disposition == ""


def test_the_dispatcher_transfers_from_the_queue(signed_in, city):
    order = order_register(
        actor=city.users[Role.OPERATOR],
        intake=Intake(channel="phone", appeal_type="help", content="楼道冒烟"),
        at=local(2026, 12, 1, 9),
    )
    client = signed_in(Role.DISPATCHER)
    assert "即时转办…" in client.get("/dispatch/").content.decode()
    refused = client.post(
        f"/orders/{order.number}/do/transfer/",
        {"version": order.version, "to": "999", "note": "转办"},
        follow=True,
    )
    assert "转办对象只能是 110、119、120 或 122" in refused.content.decode()
    assert not Event.objects.filter(order=order, type="transfer").exists()
    client.post(
        f"/orders/{order.number}/do/transfer/",
        {"version": order.version, "to": "119", "note": "三方通话转119"},
    )
    order.refresh_from_db()
    assert (order.status, order.disposition) == ("closed", "transferred")
    detail = client.get(f"/orders/{order.number}/").content.decode()
    assert "消防119" in detail and "三方通话转119" in detail


def test_the_order_page_offers_review_and_transfer(signed_in, city):
    order = online(city)
    page = signed_in(Role.OPERATOR).get(f"/orders/{order.number}/").content.decode()
    assert f'href="/intake/review/{order.number}/"' in page
    assert "即时转办（110/119/120/122）" in page and "消防119" in page


def test_the_citizen_sees_a_transfer_on_the_portal(city, client):
    order = online_request_submit(
        request=OnlineRequest(
            appeal_type="help", content="楼道有烟味", name="吴先生", phone="13900001234"
        )
    )
    order_transfer(order=order, actor=city.users[Role.OPERATOR], to="119", note="三方通话转119")
    page = client.post(
        "/portal/track/", {"number": order.number, "phone": "13900001234"}
    ).content.decode()
    assert "已转交紧急服务部门处理" in page and "已即时转交消防119处理" in page
