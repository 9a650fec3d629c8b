"""Refused actions leave nothing behind, and roles and units are enforced."""

from datetime import date

import pytest

from hotline.domain.enums import Role
from hotline.domain.lifecycle import InvalidTransition, NotLeadUnit, OrderClosed
from hotline.domain.permissions import NotPermitted
from hotline.orders.models import Assignment, Event, Extension, Order, Violation
from hotline.orders.selectors import order_get, visible_orders
from hotline.orders.services import dispatch, handling, intake, review, supervision
from hotline.orders.services.dispatch import NotSubUnit
from hotline.orders.services.intake import MergeTargetClosed
from hotline.orders.services.recording import StaleOrder, WrongUnit
from tests import factories
from tests.conftest import local


def _snapshot(order):
    fresh = Order.objects.get(pk=order.pk)
    return (
        fresh.version,
        fresh.state,
        fresh.status,
        Event.objects.filter(order=order).count(),
        Assignment.objects.filter(order=order).count(),
    )


def _dispatched(city, at=None, lead=None):
    at = at or local(2026, 3, 2, 9, 0)
    order = factories.register(city, at)
    return dispatch.order_dispatch(order=order, lead=lead or city.district, actor=None, at=at)


def test_a_refused_action_writes_nothing(city):
    order = _dispatched(city)
    before = _snapshot(order)
    with pytest.raises(InvalidTransition):
        handling.order_reply(order=order, text="已处理", actor=city.users[Role.UNIT_HANDLER])
    with pytest.raises(InvalidTransition):
        handling.order_extension_request(
            order=order, until=date(2026, 4, 1), reason="需协调", unit=city.district, actor=None
        )
    assert _snapshot(order) == before
    assert not Extension.objects.exists()


def test_a_stale_version_is_refused_with_a_clear_message(city):
    order = _dispatched(city)
    with pytest.raises(StaleOrder, match="已被他人处理"):
        handling.order_sign(
            order=order, actor=city.users[Role.UNIT_HANDLER], expected_version=order.version - 1
        )


def test_roles_are_enforced(city):
    order = _dispatched(city)
    with pytest.raises(NotPermitted):
        handling.order_sign(order=order, actor=city.users[Role.OPERATOR], unit=city.district)
    with pytest.raises(NotPermitted):
        review.order_close(order=order, actor=city.users[Role.LEADER])
    with pytest.raises(NotPermitted):
        dispatch.order_redispatch(order=order, lead=city.water, actor=city.users[Role.UNIT_HANDLER])


def test_a_unit_handler_acts_only_in_the_name_of_their_own_unit(city):
    order = _dispatched(city, lead=city.water)
    handler = city.users[Role.UNIT_HANDLER]  # 岳塘区
    with pytest.raises(WrongUnit):
        handling.order_sign(order=order, actor=handler, unit=city.water)
    with pytest.raises(NotLeadUnit):
        handling.order_sign(order=order, actor=handler)


def test_sub_dispatch_only_to_the_units_own_sub_units(city):
    handler = city.users[Role.UNIT_HANDLER]
    order = _dispatched(city)
    order = handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10))
    with pytest.raises(NotSubUnit):
        dispatch.order_sub_dispatch(order=order, sub_unit=city.water, actor=handler)
    order = dispatch.order_sub_dispatch(
        order=order, sub_unit=city.street_office, actor=handler, at=local(2026, 3, 2, 11)
    )
    assert order.sub_unit == city.street_office
    street_handler = factories.user(Role.UNIT_HANDLER, unit=city.street_office)
    order = handling.order_reply(
        order=order,
        text="街道已上门核实并处理完毕",
        actor=street_handler,
        at=local(2026, 3, 3, 9),
    )
    assert order.status == "replied"
    assert Assignment.objects.filter(order=order, role="sub", unit=city.street_office).exists()


def test_a_unit_sees_only_its_own_and_its_sub_units_orders(city):
    mine = _dispatched(city)
    theirs = _dispatched(city, lead=city.water, at=local(2026, 3, 2, 9, 30))
    handler = city.users[Role.UNIT_HANDLER]
    assert list(visible_orders(viewer=handler)) == [mine]
    with pytest.raises(Order.DoesNotExist):
        order_get(number=theirs.number, viewer=handler)
    assert visible_orders(viewer=city.users[Role.SUPERVISOR]).count() == 2
    street_handler = factories.user(Role.UNIT_HANDLER, unit=city.street_office)
    assert visible_orders(viewer=street_handler).count() == 0


def test_merge_joins_an_open_order_and_refuses_a_closed_one(city):
    open_order = _dispatched(city)
    newcomer = factories.register(city, local(2026, 3, 2, 9, 30))
    merged = intake.order_merge(
        order=newcomer,
        into=open_order,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 9, 40),
    )
    assert merged.status == "merged" and merged.merged_into == open_order
    answered = intake.order_answer(
        order=factories.register(city, local(2026, 3, 2, 10)),
        actor=None,
        at=local(2026, 3, 2, 10, 5),
    )
    late = factories.register(city, local(2026, 3, 2, 11))
    with pytest.raises(MergeTargetClosed):
        intake.order_merge(order=late, into=answered, actor=None)


def test_split_makes_orders_that_share_the_call_and_the_citizen(city):
    order = factories.register(city, local(2026, 3, 2, 9), call_id="C-1")
    part = intake.Intake(channel="phone", appeal_type="consult", content="另咨询社保卡补办")
    parts = intake.order_split(
        order=order, parts=[part, part], actor=None, at=local(2026, 3, 2, 9, 3)
    )
    assert [p.call_id for p in parts] == ["C-1", "C-1"]
    assert all(p.citizen == order.citizen and p.split_from == order for p in parts)
    assert Order.objects.get(pk=order.pk).state["split_into"] == [p.number for p in parts]


def test_a_closed_order_takes_no_more_handling_but_keeps_follow_ups(city):
    order = intake.order_reject(
        order=factories.register(city, local(2026, 3, 2, 9)),
        reason="between_residents",
        actor=None,
        at=local(2026, 3, 2, 9, 2),
    )
    assert order.reject_reason == "between_residents" and order.status == "closed"
    with pytest.raises(OrderClosed):
        dispatch.order_dispatch(order=order, lead=city.district, actor=None)
    supervision.order_instruct(
        order=order,
        text="请热线办关注此类纠纷",
        actor=city.users[Role.LEADER],
        at=local(2026, 3, 3, 9),
    )
    assert Order.objects.get(pk=order.pk).status == "closed"


def test_a_callback_reporting_pressure_and_a_leak_raises_violations(city):
    handler = city.users[Role.UNIT_HANDLER]
    order = _dispatched(city)
    handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10))
    handling.order_reply(order=order, text="已处理完毕", actor=handler, at=local(2026, 3, 3, 9))
    review.order_review(order=order, decision="accept", actor=None, at=local(2026, 3, 3, 10))
    order = review.order_callback(
        order=order,
        result="unsatisfied",
        pressured=True,
        leaked=True,
        rework=True,
        actor=city.users[Role.CALLBACK_AGENT],
        at=local(2026, 3, 4, 9),
    )
    assert order.status == "in_progress"
    kinds = set(Violation.objects.filter(unit=city.district).values_list("kind", flat=True))
    assert kinds == {"pressure", "leak"}


def test_someone_who_may_not_sign_is_told_so_before_being_asked_for_a_unit(city):
    order = _dispatched(city)
    with pytest.raises(NotPermitted):
        handling.order_sign(order=order, actor=city.users[Role.OPERATOR])
