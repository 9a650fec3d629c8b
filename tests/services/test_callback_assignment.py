"""回访分配: the lead assigns awaited callbacks to agents, an agent takes unassigned ones;
each order answers for itself (already called back, not awaiting, someone else's, a
version changed), the event log keeps it, and the audit and the exchange replay it."""

from datetime import date, timedelta

import pytest

from hotline.domain.callback_assignment import AssignedElsewhere, NotCallbackAgent, OwnCallbacksOnly
from hotline.domain.enums import Role
from hotline.domain.lifecycle import CallbackAgentUnchanged, InvalidTransition
from hotline.domain.permissions import NotPermitted
from hotline.orders.models import Event, Order
from hotline.orders.selectors.callbacks import callback_orders
from hotline.orders.services import dispatch, handling, review
from hotline.orders.services.callback_assignment import (
    AlreadyCalledBack,
    NotAwaitingCallback,
    order_callback_assign,
)
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.intake import order_merge
from hotline.orders.services.recording import StaleOrder
from hotline.orders.verification import history_verify
from tests import factories
from tests.conftest import local

AT = local(2026, 3, 2, 9)
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def concluded(city, at=AT):
    order = factories.register(city, at)
    unit = city.users[Role.UNIT_HANDLER]
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=at
    )
    order = handling.order_sign(order=order, actor=unit, at=at + timedelta(hours=1))
    order = handling.order_reply(
        order=order, text="已处理。", actor=unit, at=at + timedelta(days=1)
    )
    return review.order_review(
        order=order, decision="accept", actor=city.users[Role.SUPERVISOR], at=at + timedelta(days=2)
    )


@pytest.fixture
def agents(city):
    """The small city's callback agent and a second one."""
    return city.users[Role.CALLBACK_AGENT], factories.user(Role.CALLBACK_AGENT, username="agent2")


def _empty():
    """Every order and every record that points at one (the whole order history)."""
    for relation in Order._meta.related_objects:
        if relation.related_model is not Order:
            relation.related_model.objects.all().delete()
    Order.objects.all().delete()


def _assign(order, agent, actor, **kwargs):
    kwargs.setdefault("at", AT + timedelta(days=3))
    return order_callback_assign(order=order, agent=agent, actor=actor, **kwargs)


def test_the_lead_assigns_and_the_order_moves_to_the_agents_tab(city, agents):
    first, second = agents
    lead = city.users[Role.SUPERVISOR]
    order = concluded(city)
    _assign(order, first, lead)
    order.refresh_from_db()
    assert order.callback_agent == first.username
    assert order.state["callback_agent"] == first.username
    event = Event.objects.get(order=order, seq=order.version)
    assert (event.type, event.data, event.actor) == (
        "callback_assign",
        {"agent": first.username},
        lead,
    )
    mine = callback_orders(viewer=first, tab="mine", now=AT)
    assert list(mine) == [order]
    assert not callback_orders(viewer=second, tab="mine", now=AT).exists()
    assert not callback_orders(viewer=first, tab="unassigned", now=AT).exists()
    assert list(callback_orders(viewer=lead, tab="all", now=AT)) == [order]


def test_an_order_assigned_elsewhere_is_reassigned_only_when_asked(city, agents):
    first, second = agents
    lead = city.users[Role.SUPERVISOR]
    order = _assign(concluded(city), first, lead)
    with pytest.raises(AssignedElsewhere, match="已分配给回访员「callback_agent」"):
        _assign(order, second, lead)
    _assign(order, second, lead, reassign=True)
    order.refresh_from_db()
    assert order.callback_agent == second.username
    # Released: back in the unassigned tab.
    _assign(order, None, lead)
    order.refresh_from_db()
    assert order.callback_agent == ""
    assert list(callback_orders(viewer=first, tab="unassigned", now=AT)) == [order]
    with pytest.raises(CallbackAgentUnchanged, match="尚未分配"):
        _assign(order, None, lead)


def test_an_agent_takes_unassigned_orders_and_gives_back_only_their_own(city, agents):
    first, second = agents
    order = concluded(city)
    with pytest.raises(OwnCallbacksOnly):
        _assign(order, second, first)  # an agent does not assign others
    _assign(order, first, first)  # 领取
    with pytest.raises(AssignedElsewhere, match="不能领取"):
        _assign(order, second, second)
    with pytest.raises(AssignedElsewhere, match="只能退回自己的回访"):
        _assign(order, None, second)
    with pytest.raises(CallbackAgentUnchanged, match="已分配给这位回访员"):
        _assign(order, first, first)
    _assign(order, None, first)  # 退回
    order.refresh_from_db()
    assert order.callback_agent == ""


def test_only_callback_agents_are_assigned_and_only_lead_and_agents_assign(city, agents):
    first, _ = agents
    order = concluded(city)
    with pytest.raises(NotCallbackAgent, match="只能分配给回访员"):
        _assign(order, city.users[Role.OPERATOR], city.users[Role.SUPERVISOR])
    first.is_active = False
    first.save()
    with pytest.raises(NotCallbackAgent, match="已停用"):
        _assign(order, first, city.users[Role.SUPERVISOR])
    for role in (
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.UNIT_HANDLER,
        Role.LEADER,
        Role.ADMINISTRATOR,
    ):
        with pytest.raises(NotPermitted):
            _assign(order, None, city.users[role])
    order.refresh_from_db()
    assert order.callback_agent == "" and order.version == 5


def test_orders_not_awaiting_a_callback_are_refused_by_reason(city, agents):
    first, _ = agents
    lead = city.users[Role.SUPERVISOR]
    working = dispatch.order_dispatch(
        order=factories.register(city, AT),
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=AT,
    )
    with pytest.raises(InvalidTransition, match="不能执行「回访分配」"):
        _assign(working, first, lead)
    called = concluded(city)
    review.order_callback(order=called, result="satisfied", actor=first, at=AT + timedelta(days=3))
    with pytest.raises(AlreadyCalledBack, match="该工单已回访"):
        _assign(called, first, lead, at=AT + timedelta(days=4))
    # A merged caller waits for its main order's conclusion.
    main = dispatch.order_dispatch(
        order=factories.register(city, AT),
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=AT,
    )
    caller = order_merge(
        order=factories.register(city, AT + timedelta(hours=1)),
        into=main,
        actor=city.users[Role.OPERATOR],
        at=AT + timedelta(hours=2),
    )
    with pytest.raises(NotAwaitingCallback, match="主工单未办结"):
        _assign(caller, first, lead)


def test_a_version_changed_since_the_list_was_read_is_refused(city, agents):
    first, second = agents
    lead = city.users[Role.SUPERVISOR]
    order = concluded(city)
    seen = order.version
    _assign(order, first, lead, expected_version=seen)
    with pytest.raises(StaleOrder, match="已被他人处理"):
        _assign(order, second, lead, expected_version=seen, reassign=True)
    order.refresh_from_db()
    assert order.callback_agent == first.username


def test_the_callback_ends_the_assignment_and_a_rework_is_assigned_anew(city, agents):
    first, _ = agents
    order = _assign(concluded(city), first, city.users[Role.SUPERVISOR])
    review.order_callback(
        order=order, result="unsatisfied", rework=True, actor=first, at=AT + timedelta(days=4)
    )
    order.refresh_from_db()
    assert (order.status, order.callback_agent) == ("in_progress", "")


def test_assignments_verify_and_round_trip_through_the_exchange(city, agents, tmp_path):
    first, second = agents
    lead = city.users[Role.SUPERVISOR]
    kept = _assign(concluded(city), first, lead)
    moved = _assign(concluded(city, AT + timedelta(hours=1)), first, lead)
    _assign(moved, second, lead, reassign=True, at=AT + timedelta(days=4))
    released = _assign(concluded(city, AT + timedelta(hours=2)), second, second)
    _assign(released, None, second, at=AT + timedelta(days=4))
    done = history_verify()
    assert (done.breaks, done.differences) == ([], [])

    exported, again = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=exported, **MARCH)
    text = exported.read_text()
    assert '{"type":"callback_assign","at":"2026-03-05T09:00:00+08:00","agent":"agent2"}' in text
    # A release is written without an agent.
    assert '{"type":"callback_assign","at":"2026-03-06T09:00:00+08:00"}' in text
    before = dict(Order.objects.values_list("number", "callback_agent"))
    assert before == {kept.number: first.username, moved.number: "agent2", released.number: ""}
    _empty()
    orders_import(path=exported)
    assert dict(Order.objects.values_list("number", "callback_agent")) == before
    orders_export(out=again, **MARCH)
    assert again.read_bytes() == exported.read_bytes()
    assert history_verify().differences == []
