"""Hands out order numbers; safe under concurrent intake on both databases.

The increment is a single UPDATE, which PostgreSQL row-locks until commit and
SQLite serialises, so two intakes never read the same value.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from hotline.domain.numbering import format_number, parse_number
from hotline.orders.models import OrderSequence


def next_number(year: int) -> str:
    return allocate_numbers(year, 1)[0]


def allocate_numbers(year: int, count: int) -> list[str]:
    """``count`` consecutive fresh numbers of ``year`` (history import takes many at once)."""
    if not OrderSequence.objects.filter(year=year).update(last=F("last") + count):
        try:
            with transaction.atomic():
                OrderSequence.objects.create(year=year, last=count)
        except IntegrityError:
            # Another intake created the year's row first; take the values after it.
            OrderSequence.objects.filter(year=year).update(last=F("last") + count)
    last = OrderSequence.objects.values_list("last", flat=True).get(year=year)
    return [format_number(year, n) for n in range(last - count + 1, last + 1)]


def reserve_number(number: str) -> None:
    """Keeps the sequence ahead of a number that came from elsewhere (history import)."""
    year, sequence = parse_number(number)
    if not OrderSequence.objects.filter(year=year).update(last=Greatest(F("last"), sequence)):
        # Inside the caller's transaction, which a failure here ends: no savepoint.
        with transaction.atomic(savepoint=False):
            OrderSequence.objects.get_or_create(year=year, defaults={"last": sequence})
