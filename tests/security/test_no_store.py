"""No answer carrying citizens' data may be kept by a browser or proxy cache."""

import pytest

from hotline.domain.enums import Role
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(city):
    return factories.register(city, local(2026, 3, 9, 9, 0))


def test_staff_pages_are_not_stored(signed_in, order):
    client = signed_in(Role.OPERATOR)
    for path in (f"/orders/{order.number}/", "/orders/?number=" + order.number):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_api_answers_are_not_stored(client_for, order):
    answer = client_for(Role.SUPERVISOR).get(f"/api/orders/{order.number}/")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"


def test_open311_and_portal_answers_are_not_stored(client, order):
    for path in ("/open311/v2/services.json", "/portal/track/"):
        assert "no-store" in client.get(path).headers["Cache-Control"], path
