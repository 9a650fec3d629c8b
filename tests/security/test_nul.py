"""A NUL character anywhere in a page request's path, query or form is refused at the door
with a 400 that says why, and nothing is written (PostgreSQL text cannot hold it; found
by the page-form fuzzing: the reveal's purpose reached the audit log)."""

import pytest
from django.test import Client

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.security.nul import MESSAGE
from tests.api.conftest import token_client
from tests.conftest import local
from tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(city):  # noqa: F811  (this module signs in one way only)
    client = Client()
    client.force_login(city.users[Role.CALLBACK_AGENT])
    return client


def test_a_reveal_whose_purpose_carries_nul_is_refused_and_not_logged(city, signed_in):
    order = register(city, local(2026, 3, 2, 9))
    response = signed_in.post(f"/orders/{order.number}/reveal/", {"purpose": "回访\x00"})
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE
    assert not AuditRecord.objects.exists()
    # The same purpose without it is taken.
    response = signed_in.post(f"/orders/{order.number}/reveal/", {"purpose": "回访"})
    assert response.status_code == 200 and AuditRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/orders/", {"q": "噪音\x00"}),
        ("get", "/orders/2026\x000000001/", {}),
        ("post", "/login/", {"username": "\x00", "password": "x"}),
        ("post", "/orders/", {"field\x00": "value"}),
    ],
)
def test_nul_in_a_query_a_path_a_field_or_a_name_is_a_400(signed_in, method, path, data):
    response = getattr(signed_in, method)(path, data)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_the_api_is_left_to_its_serializers_which_drop_the_character(city):
    client = token_client(city.users[Role.OPERATOR])
    response = client.post(
        "/api/orders/",
        {"channel": "phone", "appeal_type": "consult", "content": "咨询\x00医保"},
        format="json",
    )
    assert response.status_code == 201
    assert Order.objects.get().content == "咨询医保"
