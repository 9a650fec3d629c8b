"""SPEC 5 (2026-12): each unit sees its own provisional row and the breakdown of every
point lost as soon as the month ends; the office sees any unit's; no unit sees another's."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.services.dispatch import order_dispatch
from tests.conftest import local
from tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def never_signed(city):
    """Orders of March 2026 never signed for: each fell due at its sign-for deadline."""

    def dispatch(lead, day):
        order = register(city, local(2026, 3, day, 9))
        return order_dispatch(
            order=order, lead=lead, actor=city.users[Role.DISPATCHER], at=local(2026, 3, day, 10)
        )

    return {
        "own": dispatch(city.district, 2),
        "other": dispatch(city.other_district, 3),
    }


def test_a_unit_sees_its_own_provisional_row_and_the_points_each_order_cost(
    client, city, never_signed
):
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/assessment/", {"period": "2026-03"}).content.decode()
    assert "岳塘区" in html and "区县政府" in html
    assert "样本不足" in html  # 1 due order, below the office's minimum of 5
    assert 'class="loss-not_handled"' in html and "未办结" in html
    assert "60.0" in html  # (30 + 30) / 1 due
    assert never_signed["own"].number in html
    assert never_signed["other"].number not in html


def test_a_unit_cannot_ask_for_another_units_breakdown(client, city, never_signed):
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/assessment/", {"period": "2026-03", "unit": "U-YH"}).content.decode()
    assert never_signed["other"].number not in html
    assert "雨湖区" not in html


def test_the_office_sees_any_units_breakdown(client, city, never_signed):
    client.force_login(city.users[Role.SUPERVISOR])
    html = client.get("/assessment/", {"period": "2026-03", "unit": "U-YH"}).content.decode()
    assert never_signed["other"].number in html
    assert never_signed["own"].number not in html


def test_a_month_without_due_orders_says_so(client, city):
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/assessment/", {"period": "2026-02"}).content.decode()
    assert "本月没有计入考核的工单" in html
