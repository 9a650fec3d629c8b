"""SPEC 6: a citizen's identity is shown only to the roles that talk to the citizen,
and a confidential order shows the unit none at all."""

import pytest

from hotline.domain.enums import Role
from hotline.domain.masking import (
    Identity,
    identity_for,
    mask_name,
    mask_phone,
    redact_numbers,
    shown_name,
    shown_phone,
)
from hotline.orders.services import dispatch
from tests import factories
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


def test_numbers_written_into_free_text_are_masked():
    text = "我电话13800000001，身份证430302199001011234，门牌12号"
    assert redact_numbers(text) == "我电话138****0001，身份证430***********1234，门牌12号"


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


def test_hidden_shows_nothing_of_the_identity():
    assert shown_name("李先生", Identity.HIDDEN) == "***"
    assert shown_phone("13800000001", Identity.HIDDEN) == "***"
    assert shown_phone("13800000001", Identity.FULL) == "13800000001"


def _dispatched(city, *, confidential):
    order = factories.register(city, local(2026, 3, 2, 9, 0), confidential=confidential)
    return dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5)
    )


FULL = {"name": "李先生", "phone": "13800000001", "kind": "urban", "identity": "full"}
MASKED = {"name": "李**", "phone": "138****0001", "kind": "urban", "identity": "masked"}
HIDDEN = {"name": "***", "phone": "***", "kind": "urban", "identity": "hidden"}


@pytest.mark.parametrize(
    ("role", "plain", "confidential"),
    [
        (Role.OPERATOR, FULL, FULL),
        (Role.CALLBACK_AGENT, FULL, FULL),
        (Role.SUPERVISOR, FULL, FULL),
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
