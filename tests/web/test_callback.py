"""The callback queue: concluded orders to call back, the discipline questions, closing."""

import re
from datetime import timedelta

import pytest

from hotline.configuration.services import setting_set
from hotline.domain.enums import Role
from hotline.orders.models import Callback, Order, Violation
from hotline.orders.services import dispatch, handling, intake, review
from tests import factories
from tests.conftest import local

NOW = local(2026, 3, 20, 10, 0)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def concluded(city, at, *, order=None):
    """An order of 岳塘区 whose reply was accepted two days after ``at``."""
    order = order or factories.register(city, at)
    unit = city.users[Role.UNIT_HANDLER]
    if order.status == "registered":
        order = dispatch.order_dispatch(
            order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=at
        )
    order = handling.order_sign(order=order, actor=unit, at=at + timedelta(hours=1))
    order = handling.order_reply(
        order=order,
        text="已责令施工单位22时后停止作业，并已电话告知市民。",
        actor=unit,
        at=at + timedelta(days=1),
    )
    return review.order_review(
        order=order, decision="accept", actor=city.users[Role.SUPERVISOR], at=at + timedelta(days=2)
    )


def rows(response) -> list[str]:
    return re.findall(r'<tr id="order-(\d+)"', response.content.decode())


@pytest.fixture
def queue(city):
    newer = concluded(city, local(2026, 3, 9, 9))
    older = concluded(city, local(2026, 3, 2, 9))
    working = factories.register(city, local(2026, 3, 3, 9))
    working = dispatch.order_dispatch(
        order=working,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 3, 9),
    )
    return older, newer, working


def test_the_queue_lists_concluded_orders_oldest_first(signed_in, queue):
    older, newer, working = queue
    response = signed_in(Role.CALLBACK_AGENT).get("/callback/")
    assert response.status_code == 200
    assert rows(response) == [older.number, newer.number]
    page = response.content.decode()
    # The phone is masked on the page; the reply is shown to read to the citizen.
    assert "138****0001" in page and "13800000001" not in page
    assert "已责令施工单位" in page
    assert "是否被要求撤诉？" in page and "是否发生信息泄露？" in page
    assert f'hx-post="/orders/{older.number}/reveal/"' in page
    assert signed_in(Role.SUPERVISOR).get("/callback/").status_code == 200


def test_other_roles_may_not_open_the_queue(signed_in, queue):
    for role in (Role.UNIT_HANDLER, Role.DISPATCHER, Role.OPERATOR, Role.LEADER):
        assert signed_in(role).get("/callback/").status_code == 403


def _callback(client, order, **fields):
    order.refresh_from_db()
    data = {"version": order.version, "next": "/callback/", **fields}
    return client.post(f"/orders/{order.number}/do/callback/", data)


def test_a_citizen_pressed_to_withdraw_raises_a_violation(signed_in, city, queue):
    older, newer, _ = queue
    client = signed_in(Role.CALLBACK_AGENT)
    response = _callback(client, older, result="satisfied", pressured="true", leaked="false")
    assert response.status_code == 302 and response.url == "/callback/"
    violation = Violation.objects.get()
    assert (violation.kind, violation.unit, violation.order) == ("pressure", city.district, older)
    callback = Callback.objects.get(order=older)
    assert callback.result == "satisfied" and callback.pressured and not callback.leaked
    # Called back: off the due list, onto the list to close.
    assert rows(client.get("/callback/")) == [newer.number]
    done = client.get("/callback/", {"tab": "done"})
    assert rows(done) == [older.number] and "满意" in done.content.decode()


def test_a_leak_raises_a_violation_too_and_no_answer_raises_none(signed_in, queue):
    older, newer, _ = queue
    client = signed_in(Role.CALLBACK_AGENT)
    _callback(client, older, result="basically_satisfied", pressured="false", leaked="false")
    assert not Violation.objects.exists()
    _callback(client, newer, result="unsatisfied", pressured="false", leaked="true")
    assert list(Violation.objects.values_list("kind", flat=True)) == ["leak"]


def test_unsatisfied_with_rework_sends_the_order_back(signed_in, queue):
    older, _, _ = queue
    client = signed_in(Role.CALLBACK_AGENT)
    _callback(client, older, result="unsatisfied", rework="true")
    older.refresh_from_db()
    assert older.status == "in_progress"
    # Rework needs an unsatisfied result: refused with a message, nothing written.
    _, newer, _ = queue
    response = _callback(client, newer, result="satisfied", rework="true")
    assert "只有回访不满意的工单才能返工" in client.get(response.url).content.decode()
    assert not Callback.objects.filter(order=newer).exists()


def test_called_back_orders_are_closed_from_the_queue(signed_in, queue):
    older, _, _ = queue
    client = signed_in(Role.CALLBACK_AGENT)
    _callback(client, older, result="satisfied")
    page = client.get("/callback/", {"tab": "done"}).content.decode()
    assert f'action="/orders/{older.number}/do/close/"' in page
    older.refresh_from_db()
    client.post(
        f"/orders/{older.number}/do/close/",
        {"version": older.version, "next": "/callback/?tab=done"},
    )
    older.refresh_from_db()
    assert older.status == "closed"
    assert rows(client.get("/callback/", {"tab": "done"})) == []


def test_each_merged_caller_is_called_back_with_the_main_orders_reply(signed_in, city):
    main = factories.register(city, local(2026, 3, 3, 9))
    main = dispatch.order_dispatch(
        order=main, lead=city.district, actor=city.users[Role.DISPATCHER], at=local(2026, 3, 3, 9)
    )
    merged = factories.register(city, local(2026, 3, 3, 10))
    merged = intake.order_merge(
        order=merged, into=main, actor=city.users[Role.OPERATOR], at=local(2026, 3, 3, 10, 5)
    )
    client = signed_in(Role.CALLBACK_AGENT)
    # Not while the main order is still being handled, and not called back early.
    assert rows(client.get("/callback/")) == []
    client.post(
        f"/orders/{merged.number}/do/callback/", {"version": merged.version, "result": "satisfied"}
    )
    assert not Callback.objects.filter(order=merged).exists()
    main = concluded(city, local(2026, 3, 4, 9), order=main)
    page = client.get("/callback/")
    assert rows(page) == [main.number, merged.number]
    row = re.search(rf'<tr id="order-{merged.number}".*?</tr>', page.content.decode(), re.S)[0]
    assert "随主工单" in row and main.number in row and "已责令施工单位" in row
    assert 'name="rework"' not in row  # rework is the main order's
    client.post(
        f"/orders/{merged.number}/do/callback/",
        {"version": merged.version, "result": "basically_satisfied"},
    )
    (callback,) = Callback.objects.filter(order=merged)
    assert callback.result == "basically_satisfied"
    assert rows(client.get("/callback/")) == [main.number]
    assert merged.number in rows(client.get("/callback/", {"tab": "done"}))
    merged.refresh_from_db()
    client.post(f"/orders/{merged.number}/do/close/", {"version": merged.version})
    assert Order.objects.get(pk=merged.pk).status == "closed"


def test_answers_at_intake_are_called_back_when_the_scope_is_every_order(signed_in, city):
    order = factories.register(city, local(2026, 3, 18, 9))
    order = intake.order_answer(
        order=order, actor=city.users[Role.OPERATOR], at=local(2026, 3, 18, 9, 5)
    )
    stale = factories.register(city, local(2026, 2, 2, 9))
    intake.order_answer(order=stale, actor=city.users[Role.OPERATOR], at=local(2026, 2, 2, 9, 5))
    client = signed_in(Role.CALLBACK_AGENT)
    assert "当场答复待回访" not in client.get("/callback/").content.decode()
    assert rows(client.get("/callback/", {"tab": "answered"})) == []

    setting_set(key="callback_scope", text="all")
    page = client.get("/callback/", {"tab": "answered"})
    assert "当场答复待回访" in page.content.decode()
    assert rows(page) == [order.number]
    assert "退回承办单位返工" not in page.content.decode()
    _callback(client, order, result="satisfied")
    assert Callback.objects.get(order=order).result == "satisfied"
    assert rows(client.get("/callback/", {"tab": "answered"})) == []
