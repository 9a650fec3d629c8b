"""Checking the event chains of every order (tamper evidence).

Reads every event in (order, seq) order — one stream over the unique (order, seq)
index, never the whole table in memory — recomputes each order's chain from the
stored values and compares it with the stored hashes. An order whose chain breaks
was changed behind the application's back: an event edited, removed, added or moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from hotline.domain.event_chain import Break, StoredEvent, first_break
from hotline.orders.models import Event, Order

CHUNK_SIZE = 5000


@dataclass
class Verification:
    orders: int = 0
    events: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def chains_verify(*, chunk_size: int = CHUNK_SIZE) -> Verification:
    """Every order's chain; ``breaks`` lists each broken order with its first wrong
    seq, in order id order."""
    result = Verification()
    rows = (
        Event.objects.order_by("order_id", "seq")
        .values_list(
            "order_id",
            "order__number",
            "order__version",
            "seq",
            "type",
            "at",
            "actor_id",
            "from_status",
            "to_status",
            "data",
            "chain_hash",
        )
        .iterator(chunk_size=chunk_size)
    )
    current = None
    number = ""
    version = 0
    events: list[StoredEvent] = []

    def close() -> None:
        result.orders += 1
        broken = first_break(number, events, version)
        if broken is not None:
            result.breaks.append(Break(number=number, seq=broken))

    for order_id, num, ver, seq, type_, at, actor_id, before, after, data, hashed in rows:
        if order_id != current:
            if current is not None:
                close()
            current, number, version, events = order_id, num, ver, []
        events.append(StoredEvent(seq, type_, at, actor_id, before, after, data, hashed))
        result.events += 1
    if current is not None:
        close()
    # Orders whose every event was removed.
    emptied = (
        Order.objects.filter(version__gt=0)
        .exclude(Exists(Event.objects.filter(order_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("number", flat=True)
    )
    for num in emptied:
        result.orders += 1
        result.breaks.append(Break(number=num, seq=1))
    return result
