"""The order search's index: written with the order and its replies, and caught up for
orders that arrived without events (a history import)."""

import pytest

from hotline.orders.models import Order, OrderText
from hotline.orders.selectors.search import SearchFilters, order_search
from hotline.orders.services.text_index import order_texts_catch_up
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


def found(city, text: str) -> list[str]:
    viewer = city.users["supervisor"]
    return list(
        order_search(viewer=viewer, filters=SearchFilters(text=text)).values_list(
            "number", flat=True
        )
    )


def test_orders_without_terms_are_caught_up_by_the_job(city):
    orders = [
        factories.register(city, local(2026, 3, 9, 9, i), content=f"第{i}处井盖破损有安全隐患")
        for i in range(3)
    ]
    numbers = sorted(o.number for o in orders)
    assert sorted(found(city, "井盖")) == numbers
    OrderText.objects.all().delete()  # as after a history import
    assert found(city, "井盖") == []
    assert order_texts_catch_up(batch=2) == "为 3 件工单建立检索词"
    assert sorted(found(city, "井盖")) == numbers
    assert order_texts_catch_up() == "没有待建立检索词的工单"
    assert OrderText.objects.count() == Order.objects.count()
