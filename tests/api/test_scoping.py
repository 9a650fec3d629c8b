"""SPEC 6: a unit sees only its own orders, by list, detail or action URL."""

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import dispatch
from tests import factories
from tests.api.conftest import error_of
from tests.conftest import local


def _dispatched(city, lead, minute):
    at = local(2026, 3, 2, 9, minute)
    order = factories.register(city, at)
    return dispatch.order_dispatch(order=order, lead=lead, actor=None, at=at)


def test_a_unit_handler_sees_only_its_own_orders(city, client_for, clock):
    ours = _dispatched(city, city.district, 0)
    theirs = _dispatched(city, city.other_district, 1)
    registered = factories.register(city, local(2026, 3, 2, 9, 2))
    unit = client_for(Role.UNIT_HANDLER)  # 岳塘区

    listed = unit.get("/api/orders/").json()["results"]
    assert [o["number"] for o in listed] == [ours.number]
    assert unit.get(f"/api/orders/{ours.number}/").status_code == 200

    for number in (theirs.number, registered.number):
        detail = unit.get(f"/api/orders/{number}/")
        assert (detail.status_code, error_of(detail)["code"]) == (404, "not_found")
        action = unit.post(f"/api/orders/{number}/sign/", {}, format="json")
        assert (action.status_code, error_of(action)["code"]) == (404, "not_found")
        assert unit.get(f"/api/orders/?number={number}").json()["results"] == []
    assert Order.objects.get(pk=theirs.pk).status == "dispatched"

    # The office sees everything.
    office = client_for(Role.SUPERVISOR).get("/api/orders/").json()["results"]
    assert len(office) == 3


def test_a_parent_unit_sees_what_its_sub_unit_handles(city, client_for, clock):
    street = factories.user(Role.UNIT_HANDLER, unit=city.street_office)
    handler = city.users[Role.UNIT_HANDLER]
    order = _dispatched(city, city.district, 0)
    unit = client_for(handler)
    assert unit.post(f"/api/orders/{order.number}/sign/", {}, format="json").status_code == 200
    clock.tick()
    response = unit.post(
        f"/api/orders/{order.number}/sub-dispatch/", {"sub_unit": "U-YT-SYL"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["sub_unit"] == "U-YT-SYL"
    street_client = client_for(street)
    assert street_client.get(f"/api/orders/{order.number}/").status_code == 200
    clock.tick()
    replied = street_client.post(
        f"/api/orders/{order.number}/reply/", {"text": "已现场处理"}, format="json"
    )
    assert replied.status_code == 200, replied.json()
