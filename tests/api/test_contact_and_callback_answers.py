"""The contact action and the callback's new answers through the API (SPEC 4, 2026-12)."""

from hotline.domain.enums import Role
from hotline.orders.models import Callback, Contact, Event, Violation
from tests import factories
from tests.api.conftest import error_of
from tests.api.test_order_journey import NEW_ORDER


def _signed(client_for, clock):
    number = (
        client_for(Role.OPERATOR).post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    )
    clock.tick()
    client_for(Role.OPERATOR).post(
        f"/api/orders/{number}/dispatch/", {"lead": "U-YT"}, format="json"
    )
    clock.tick()
    client_for(Role.UNIT_HANDLER).post(f"/api/orders/{number}/sign/", {}, format="json")
    return number


def test_a_unit_records_a_contact(city, client_for, clock):
    number = _signed(client_for, clock)
    clock.tick(hours=1)
    response = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{number}/contact/",
        {"way": "phone", "outcome": "reached", "contacted_at": "2026-03-02T09:40:00+08:00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    contact = Contact.objects.get(order__number=number)
    assert (contact.at.isoformat(), contact.way, contact.unit) == (
        "2026-03-02T01:40:00+00:00",
        "phone",
        city.district,
    )


def test_refusals_come_back_structured_and_write_nothing(city, client_for, clock):
    number = _signed(client_for, clock)
    handler = client_for(Role.UNIT_HANDLER)
    url = f"/api/orders/{number}/contact/"
    bad_way = handler.post(url, {"way": "fax", "outcome": "reached"}, format="json")
    assert bad_way.status_code == 400
    assert error_of(bad_way)["field"] == "way"
    future = handler.post(
        url,
        {"way": "sms", "outcome": "reached", "contacted_at": "2026-03-09T09:00:00+08:00"},
        format="json",
    )
    assert future.status_code == 400
    assert error_of(future)["code"] == "contact_in_future"
    assert "不能晚于当前时间" in error_of(future)["message"]
    agent = client_for(Role.CALLBACK_AGENT).post(
        url, {"way": "sms", "outcome": "reached"}, format="json"
    )
    assert agent.status_code == 403
    assert error_of(agent)["code"] == "not_permitted"
    # Another unit's handler does not even see the order.
    stranger = client_for(factories.user(Role.UNIT_HANDLER, unit=city.other_district))
    assert (
        stranger.post(url, {"way": "sms", "outcome": "reached"}, format="json").status_code == 404
    )
    assert not Contact.objects.exists()
    assert not Event.objects.filter(type="contact").exists()


def test_the_callback_takes_the_new_answers_and_raises_the_contradiction(city, client_for, clock):
    number = _signed(client_for, clock)
    clock.tick()
    client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{number}/reply/", {"text": "已责令停工", "resolved": True}, format="json"
    )
    clock.tick()
    client_for(Role.SUPERVISOR).post(
        f"/api/orders/{number}/review/", {"decision": "accept"}, format="json"
    )
    clock.tick()
    response = client_for(Role.CALLBACK_AGENT).post(
        f"/api/orders/{number}/callback/",
        {
            "result": "unsatisfied",
            "solved": "not_solved",
            "unit_contacted": True,
            "note": "仍有噪音",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    callback = Callback.objects.get(order__number=number)
    assert (callback.solved, callback.unit_contacted, callback.note) == (
        "not_solved",
        True,
        "仍有噪音",
    )
    assert Violation.objects.get(order__number=number).kind == "contradiction"


def test_a_bad_solved_answer_is_refused_by_field(city, client_for, clock):
    number = _signed(client_for, clock)
    response = client_for(Role.CALLBACK_AGENT).post(
        f"/api/orders/{number}/callback/", {"result": "satisfied", "solved": "maybe"}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["field"] == "solved"
