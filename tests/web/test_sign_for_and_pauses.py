"""SPEC 4 (2026-12) on the pages: the sign-for colour and 签收超时 in the unit's inbox,
the dispatcher's queue and the order page; only the lead keeps the clock; long pauses
wait for the supervisor's approval on the desk."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from hotline.orders.services import dispatch, handling
from tests import factories
from tests.conftest import local

NOW = local(2026, 3, 11, 10, 0)  # a Wednesday


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def dispatched(city, at, co_units=()):
    order = factories.register(city, at - timedelta(minutes=5))
    return dispatch.order_dispatch(
        order=order,
        lead=city.district,
        co_units=co_units,
        actor=city.users[Role.DISPATCHER],
        at=at,
    )


@pytest.fixture
def waiting(city):
    """Two orders awaiting sign-for by 岳塘区: one dispatched on Monday (long past its
    sign-for deadline), one this morning at 08:00 (sign by 10:30, half time 09:30)."""
    return {
        "late": dispatched(city, local(2026, 3, 9, 9, 0)),
        "yellow": dispatched(city, local(2026, 3, 11, 8, 0)),
    }


def row(html: str, number: str, marker: str) -> str:
    start = html.index(f'<tr id="{marker}{number}"')
    return html[start : html.index("</tr>", start)]


def test_the_inbox_shows_the_sign_for_colour_and_sign_for_overdue(signed_in, waiting):
    html = signed_in(Role.UNIT_HANDLER).get("/unit/", {"tab": "sign"}).content.decode()
    late = row(html, waiting["late"].number, "order-")
    assert "签收超时" in late and "due-red" in late
    yellow = row(html, waiting["yellow"].number, "order-")
    assert "签收超时" not in yellow and "due-yellow" in yellow


def test_the_dispatchers_queue_and_the_order_page_show_it_too(signed_in, waiting):
    client = signed_in(Role.DISPATCHER)
    queue = client.get("/dispatch/", {"tab": "redispatch", "status": "dispatched"})
    html = queue.content.decode()
    assert "签收超时" in row(html, waiting["late"].number, "o-")
    assert "签收超时" not in row(html, waiting["yellow"].number, "o-")
    page = client.get(reverse("web:order_detail", args=[waiting["late"].number]))
    assert "签收超时" in page.content.decode()
    page = client.get(reverse("web:order_detail", args=[waiting["yellow"].number]))
    assert "签收超时" not in page.content.decode()


def test_a_late_sign_for_stays_visible_on_the_order(signed_in, waiting, city):
    order = handling.order_sign(
        order=waiting["late"], actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 10, 9)
    )
    page = signed_in(Role.SUPERVISOR).get(reverse("web:order_detail", args=[order.number]))
    assert "签收超时" in page.content.decode()


@pytest.fixture
def shared(city):
    """In progress with 岳塘区 leading and 中环水务 as co-unit."""
    order = dispatched(city, local(2026, 3, 10, 9, 0), co_units=[city.water])
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 10, 9, 30)
    )


def test_a_co_unit_is_offered_no_pause_and_refused_when_it_posts_one(client, shared, city):
    client.force_login(factories.user(Role.UNIT_HANDLER, unit=city.water))
    page = client.get(reverse("web:order_detail", args=[shared.number])).content.decode()
    assert f"/orders/{shared.number}/do/pause/" not in page
    events = Event.objects.filter(order=shared).count()
    response = client.post(
        f"/orders/{shared.number}/do/pause/",
        {"version": shared.version, "reason": "等待材料"},
        follow=True,
    )
    assert "只有主办单位可以暂停或恢复计时" in response.content.decode()
    assert Event.objects.filter(order=shared).count() == events
    assert not Order.objects.get(pk=shared.pk).paused


def test_a_long_pause_waits_on_the_desk_for_the_supervisors_approval(signed_in, shared):
    client = signed_in(Role.UNIT_HANDLER)
    client.post(
        f"/orders/{shared.number}/do/pause/",
        {"version": shared.version, "reason": "等待司法鉴定结果", "until": date(2026, 4, 10)},
    )
    order = Order.objects.get(pk=shared.pk)
    assert not order.paused and order.state["pause_request"]  # the clock still runs
    client = signed_in(Role.SUPERVISOR)
    desk = client.get("/supervision/", {"tab": "pauses"}).content.decode()
    facts = row(desk, order.number, "o-")
    assert "申请暂停计时至 2026-04-10" in facts and "等待司法鉴定结果" in facts
    assert f"/orders/{order.number}/do/pause-decision/" in facts
    client.post(
        f"/orders/{order.number}/do/pause-decision/",
        {"version": order.version, "decision": "granted", "next": "/supervision/?tab=pauses"},
    )
    assert Order.objects.get(pk=order.pk).paused
    desk = client.get("/supervision/", {"tab": "pauses"}).content.decode()
    assert f'<tr id="o-{order.number}"' not in desk


def test_a_short_pause_stops_the_clock_at_once(signed_in, shared):
    signed_in(Role.UNIT_HANDLER).post(
        f"/orders/{shared.number}/do/pause/",
        {"version": shared.version, "reason": "等待市民补充材料", "until": date(2026, 3, 13)},
    )
    assert Order.objects.get(pk=shared.pk).paused


def test_an_extension_granted_after_the_deadline_leaves_the_order_in_the_overdue_tab(
    signed_in, city
):
    order = factories.register(city, local(2026, 3, 2, 8, 0), appeal_type="consult")
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=local(2026, 3, 2, 9)
    )
    order = handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 9, 30)
    )
    assert order.deadline == local(2026, 3, 9, 23, 59, 59)  # a consultation: 5 working days
    handling.order_extension_request(
        order=order,
        until=date(2026, 3, 31),
        reason="需协调多部门",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, 10, 9),
    )
    order = handling.order_extension_decision(
        order=order,
        decision="granted",
        actor=city.users[Role.SUPERVISOR],
        at=local(2026, 3, 10, 10),
    )
    assert order.deadline > NOW
    html = signed_in(Role.UNIT_HANDLER).get("/unit/", {"tab": "overdue"}).content.decode()
    assert f'<tr id="order-{order.number}"' in html
    page = signed_in(Role.SUPERVISOR).get(reverse("web:order_detail", args=[order.number]))
    assert "已超期" in page.content.decode()
