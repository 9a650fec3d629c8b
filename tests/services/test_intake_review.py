"""SPEC 3 (2026-12): online orders wait for the operators' intake review; emergencies are
transferred, not rejected."""

import pytest

from hotline.domain.enums import Disposition, EmergencyService, Role, Status
from hotline.domain.errors import DomainError
from hotline.orders.models import Event, Order
from hotline.orders.selectors import order_state
from hotline.orders.selectors.queues import (
    awaiting_dispatch,
    awaiting_intake_review,
    queue_counts,
)
from hotline.orders.services import dispatch, intake, intake_desk
from hotline.orders.services.intake import Intake
from tests.conftest import local


def _online(city, channel="website", **changes):
    data = {
        "channel": channel,
        "appeal_type": "other",
        "content": "小区门口路灯坏了一个月",
        "review": True,
        **changes,
    }
    return intake.order_register(actor=None, intake=Intake(**data), at=local(2026, 12, 1, 9))


def test_an_online_order_waits_for_review_not_for_the_dispatcher(city):
    order = _online(city)
    phone = intake.order_register(
        actor=city.users[Role.OPERATOR],
        intake=Intake(channel="phone", appeal_type="help", content="来电求助", review=True),
    )
    operator = city.users[Role.OPERATOR]
    dispatcher = city.users[Role.DISPATCHER]
    assert list(awaiting_intake_review(viewer=operator)) == [order]
    assert list(awaiting_dispatch(viewer=dispatcher)) == [phone]
    assert queue_counts(viewer=dispatcher, queues=["pending", "intake_review"]) == {
        "pending": 1,
        "intake_review": 1,
    }


def test_classify_then_dispatch(city):
    order = _online(city)
    operator = city.users[Role.OPERATOR]
    order = intake.order_classify(
        order=order,
        actor=operator,
        category=city.noise,
        region=city.yuetang,
        appeal_type="complaint",
        address="书院路12号",
        at=local(2026, 12, 1, 9, 10),
    )
    order.refresh_from_db()
    assert (order.category, order.region, order.appeal_type, order.address) == (
        city.noise,
        city.yuetang,
        "complaint",
        "书院路12号",
    )
    assert not order_state(order).in_review
    event = Event.objects.get(order=order, type="classify")
    assert event.data == {
        "category": "0501",
        "region": "430304",
        "appeal_type": "complaint",
        "address": "书院路12号",
    }
    dispatch.order_dispatch(
        order=order, lead=city.district, actor=operator, at=local(2026, 12, 1, 9, 11)
    )
    assert not awaiting_intake_review(viewer=operator).exists()


def test_classify_needs_category_region_and_type_and_writes_nothing(city):
    order = _online(city)
    with pytest.raises(DomainError) as refused:
        intake.order_classify(
            order=order,
            actor=city.users[Role.OPERATOR],
            category=None,
            region=city.yuetang,
            appeal_type="complaint",
        )
    assert "事项分类" in refused.value.message
    order.refresh_from_db()
    assert order.category is None and order.version == 1


def test_classify_is_only_for_orders_in_review(city):
    order = intake.order_register(
        actor=city.users[Role.OPERATOR],
        intake=Intake(channel="phone", appeal_type="help", content="来电求助"),
    )
    with pytest.raises(DomainError, match="不在受理审核"):
        intake.order_classify(
            order=order,
            actor=city.users[Role.OPERATOR],
            category=city.noise,
            region=city.yuetang,
            appeal_type="complaint",
        )


def test_answer_online_keeps_the_text(city):
    order = _online(city)
    order = intake.order_answer(
        order=order, actor=city.users[Role.OPERATOR], text="  路灯已报修，三日内修复。 "
    )
    assert order.disposition == Disposition.ANSWERED
    assert Event.objects.get(order=order, type="answer").data["text"] == "路灯已报修，三日内修复。"


def test_transfer_at_intake_closes_the_order_apart_from_rejections(city):
    operator = city.users[Role.OPERATOR]
    order = intake_desk.order_transfer_at_intake(
        actor=operator,
        intake=Intake(channel="phone", appeal_type="help", content="家门口有人打架"),
        to="110",
        note="三方通话转110，接警员已接听",
    )
    assert (order.status, order.disposition, order.reject_reason) == (
        Status.CLOSED,
        Disposition.TRANSFERRED,
        "",
    )
    assert order_state(order).transferred_to is EmergencyService.POLICE


def test_the_dispatcher_transfers_a_registered_order(city):
    order = _online(city)
    intake.order_transfer(
        order=order, actor=city.users[Role.DISPATCHER], to="119", note="楼道冒烟，转119"
    )
    order.refresh_from_db()
    assert order.disposition == Disposition.TRANSFERRED


@pytest.mark.parametrize(
    ("to", "note", "message"),
    [("999", "转办", "转办对象「999」不在可选范围内"), ("110", "  ", "转办说明不能为空")],
)
def test_a_bad_transfer_is_refused_and_writes_nothing(city, to, note, message):
    count = Order.objects.count()
    with pytest.raises(DomainError) as refused:
        intake_desk.order_transfer_at_intake(
            actor=city.users[Role.OPERATOR],
            intake=Intake(channel="phone", appeal_type="help", content="有人落水"),
            to=to,
            note=note,
        )
    assert refused.value.message == message
    assert Order.objects.count() == count
