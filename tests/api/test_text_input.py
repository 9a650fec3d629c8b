"""The API and Open311 make typed text plain the way the pages do: full-width digits and
letters folded, invisible characters dropped, phone numbers checked and stored as digits;
a refused field is a structured error and writes nothing."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

NEW_ORDER = {
    "channel": "phone",
    "appeal_type": "complaint",
    "category": "0501",
    "region": "430304001",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_intake_through_the_api_stores_plain_text(city, client_for):
    body = {
        **NEW_ORDER,
        "content": "  书院路\u200b１２号夜间施工\r\n\r\n\r\n噪音扰民\x00  ",
        "address": "岳塘区\n书院路　１２号\ufeff",
        "citizen": {"name": " 李\u202e先生 ", "phone": "１３８-００００-０００１"},
        "call_id": "ＣＡＬＬ-７",
    }
    response = client_for(Role.OPERATOR).post("/api/orders/", body, format="json")
    assert response.status_code == 201, response.json()
    order = Order.objects.get(number=response.json()["number"])
    assert order.content == "书院路12号夜间施工\n\n噪音扰民"
    assert order.address == "岳塘区 书院路 12号"
    assert (order.citizen.name, order.citizen.phone) == ("李先生", "13800000001")
    assert order.call_id == "CALL-7"


@pytest.mark.parametrize(
    ("citizen", "field"),
    [
        ({"phone": "12345"}, "citizen.phone"),
        ({"phone": "138000000011"}, "citizen.phone"),
        ({"phone": "电话13800000001"}, "citizen.phone"),
    ],
)
def test_a_wrong_phone_is_a_structured_error_and_writes_nothing(city, client_for, citizen, field):
    body = {**NEW_ORDER, "content": "噪音扰民", "citizen": citizen}
    response = client_for(Role.OPERATOR).post("/api/orders/", body, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["field"] == field and "电话号码格式不正确" in error["message"]
    assert not Order.objects.exists() and not Event.objects.exists()


def test_content_of_only_invisible_characters_is_refused_as_blank(city, client_for):
    body = {**NEW_ORDER, "content": "\u200b\u200b \x00\ufeff"}
    response = client_for(Role.OPERATOR).post("/api/orders/", body, format="json")
    assert response.status_code == 400
    assert error_of(response)["field"] == "content"
    assert not Order.objects.exists()


def test_an_action_reason_is_made_plain(city, client_for):
    created = client_for(Role.OPERATOR).post(
        "/api/orders/", {**NEW_ORDER, "content": "噪音扰民"}, format="json"
    )
    number = created.json()["number"]
    dispatched = client_for(Role.DISPATCHER).post(
        f"/api/orders/{number}/dispatch/", {"lead": "U-YT", "version": 1}, format="json"
    )
    assert dispatched.status_code == 200, dispatched.json()
    response = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{number}/return/",
        {"reason": "  非本单位\u200b职责　（属供水公司）\r\n", "version": 2},
        format="json",
    )
    assert response.status_code == 200, response.json()
    event = Event.objects.get(order__number=number, type="return")
    assert event.data["reason"] == "非本单位职责 （属供水公司）"


def test_open311_folds_the_phone_and_refuses_a_wrong_one(city, clock):
    key = Token.objects.create(user=city.users[Role.OPERATOR]).key
    fields = {
        "api_key": key,
        "service_code": "０５０１",
        "description": "书院路夜间施工噪音\u200b",
        "address_string": "岳塘区书院路１２号",
    }
    created = Client().post(
        "/open311/v2/requests.json", {**fields, "phone": "１３８００００００１９"}
    )
    assert created.status_code == 201, created.content
    order = Order.objects.get(number=created.json()[0]["service_request_id"])
    assert (order.citizen.phone, order.address, order.content) == (
        "13800000019",
        "岳塘区书院路12号",
        "书院路夜间施工噪音",
    )

    refused = Client().post("/open311/v2/requests.json", {**fields, "phone": "4008123456"})
    assert refused.status_code == 400
    assert "电话" in refused.json()[0]["description"]
    assert Order.objects.count() == 1
