"""History export (SPEC 11): orders received in a date range, as order-history lines.

Reads in keyset-ordered batches (received_at, id) so memory stays flat over years of
history; the output is deterministic, so export → import → export is byte-identical.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db.models import Q

from hotline.directory.models import Category, Region, Unit
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import CitizenKind
from hotline.domain.events import event_from_data
from hotline.interchange.order_lines import Citizen, ExportedOrder, write_order
from hotline.orders.models import Event, Order

BATCH = 2000


def orders_export(
    *, start: date, end: date, out: Path, progress: Callable[[int], None] | None = None
) -> int:
    """Writes the orders received from ``start`` to ``end`` inclusive; returns the count."""
    since = datetime.combine(start, time.min, LOCAL_TZ)
    until = datetime.combine(end + timedelta(days=1), time.min, LOCAL_TZ)
    codes = _Codes()
    written = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        after: tuple[datetime, int] | None = None
        while True:
            batch = _batch(since, until, after)
            if not batch:
                break
            for line in _lines(batch, codes):
                handle.write(line + "\n")
            written += len(batch)
            after = (batch[-1].received_at, batch[-1].pk)
            if progress:
                progress(written)
    return written


def _batch(since, until, after) -> list[Order]:
    orders = Order.objects.filter(received_at__gte=since, received_at__lt=until)
    if after is not None:
        moment, pk = after
        orders = orders.filter(Q(received_at__gt=moment) | Q(received_at=moment, pk__gt=pk))
    return list(
        orders.select_related("citizen", "merged_into", "split_from")
        .order_by("received_at", "pk")
        .defer("state")[:BATCH]
    )


class _Codes:
    def __init__(self):
        self.units = dict(Unit.objects.values_list("id", "code"))
        self.categories = dict(Category.objects.values_list("id", "code"))
        self.regions = dict(Region.objects.values_list("id", "code"))


def _lines(batch: list[Order], codes: _Codes):
    ids = [o.pk for o in batch]
    events = defaultdict(list)
    for order_id, type_, at, data in (
        Event.objects.filter(order_id__in=ids)
        .order_by("order_id", "seq")
        .values_list("order_id", "type", "at", "data")
    ):
        events[order_id].append(event_from_data(type_, at, data))
    tags = defaultdict(list)
    for order_id, name in Order.tags.through.objects.filter(order_id__in=ids).values_list(
        "order_id", "tag__name"
    ):
        tags[order_id].append(name)
    for order in batch:
        citizen = order.citizen
        yield write_order(
            ExportedOrder(
                number=order.number,
                channel=order.channel,
                received_at=order.received_at,
                appeal_type=order.appeal_type,
                category=codes.categories.get(order.category_id),
                region=codes.regions.get(order.region_id),
                address=order.address,
                content=order.content,
                citizen=None
                if citizen is None
                else Citizen(citizen.name, citizen.phone, CitizenKind(citizen.kind)),
                confidential=order.confidential,
                urgent=order.urgent,
                tags=sorted(tags[order.pk]),
                call_id=order.call_id,
                external_ref=order.external_ref,
                deputy_level=order.deputy_level,
                disposition=order.disposition,
                reject_reason=order.reject_reason,
                merged_into=order.merged_into.number if order.merged_into else None,
                split_from=order.split_from.number if order.split_from else None,
                events=events[order.pk],
            )
        )
