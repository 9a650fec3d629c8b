"""The event and call ids the per-day counts note as pending (statistics/day_facts.py). PostgreSQL
hands out an id before its transaction commits, so a run notes the ids missing below its
watermark while another writing transaction is open; with none open, the gaps were rolled
back or never used (a first run whose ids start high) and nothing is noted — a first run
once noted every lower id, and each reading sent them all back."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import psycopg
import pytest
from django.db import connection

from hotline.calls.models import Call
from hotline.calls.services import calls_record
from hotline.domain.statistics import Period
from hotline.interchange.call_records import CallRecord
from hotline.orders.services import dispatch
from hotline.statistics import facts
from hotline.statistics.calls import CALLS, call_figures
from hotline.statistics.day_facts import report_facts
from hotline.statistics.models import FactsState
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.usefixtures("on_postgres")


def test_a_first_run_whose_ids_start_high_notes_nothing(city):
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('orders_event', 'id'), 100000)")
    factories.register(city, local(2026, 3, 2, 9))
    report_facts(now=local(2026, 3, 5, 9))
    assert FactsState.objects.get().pending_events == []


@contextmanager
def _id_held_by_another_transaction(table: str) -> Iterator[int]:
    """An id of ``table``'s sequence taken by a transaction that has written and stays
    open until the block ends."""
    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
    )
    try:
        held = other.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", (table,)
        ).fetchone()[0]
        other.execute("CREATE TEMP TABLE holding (i int)")  # a write: the transaction has an id
        yield held
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_an_id_held_by_an_open_transaction_is_noted_pending(city):
    order = factories.register(city, local(2026, 3, 2, 9))
    with _id_held_by_another_transaction("orders_event") as held:
        dispatch.order_dispatch(
            order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 10)
        )
        report_facts(now=local(2026, 3, 5, 9))
        assert held in FactsState.objects.get().pending_events


@pytest.mark.django_db(transaction=True)
def test_a_call_id_held_by_an_open_transaction_is_noted_and_its_day_read_again(city):
    # An import of call records still running when the counts are made: its calls
    # commit later, below the run's watermark, on days already stored.
    factories.register(city, local(2026, 3, 2, 9))
    with _id_held_by_another_transaction("calls_call") as held:
        calls_record(
            records=[
                CallRecord(id="after", started_at=local(2026, 3, 3, 9), caller="1", answered=True)
            ]
        )
        report_facts(now=local(2026, 3, 5, 9))
        state = FactsState.objects.get()
        assert held in state.pending_calls and state.call_watermark > held
        # The import commits: its call, on a stored day, makes that day live.
        Call.objects.create(
            pk=held, external_id="held", started_at=local(2026, 3, 2, 15), caller="2", answered=True
        )
        march = Period.month(2026, 3)
        assert facts.reading().split(march, None, CALLS).stored == (
            (date(2026, 3, 3), date(2026, 3, 4)),
        )
        assert call_figures(period=march)["offered"] == 2
