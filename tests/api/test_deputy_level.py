"""SPEC 7 (2026-12): an order registered through the API on 人大代表专席 carries the
deputy's level; missing there or given elsewhere it is a structured error, nothing
written."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Order
from tests.api.conftest import error_of

DEPUTY_ORDER = {
    "channel": "npc_deputy_line",
    "appeal_type": "suggestion",
    "content": "建议增设书院路公交站点",
    "deputy_level": "provincial",
}


def test_the_level_is_recorded(city, client_for):
    answer = client_for(Role.OPERATOR).post("/api/orders/", DEPUTY_ORDER, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["deputy_level"] == "provincial"
    assert Order.objects.get().deputy_level == "provincial"


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"deputy_level": ""}, "invalid_intake", "人大代表专席的工单须选择人大代表级别"),
        ({"channel": "wechat"}, "invalid_intake", "只有人大代表专席的工单登记人大代表级别"),
        ({"deputy_level": "mayor"}, "invalid", "mayor"),
    ],
)
def test_a_missing_misplaced_or_unknown_level_is_refused(city, client_for, changes, code, message):
    refused = client_for(Role.OPERATOR).post(
        "/api/orders/", {**DEPUTY_ORDER, **changes}, format="json"
    )
    assert refused.status_code == 400
    error = error_of(refused)
    assert (error["code"], error["field"]) == (code, "deputy_level")
    assert message in error["message"]
    assert not Order.objects.exists()
