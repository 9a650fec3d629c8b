"""The three tamperings ``hotline audit verify`` used to miss: events removed from an
order's end with its version lowered, records derived from the events edited (the
grades read them), and a chain recomputed from its genesis by someone without the
office's audit key."""

from datetime import date

import pytest

from hotline.domain.checkpoints import CheckpointInvalid
from hotline.domain.enums import Role
from hotline.domain.event_chain import Break, StoredEvent, chain
from hotline.orders.checkpoints import (
    AuditKeyMissing,
    chains_rekey,
    checkpoint_load,
    checkpoint_write,
)
from hotline.orders.models import Assignment, Callback, Event, Order, Reply
from hotline.orders.services import dispatch, handling
from hotline.orders.services.history_import import orders_import
from hotline.orders.state_columns import STATE_COLUMNS
from hotline.orders.verification import history_verify
from tests import factories
from tests.conftest import local
from tests.services.test_event_chain import _journey, history  # noqa: F401 - a fixture

KEY = "office-audit-key-" + "k" * 32
DAY = date(2026, 3, 3)


@pytest.fixture
def keyed(settings):
    settings.HOTLINE_AUDIT_KEY = KEY


def _truncate(order):
    """The last event removed and the order's version lowered to match."""
    Event.objects.filter(order=order, seq=order.version).delete()
    Order.objects.filter(pk=order.pk).update(version=order.version - 1)


def test_a_truncated_order_is_found(city, keyed):
    order = _journey(city)
    assert history_verify().intact
    _truncate(order)
    done = history_verify()
    assert done.breaks == []  # what is left is a chain that holds
    assert [(d.number, d.record) for d in done.differences] == [
        (order.number, "工单状态"),
        (order.number, "答复"),
    ]


def _signed_for(city):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5)
    )
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 11)
    )


def test_a_truncation_covering_its_tracks_is_found_by_the_checkpoint(city, keyed, tmp_path):
    """The removed event's every trace is put back as it was before it: only the
    checkpoint, kept away from the database, still knows the event."""
    order = _signed_for(city)
    columns = ("version", "state", *STATE_COLUMNS)
    order_before = Order.objects.filter(pk=order.pk).values(*columns).get()
    assignments_before = {
        a["id"]: a for a in Assignment.objects.filter(order=order).values("id", "falls_due_at")
    }
    handling.order_reply(
        order=order,
        text="已责令停工",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, 3, 9),
    )
    Event.objects.update(recorded_at=local(2026, 3, 3, 12))
    path = checkpoint_write(day=DAY, folder=tmp_path, now=local(2026, 3, 4, 1))

    Event.objects.filter(order=order, seq=4).delete()
    Reply.objects.filter(order=order).delete()
    Order.objects.filter(pk=order.pk).update(**order_before)
    for pk, values in assignments_before.items():
        Assignment.objects.filter(pk=pk).update(**values)
    assert history_verify().intact  # chain and records agree with each other
    done = history_verify(checkpoints=[checkpoint_load(path)])
    [fault] = done.range_faults
    assert (fault.day, fault.saved.events, fault.now.events) == (DAY, 4, 3)
    assert fault.saved.last_number == order.number


def test_an_edited_derived_record_is_found(history, keyed):  # noqa: F811 - the fixture
    """Callbacks turned satisfied behind the application's back (the grades read them)."""
    orders_import(path=history)
    assert history_verify().intact
    flipped = list(
        Callback.objects.filter(result="unsatisfied").order_by("pk").values_list("pk", flat=True)
    )[:8]
    assert len(flipped) == 8
    Callback.objects.filter(pk__in=flipped).update(result="satisfied")
    done = history_verify()
    assert done.breaks == []
    numbers = set(Callback.objects.filter(pk__in=flipped).values_list("order__number", flat=True))
    assert {d.number for d in done.differences} == numbers
    assert all(
        d.record == "回访记录"
        and d.detail.startswith("回访记录第 ")
        and "的 result 为 satisfied" in d.detail
        for d in done.differences
    )


def test_a_chain_recomputed_without_the_key_is_found(city, keyed):
    order = _journey(city)
    Event.objects.filter(order=order, seq=4).update(data={"unit": "U-YT", "text": "已妥善处理"})
    events = list(Event.objects.filter(order=order).order_by("seq"))
    stored = [
        StoredEvent(e.seq, e.type, e.at, e.actor_id, e.from_status, e.to_status, e.data, "")
        for e in events
    ]
    for event, forged in zip(events, chain(order.number, stored), strict=True):
        Event.objects.filter(pk=event.pk).update(chain_hash=forged)
    assert history_verify().breaks == [Break(number=order.number, seq=1)]


def test_chains_written_without_the_key_are_rekeyed_once_whole(city, settings):
    first, second = _journey(city, 0), _journey(city, 10)
    settings.HOTLINE_AUDIT_KEY = KEY
    assert history_verify().breaks == [Break(first.number, 1), Break(second.number, 1)]
    Event.objects.filter(order=second, seq=2).update(at=local(2026, 3, 2, 9, 1))
    refused = chains_rekey()
    assert refused.broken == [Break(second.number, 2)]
    assert history_verify().breaks == [Break(first.number, 1), Break(second.number, 1)]
    Event.objects.filter(order=second, seq=2).update(at=local(2026, 3, 2, 9, 15))
    done = chains_rekey()
    assert (done.orders, done.events, done.broken) == (2, 8, [])
    assert history_verify().intact


def test_a_checkpoint_is_signed(city, keyed, tmp_path, settings):
    _journey(city)
    Event.objects.update(recorded_at=local(2026, 3, 3, 12))
    path = checkpoint_write(day=DAY, folder=tmp_path, now=local(2026, 3, 4, 1))
    assert history_verify(checkpoints=[checkpoint_load(path)]).intact
    path.write_text(path.read_text().replace('"events": 4', '"events": 3'))
    with pytest.raises(CheckpointInvalid, match="签名不符"):
        checkpoint_load(path)
    settings.HOTLINE_AUDIT_KEY = ""
    with pytest.raises(AuditKeyMissing):
        checkpoint_write(day=date(2026, 3, 4), folder=tmp_path, now=local(2026, 3, 5, 1))
