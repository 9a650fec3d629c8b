"""The dashboard's figures read from the stored per-day counts are the figures counted
from the orders, and the periodic report's (statistics/headline.py, trends.py): at a
month's first day, in the middle of a month with today's orders counted live, and after
a callback on an order of a stored day."""

from datetime import date
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.enums import Role
from hotline.domain.statistics import Period
from hotline.orders.models import Order
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.review import order_callback
from hotline.statistics.day_facts import report_facts
from hotline.statistics.document import report_document, report_session
from hotline.statistics.headline import headline_figures
from hotline.statistics.models import FactsState
from hotline.statistics.trends import rate_trends
from tests import factories
from tests.conftest import local
from tests.statistics.test_day_facts import _stored_days


@pytest.fixture
def history(db, tmp_path):
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2024, 8, 1),
        months=4,
        seed=21,
        out=tmp_path,
        orders_per_month=300,
    )
    orders_import(path=tmp_path / "orders.jsonl")


def _figures(today: date):
    cache.clear()
    with report_session():
        found = headline_figures(today=today)
        return found, rate_trends(today=today, month=found[1])


def _from_orders(today: date):
    """The same figures with no stored counts: every statement over the orders."""
    with transaction.atomic():
        FactsState.objects.all().delete()
        found = _figures(today)
        transaction.set_rollback(True)
    return found


@pytest.mark.parametrize(
    ("now", "stored"),
    [
        (local(2024, 11, 1, 16, 0), 0),  # the month's first day: today alone
        (local(2024, 11, 15, 16, 0), 14),  # mid-month: 14 stored days and today
    ],
)
def test_the_stored_counts_give_the_figures_of_the_orders(history, now, stored):
    today = now.date()
    with mock.patch("django.utils.timezone.now", return_value=now):
        report_facts(now=now)
        assert _stored_days(Period(today.replace(day=1), today)) == stored
        assert _stored_days(Period(date(2023, 12, 1), today)) > 60  # the trends' months
        (day, month), trends = _figures(today)
        assert day.received > 0  # today's orders, counted from the orders
        assert month.due > 0 and month.reached > 0
        assert month.received > day.received if stored else month == day
        assert ((day, month), trends) == _from_orders(today)

        # The report's figures over the same days.
        document = report_document(start=today.replace(day=1), end=today)
        assert month.received == document["intake"]["accepted"]
        assert month.dispatched == document["intake"]["dispatched"]
        assert month.concluded == document["handling"]["concluded"]
        assert month.reached == document["callbacks"]["reached"]
        assert month.satisfied == document["callbacks"]["satisfied"]
        due = sum(row["due"] for row in document["assessment"])
        assert month.due == due

        # A callback recorded now on an order of a stored day: the days that order may
        # be counted on are counted from the orders until the next run.
        order = (
            Order.objects.filter(
                status="closed", disposition="answered", received_at__lt=local(2024, 10, 20)
            )
            .order_by("-received_at")
            .first()
        )
        before = _stored_days(Period(date(2024, 8, 1), today))
        order_callback(
            order=order,
            result="satisfied",
            solved="solved",
            actor=factories.user(Role.CALLBACK_AGENT),
            at=now,
        )
        assert _stored_days(Period(date(2024, 8, 1), today)) < before
        assert _figures(today) == _from_orders(today)
