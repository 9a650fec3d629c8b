"""SPEC 3 (2026-12): an online order answered at intake review gets its answer back
through the channel: the API's detail, the portal's tracking and the Open311 status."""

import pytest

from hotline.configuration.services import setting_set
from hotline.domain.enums import Role
from hotline.orders.services import intake
from hotline.portal.services import OnlineRequest, online_request_submit
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_an_online_answer_goes_back_through_the_api_the_portal_and_open311(city, client):
    order = online_request_submit(
        request=OnlineRequest(
            appeal_type="consult", content="居住证怎么办理？", name="吴先生", phone="13900001234"
        )
    )
    intake.order_answer(
        order=order, actor=city.users[Role.OPERATOR], text="携身份证到社区警务室办理。"
    )
    shown = token_client(city.users[Role.OPERATOR]).get(f"/api/orders/{order.number}/").json()
    assert shown["answer"] == "携身份证到社区警务室办理。"
    tracked = client.post(
        "/portal/track/", {"number": order.number, "phone": "13900001234"}
    ).content.decode()
    assert "携身份证到社区警务室办理。" in tracked
    setting_set(key="open311_public_reads", text="true")  # off by default (SPEC 11)
    georeport = client.get(f"/open311/v2/requests/{order.number}.json").json()[0]
    assert georeport["status_notes"] == "携身份证到社区警务室办理。"
