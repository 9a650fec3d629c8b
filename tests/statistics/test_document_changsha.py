"""Changsha, December 2018 (seed 000, SPEC 7): 111139 calls offered, 100839 answered
(90.73 %), 3585 a day — from call records imported as the telephony system sends them;
69890 orders resolved at intake, 在线办结率 69.3 % counted over the answered calls as
Changsha counts it (SPEC 7, 2026-12: a setting)."""

from datetime import date, datetime

import pytest
from django.db import transaction

from hotline.configuration.services import setting_set
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.statistics import Period
from hotline.statistics.document import report_document
from tests.statistics.histories import Line, calls_in, import_calls, import_orders, spread

pytestmark = pytest.mark.django_db

DECEMBER = Period.month(2018, 12)
OFFERED, ANSWERED = 111139, 100839
RESOLVED = 69890  # 在线办结工单69890件


@pytest.fixture(scope="module")
def changsha(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("changsha")
    with django_db_blocker.unblock(), transaction.atomic():
        calls = calls_in(DECEMBER, OFFERED, ANSWERED)
        # Either side of the month, on Shanghai's clock: counted in November and January.
        calls += [
            (datetime(2018, 11, 30, 23, 59, 59, tzinfo=LOCAL_TZ), True),
            (datetime(2019, 1, 1, tzinfo=LOCAL_TZ), True),
        ]
        assert import_calls(folder, "cti", calls) == OFFERED + 2
        answered = (Line(t, "answered") for t in spread(DECEMBER, RESOLVED))
        assert import_orders(folder, answered) == RESOLVED
        setting_set(key="report_online_rate_over", text="answered_calls")
        yield report_document(start=DECEMBER.start, end=DECEMBER.end)
        transaction.set_rollback(True)


def test_changsha_call_figures_reproduce_the_seed(changsha):
    assert changsha["calls"] == {
        "offered": 111139,
        "answered": 100839,
        "answer_rate": 0.9073,  # 接通率 90.7 % in the seed, 90.73 % with two decimals
        "daily_offered": 3585,  # 日均来电 3585
        # GB/T 33358 (SPEC 8): the seed's records carry no waits; unanswered calls abandoned
        "answered_within_15s_rate": None,
        "average_wait_seconds": None,
        "abandoned": 111139 - 100839,
    }


def test_calls_are_compared_with_the_month_and_the_year_before(changsha):
    month, year = changsha["compare"]["period_on_period"], changsha["compare"]["year_on_year"]
    assert month["offered"] == {
        "current": 111139,
        "previous": 1,
        "change": 111138,
        "change_rate": 111138.0,
    }
    assert year["offered"]["previous"] == 0
    assert year["offered"]["change_rate"] is None


def test_a_month_without_orders_has_calls_but_no_order_rates(changsha):
    january = report_document(start=date(2019, 1, 1), end=date(2019, 1, 31))
    assert january["intake"]["accepted"] == 0
    # Over the answered calls (the one call of 1 January): nothing resolved, 0 %.
    assert january["intake"]["resolved_at_intake_rate"] == 0.0
    assert january["handling"]["concluded_rate"] is None
    assert january["callbacks"]["rate"] is None
    assert january["appeal_types"] == january["top_categories"] == []
    assert january["top_units"] == {"units": [], "top10_share": None}


def test_one_day_counts_the_calls_of_that_local_day(changsha):
    new_year = report_document(start=date(2019, 1, 1), end=date(2019, 1, 1))
    assert new_year["calls"]["offered"] == 1
    assert new_year["calls"]["daily_offered"] == 1


def test_changsha_online_rate_is_over_the_answered_calls(changsha):
    intake = changsha["intake"]
    assert intake["resolved_at_intake"] == 69890
    # 在线办结率为69.3%: 69890 / 100839, not over the 69890 orders accepted (100 %)
    assert intake["resolved_at_intake_rate"] == 0.6931
    assert intake["resolved_at_intake_over"] == "answered_calls"
