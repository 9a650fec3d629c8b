"""12345–110 linkage through the 110 system's interface (SPEC 3, 2026-12): its own
token, a handover becoming a ``police_110`` order in intake review, the conclusion
queued for 110 and delivered — retried when 110 does not answer."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from hotline.domain.enums import Role
from hotline.linkage.models import Handover
from hotline.linkage.services import police_line_create
from hotline.notifications.delivery import notifications_deliver
from hotline.notifications.models import Notification
from hotline.orders.models import Order
from hotline.orders.selectors import order_state
from hotline.orders.services import dispatch, handling, intake, review
from tests.api.conftest import error_of, token_client

pytestmark = pytest.mark.django_db

URL = "/api/linkage/110/orders/"
ENDPOINT = "https://110.example.gov.cn/feedback"
MATTER = {
    "police_ref": "JQ20261207000123",
    "content": "来电人反映书院路88号路灯不亮已一周，非警情，转12345。",
    "address": "岳塘区书院路88号",
    "caller": {"name": "周女士", "phone": "138 0000 0009"},
    "note": "接警员 8012",
}


@pytest.fixture
def police(db, settings):
    settings.HOTLINE_110_FEEDBACK_URL = ENDPOINT
    settings.HOTLINE_110_FEEDBACK_TOKEN = "office-token-for-110"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {police_line_create(name='湘潭110').token}")
    return client


def feedback_rows():
    return Notification.objects.filter(kind="feedback_110")


def test_a_handover_becomes_a_police_110_order_in_review(city, police):
    response = police.post(URL, MATTER, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert body == {
        "number": order.number,
        "police_ref": "JQ20261207000123",
        "status": "registered",
        "status_label": "已登记",
        "repeated": False,
    }
    assert (order.channel, order.citizen.phone, order.address) == (
        "police_110",
        "13800000009",
        "岳塘区书院路88号",
    )
    assert order_state(order).in_review and order.category is None
    assert Handover.objects.get().note == "接警员 8012"
    # 110 sends it again (a lost answer): the same order, nothing new.
    again = police.post(URL, MATTER, format="json")
    assert again.status_code == 200 and again.json()["number"] == order.number
    assert again.json()["repeated"] is True
    assert Order.objects.count() == 1


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer", "Token abc"])
def test_a_bad_token_is_refused_and_nothing_written(city, police, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(URL, MATTER, format="json")
    assert response.status_code == 401
    assert error_of(response)["message"]
    assert not Order.objects.exists()


def test_a_staff_token_is_not_the_110_systems(city):
    response = token_client(city.users[Role.OPERATOR]).post(URL, MATTER, format="json")
    assert response.status_code == 401
    assert error_of(response)["code"]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"police_ref": ""}, "police_ref"),
        ({"content": None}, "content"),
        ({"region": "999999"}, "region"),
        ({"caller": {"phone": "12"}}, "caller.phone"),
    ],
)
def test_missing_or_bad_fields_are_refused_by_name(city, police, change, field):
    matter = {k: v for k, v in {**MATTER, **change}.items() if v is not None}
    response = police.post(URL, matter, format="json")
    assert response.status_code == 400
    assert error_of(response)["field"] == field
    assert not Order.objects.exists() and not Handover.objects.exists()


def _conclude(city, order):
    users = city.users
    order = intake.order_classify(
        order=order,
        actor=users[Role.OPERATOR],
        category=city.noise,
        region=city.yuetang,
        appeal_type="help",
    )
    order = dispatch.order_dispatch(order=order, lead=city.district, actor=users[Role.OPERATOR])
    order = handling.order_sign(order=order, actor=users[Role.UNIT_HANDLER])
    order = handling.order_reply(
        order=order, text="已更换路灯灯头，当晚恢复照明。", actor=users[Role.UNIT_HANDLER]
    )
    assert not feedback_rows().exists()
    return review.order_review(order=order, decision="accept", actor=users[Role.SUPERVISOR])


class Answer:
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_conclusion_is_queued_for_110_and_retried_until_delivered(city, police, monkeypatch):
    order = Order.objects.get(number=police.post(URL, MATTER, format="json").json()["number"])
    _conclude(city, order)
    feedback = feedback_rows().get()
    assert (feedback.channel, feedback.address, feedback.status) == ("police", ENDPOINT, "pending")
    document = json.loads(feedback.text)
    assert document == {
        "police_ref": "JQ20261207000123",
        "number": order.number,
        "result": "concluded",
        "transferred_to": None,
        "unit": "岳塘区",
        "text": "已更换路灯灯头，当晚恢复照明。",
        "concluded_at": document["concluded_at"],
    }

    sent = []

    def down(request, timeout):
        raise ConnectionError("110 接口无响应")

    monkeypatch.setattr("urllib.request.urlopen", down)
    first = feedback.next_attempt_at + timedelta(seconds=1)
    assert notifications_deliver(now=first).endswith("失败待重试 1 条")
    feedback.refresh_from_db()
    assert (feedback.status, feedback.attempts) == ("pending", 1)
    assert "110 接口无响应" in feedback.last_error
    assert feedback.next_attempt_at == first + timedelta(minutes=1)
    # Not due again yet.
    assert notifications_deliver(now=first + timedelta(seconds=30)).startswith("发送 0 条")

    def up(request, timeout):
        sent.append(request)
        return Answer()

    monkeypatch.setattr("urllib.request.urlopen", up)
    assert notifications_deliver(now=first + timedelta(minutes=2)).startswith("发送 1 条")
    feedback.refresh_from_db()
    assert (feedback.status, feedback.attempts) == ("sent", 2)
    (request,) = sent
    assert request.full_url == ENDPOINT
    assert request.get_header("Authorization") == "Bearer office-token-for-110"
    assert json.loads(request.data)["police_ref"] == "JQ20261207000123"


def test_an_answer_at_review_is_fed_back_too(city, police):
    order = Order.objects.get(number=police.post(URL, MATTER, format="json").json()["number"])
    intake.order_answer(
        order=order, actor=city.users[Role.OPERATOR], text="已告知来电人路灯报修电话。"
    )
    document = json.loads(feedback_rows().get().text)
    assert (document["result"], document["text"]) == ("answered", "已告知来电人路灯报修电话。")


def test_without_an_endpoint_the_feedback_is_kept_as_not_sent(city, police, settings):
    settings.HOTLINE_110_FEEDBACK_URL = ""
    order = Order.objects.get(number=police.post(URL, MATTER, format="json").json()["number"])
    intake.order_transfer(order=order, actor=city.users[Role.OPERATOR], to="119", note="楼道冒烟")
    feedback = feedback_rows().get()
    assert json.loads(feedback.text)["transferred_to"] == "119"
    notifications_deliver(now=feedback.next_attempt_at)
    feedback.refresh_from_db()
    assert feedback.status == "skipped"
