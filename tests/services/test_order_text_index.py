"""The order search's index: written with the order and its replies, and caught up for
orders that arrived without events (a history import)."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext

from hotline.orders.models import Order, OrderText, OrderTextMark
from hotline.orders.selectors.search import SearchFilters, order_search
from hotline.orders.services.history_import import orders_import
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


def test_the_job_reads_only_the_orders_added_since_its_last_run(city):
    old = factories.register(city, local(2026, 3, 9, 9), content="路灯不亮")
    assert order_texts_catch_up() == "没有待建立检索词的工单"
    assert OrderTextMark.objects.get().through == old.pk
    # Below the mark nothing is read again, even an order whose terms went missing.
    OrderText.objects.filter(order=old).delete()
    new = factories.register(city, local(2026, 3, 9, 10), content="井盖破损")
    OrderText.objects.filter(order=new).delete()
    with CaptureQueriesContext(connection) as queries:
        assert order_texts_catch_up() == "为 1 件工单建立检索词"
    assert found(city, "井盖") == [new.number] and found(city, "路灯") == []
    assert f'"id" > {old.pk}' in " ".join(q["sql"] for q in queries)
    assert OrderTextMark.objects.get().through == new.pk


def test_an_import_sends_the_job_back_to_the_orders_it_brings(city, tmp_path):
    live = factories.register(city, local(2026, 3, 9, 9), content="路灯不亮")
    order_texts_catch_up()
    history = factories.history_file(tmp_path, factories.DISPATCHED_LINE)
    # A mark past the orders there (as after orders registered meanwhile) comes down.
    OrderTextMark.objects.update(through=live.pk + 1000)
    assert orders_import(path=history).orders == 1
    assert OrderTextMark.objects.get().through == live.pk
    assert order_texts_catch_up() == "为 1 件工单建立检索词"
    assert len(found(city, "噪音")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_job_waits_while_an_import_holds_the_mark(city):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    factories.register(city, local(2026, 3, 9, 9), content="路灯不亮")
    OrderText.objects.all().delete()
    OrderTextMark.objects.get_or_create(pk=1)
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # an import's transaction, holding the mark
            cursor.execute("SELECT through FROM orders_ordertextmark WHERE id = 1 FOR UPDATE")
        assert order_texts_catch_up().startswith("工单导入进行中")
        assert not OrderText.objects.exists()
    finally:
        other.rollback()
        other.close()
    assert order_texts_catch_up() == "为 1 件工单建立检索词"
