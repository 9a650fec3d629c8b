"""The rows every registration writes, inserted by a statement made once per model
(``hotline.orders.rows``): what is read back is what the model's own save would write."""

import pytest

from hotline.orders.models import Citizen, Event, OrderText
from hotline.orders.rows import insert, insert_unless_found
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
