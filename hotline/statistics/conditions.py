"""Each SPEC 7 definition as a condition on orders, in one place, so that the current
period's figures and the comparisons count exactly the same way."""

from datetime import datetime

from django.db.models import Q

from hotline.domain import events as ev
from hotline.domain.enums import Disposition
from hotline.domain.statistics import RESOLVED_AT_INTAKE, Period
from hotline.orders.models import Event, Extension


def registered_in(period: Period, prefix: str = "") -> Q:
    """Orders registered in the period's local days: a range on the indexed
    ``received_at``."""
    start, until = period.bounds()
    return Q(**{f"{prefix}received_at__gte": start, f"{prefix}received_at__lt": until})


def disposition_is(*dispositions: Disposition) -> Q:
    if len(dispositions) == 1:
        return Q(disposition=dispositions[0])
    return Q(disposition__in=list(dispositions))


DISPATCHED = disposition_is(Disposition.DISPATCHED)
RESOLVED = disposition_is(*RESOLVED_AT_INTAKE)


def concluded(made_at: datetime | None) -> Q:
    """Dispatched and its reply accepted (a close after a reply counts), by the time the
    report is made."""
    condition = DISPATCHED & Q(concluded_at__isnull=False)
    if made_at is not None:
        condition &= Q(concluded_at__lte=made_at)
    return condition


def on_time(made_at: datetime | None) -> Q:
    """Concluded with the accepted reply at or before the deadline in force."""
    return concluded(made_at) & Q(on_time=True)


def extended(made_at: datetime | None, since: datetime) -> Q:
    """At least one extension granted (the deadline moved). ``since``: the start of the
    period the orders were registered in (see ``had_event``)."""
    granted = Extension.objects.filter(granted=True, requested_at__gte=since)
    if made_at is not None:
        granted = granted.filter(decided_at__lte=made_at)
    return Q(pk__in=granted.values("order_id"))


def had_event(types: tuple[str, ...], made_at: datetime | None, since: datetime, order="pk") -> Q:
    """The order has an event of one of ``types`` by ``made_at``.

    An order's events come after its registration (the lifecycle refuses an earlier
    time), so for orders registered since ``since`` only the events since then can be
    theirs: the condition is membership in that one set — read from the (type, at)
    index and hashed once — instead of a probe into every order's events."""
    events = Event.objects.filter(type__in=types, at__gte=since)
    if made_at is not None:
        events = events.filter(at__lte=made_at)
    return Q(**{f"{order}__in": events.values("order_id")})


def returned(made_at: datetime | None, since: datetime) -> Q:
    """Returned by a unit at least once (退单)."""
    return had_event((ev.Return.type,), made_at, since)


def first_dispatch_kept(made_at: datetime | None, since: datetime, order: str = "pk") -> Q:
    """首派准确 (SPEC 10, ``OrderState.first_dispatch_kept``): never returned by a unit
    nor re-dispatched by the office, by the time the report is made."""
    return ~had_event((ev.Return.type, ev.Redispatch.type), made_at, since, order)
