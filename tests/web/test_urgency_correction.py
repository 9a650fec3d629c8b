"""工单修正 of the urgency or the appeal type on the order page (SPEC 3, 4): the deadline
moves, the timeline shows it before and after, a concluded order's urgency is refused in
Chinese."""

import re

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local

NOW = local(2026, 3, 2, 11, 0)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _signed(city):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 0)
    )
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 9, 30)
    )


def _correct(client, order, field="urgency", value="urgent"):
    return client.post(
        f"/orders/{order.number}/do/correct/",
        {
            "field": field,
            "value": value,
            "reason": "涉及停水，应为急办件",
            "version": Order.objects.get(pk=order.pk).version,
            "next": f"/orders/{order.number}/",
        },
        follow=True,
    )


def test_the_supervisor_makes_an_order_urgent_and_sees_its_new_deadline(signed_in, city):
    order = _signed(city)
    client = signed_in(Role.SUPERVISOR)
    page = text(_correct(client, order))
    assert Order.objects.get(pk=order.pk).deadline == local(2026, 3, 3, 9, 30)
    assert (
        "<dt>原办理时限</dt><dd>2026-03-16 23:59</dd>"
        "<dt>修正后办理时限</dt><dd>2026-03-03 09:30</dd>"
    ) in page
    assert "修正后签收时限" not in page  # signed for already: that deadline stands


def test_a_concluded_orders_urgency_is_refused_in_chinese(signed_in, city):
    order = _signed(city)
    unit = city.users[Role.UNIT_HANDLER]
    order = handling.order_reply(order=order, text="已处理", actor=unit, at=local(2026, 3, 2, 10))
    order = review.order_review(
        order=order, decision="accept", actor=None, at=local(2026, 3, 2, 10, 30)
    )
    page = text(_correct(signed_in(Role.SUPERVISOR), order))
    assert "工单已办结，办理时限已经用完，不能再修正紧急程度" in page
    assert not Order.objects.get(pk=order.pk).urgent


def test_the_dispatcher_finds_a_help_request_and_sees_its_15_days(signed_in, city):
    order = _signed(city)
    page = text(_correct(signed_in(Role.DISPATCHER), order, "appeal_type", "help"))
    assert Order.objects.get(pk=order.pk).deadline == local(2026, 3, 23, 23, 59, 59)
    assert (
        "<dt>原办理时限</dt><dd>2026-03-16 23:59</dd>"
        "<dt>修正后办理时限</dt><dd>2026-03-23 23:59</dd>"
    ) in page
