"""SPEC 7 (2026-12): the intake screen asks a deputy's level on 人大代表专席 only; a
missing or misplaced level is refused in Chinese and nothing is written. A split call
keeps the deputy's level."""

import pytest
from django.urls import reverse

from hotline.domain.enums import Role
from hotline.orders.models import Citizen, Order
from tests.web.test_intake import INTAKE, call, split_data

pytestmark = pytest.mark.django_db


def test_the_level_is_offered_beside_the_deputies_line_only(signed_in):
    page = signed_in(Role.OPERATOR).get(INTAKE).content.decode()
    assert 'data-shown-with="channel=npc_deputy_line"' in page
    assert "县（市、区）人大代表" in page


def test_a_deputys_call_is_registered_with_the_level(signed_in, city):
    client = signed_in(Role.OPERATOR)
    client.post(INTAKE, call(city, "queue", channel="npc_deputy_line", deputy_level="municipal"))
    order = Order.objects.get()
    assert (order.channel, order.deputy_level) == ("npc_deputy_line", "municipal")
    page = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert '<dd id="order-deputy-level">市人大代表</dd>' in page


@pytest.mark.parametrize(
    ("channel", "level", "message"),
    [
        ("npc_deputy_line", "", "人大代表专席的工单须选择人大代表级别"),
        ("phone", "county", "只有人大代表专席的工单登记人大代表级别（本工单为电话）"),
    ],
)
def test_a_missing_or_misplaced_level_is_refused(signed_in, city, channel, level, message):
    response = signed_in(Role.OPERATOR).post(
        INTAKE, call(city, "queue", channel=channel, deputy_level=level)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Order.objects.exists() and not Citizen.objects.exists()


def test_the_parts_of_a_split_call_keep_the_level(signed_in, city):
    client = signed_in(Role.OPERATOR)
    client.post(INTAKE, call(city, "queue", channel="npc_deputy_line", deputy_level="township"))
    order = Order.objects.get()
    parts = [
        {"content": "村道破损", "appeal_type": "complaint"},
        {"content": "路灯不亮", "appeal_type": "complaint"},
    ]
    client.post(reverse("web:order_split", args=[order.number]), split_data(order, parts))
    assert list(Order.objects.filter(split_from=order).values_list("deputy_level", flat=True)) == [
        "township",
        "township",
    ]
