"""The dispatcher's queue: which orders each tab lists, and its forms acting on them."""

import re

import pytest
from django.urls import reverse

from hotline.domain.enums import Role
from hotline.orders.models import Assignment, Event, Order
from hotline.orders.selectors import order_state
from hotline.orders.services import dispatch, handling, intake
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

QUEUE = "/dispatch/"


def act(client, order, slug, **fields):
    """Posts an action form as the queue renders it: version seen, back to the queue."""
    data = {"version": order.version, "next": fields.pop("next", QUEUE), **fields}
    return client.post(reverse("web:order_action", args=[order.number, slug]), data)


def rows(response) -> list[str]:
    """The order numbers of the queue table, in the order shown."""
    return re.findall(r'<tr id="o-(\d+)"', response.content.decode())


def fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def yuhu(city):
    return factories.user(Role.UNIT_HANDLER, unit=city.other_district)


def dispatched(city, at, lead=None):
    order = factories.register(city, at)
    return dispatch.order_dispatch(
        order=order,
        lead=lead or city.other_district,
        actor=city.users[Role.DISPATCHER],
        at=at.replace(minute=at.minute + 5),
    )


def returned(city, unit_user, at):
    order = dispatched(city, at)
    return dispatch.order_return(
        order=order, reason="事发地不属本区", actor=unit_user, at=at.replace(hour=at.hour + 1)
    )


def difficult(city, unit_user, at):
    """Returned by 雨湖区, sent to 岳塘区, returned again: two units, two returns."""
    order = returned(city, unit_user, at)
    order = dispatch.order_return_review(
        order=order,
        decision="accept",
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=at.replace(hour=at.hour + 2),
    )
    return dispatch.order_return(
        order=order,
        reason="属供水企业职责",
        actor=city.users[Role.UNIT_HANDLER],
        at=at.replace(hour=at.hour + 3),
    )


def in_progress(city, at, lead=None):
    order = dispatched(city, at, lead or city.district)
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=at.replace(hour=at.hour + 1)
    )


# --- who may open it ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.SUPERVISOR])
def test_dispatcher_and_supervisor_open_the_queue(signed_in, role):
    response = signed_in(role).get(QUEUE)
    assert response.status_code == 200
    assert "待派单" in response.content.decode()


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.DISPATCHER, Role.SUPERVISOR)], ids=str
)
def test_other_roles_are_refused(signed_in, role):
    for tab in ("pending", "returned", "difficult", "redispatch"):
        assert signed_in(role).get(QUEUE, {"tab": tab}).status_code == 403


# --- 待派单 ---------------------------------------------------------------------------------


def test_pending_lists_registered_orders_oldest_first_with_the_suggestion(signed_in, city):
    later = factories.register(city, local(2026, 3, 2, 9, 30))
    earlier = factories.register(
        city, local(2026, 3, 2, 9, 0), category=city.water_supply, region=city.yuhu
    )
    answered = intake.order_answer(
        order=factories.register(city, local(2026, 3, 2, 9, 10)),
        actor=city.users[Role.OPERATOR],
        at=local(2026, 3, 2, 9, 11),
    )
    sent = dispatched(city, local(2026, 3, 2, 9, 20))

    response = signed_in(Role.DISPATCHER).get(QUEUE)
    page = response.content.decode()
    assert rows(response) == [earlier.number, later.number]
    assert answered.number not in page and sent.number not in page
    # Noise in a street of 岳塘区 → 岳塘区; water supply anywhere → 中环水务.
    assert "派单：岳塘区" in page and "派单：中环水务" in page
    assert 'name="lead" value="U-YT"' in page and 'name="lead" value="U-ZHSW"' in page
    assert f'name="version" value="{later.version}"' in page
    assert '<span class="badge">2</span>' in page  # two waiting, counted on the status index


def test_an_empty_co_unit_choice_means_none(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    response = act(signed_in(Role.DISPATCHER), order, "dispatch", lead="U-YT", co_units=[""])
    assert response.status_code == 302
    order = fresh(order)
    assert order.status == "dispatched"
    assert not Assignment.objects.filter(order=order, role="co").exists()


def test_dispatch_by_the_suggestion_form(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    client = signed_in(Role.DISPATCHER)

    response = act(client, order, "dispatch", lead="U-YT", co_units=["U-SCJG"])
    assert response.status_code == 302 and response.url == QUEUE

    order = fresh(order)
    assert order.status == "dispatched" and order.lead_unit == city.district
    parts = Assignment.objects.filter(order=order, ended_at__isnull=True)
    assert sorted((a.unit.code, a.role) for a in parts) == [("U-SCJG", "co"), ("U-YT", "lead")]
    assert order.events.last().actor == city.users[Role.DISPATCHER]
    page = client.get(QUEUE).content.decode()
    assert f"工单 {order.number}：已转办至「岳塘区」，协办单位「市市场监管局」" in page
    assert order.number not in rows(client.get(QUEUE))


def test_choosing_other_units_opens_the_full_form(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    client = signed_in(Role.DISPATCHER)
    page = client.get(QUEUE).content.decode()
    assert "选择其他单位" in page

    page = client.get(QUEUE, {"pick": order.number}).content.decode()
    assert 'class="assign"' in page
    # The suggestion stays chosen; the unit picker finds the others.
    assert re.search(r'name="lead" value="U-YT"\s+checked', page)
    assert reverse("web:unit_search") in page
    # The form comes back to the queue without the open form.
    assert f'name="next" value="{QUEUE}"' in page

    response = act(client, order, "dispatch", lead="U-SCJG")
    assert fresh(order).lead_unit == city.market and response.status_code == 302


def test_the_plain_unit_list_serves_when_there_is_no_picker(signed_in, city, monkeypatch):
    from hotline.web.views import dispatch as view

    monkeypatch.setattr(view, "unit_search_url", lambda: None)
    order = factories.register(city, local(2026, 3, 2, 9))
    page = signed_in(Role.DISPATCHER).get(QUEUE, {"pick": order.number}).content.decode()
    assert '<option value="U-YT" selected>岳塘区</option>' in page
    assert '<option value="U-ZHSW">中环水务</option>' in page
    assert 'name="co_units" multiple' in page


def test_an_order_without_catalogue_rule_is_dispatched_by_choice(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9), category=None)
    page = signed_in(Role.DISPATCHER).get(QUEUE).content.decode()
    assert "派单目录无对应规则" in page
    assert f'href="/dispatch/?pick={order.number}#o-{order.number}"' in page


def test_dispatch_with_an_unknown_unit_is_refused_and_nothing_written(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    client = signed_in(Role.DISPATCHER)
    response = act(client, order, "dispatch", lead="U-NOPE")
    page = client.get(response.url).content.decode()
    assert "单位编码「U-NOPE」不存在" in page
    assert fresh(order).status == "registered" and fresh(order).version == 1


def test_a_stale_form_is_refused(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    seen = order.version
    intake.order_answer(order=order, actor=city.users[Role.OPERATOR], at=local(2026, 3, 2, 9, 1))
    client = signed_in(Role.DISPATCHER)
    response = client.post(
        reverse("web:order_action", args=[order.number, "dispatch"]),
        {"version": seen, "lead": "U-YT", "next": QUEUE},
    )
    assert "已被他人处理，请刷新后重试" in client.get(response.url).content.decode()
    assert fresh(order).status == "closed"


# --- 退单待审 -------------------------------------------------------------------------------


def test_returned_lists_returns_with_their_reason(signed_in, city, yuhu):
    back = returned(city, yuhu, local(2026, 3, 2, 9))
    other = dispatched(city, local(2026, 3, 2, 9, 30))
    response = signed_in(Role.DISPATCHER).get(QUEUE, {"tab": "returned"})
    page = response.content.decode()
    assert rows(response) == [back.number]
    assert other.number not in page
    assert "<strong>雨湖区</strong> 退回" in page and "理由：事发地不属本区" in page
    assert "驳回退单" in page
    # The suggestion (岳塘区) differs from the returning unit: one click accepts and re-dispatches.
    assert "同意退单并改派：岳塘区" in page


def test_refusing_a_return_sends_the_order_back_to_the_unit(signed_in, city, yuhu):
    order = returned(city, yuhu, local(2026, 3, 2, 9))
    client = signed_in(Role.DISPATCHER)
    act(client, order, "return-review", decision="refuse")
    page = client.get(QUEUE).content.decode()
    assert f"工单 {order.number}：退单不予同意，由原承办单位继续办理" in page
    order = fresh(order)
    assert order.status == "dispatched" and order.lead_unit == city.other_district
    assert order.events.last().type == "return_review"
    assert order.events.last().data["decision"] == "refuse"


def test_accepting_a_return_re_dispatches(signed_in, city, yuhu):
    order = returned(city, yuhu, local(2026, 3, 2, 9))
    client = signed_in(Role.DISPATCHER)
    act(client, order, "return-review", decision="accept", lead="U-YT")
    page = client.get(QUEUE).content.decode()
    assert f"工单 {order.number}：退单已同意并改派至「岳塘区」" in page
    order = fresh(order)
    assert order.status == "dispatched" and order.lead_unit == city.district
    assert order_state(order).redispatches == 1


def test_accepting_a_return_to_the_same_unit_is_refused_in_chinese(signed_in, city, yuhu):
    order = returned(city, yuhu, local(2026, 3, 2, 9))
    events = Event.objects.filter(order=order).count()
    client = signed_in(Role.DISPATCHER)
    response = act(
        client, order, "return-review", decision="accept", lead="U-YH", next=f"{QUEUE}?tab=returned"
    )
    assert response.url == f"{QUEUE}?tab=returned"
    page = client.get(response.url).content.decode()
    assert "同意退单时须改派给其他单位" in page
    assert fresh(order).status == "returned"
    assert Event.objects.filter(order=order).count() == events


# --- 疑难工单 -------------------------------------------------------------------------------


def test_difficult_lists_orders_returned_between_units(signed_in, city, yuhu):
    hard = difficult(city, yuhu, local(2026, 3, 2, 9))
    plain = returned(city, yuhu, local(2026, 3, 2, 10))
    response = signed_in(Role.DISPATCHER).get(QUEUE, {"tab": "difficult"})
    page = response.content.decode()
    assert rows(response) == [hard.number]
    assert plain.number not in page
    assert "退单经过：雨湖区 → 岳塘区" in page
    assert "驳回退单" in page
    # Designation is the office's: a dispatcher gets no link to it.
    assert "指定承办或会商" not in page
    page = signed_in(Role.SUPERVISOR).get(QUEUE, {"tab": "difficult"}).content.decode()
    assert "指定承办或会商" in page


def test_a_difficult_order_in_consultation_offers_no_reassignment(signed_in, city, yuhu):
    order = difficult(city, yuhu, local(2026, 3, 2, 9))
    dispatch.order_consultation_open(
        order=order, note="职责不清", actor=city.users[Role.SUPERVISOR], at=local(2026, 3, 3, 9)
    )
    page = signed_in(Role.DISPATCHER).get(QUEUE, {"tab": "difficult"}).content.decode()
    assert "会商进行中" in page
    assert "同意退单并改派" not in page


# --- 改派 ---------------------------------------------------------------------------------


def test_redispatch_lists_orders_in_progress_and_re_dispatches(signed_in, city):
    handled = in_progress(city, local(2026, 3, 2, 9))
    waiting = dispatched(city, local(2026, 3, 2, 10))
    client = signed_in(Role.DISPATCHER)

    response = client.get(QUEUE, {"tab": "redispatch"})
    assert rows(response) == [handled.number]
    response = client.get(QUEUE, {"tab": "redispatch", "status": "dispatched"})
    assert rows(response) == [waiting.number]
    response = client.get(QUEUE, {"tab": "redispatch", "lead": "U-YH", "status": "in_progress"})
    assert rows(response) == []

    page = client.get(QUEUE, {"tab": "redispatch", "pick": handled.number}).content.decode()
    assert 'class="assign"' in page and "改派" in page
    act(client, handled, "redispatch", lead="U-YH", next=f"{QUEUE}?tab=redispatch")
    handled = fresh(handled)
    assert handled.status == "dispatched" and handled.lead_unit == city.other_district
    assert handled.events.last().type == "redispatch"


def test_a_bad_filter_is_a_400_with_a_chinese_message(signed_in, city):
    response = signed_in(Role.DISPATCHER).get(QUEUE, {"tab": "redispatch", "status": "closed"})
    assert response.status_code == 400
    assert "请选择「办理中」或「待签收」" in response.content.decode()


# --- paging -------------------------------------------------------------------------------


def test_the_queue_pages_by_cursor(signed_in, city):
    orders = [factories.register(city, local(2026, 3, 2, 8, minute)) for minute in range(31)]
    client = signed_in(Role.DISPATCHER)
    first = client.get(QUEUE)
    assert rows(first) == [o.number for o in orders[:30]]
    cursor = re.search(r'rel="next" href="\?[^"]*cursor=([^"&]+)"', first.content.decode())
    assert cursor is not None
    second = client.get(QUEUE, {"tab": "pending", "cursor": cursor.group(1)})
    assert rows(second) == [orders[30].number]
    assert 'rel="next"' not in second.content.decode()
    # A damaged cursor starts the list over instead of failing.
    assert rows(client.get(QUEUE, {"cursor": "###"}))[0] == orders[0].number
