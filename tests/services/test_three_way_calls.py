"""The three-way call (SPEC 4, 2026-12): a unit on a confidential order asks the hotline to
connect it with the citizen; the operator sees the request in a list and records the call,
which is the unit's contact (way 三方通话) and leaves the list."""

import pytest

from hotline.domain.enums import Role
from hotline.domain.lifecycle import NotAssignedUnit, NoThreeWayPending, ThreeWayPending
from hotline.domain.permissions import NotPermitted
from hotline.orders.models import Contact, Event, Order, ThreeWayCall
from hotline.orders.selectors.three_way import three_way_waiting
from hotline.orders.services import dispatch, handling
from tests import factories
from tests.conftest import local


def _confidential(city, lead=None):
    order = factories.register(city, local(2026, 3, 2, 9, 0), confidential=True)
    return dispatch.order_dispatch(
        order=order, lead=lead or city.district, actor=None, at=local(2026, 3, 2, 9, 5)
    )


def test_the_unit_asks_and_the_operator_connects_the_call(city):
    order = _confidential(city)
    handling.order_three_way_request(
        order=order,
        note="工作日上午",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, 2, 10, 0),
    )
    operator = city.users[Role.OPERATOR]
    (waiting,) = three_way_waiting(viewer=operator)
    assert (waiting.order, waiting.unit, waiting.note) == (order, city.district, "工作日上午")
    handling.order_three_way_call(
        order=order, unit=city.district, outcome="reached", actor=operator,
        at=local(2026, 3, 2, 10, 30),
    )  # fmt: skip
    assert list(three_way_waiting(viewer=operator)) == []
    call = ThreeWayCall.objects.get(order=order)
    assert (call.called_at, call.outcome) == (local(2026, 3, 2, 10, 30), "reached")
    contact = Contact.objects.get(order=order)
    assert (contact.unit, contact.way, contact.at) == (
        city.district,
        "three_way",
        local(2026, 3, 2, 10, 30),
    )
    assert list(Event.objects.filter(order=order).values_list("type", "actor__username"))[-2:] == [
        ("three_way_request", "unit_handler-U-YT"),
        ("three_way_call", "operator"),
    ]


def test_one_request_at_a_time_and_no_call_without_a_request(city):
    order = _confidential(city)
    handler = city.users[Role.UNIT_HANDLER]
    handling.order_three_way_request(order=order, actor=handler)
    with pytest.raises(ThreeWayPending, match="已申请三方通话"):
        handling.order_three_way_request(order=order, actor=handler)
    other = _confidential(city)
    with pytest.raises(NoThreeWayPending):
        handling.order_three_way_call(
            order=other, unit=city.district, outcome="reached", actor=city.users[Role.OPERATOR]
        )
    assert ThreeWayCall.objects.count() == 1


def test_only_a_unit_on_the_order_asks_and_only_the_hotline_connects(city):
    order = _confidential(city)
    stranger = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    with pytest.raises(NotAssignedUnit):
        handling.order_three_way_request(order=order, actor=stranger)
    handling.order_three_way_request(order=order, actor=city.users[Role.UNIT_HANDLER])
    for role in (Role.UNIT_HANDLER, Role.DISPATCHER, Role.LEADER):
        with pytest.raises(NotPermitted):
            handling.order_three_way_call(
                order=order, unit=city.district, outcome="reached", actor=city.users[role]
            )
    assert Order.objects.get(pk=order.pk).state["three_way_pending"] == ["U-YT"]
