"""The call figures read from the stored per-day counts are those counted from the call
records, whatever the records went through after the counts were made: an import onto a
stored day, a call still ringing when they were made and answered since, a switch
reporting an event again with an earlier time (statistics/calls.py, statistics/facts.py)."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from hotline.calls.live import call_event_record
from hotline.calls.models import CallEvent as CallEventRow
from hotline.calls.services import calls_record
from hotline.domain.statistics import Period
from hotline.domain.telephony import CallEvent, CallEventKind
from hotline.interchange.call_records import CallRecord
from hotline.statistics import facts
from hotline.statistics.calls import CALLS, call_figures, calls_offered
from hotline.statistics.day_facts import NAMES, report_facts
from hotline.statistics.document import data_version
from hotline.statistics.models import DayFact, FactsState
from tests import factories
from tests.conftest import local

NOVEMBER = Period.month(2026, 11)
COUNTED_AT = local(2026, 11, 20, 1, 0)


def _event(call_id, kind, at, **fields):
    call_event_record(
        switch=None,
        event=CallEvent(call_id=call_id, kind=kind, at=at, caller="13800000001", **fields),
    )


def _live_call(call_id, at, wait, answered=True):
    _event(call_id, CallEventKind.RINGING, at)
    kind = CallEventKind.ANSWERED if answered else CallEventKind.MISSED
    _event(call_id, kind, at + timedelta(seconds=wait), seat="8001")


def _stored_and_counted(period: Period) -> tuple[dict, dict]:
    """The figures as read now, and counted from the records with no stored counts."""
    stored = call_figures(period=period)
    with transaction.atomic():
        FactsState.objects.all().delete()
        counted = call_figures(period=period)
        transaction.set_rollback(True)
    return stored, counted


def _live_days(period: Period) -> set[date]:
    plan = facts.reading().split(period, None, CALLS)
    return {
        first + timedelta(days=n)
        for first, last in plan.live
        for n in range((last - first).days + 1)
    }


@pytest.fixture
def calls(city):
    factories.register(city, local(2026, 11, 1, 8))  # the counts start at the first order
    for day in range(1, 16):
        start = local(2026, 11, day, 9)
        _live_call(f"a{day}", start, wait=day * 2)
        _live_call(f"m{day}", start + timedelta(hours=1), wait=30, answered=False)
    calls_record(
        records=[
            CallRecord(id=f"i{day}", started_at=local(2026, 11, day, 14), caller="1", answered=True)
            for day in range(1, 16)
        ]
    )


def test_the_stored_call_counts_give_the_figures_of_the_records(calls):
    before = call_figures(period=NOVEMBER)
    report_facts(now=COUNTED_AT)
    assert FactsState.objects.get().statements == NAMES
    assert DayFact.objects.filter(statement=CALLS.name, day=date(2026, 11, 3)).exists()
    assert _live_days(NOVEMBER) == {date(2026, 11, day) for day in range(20, 31)}
    stored, counted = _stored_and_counted(NOVEMBER)
    assert stored == counted == before
    assert stored["offered"] == 45 and stored["abandoned"] == 15
    assert calls_offered(period=NOVEMBER) == 45


def test_a_call_imported_onto_a_stored_day_counts_at_once(calls):
    report_facts(now=COUNTED_AT)
    calls_record(
        records=[CallRecord(id="late", started_at=local(2026, 11, 3, 9), caller="2", answered=True)]
    )
    assert date(2026, 11, 3) in _live_days(NOVEMBER)
    stored, counted = _stored_and_counted(NOVEMBER)
    assert stored == counted and stored["offered"] == 46
    assert calls_offered(period=NOVEMBER) == 46
    # The next run stores the day again.
    report_facts(now=COUNTED_AT + timedelta(hours=1))
    assert date(2026, 11, 3) not in _live_days(NOVEMBER)
    assert call_figures(period=NOVEMBER) == stored


def test_a_call_ringing_when_the_counts_were_made_counts_once_answered(calls):
    ringing_at = local(2026, 11, 18, 23, 59, 50)
    _event("night", CallEventKind.RINGING, ringing_at)
    report_facts(now=COUNTED_AT)
    assert call_figures(period=NOVEMBER)["offered"] == 45  # waiting: not offered yet
    version = data_version()
    _event("night", CallEventKind.ANSWERED, ringing_at + timedelta(seconds=20), seat="8001")
    assert data_version() != version  # the month's kept figures are counted again
    assert date(2026, 11, 18) in _live_days(NOVEMBER)
    stored, counted = _stored_and_counted(NOVEMBER)
    assert stored == counted and stored["offered"] == 46 and stored["answered"] == 31


def test_an_event_reported_again_earlier_counts_as_the_switch_says_now(calls):
    report_facts(now=COUNTED_AT)
    before = call_figures(period=NOVEMBER)
    # a10 was answered after 20 seconds; the switch reports the answer again, at 5.
    first_id = CallEventRow.objects.get(call_id="a10", kind="answered").pk
    _event(
        "a10", CallEventKind.ANSWERED, local(2026, 11, 10, 9) + timedelta(seconds=5), seat="8001"
    )
    assert CallEventRow.objects.get(call_id="a10", kind="answered").pk > first_id
    assert date(2026, 11, 10) in _live_days(NOVEMBER)
    stored, counted = _stored_and_counted(NOVEMBER)
    assert stored == counted
    assert stored["average_wait_seconds"] < before["average_wait_seconds"]
    assert stored["answered_within_15s_rate"] > before["answered_within_15s_rate"]


def test_counts_stored_before_the_call_figures_were_a_statement_are_not_read(calls):
    report_facts(now=COUNTED_AT)
    FactsState.objects.update(statements=[n for n in NAMES if n != CALLS.name])
    DayFact.objects.filter(statement=CALLS.name).delete()
    assert facts.reading().split(NOVEMBER, None, CALLS).stored == ()
    assert call_figures(period=NOVEMBER)["offered"] == 45
    assert "2026-11-01 至 2026-11-19" in report_facts(now=COUNTED_AT + timedelta(hours=1))
    assert facts.reading().split(NOVEMBER, None, CALLS).stored != ()
    assert call_figures(period=NOVEMBER)["offered"] == 45


def test_a_call_at_the_years_last_minute_counts_for_december_from_the_stored_days(city):
    factories.register(city, local(2026, 12, 30, 9))
    _live_call("eve", local(2026, 12, 31, 23, 59, 30), wait=10)
    _live_call("new-year", local(2027, 1, 1, 0, 0, 20), wait=10)
    report_facts(now=local(2027, 1, 2, 1, 0))
    december, january = Period.month(2026, 12), Period.month(2027, 1)
    assert facts.reading().split(december, None, CALLS).stored == (
        (date(2026, 12, 30), date(2026, 12, 31)),
    )
    assert facts.reading().split(january, None, CALLS).stored == ((date(2027, 1, 1),) * 2,)
    stored, counted = _stored_and_counted(december)
    assert stored == counted and stored["offered"] == 1
    assert call_figures(period=january)["offered"] == 1
    assert call_figures(period=Period.year(2026))["offered"] == 1
