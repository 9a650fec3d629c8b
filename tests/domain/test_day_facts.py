"""Which days of a period the stored counts answer (domain/day_facts.py)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.day_facts import MOST_LIVE_RUNS, runs, split

DAY0 = date(2025, 1, 1)
offsets = st.integers(min_value=0, max_value=120)


def _days(run_list):
    return [
        first + timedelta(days=n)
        for first, last in run_list
        for n in range((last - first).days + 1)
    ]


@given(
    start=offsets,
    length=st.integers(min_value=0, max_value=90),
    kept=st.none() | st.tuples(offsets, st.integers(min_value=0, max_value=90)),
    touched=st.sets(offsets, max_size=20),
)
def test_every_day_is_counted_once_either_way(start, length, kept, touched):
    first, last = DAY0 + timedelta(days=start), DAY0 + timedelta(days=start + length)
    held = (
        None if kept is None else (DAY0 + timedelta(days=kept[0]), DAY0 + timedelta(days=sum(kept)))
    )
    touched_days = {DAY0 + timedelta(days=n) for n in touched}
    plan = split(first, last, kept=held, touched=touched_days)
    stored, live = _days(plan.stored), _days(plan.live)
    # Each day of the period exactly once, in runs that do not touch one another.
    assert sorted(stored + live) == _days([(first, last)])
    assert runs(stored) == list(plan.stored) and runs(live) == list(plan.live)
    # Only days the counts hold and no later event touched are read from them.
    for day in stored:
        assert held[0] <= day <= held[1] and day not in touched_days
    assert len(plan.live) <= MOST_LIVE_RUNS


def test_too_many_live_runs_count_the_whole_period_from_the_orders():
    touched = {DAY0 + timedelta(days=n) for n in range(1, 40, 2)}
    plan = split(
        DAY0, DAY0 + timedelta(days=40), kept=(DAY0, DAY0 + timedelta(days=40)), touched=touched
    )
    assert plan == split(DAY0, DAY0 + timedelta(days=40), kept=None, touched=())
    assert plan.live == ((DAY0, DAY0 + timedelta(days=40)),)
