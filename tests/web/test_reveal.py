"""The logged reveal of a citizen's identity: full name and phone, one audit record each."""

import pytest

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.intake import CitizenInput
from tests import factories
from tests.conftest import local


@pytest.fixture
def order(city):
    return factories.register(
        city,
        local(2026, 3, 2, 9),
        citizen=CitizenInput(name="李建国", phone="13912345678"),
        confidential=True,
    )


@pytest.mark.parametrize("role", [Role.CALLBACK_AGENT, Role.OPERATOR, Role.SUPERVISOR])
def test_reveal_shows_the_full_identity_and_writes_one_audit_record(signed_in, city, order, role):
    client = signed_in(role)
    response = client.post(
        f"/orders/{order.number}/reveal/", {"purpose": "回访"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "李建国" in page and "13912345678" in page
    assert 'href="tel:13912345678"' in page
    assert "<html" not in page  # a partial for htmx to swap in
    record = AuditRecord.objects.get()
    assert (record.action, record.actor, record.order, record.detail) == (
        "reveal",
        city.users[role],
        order,
        "回访",
    )
    assert record.address == "127.0.0.1"


def test_without_htmx_the_reveal_is_a_whole_page(signed_in, order):
    response = signed_in(Role.CALLBACK_AGENT).post(
        f"/orders/{order.number}/reveal/", {"purpose": "回访"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and "13912345678" in page
    assert AuditRecord.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.LEADER, Role.ADMINISTRATOR])
def test_other_roles_are_refused_and_nothing_is_logged(signed_in, order, role):
    response = signed_in(role).post(f"/orders/{order.number}/reveal/", {"purpose": "回访"})
    assert response.status_code == 403
    assert "13912345678" not in response.content.decode()
    assert not AuditRecord.objects.exists()


def test_an_unknown_order_is_not_found(signed_in, order):
    response = signed_in(Role.CALLBACK_AGENT).post(
        "/orders/29990000001/reveal/", {"purpose": "回访"}
    )
    assert response.status_code == 404
    assert not AuditRecord.objects.exists()


def test_a_purpose_is_required(signed_in, order):
    response = signed_in(Role.CALLBACK_AGENT).post(
        f"/orders/{order.number}/reveal/", {"purpose": "  "}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请说明查看市民信息的原因" in page and "13912345678" not in page
    assert not AuditRecord.objects.exists()


def test_only_post_reveals(signed_in, order):
    response = signed_in(Role.CALLBACK_AGENT).get(f"/orders/{order.number}/reveal/")
    assert response.status_code == 405
    assert not AuditRecord.objects.exists()


# --- SPEC 4 (2026-12): the unit calls the citizen of its own orders ----------------------


def _sent_to(city, unit, *, confidential: bool):
    order = factories.register(
        city,
        local(2026, 3, 2, 9),
        citizen=CitizenInput(name="孔建华", phone="19912348210"),
        confidential=confidential,
    )
    return order_dispatch(order=order, lead=unit, actor=None, at=local(2026, 3, 2, 9, 5))


def test_a_unit_reveals_the_phone_of_its_own_order_with_an_audit_record(signed_in, city):
    order = _sent_to(city, city.district, confidential=False)
    handler = city.users[Role.UNIT_HANDLER]
    response = signed_in(Role.UNIT_HANDLER).post(
        f"/orders/{order.number}/reveal/",
        {"purpose": "联系诉求人了解情况"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:19912348210"' in page
    assert "孔**" in page and "孔建华" not in page  # the phone alone: the name stays masked
    record = AuditRecord.objects.get()
    assert (record.action, record.actor, record.order, record.detail) == (
        "reveal",
        handler,
        order,
        "联系诉求人了解情况",
    )


def test_a_unit_may_not_reveal_a_confidential_orders_phone(signed_in, city):
    order = _sent_to(city, city.district, confidential=True)
    response = signed_in(Role.UNIT_HANDLER).post(
        f"/orders/{order.number}/reveal/", {"purpose": "联系诉求人了解情况"}
    )
    assert response.status_code == 403
    assert "19912348210" not in response.content.decode()
    assert not AuditRecord.objects.exists()


def test_another_units_handler_cannot_reveal(client, city):
    order = _sent_to(city, city.district, confidential=False)
    client.force_login(factories.user(Role.UNIT_HANDLER, unit=city.other_district))
    response = client.post(f"/orders/{order.number}/reveal/", {"purpose": "联系诉求人"})
    assert response.status_code == 404
    assert not AuditRecord.objects.exists()


def test_a_unit_must_say_why(signed_in, city):
    order = _sent_to(city, city.district, confidential=False)
    response = signed_in(Role.UNIT_HANDLER).post(
        f"/orders/{order.number}/reveal/", {"purpose": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "请说明查看市民信息的原因" in response.content.decode()
    assert not AuditRecord.objects.exists()
