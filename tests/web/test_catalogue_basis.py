"""SPEC 2 (2026-12): the dispatch catalogue's basis (三定 clause, 权责清单 item) is shown
with its suggestion to the dispatcher, and to the unit on its order page."""

import pytest
from django.urls import reverse

from hotline.directory.models import CatalogueEntry
from hotline.domain.enums import Role
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

BASIS = "岳塘区权责清单：辖区内建筑施工噪声污染的日常巡查和制止"


@pytest.fixture
def order(city):
    CatalogueEntry.objects.filter(category=city.noise, region=city.yuetang).update(basis=BASIS)
    return factories.register(city, local(2026, 3, 2, 9, 0))


def test_the_dispatcher_sees_the_basis_with_the_suggestion(signed_in, order):
    client = signed_in(Role.DISPATCHER)
    queue = client.get(reverse("web:dispatch_queue")).content.decode()
    assert f'<small class="hint catalogue-basis">依据：{BASIS}</small>' in queue
    page = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert f"派单目录建议：岳塘区（依据：{BASIS}）" in page


def test_the_unit_sees_on_what_basis_the_order_is_its_own(signed_in, city, order):
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5))
    page = signed_in(Role.UNIT_HANDLER).get(reverse("web:order_detail", args=[order.number]))
    assert f'<dd id="catalogue-basis">{BASIS}' in page.content.decode()


def test_without_a_basis_nothing_is_added(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    page = signed_in(Role.DISPATCHER).get(reverse("web:order_detail", args=[order.number]))
    assert "依据" not in page.content.decode()
