"""The rows every registration writes, inserted by a statement made once per model
(``hotline.orders.rows``), on PostgreSQL all by one statement: what is read back is
what the model's own save would write. And the state just written, kept in hand."""

from contextlib import nullcontext

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from hotline.directory.models import Tag
from hotline.domain import event_chain
from hotline.domain.enums import Status
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import from_json
from hotline.orders import rows, selectors
from hotline.orders.audit_key import chain_key
from hotline.orders.models import Citizen, Event, Order, OrderText
from hotline.orders.rows import insert, insert_or_found, insert_unless_found, together
from hotline.orders.selectors import order_state
from hotline.orders.services.intake import CitizenInput
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

AT = local(2026, 3, 9, 9, 0)


def test_a_row_is_written_as_save_would_write_it(city, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AT)
    order = factories.register(city, AT)
    event = Event(
        order=order,
        seq=2,
        type="note",
        at=AT,
        actor=None,
        to_status="registered",
        data={"text": "市民补充：夜间 22 时后", "parts": ["a", 1, None]},
        chain_hash="0" * 64,
    )
    insert(event)
    assert event.pk is not None and not event._state.adding
    stored = Event.objects.get(pk=event.pk)
    assert stored.data == {"text": "市民补充：夜间 22 时后", "parts": ["a", 1, None]}
    assert stored.recorded_at == event.recorded_at == AT  # auto_now_add, as save sets it
    assert (stored.order_id, stored.seq, stored.actor_id, stored.from_status) == (
        order.pk,
        2,
        None,
        "",
    )
    # A model keyed by its order (no automatic key).
    OrderText.objects.filter(order=order).delete()
    insert(OrderText(order_id=order.pk, terms="施工 噪音"))
    assert OrderText.objects.get(order=order).terms == "施工 噪音"


def test_insert_unless_found_writes_only_what_is_not_there(city):
    first = Citizen(name="钱先生", phone="13700000009", kind="urban")
    assert insert_unless_found(first, match=("phone", "name"))
    assert Citizen.objects.get(pk=first.pk).name == "钱先生"
    again = Citizen(name="钱先生", phone="13700000009", kind="enterprise")
    assert not insert_unless_found(again, match=("phone", "name"))
    assert again.pk is None and again._state.adding
    other = Citizen(name="钱太太", phone="13700000009", kind="urban")
    assert insert_unless_found(other, match=("phone", "name"))
    assert Citizen.objects.filter(phone="13700000009").count() == 2


def test_insert_or_found_becomes_the_stored_row(city):
    first = Citizen(name="钱先生", phone="13700000009", kind="urban", id_number="4303")
    insert_or_found(first, match=("phone", "name"))
    again = Citizen(name="钱先生", phone="13700000009", kind="enterprise")
    insert_or_found(again, match=("phone", "name"))
    assert (again.pk, again.kind, again.id_number) == (first.pk, "urban", "4303")
    assert not again._state.adding and Citizen.objects.count() == 1


def test_rows_together_name_each_other_and_are_written_once(city):
    order = factories.register(city, AT)
    known = Citizen.objects.get()
    with CaptureQueriesContext(connection) as seen, together():
        new = Citizen(name="钱先生", phone="13700000009")
        insert_or_found(new, match=("phone", "name"))
        old = Citizen(name=known.name, phone=known.phone, kind="enterprise")
        insert_or_found(old, match=("phone", "name"))
        event = Event(order=order, seq=2, type="note", at=AT, to_status="registered", data={})
        insert(event)
        assert new.pk is None or connection.vendor != "postgresql"
    statements = [q["sql"] for q in seen.captured_queries]
    if connection.vendor == "postgresql":  # one statement, and the known one read back
        assert statements[0].startswith("WITH") and len(statements) == 2
    assert Citizen.objects.get(pk=new.pk).name == "钱先生" and not new._state.adding
    assert (old.pk, old.kind, old.created_at) == (known.pk, "urban", known.created_at)
    assert Event.objects.get(pk=event.pk).order_id == order.pk == event.order_id


def test_a_row_named_by_its_foreign_key_gets_the_key_and_keeps_the_row_in_hand(city):
    order = factories.register(city, AT)
    event = order.events.all()[0]
    with CaptureQueriesContext(connection) as seen:
        assert order.citizen.pk == order.citizen_id and order.citizen.name == "李先生"
        assert event.order is order and event.order_id == order.pk
    assert not seen.captured_queries
    with together():  # keyed by its order: no key of its own to read back
        OrderText.objects.filter(order=order).delete()
        insert(OrderText(order=order, terms="施工"))
        with together():  # a block inside another writes at its end what waits
            citizen = Citizen(name="钱先生", phone="13700000009")
            insert_or_found(citizen, match=("phone", "name"))
        assert citizen.pk is not None
    assert OrderText.objects.get(order=order).terms == "施工"


def test_a_read_inside_the_block_sees_the_rows_and_an_error_writes_nothing(city):
    with together():
        insert(Citizen(name="钱先生", phone="13700000009"))
        assert Citizen.objects.filter(phone="13700000009").count() == 1
        insert(Citizen(name="钱太太", phone="13700000009"))
    assert Citizen.objects.filter(phone="13700000009").count() == 2
    with pytest.raises(ZeroDivisionError), together():
        insert(Citizen(name="孙先生", phone="13700000010"))
        1 / 0  # noqa: B018
    if connection.vendor == "postgresql":
        assert not Citizen.objects.filter(phone="13700000010").exists()
    insert(Citizen(name="孙先生", phone="13700000011"))  # the block is over: at once
    assert Citizen.objects.filter(phone="13700000011").exists()
    if connection.vendor == "postgresql":  # a row naming one never given to the block
        with pytest.raises(ValueError, match="neither saved nor in the block"), together():
            insert(Event(order=Order(number="x"), seq=1, type="note", at=AT))


def _stored(order: Order) -> dict:
    """What a registration wrote, but for the keys, the number and what derives from
    the number (the event chain's hash starts from it)."""
    order.refresh_from_db()
    event = Event.objects.get(order=order)
    return {
        "order": model_to_dict(order, exclude=["id", "number", "citizen"]),
        "citizen": model_to_dict(order.citizen, exclude=["id"]),
        "event": model_to_dict(event, exclude=["id", "order", "chain_hash"]),
        "text": OrderText.objects.get(order=order).terms,
    }


@pytest.mark.parametrize("phone", ["13700000009", "13800000001"])  # a new caller, a known one
def test_a_registration_stores_the_same_written_together_or_row_by_row(city, monkeypatch, phone):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AT)
    factories.register(city, AT)  # the known caller: 李先生 on 13800000001
    caller = CitizenInput(name="李先生", phone=phone, kind="enterprise")
    tags = (Tag.objects.create(name="夜间施工"),)
    together_ = factories.register(city, AT, citizen=caller, tags=tags)
    monkeypatch.setattr("hotline.orders.services.intake.together", nullcontext)
    apart = factories.register(city, AT, citizen=caller, tags=tags)
    assert _stored(together_) == _stored(apart)
    assert together_.citizen_id == apart.citizen_id  # the second found the first's
    assert int(apart.number[-7:]) == int(together_.number[-7:]) + 1
    for order in (together_, apart):  # each chain recomputed from the stored row
        event = Event.objects.get(order=order)
        stored = event_chain.event_bytes(
            number=order.number,
            seq=event.seq,
            type=event.type,
            at=event.at,
            actor_id=event.actor_id,
            from_status=event.from_status,
            to_status=event.to_status,
            data=event.data,
        )
        genesis = event_chain.genesis(order.number)
        assert event.chain_hash == event_chain.link(genesis, stored, chain_key())
        assert list(order.tags.all()) == list(tags)
    assert rows._pending() is None


def test_each_value_is_prepared_as_the_fields_own_methods_prepare_it(city, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AT)  # auto_now_add
    order = factories.register(city, AT, citizen=CitizenInput(name="钱先生", phone="13700000009"))
    event, text = order.events.get(), OrderText.objects.get(order=order)
    order.latitude, order.version, order.split_from_id = 27.83, 3, order.pk
    for row in (order, order.citizen, event, text):
        fields = [f for f in row._meta.concrete_fields if f is not row._meta.auto_field]
        django = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
        ours = rows._values(row, rows._plan(fields, connection.vendor))
        # psycopg's JSON wrapper compares by identity: its content is compared.
        assert [(type(v), getattr(v, "obj", v)) for v in ours] == [
            (type(v), getattr(v, "obj", v)) for v in django
        ]


def test_the_state_just_written_is_read_without_parsing_and_equals_the_parsed(city, monkeypatch):
    order = factories.register(city, AT)
    parsed = from_json(OrderState, order.state)
    monkeypatch.setattr(selectors, "from_json", lambda *_: pytest.fail("parsed again"))
    assert order_state(order) == parsed
    monkeypatch.undo()
    order.state = dict(order.state, status="dispatched")  # another JSON: parsed
    assert order_state(order).status == Status.DISPATCHED
    assert order_state(Order.objects.get(pk=order.pk)) == parsed
