"""SPEC 11 (2026-12): an order from the province platform keeps the province's own
number (``external_ref``); posted twice, it is one order; the number sent again with
another request is refused, and nothing is written."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import IntakeAnswer, Order
from tests.api.conftest import error_of

PROVINCE_ORDER = {
    "channel": "province_platform",
    "appeal_type": "complaint",
    "content": "岳塘区书院路夜间施工噪音扰民",
    "category": "0501",
    "region": "430304001",
    "external_ref": "HN20260302000123",
    "lat": 27.8297,
    "long": 112.9441,
}


@pytest.fixture
def province(city, client_for):
    """The province platform's system account (it registers orders)."""
    return client_for(Role.OPERATOR)


def test_the_reference_is_kept_shown_and_searchable(city, province):
    answer = province.post("/api/orders/", PROVINCE_ORDER, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["external_ref"], body["lat"], body["long"]) == (
        "HN20260302000123",
        27.8297,
        112.9441,
    )
    order = Order.objects.get()
    assert (order.channel, order.external_ref) == ("province_platform", "HN20260302000123")
    found = province.get("/api/orders/", {"external_ref": "HN20260302000123"}).json()
    assert [o["number"] for o in found["results"]] == [order.number]
    assert province.get("/api/orders/", {"external_ref": "HN0"}).json()["results"] == []


def test_posted_twice_it_is_one_order(city, province):
    first = province.post("/api/orders/", PROVINCE_ORDER, format="json")
    again = province.post("/api/orders/", PROVINCE_ORDER, format="json")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    assert Order.objects.count() == 1


def test_the_reference_with_another_request_is_refused(city, province, client_for):
    first = province.post("/api/orders/", PROVINCE_ORDER, format="json").json()
    other = {**PROVINCE_ORDER, "content": "另一件事：小区停水"}
    refused = province.post("/api/orders/", other, format="json")
    assert refused.status_code == 409
    error = error_of(refused)
    assert "HN20260302000123" in error["message"] and first["number"] in error["message"]
    # Another system sending the same province number: refused by the order's own rule.
    again = client_for(Role.SUPERVISOR).post("/api/orders/", PROVINCE_ORDER, format="json")
    assert again.status_code == 409
    assert error_of(again)["field"] == "external_ref"
    assert "已登记为工单" in error_of(again)["message"]
    assert Order.objects.count() == 1 and IntakeAnswer.objects.count() == 1


def test_another_channel_may_use_the_same_number(city, province):
    assert province.post("/api/orders/", PROVINCE_ORDER, format="json").status_code == 201
    mailbox = {**PROVINCE_ORDER, "channel": "governor_mailbox"}
    assert province.post("/api/orders/", mailbox, format="json").status_code == 201
    assert Order.objects.count() == 2


def test_a_too_long_reference_is_refused(city, province):
    answer = province.post(
        "/api/orders/", {**PROVINCE_ORDER, "external_ref": "X" * 41}, format="json"
    )
    assert answer.status_code == 400 and error_of(answer)["field"] == "external_ref"
    assert not Order.objects.exists()
