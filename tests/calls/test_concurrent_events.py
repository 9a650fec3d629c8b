"""A call's events arriving at the same moment on different connections (the switch
posting in parallel): none is lost, none doubled (PostgreSQL, real transactions)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from hotline.calls.live import call_event_record
from hotline.calls.models import Call, CallEvent
from hotline.domain.telephony import CallEvent as Event
from hotline.domain.telephony import CallEventKind
from tests.conftest import local

pytestmark = pytest.mark.django_db(transaction=True)
T0 = local(2026, 12, 7, 9)


def test_the_events_of_one_call_posted_at_once_all_count(on_postgres):
    calls = 20
    events = []
    for n in range(calls):
        call_id = f"race-{n}"
        events += [
            Event(call_id=call_id, kind=CallEventKind.RINGING, at=T0, caller="13800000001"),
            Event(
                call_id=call_id,
                kind=CallEventKind.ANSWERED,
                at=T0 + timedelta(seconds=9),
                seat="8001",
            ),
            Event(call_id=call_id, kind=CallEventKind.ENDED, at=T0 + timedelta(seconds=99)),
            Event(call_id=call_id, kind=CallEventKind.ENDED, at=T0 + timedelta(seconds=99)),
        ]
    start = threading.Barrier(4)
    errors = []

    def post(kind_index: int):
        try:
            start.wait()
            for n in range(calls):
                call_event_record(switch=None, event=events[n * 4 + kind_index])
        except Exception as error:  # the assertion below names it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert Call.objects.count() == calls and CallEvent.objects.count() == 3 * calls
    assert set(Call.objects.values_list("status", "wait_seconds", "talk_seconds", "caller")) == {
        ("ended", 9, 90, "13800000001")
    }
