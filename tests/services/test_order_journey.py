"""One order's whole life through the services, on whichever database runs the tests."""

from datetime import date

from hotline.domain.enums import Role
from hotline.domain.events import event_from_data
from hotline.domain.lifecycle import replay
from hotline.orders.models import Assignment, Callback, Extension, Reply
from hotline.orders.selectors import order_history, order_state
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local


def test_dispatch_return_redispatch_sign_extend_reply_rework_accept_callback_close(city):
    operator = city.users[Role.OPERATOR]
    dispatcher = city.users[Role.DISPATCHER]
    supervisor = city.users[Role.SUPERVISOR]
    agent = city.users[Role.CALLBACK_AGENT]
    yuetang = city.users[Role.UNIT_HANDLER]
    yuhu = factories.user(Role.UNIT_HANDLER, unit=city.other_district)

    order = factories.register(city, local(2026, 3, 2, 9, 0))
    assert order.number == "20260000001"
    order = dispatch.order_dispatch(
        order=order, lead=city.other_district, actor=operator, at=local(2026, 3, 2, 9, 5)
    )
    order = dispatch.order_return(
        order=order, reason="事发地属岳塘区", actor=yuhu, at=local(2026, 3, 2, 10, 0)
    )
    order = dispatch.order_return_review(
        order=order,
        decision="accept",
        lead=city.district,
        actor=dispatcher,
        at=local(2026, 3, 2, 10, 30),
    )
    order = handling.order_sign(order=order, actor=yuetang, at=local(2026, 3, 2, 11, 0))
    # A complaint gets 10 working days by default: Mon 03-02 + 10 → Mon 03-16.
    assert order.deadline == local(2026, 3, 16, 23, 59, 59)
    order = handling.order_extension_request(
        order=order,
        until=date(2026, 3, 20),
        reason="需协调施工单位",
        actor=yuetang,
        at=local(2026, 3, 5, 9, 0),
    )
    order = handling.order_extension_decision(
        order=order, decision="granted", actor=supervisor, at=local(2026, 3, 5, 10, 0)
    )
    assert order.deadline == local(2026, 3, 20, 23, 59, 59)
    order = handling.order_reply(
        order=order, text="已转交", actor=yuetang, at=local(2026, 3, 6, 9, 0)
    )
    order = review.order_review(
        order=order,
        decision="rework",
        note="二传手式答复，未说明处理结果",
        actor=supervisor,
        at=local(2026, 3, 6, 15, 0),
    )
    order = handling.order_reply(
        order=order,
        text="已责令施工单位22时后停止作业，并已电话告知市民。",
        actor=yuetang,
        at=local(2026, 3, 9, 9, 0),
    )
    order = review.order_review(
        order=order, decision="accept", actor=supervisor, at=local(2026, 3, 9, 14, 0)
    )
    assert order.status == "concluded" and order.on_time is True
    order = review.order_callback(
        order=order, result="satisfied", actor=agent, at=local(2026, 3, 10, 9, 0)
    )
    order = review.order_close(order=order, actor=agent, at=local(2026, 3, 10, 9, 5))

    steps = [
        (e.seq, e.type, e.from_status, e.to_status, e.actor_id) for e in order_history(order=order)
    ]
    assert steps == [
        (1, "register", "", "registered", operator.pk),
        (2, "dispatch", "registered", "dispatched", operator.pk),
        (3, "return", "dispatched", "returned", yuhu.pk),
        (4, "return_review", "returned", "dispatched", dispatcher.pk),
        (5, "sign", "dispatched", "in_progress", yuetang.pk),
        (6, "extension_request", "in_progress", "in_progress", yuetang.pk),
        (7, "extension_decision", "in_progress", "in_progress", supervisor.pk),
        (8, "reply", "in_progress", "replied", yuetang.pk),
        (9, "review", "replied", "in_progress", supervisor.pk),
        (10, "reply", "in_progress", "replied", yuetang.pk),
        (11, "review", "replied", "concluded", supervisor.pk),
        (12, "callback", "concluded", "concluded", agent.pk),
        (13, "close", "concluded", "closed", agent.pk),
    ]
    data = {e.seq: e.data for e in order_history(order=order)}
    assert data[2]["unit"] == "U-YH"
    assert data[3] == {"unit": "U-YH", "reason": "事发地属岳塘区"}
    assert data[4]["decision"] == "accept" and data[4]["unit"] == "U-YT"
    assert data[5]["deadline"] == "2026-03-16T23:59:59+08:00"
    assert data[6]["until"] == "2026-03-20T23:59:59+08:00"
    assert data[7] == {"decision": "granted"}
    assert data[9]["decision"] == "rework"
    assert data[12]["result"] == "satisfied"

    state = order_state(order)
    replayed = replay(event_from_data(e.type, e.at, e.data) for e in order_history(order=order))
    assert replayed == state
    assert state.returned_by == ("U-YH",) and state.reworks == 1 and state.extensions == 1
    assert order.status == "closed" and order.version == 13
    assert order.lead_unit == city.district and order.closed_at == local(2026, 3, 10, 9, 5)
    leads = Assignment.objects.filter(order=order, role="lead").order_by("assigned_at")
    assert [(a.unit.code, a.ended_at) for a in leads] == [
        ("U-YH", local(2026, 3, 2, 10, 30)),
        ("U-YT", None),
    ]
    assert [r.decision for r in Reply.objects.filter(order=order).order_by("at")] == [
        "rework",
        "accept",
    ]
    assert Extension.objects.get(order=order).granted is True
    assert Callback.objects.get(order=order).unit == city.district
