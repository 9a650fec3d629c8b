"""SPEC 6: a citizen's identity is shown only to the roles that talk to the citizen,
and a confidential order shows the unit none at all."""

import pytest

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.domain.masking import (
    CONFIDENTIAL_REVEAL_REFUSED,
    SEES_IDENTITY,
    Identity,
    identity_for,
    mask_name,
    mask_phone,
    shown_identity,
    shown_name,
    shown_phone,
)
from hotline.orders.services import dispatch
from tests import factories
from tests.api.conftest import error_of
from tests.conftest import local


@pytest.mark.parametrize(
    ("name", "masked"),
    [("李先生", "李**"), ("欧阳娜娜", "欧***"), ("王", "王*"), ("", ""), ("  张三 ", "张*")],
)
def test_a_masked_name_keeps_only_the_family_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800000001", "138****0001"),
        ("+8613800000001", "+86*******0001"),
        ("58581234", "****1234"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_a_masked_phone_keeps_the_prefix_and_the_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("role", "confidential", "identity"),
    [
        (Role.OPERATOR, False, Identity.FULL),
        (Role.CALLBACK_AGENT, True, Identity.FULL),
        (Role.SUPERVISOR, True, Identity.FULL),
        (Role.DISPATCHER, False, Identity.MASKED),
        (Role.LEADER, True, Identity.MASKED),
        (Role.ADMINISTRATOR, False, Identity.MASKED),
        (Role.UNIT_HANDLER, False, Identity.MASKED),
        (Role.UNIT_HANDLER, True, Identity.HIDDEN),
    ],
)
def test_who_sees_what(role, confidential, identity):
    assert identity_for(role, confidential=confidential) is identity


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("confidential", [False, True])
def test_nothing_is_shown_in_full_without_a_reveal(role, confidential):
    shown = shown_identity(role, confidential=confidential)
    full = identity_for(role, confidential=confidential)
    assert shown is (Identity.MASKED if full is Identity.FULL else full)


def test_hidden_shows_nothing_of_the_identity():
    assert shown_name("李先生", Identity.HIDDEN) == "***"
    assert shown_phone("13800000001", Identity.HIDDEN) == "***"
    assert shown_phone("13800000001", Identity.FULL) == "13800000001"


def _dispatched(city, *, confidential):
    order = factories.register(city, local(2026, 3, 2, 9, 0), confidential=confidential)
    return dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5)
    )


MASKED = {"name": "李**", "phone": "138****0001", "kind": "urban", "identity": "masked"}
HIDDEN = {"name": "***", "phone": "***", "kind": "urban", "identity": "hidden"}


@pytest.mark.parametrize(
    ("role", "plain", "confidential"),
    [
        (Role.OPERATOR, MASKED, MASKED),
        (Role.CALLBACK_AGENT, MASKED, MASKED),
        (Role.SUPERVISOR, MASKED, MASKED),
        (Role.DISPATCHER, MASKED, MASKED),
        (Role.LEADER, MASKED, MASKED),
        (Role.ADMINISTRATOR, MASKED, MASKED),
        (Role.UNIT_HANDLER, MASKED, HIDDEN),
    ],
)
def test_the_api_masks_the_citizen_per_role(city, client_for, role, plain, confidential):
    open_order = _dispatched(city, confidential=False)
    secret_order = _dispatched(city, confidential=True)
    client = client_for(role)
    assert client.get(f"/api/orders/{open_order.number}/").json()["citizen"] == plain
    assert client.get(f"/api/orders/{secret_order.number}/").json()["citizen"] == confidential
    listed = {o["number"]: o["citizen"] for o in client.get("/api/orders/").json()["results"]}
    assert listed == {open_order.number: plain, secret_order.number: confidential}


@pytest.mark.parametrize("role", sorted(SEES_IDENTITY))
def test_a_reveal_through_the_api_gives_the_identity_and_one_audit_record(city, client_for, role):
    order = _dispatched(city, confidential=True)
    response = client_for(role).post(
        f"/api/orders/{order.number}/reveal/", {"purpose": "回访"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"name": "李先生", "phone": "13800000001", "id_number": ""}
    (record,) = AuditRecord.objects.filter(action=AuditRecord.Action.REVEAL)
    assert (record.actor, record.order, record.detail) == (city.users[role], order, "回访")


@pytest.mark.parametrize("role", sorted(set(Role) - SEES_IDENTITY - {Role.UNIT_HANDLER}))
def test_other_roles_may_not_reveal_through_the_api(city, client_for, role):
    order = _dispatched(city, confidential=False)
    response = client_for(role).post(
        f"/api/orders/{order.number}/reveal/", {"purpose": "核实"}, format="json"
    )
    assert response.status_code in (403, 404)
    assert error_of(response)["code"] in ("not_permitted", "not_found")
    assert not AuditRecord.objects.exists()


def test_a_reveal_needs_a_purpose(city, client_for):
    order = _dispatched(city, confidential=False)
    response = client_for(Role.OPERATOR).post(
        f"/api/orders/{order.number}/reveal/", {"purpose": " \u200b "}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["field"] == "purpose"
    assert not AuditRecord.objects.exists()


def test_a_unit_reveals_the_phone_of_its_own_order_through_the_api(city, client_for):
    # SPEC 4 (2026-12): the phone alone, to call the citizen; one audit record.
    order = _dispatched(city, confidential=False)
    response = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{order.number}/reveal/", {"purpose": "联系诉求人"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"name": "李**", "phone": "13800000001", "id_number": ""}
    (record,) = AuditRecord.objects.filter(action=AuditRecord.Action.REVEAL)
    assert (record.actor, record.detail) == (city.users[Role.UNIT_HANDLER], "联系诉求人")


def test_a_unit_may_not_reveal_a_confidential_order_through_the_api(city, client_for):
    order = _dispatched(city, confidential=True)
    response = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{order.number}/reveal/", {"purpose": "联系诉求人"}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["message"] == CONFIDENTIAL_REVEAL_REFUSED
    assert not AuditRecord.objects.exists()
