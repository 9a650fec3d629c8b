"""Correcting an order (SPEC 3 工单修正, 2026-12): one field at a time with a reason, the
old value kept in the event, the citizen's words untouched; the operator only before
dispatch, the dispatcher and the supervisor until the order is closed; the statistics
count the corrected values while first-dispatch accuracy still judges the first dispatch."""

from datetime import timedelta

import pytest

from hotline.configuration.services import setting_set
from hotline.deadline_watch.selectors import overdue_unmarked
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import InvalidCorrection, OrderClosed
from hotline.domain.permissions import NotPermitted
from hotline.domain.statistics import Period
from hotline.orders.models import Event, Order
from hotline.orders.selectors import order_state
from hotline.orders.services import dispatch, handling, review
from hotline.orders.services.correction import order_correct
from hotline.statistics.handling import first_dispatch_by_unit
from hotline.statistics.lists import top_categories
from tests import factories
from tests.conftest import local

T0 = local(2026, 3, 2, 9)


def _dispatched(city):
    order = factories.register(city, T0, category=city.water_supply)
    return dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=T0
    )


def test_the_dispatcher_corrects_the_category_and_the_order_counts_under_the_new_one(city):
    order = _dispatched(city)
    order = order_correct(
        order=order,
        field="category",
        value=city.noise.code,
        reason="返工意见指出：实为夜间施工噪音",
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(hours=1),
    )
    event = Event.objects.get(order=order, type="correct")
    assert event.data == {
        "field": "category",
        "old": city.water_supply.code,
        "value": city.noise.code,
        "reason": "返工意见指出：实为夜间施工噪音",
    }
    assert event.actor == city.users[Role.DISPATCHER]
    stored = Order.objects.get(pk=order.pk)
    assert stored.category == city.noise
    assert stored.content == "小区楼下夜间施工噪音扰民，影响休息"  # the citizen's words stay
    rows = top_categories(period=Period(T0.date(), T0.date()), accepted=1)
    assert [c["name"] for c in rows] == ["噪音扰民"]


def test_a_correction_is_not_a_redispatch_for_first_dispatch_accuracy(city):
    order = _dispatched(city)
    order_correct(
        order=order,
        field="region",
        value=city.yuetang.code,
        reason="地址在岳塘区",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=1),
    )
    state = order_state(Order.objects.get(pk=order.pk))
    assert state.first_dispatch_kept and state.redispatches == 0
    (row,) = first_dispatch_by_unit(period=Period(T0.date(), T0.date()))
    assert (row["unit"], row["dispatched"], row["kept"]) == ("岳塘区", 1, 1)


def test_urgency_appeal_type_address_and_summary(city):
    order = _dispatched(city)
    supervisor = city.users[Role.SUPERVISOR]
    for i, (field, value) in enumerate(
        [
            ("urgency", "urgent"),
            ("appeal_type", "求助"),
            ("address", "岳塘区书院路14号"),
            ("summary", "书院路14号工地夜间施工噪音"),
        ],
        start=1,
    ):
        order = order_correct(
            order=order,
            field=field,
            value=value,
            reason="核实后修正",
            actor=supervisor,
            at=T0 + timedelta(minutes=i),
        )
    stored = Order.objects.get(pk=order.pk)
    assert (stored.urgent, stored.appeal_type, stored.address) == (True, "help", "岳塘区书院路14号")
    state = order_state(stored)
    assert state.urgent and state.summary == "书院路14号工地夜间施工噪音"
    olds = list(Event.objects.filter(order=order, type="correct").values_list("data", flat=True))
    assert [(d["field"], d["old"], d["value"]) for d in olds] == [
        ("urgency", "normal", "urgent"),
        ("appeal_type", "complaint", "help"),
        ("address", "岳塘区书院路12号", "岳塘区书院路14号"),
        ("summary", "", "书院路14号工地夜间施工噪音"),
    ]


def test_the_operator_corrects_only_before_dispatch(city):
    operator = city.users[Role.OPERATOR]
    order = factories.register(city, T0, category=city.water_supply)
    order = order_correct(
        order=order, field="category", value="0501", reason="选错分类", actor=operator
    )
    assert Order.objects.get(pk=order.pk).category == city.noise
    dispatched = _dispatched(city)
    with pytest.raises(NotPermitted, match="话务员只能在派单前修正工单"):
        order_correct(
            order=dispatched, field="category", value="0501", reason="选错分类", actor=operator
        )
    assert not Event.objects.filter(order=dispatched, type="correct").exists()


@pytest.mark.parametrize("role", [Role.LEADER, Role.UNIT_HANDLER, Role.CALLBACK_AGENT])
def test_other_roles_may_not_correct(city, role):
    order = _dispatched(city)
    with pytest.raises(NotPermitted):
        order_correct(
            order=order, field="category", value="0501", reason="理由", actor=city.users[role]
        )
    assert Order.objects.get(pk=order.pk).category == city.water_supply


@pytest.mark.parametrize(
    ("field", "value", "reason", "message"),
    [
        ("category", "0501", "  ", "修正理由不能为空"),
        ("category", "9999", "理由", "事项分类「9999」不存在"),
        ("region", "439999", "理由", "区划「439999」不存在"),
        ("appeal_type", "抱怨", "理由", "诉求类型「抱怨」不在可选范围内"),
        ("urgency", "very", "理由", "紧急程度「very」不在可选范围内"),
        ("content", "改写市民原话", "理由", "「content」不是可修正的内容"),
        ("category", "0301", "理由", "修正后的事项分类与原值相同"),
        ("address", "", "理由", "请填写修正后的地址"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_is_written(city, field, value, reason, message):
    order = _dispatched(city)
    version = Order.objects.get(pk=order.pk).version
    with pytest.raises(DomainError, match=message):
        order_correct(
            order=order,
            field=field,
            value=value,
            reason=reason,
            actor=city.users[Role.DISPATCHER],
        )
    stored = Order.objects.get(pk=order.pk)
    assert (stored.version, stored.category) == (version, city.water_supply)


def test_a_closed_order_is_not_corrected(city):
    order = _dispatched(city)
    unit = city.users[Role.UNIT_HANDLER]
    order = handling.order_sign(order=order, actor=unit, at=T0 + timedelta(hours=1))
    order = handling.order_reply(order=order, text="已处理", actor=unit, at=T0 + timedelta(hours=2))
    order = review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=3),
    )
    order = review.order_close(
        order=order, actor=city.users[Role.SUPERVISOR], at=T0 + timedelta(hours=4)
    )
    with pytest.raises(OrderClosed):
        order_correct(
            order=order,
            field="category",
            value="0501",
            reason="理由",
            actor=city.users[Role.SUPERVISOR],
        )


def test_invalid_correction_is_a_domain_refusal():
    assert issubclass(InvalidCorrection, DomainError)


# --- a corrected urgency moves the deadlines (SPEC 3, 4) --------------------------------


def _signed(city, *, urgent=False):
    order = factories.register(city, T0, category=city.water_supply, urgent=urgent)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=T0
    )
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=T0 + timedelta(minutes=20)
    )


def _urgency(order, value, at, role=Role.SUPERVISOR, city=None):
    return order_correct(
        order=order,
        field="urgency",
        value=value,
        reason="核实后修正紧急程度",
        actor=city.users[role],
        at=at,
    )


def test_made_urgent_the_deadline_is_24_hours_from_the_sign_for_and_the_watch_sees_it(city):
    order = _signed(city)
    before = Order.objects.get(pk=order.pk).deadline
    assert before == local(2026, 3, 16, 23, 59, 59)  # 10 working days for a complaint
    order = _urgency(order, "urgent", T0 + timedelta(hours=2), city=city)
    stored = Order.objects.get(pk=order.pk)
    assert stored.urgent and stored.deadline == local(2026, 3, 3, 9, 20)
    assert order_state(stored).deadline == stored.deadline
    data = Event.objects.get(order=order, type="correct").data
    assert (data["old_deadline"], data["deadline"], data["overdue"]) == (
        "2026-03-16T23:59:59+08:00",
        "2026-03-03T09:20:00+08:00",
        False,
    )
    # The watch sees the order overdue once the 24 hours are over, not ten days later.
    assert overdue_unmarked(now=local(2026, 3, 3, 9, 21)) == [order.pk]
    assert overdue_unmarked(now=local(2026, 3, 3, 9, 19)) == []


def test_wrongly_urgent_the_order_is_no_longer_overdue(city):
    order = _signed(city, urgent=True)
    unit = city.users[Role.UNIT_HANDLER]
    late = T0 + timedelta(days=1, hours=3)  # past the 24 hours
    order = handling.order_contact(
        order=order, way="phone", outcome="reached", actor=unit, contacted_at=late, now=late
    )
    assert order_state(Order.objects.get(pk=order.pk)).overdue
    order = _urgency(order, "normal", late + timedelta(hours=1), city=city)
    stored = Order.objects.get(pk=order.pk)
    state = order_state(stored)
    assert not stored.urgent and not state.overdue
    assert stored.deadline == local(2026, 3, 16, 23, 59, 59)
    assert overdue_unmarked(now=late + timedelta(hours=2)) == []
    handling.order_reply(order=order, text="已处理", actor=unit, at=late + timedelta(days=2))
    done = review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=late + timedelta(days=2, hours=1),
    )
    assert order_state(Order.objects.get(pk=done.pk)).on_time  # judged by the right deadline


def test_an_urgency_corrected_while_awaiting_sign_for_moves_the_sign_for_deadline(city):
    order = factories.register(city, T0, category=city.water_supply, urgent=True)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=T0
    )
    assert Order.objects.get(pk=order.pk).sign_by == T0 + timedelta(minutes=30)
    order = _urgency(order, "normal", T0 + timedelta(minutes=10), role=Role.DISPATCHER, city=city)
    assert Order.objects.get(pk=order.pk).sign_by == T0 + timedelta(hours=2)


def test_the_urgency_of_a_concluded_order_is_not_corrected(city):
    order = _signed(city)
    unit = city.users[Role.UNIT_HANDLER]
    order = handling.order_reply(order=order, text="已处理", actor=unit, at=T0 + timedelta(hours=2))
    order = review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=3),
    )
    version = Order.objects.get(pk=order.pk).version
    with pytest.raises(InvalidCorrection, match="工单已办结，办理时限已经用完，不能再修正紧急程度"):
        _urgency(order, "urgent", T0 + timedelta(hours=4), city=city)
    assert Order.objects.get(pk=order.pk).version == version
    # Its category still may be (the statistics count the corrected values).
    order_correct(
        order=order,
        field="category",
        value=city.noise.code,
        reason="实为噪音",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=4),
    )


# --- an appeal type or category with other working days moves the reply deadline -------


def _correct(order, field, value, at, city):
    return order_correct(
        order=order,
        field=field,
        value=value,
        reason="核实后修正",
        actor=city.users[Role.DISPATCHER],
        at=at,
    )


def test_a_complaint_found_to_be_a_help_request_gets_15_working_days(city):
    order = _signed(city)
    assert Order.objects.get(pk=order.pk).deadline == local(2026, 3, 16, 23, 59, 59)
    order = _correct(order, "appeal_type", "求助", T0 + timedelta(days=1), city)
    stored = Order.objects.get(pk=order.pk)
    assert stored.appeal_type == "help" and not stored.urgent
    assert stored.deadline == local(2026, 3, 23, 23, 59, 59) == order_state(stored).deadline
    data = Event.objects.get(order=order, type="correct").data
    assert (data["old_deadline"], data["deadline"], data["overdue"]) == (
        "2026-03-16T23:59:59+08:00",
        "2026-03-23T23:59:59+08:00",
        False,
    )
    # The watch no longer sees it late on the old deadline's next day.
    assert overdue_unmarked(now=local(2026, 3, 17, 9, 0)) == []


def test_an_appeal_type_with_the_same_days_leaves_the_clock_alone(city):
    order = _signed(city)
    order = _correct(order, "appeal_type", "criticism", T0 + timedelta(days=1), city)
    assert Order.objects.get(pk=order.pk).deadline == local(2026, 3, 16, 23, 59, 59)
    data = Event.objects.get(order=order, type="correct").data
    assert not {"deadline", "old_deadline", "overdue"} & set(data)


def test_a_category_the_office_gives_3_days_moves_the_deadline(city):
    setting_set(key="days_by_category", text=f'{{"{city.noise.code}": 3}}')
    order = _signed(city)
    order = _correct(order, "category", city.noise.code, T0 + timedelta(hours=2), city)
    stored = Order.objects.get(pk=order.pk)
    assert stored.category == city.noise
    assert stored.deadline == local(2026, 3, 5, 23, 59, 59)
    # Back to a category without days of its own: the complaint's 10 again.
    order = _correct(order, "category", city.water_supply.code, T0 + timedelta(hours=3), city)
    assert Order.objects.get(pk=order.pk).deadline == local(2026, 3, 16, 23, 59, 59)


def test_a_clock_moving_correction_waits_for_the_extension_decision(city):
    order = _signed(city)
    order = handling.order_extension_request(
        order=order,
        until=local(2026, 3, 20).date(),
        reason="需现场勘验",
        actor=city.users[Role.UNIT_HANDLER],
        at=T0 + timedelta(hours=3),
    )
    version = Order.objects.get(pk=order.pk).version
    with pytest.raises(InvalidCorrection, match="请先审批延期，再修正诉求类型"):
        _correct(order, "appeal_type", "help", T0 + timedelta(hours=4), city)
    assert Order.objects.get(pk=order.pk).version == version
    # One that moves nothing goes through.
    _correct(order, "appeal_type", "criticism", T0 + timedelta(hours=4), city)
