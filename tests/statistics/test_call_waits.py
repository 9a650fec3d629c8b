"""The report's call section gains the GB/T 33358 figures (SPEC 8, 2026-12), from the
live calls' waits, against a hand-computed log."""

from datetime import timedelta

import pytest

from hotline.calls.live import call_event_record
from hotline.calls.services import calls_record
from hotline.domain.statistics import Period
from hotline.domain.telephony import CallEvent, CallEventKind
from hotline.interchange.call_records import CallRecord
from hotline.statistics.calls import call_figures
from tests.conftest import local

pytestmark = pytest.mark.django_db

NOVEMBER = Period(local(2026, 11, 1).date(), local(2026, 11, 30).date())


def live_call(call_id, day, wait, answered):
    start = local(2026, 11, 1, 10) + timedelta(days=day - 1)
    events = [
        CallEvent(call_id=call_id, kind=CallEventKind.RINGING, at=start, caller="13800000001")
    ]
    kind = CallEventKind.ANSWERED if answered else CallEventKind.MISSED
    events.append(
        CallEvent(call_id=call_id, kind=kind, at=start + timedelta(seconds=wait), seat="8001")
    )
    for event in events:
        call_event_record(switch=None, event=event)


def test_the_report_gives_the_15_second_rate_the_average_wait_and_the_abandoned_calls():
    # waits 3, 12, 15 (within), 25, 60 answered; 40 abandoned; one imported without a wait
    for n, (wait, answered) in enumerate(
        [(3, True), (12, True), (15, True), (25, True), (60, True), (40, False)], start=1
    ):
        live_call(f"n{n}", n, wait, answered)
    live_call("october", 0, 5, True)  # 31 October: another period
    calls_record(
        records=[
            CallRecord(id="imported", started_at=local(2026, 11, 9, 9), caller="1", answered=True)
        ]
    )
    figures = call_figures(period=NOVEMBER)
    assert figures["offered"] == 7 and figures["answered"] == 6
    assert figures["answered_within_15s_rate"] == 0.5  # 3 of the 6 calls with a known wait
    assert figures["average_wait_seconds"] == 23.0  # (3 + 12 + 15 + 25 + 60) / 5
    assert figures["abandoned"] == 1
