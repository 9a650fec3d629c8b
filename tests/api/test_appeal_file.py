"""SPEC 4 (2026-12): filing an appeal through the API; refusals are structured errors
and write nothing."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import AppealFiling
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsatisfied(city):
    handler = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, 2, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10))
    handling.order_reply(order=order, text="已处理完毕", actor=handler, at=local(2026, 3, 3, 9))
    review.order_review(order=order, decision="accept", actor=None, at=local(2026, 3, 3, 10))
    return review.order_callback(
        order=order,
        result="unsatisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=local(2026, 3, 5, 9),
    )


def _post(client, order, **data):
    body = {"kind": "repeated", "reason": "同一诉求已于上月办结答复", **data}
    return client.post(f"/api/orders/{order.number}/appeal-file/", body, format="json")


def test_the_unit_files_once_and_a_second_appeal_is_a_structured_refusal(
    client_for, clock, unsatisfied
):
    clock.at = local(2026, 3, 6, 9)
    unit = client_for(Role.UNIT_HANDLER)
    first = _post(unit, unsatisfied)
    assert first.status_code == 200, first.content
    assert [e["type"] for e in first.json()["events"]][-1] == "appeal_file"
    second = _post(unit, unsatisfied)
    assert second.status_code in (400, 409)
    error = second.json()["error"]
    assert error["code"] == "appeal_already_filed" and "不能重复申诉" in error["message"]
    assert AppealFiling.objects.count() == 1


def test_an_appeal_after_the_window_is_a_structured_refusal(client_for, clock, unsatisfied):
    clock.at = local(2026, 4, 20, 9)
    response = _post(client_for(Role.UNIT_HANDLER), unsatisfied)
    assert response.status_code in (400, 409)
    assert response.json()["error"]["code"] == "appeal_window_closed"
    assert "申诉期限已过" in response.json()["error"]["message"]
    assert not AppealFiling.objects.exists()


def test_another_unit_cannot_file_and_a_bad_kind_names_its_field(
    city, client_for, clock, unsatisfied
):
    clock.at = local(2026, 3, 6, 9)
    other = factories.user(Role.UNIT_HANDLER, unit=city.other_district, username="yuhu")
    assert _post(client_for(other), unsatisfied).status_code == 404  # not its order
    bad = _post(client_for(Role.UNIT_HANDLER), unsatisfied, kind="whatever")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "kind"
    assert _post(client_for(Role.SUPERVISOR), unsatisfied).status_code == 403
    assert not AppealFiling.objects.exists()
