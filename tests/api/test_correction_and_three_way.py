"""``POST /api/orders/{n}/correct/``, ``three-way-request/`` and ``three-way-call/``
(SPEC 3 and 4, 2026-12): structured refusals, nothing written on bad input."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Contact, Event, Order
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.api.conftest import error_of
from tests.conftest import local


def _dispatched(city, *, confidential=False):
    order = factories.register(
        city, local(2026, 3, 2, 9), category=city.water_supply, confidential=confidential
    )
    return dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5)
    )


def test_the_supervisor_corrects_the_category_and_the_detail_shows_it(city, client_for):
    order = _dispatched(city)
    response = client_for(Role.SUPERVISOR).post(
        f"/api/orders/{order.number}/correct/",
        {"field": "category", "value": "0501", "reason": "实为噪音", "version": order.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert Order.objects.get(pk=order.pk).category == city.noise
    assert Event.objects.get(order=order, type="correct").data["old"] == "0301"
    summary = client_for(Role.SUPERVISOR).post(
        f"/api/orders/{order.number}/correct/",
        {"field": "summary", "value": "工地夜间施工噪音", "reason": "补摘要"},
        format="json",
    )
    body = summary.json()
    assert (body["summary"], body["content"]) == ("工地夜间施工噪音", order.content)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"field": "category", "value": "0501", "reason": " "}, 400, "invalid"),
        ({"field": "category", "value": "9999", "reason": "理由"}, 400, "invalid_correction"),
        ({"field": "content", "value": "改写", "reason": "理由"}, 400, "invalid"),
    ],
)
def test_bad_corrections_are_refused_with_a_structured_error(city, client_for, body, status, code):
    order = _dispatched(city)
    response = client_for(Role.DISPATCHER).post(
        f"/api/orders/{order.number}/correct/", body, format="json"
    )
    assert response.status_code == status
    assert error_of(response)["code"] == code
    assert not Event.objects.filter(order=order, type="correct").exists()


@pytest.mark.parametrize("role", [Role.LEADER, Role.UNIT_HANDLER, Role.CALLBACK_AGENT])
def test_a_leader_a_unit_or_a_callback_agent_may_not_correct(city, client_for, role):
    order = _dispatched(city)
    response = client_for(role).post(
        f"/api/orders/{order.number}/correct/",
        {"field": "category", "value": "0501", "reason": "理由"},
        format="json",
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "not_permitted"
    assert Order.objects.get(pk=order.pk).category == city.water_supply


def test_the_operator_may_not_correct_after_dispatch(city, client_for):
    order = _dispatched(city)
    response = client_for(Role.OPERATOR).post(
        f"/api/orders/{order.number}/correct/",
        {"field": "category", "value": "0501", "reason": "理由"},
        format="json",
    )
    assert response.status_code == 403
    assert "派单前" in error_of(response)["message"]


def test_a_three_way_call_through_the_api(city, client_for):
    order = _dispatched(city, confidential=True)
    asked = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{order.number}/three-way-request/", {"note": "上午"}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    refused = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{order.number}/three-way-call/",
        {"unit": "U-YT", "outcome": "reached"},
        format="json",
    )
    assert refused.status_code == 403
    done = client_for(Role.OPERATOR).post(
        f"/api/orders/{order.number}/three-way-call/",
        {"unit": "U-YT", "outcome": "reached"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert Contact.objects.get(order=order).way == "three_way"


def test_a_corrected_urgency_answers_with_the_new_deadline(city, client_for):
    order = handling.order_sign(
        order=_dispatched(city), actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 9, 30)
    )
    response = client_for(Role.SUPERVISOR).post(
        f"/api/orders/{order.number}/correct/",
        {"field": "urgency", "value": "urgent", "reason": "涉及供水中断，应为急办"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["urgent"] is True
    assert body["deadline"] == "2026-03-03T09:30:00+08:00"
    assert body["deadline_provisional"] is False


def test_the_urgency_of_a_concluded_order_is_refused_with_a_structured_error(city, client_for):
    order = _dispatched(city)
    unit = city.users[Role.UNIT_HANDLER]
    order = handling.order_sign(order=order, actor=unit, at=local(2026, 3, 2, 9, 30))
    order = handling.order_reply(order=order, text="已处理", actor=unit, at=local(2026, 3, 2, 10))
    order = review.order_review(
        order=order, decision="accept", actor=None, at=local(2026, 3, 2, 11)
    )
    response = client_for(Role.SUPERVISOR).post(
        f"/api/orders/{order.number}/correct/",
        {"field": "urgency", "value": "urgent", "reason": "应为急办"},
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_correction" and "工单已办结" in error["message"]
    assert not Event.objects.filter(order=order, type="correct").exists()
