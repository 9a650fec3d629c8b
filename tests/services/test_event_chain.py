"""Every event carries a hash chaining it to the previous event of its order, whether it
was recorded live or imported; changing the stored history is found and named."""

import importlib
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.enums import Role
from hotline.domain.event_chain import Break, genesis
from hotline.domain.events import event_from_data
from hotline.orders.models import Event, Order
from hotline.orders.services import dispatch, handling, history_import
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.recording import record, record_first
from hotline.orders.verification import history_verify
from tests import factories
from tests.conftest import local


def _journey(city, minute=0):
    order = factories.register(city, local(2026, 3, 2, 9, minute))
    order = dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.OPERATOR],
        at=local(2026, 3, 2, 9, minute + 5),
    )
    order = handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 11, minute)
    )
    return handling.order_reply(
        order=order,
        text="已责令停工",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, 3, 9, minute),
    )


def _hashes(order):
    return list(
        Event.objects.filter(order=order).order_by("seq").values_list("chain_hash", flat=True)
    )


def test_live_work_writes_a_valid_chain(city):
    order = _journey(city)
    hashes = _hashes(order)
    assert len(hashes) == 4
    assert all(len(h) == 64 for h in hashes)
    assert len(set(hashes)) == 4
    done = history_verify()
    assert (done.orders, done.events, done.breaks, done.differences) == (1, 4, [], [])


def test_a_clean_database_verifies(db):
    done = history_verify()
    assert (done.orders, done.events, done.intact) == (0, 0, True)


@pytest.fixture
def two_orders(city):
    first = _journey(city, 0)
    second = _journey(city, 10)
    assert history_verify().intact
    return first, second


def _event(order, seq):
    return Event.objects.filter(order=order, seq=seq)


def test_an_edited_data_field_is_found(two_orders):
    first, second = two_orders
    _event(second, 4).update(data={"unit": "U-YT", "text": "已妥善处理", "contacted": False})
    assert history_verify().breaks == [Break(number=second.number, seq=4)]


def test_an_edited_time_is_found(two_orders):
    first, _ = two_orders
    _event(first, 2).update(at=local(2026, 3, 2, 9, 1))
    assert history_verify().breaks == [Break(number=first.number, seq=2)]


def test_an_edited_type_is_found(two_orders):
    first, _ = two_orders
    _event(first, 3).update(type="redispatch")
    assert history_verify().breaks == [Break(number=first.number, seq=3)]


def test_a_raw_sql_update_is_found(two_orders):
    first, _ = two_orders
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_event SET to_status = %s WHERE order_id = %s AND seq = %s",
            ["concluded", first.pk, 4],
        )
    assert history_verify().breaks == [Break(number=first.number, seq=4)]


def test_a_deleted_event_is_found(two_orders):
    first, second = two_orders
    _event(first, 2).delete()
    _event(second, 4).delete()  # the last one: the order still counts four
    assert history_verify().breaks == [
        Break(number=first.number, seq=2),
        Break(number=second.number, seq=4),
    ]


def test_two_swapped_events_are_found(two_orders):
    first, _ = two_orders
    _event(first, 2).update(seq=99)
    _event(first, 3).update(seq=2)
    _event(first, 99).update(seq=3)
    assert history_verify().breaks == [Break(number=first.number, seq=2)]


def test_a_recomputed_hash_is_found_at_the_next_event(two_orders):
    """Editing an event and storing a hash that fits the edit breaks the next link."""
    from hotline.domain.event_chain import event_bytes, link

    first, _ = two_orders
    row = _event(first, 2).get()
    row.at = local(2026, 3, 2, 9, 1)
    previous = _event(first, 1).get().chain_hash
    forged = link(
        previous,
        event_bytes(
            number=first.number, seq=2, type=row.type, at=row.at, actor_id=row.actor_id,
            from_status=row.from_status, to_status=row.to_status, data=row.data,
        ),
    )  # fmt: skip
    _event(first, 2).update(at=row.at, chain_hash=forged)
    assert history_verify().breaks == [Break(number=first.number, seq=3)]


def test_an_order_with_every_event_removed_is_found(two_orders):
    first, _ = two_orders
    Event.objects.filter(order=first).delete()
    done = history_verify()
    assert done.breaks == [Break(number=first.number, seq=1)]
    assert done.orders == 2


@pytest.fixture
def history(db, tmp_path):
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=1,
        seed=7,
        out=tmp_path,
        orders_per_month=600,
    )
    return tmp_path / "orders.jsonl"


def test_an_imported_history_verifies(history):
    result = orders_import(path=history)
    done = history_verify()
    assert done.breaks == [] and done.differences == []
    assert (done.orders, done.events) == (result.orders, Event.objects.count())
    assert not Event.objects.filter(chain_hash="").exists()


def test_import_in_worker_processes_and_without_numbers_verifies(
    history, monkeypatch, tmp_path, settings
):
    settings.HOTLINE_AUDIT_KEY = "office-audit-key-" + "k" * 32  # the workers get it too
    monkeypatch.setattr(history_import, "CHUNK", 100)
    monkeypatch.setattr(history_import, "PARALLEL_FROM", 200)
    lines = history.read_text(encoding="utf-8").splitlines()
    unnumbered = tmp_path / "unnumbered.jsonl"
    orders = [json.loads(line) for line in lines]
    referred = {o.get("merged_into") for o in orders} | {o.get("split_from") for o in orders}
    with unnumbered.open("w", encoding="utf-8") as out:
        for index, order in enumerate(orders):
            if index % 3 == 0 and order["number"] not in referred:
                del order["number"]
            out.write(json.dumps(order, ensure_ascii=False) + "\n")
    result = orders_import(path=unnumbered)
    assert result.orders == len(lines)
    done = history_verify()
    assert done.intact
    assert done.events == Event.objects.count() > result.orders


def test_import_gives_the_hashes_live_recording_gives(history):
    """Replaying an imported order's events through the live path, with the same number,
    gives the same hashes: both hash the same stored values of the same events."""
    orders_import(path=history)
    checked = 0
    for imported in Order.objects.filter(
        version__gt=3, merged_into__isnull=True, split_from__isnull=True
    ).order_by("pk")[:20]:
        rows = list(Event.objects.filter(order=imported).order_by("seq"))
        events = [event_from_data(r.type, r.at, r.data) for r in rows]
        with transaction.atomic():
            number = imported.number
            # The copy takes the number (and the province's number) from the original.
            Order.objects.filter(pk=imported.pk).update(number="X" + number[1:], external_ref="")
            live = Order.objects.get(pk=imported.pk)
            live.pk, live.number, live.version, live.state = None, number, 0, {}
            record_first(live, events[0], actor=None)
            for event in events[1:]:
                record(live, event, actor=None)
            assert _hashes(live) == [r.chain_hash for r in rows]
            transaction.set_rollback(True)
        checked += 1
    assert checked == 20


def test_the_migration_fills_existing_rows(history):
    orders_import(path=history)
    before = dict(Event.objects.values_list("pk", "chain_hash"))
    Event.objects.update(chain_hash="")
    migration = importlib.import_module("hotline.orders.migrations.0003_event_chain_hash")
    migration.ORDERS_PER_BATCH = 50
    migration.fill_chain_hashes(apps, SimpleNamespace(connection=connection))
    assert dict(Event.objects.values_list("pk", "chain_hash")) == before
    assert history_verify().intact


def test_the_first_event_chains_from_the_genesis_of_the_number(city):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    assert genesis(order.number) != genesis("20260000002")
    Order.objects.filter(pk=order.pk).update(number="20260000002")
    assert history_verify().breaks == [Break(number="20260000002", seq=1)]
