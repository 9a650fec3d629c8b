"""Each SPEC 7 definition as a condition on orders, in one place, so that the current
period's figures and the comparisons count exactly the same way."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

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


def extended(made_at: datetime | None) -> Q:
    """At least one extension granted (the deadline moved)."""
    granted = Extension.objects.filter(order=OuterRef("pk"), granted=True)
    if made_at is not None:
        granted = granted.filter(decided_at__lte=made_at)
    return Q(Exists(granted))


def returned(made_at: datetime | None) -> Q:
    """Returned by a unit at least once (退单)."""
    returns = Event.objects.filter(order=OuterRef("pk"), type=ev.Return.type)
    if made_at is not None:
        returns = returns.filter(at__lte=made_at)
    return Q(Exists(returns))
