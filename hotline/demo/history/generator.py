"""A realistic order history for the demo city, in the interchange formats.

``generate`` writes ``orders.jsonl`` (the order-history format of docs/interchange.md,
one order a line in order of intake) and ``calls.csv`` (call records) for whole months,
following the Xiangtan month of the seed report (``history_mix``): volumes with a daily
and weekly rhythm, intake outcomes, appeal types, hot categories, lead units, channels,
tags, and handling outcomes with every lifecycle variety at a realistic rate. Every
line replays through the importer's state machine.

Deterministic: the same arguments give byte-identical files. All chance comes from one
``random.Random(seed)`` (a ``FastRandom``), nothing reads the clock, and no iteration
depends on hashing.
"""

from __future__ import annotations

import calendar as month_calendar
import json
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from random import Random

from hotline.demo.history import history_mix as mix
from hotline.demo.history.call_log import HEADER, CallLog
from hotline.demo.history.citizens import Citizens
from hotline.demo.history.handling import Handling
from hotline.demo.history.history_clock import DAY, HOUR, Clock, date_of, day_number
from hotline.demo.history.history_plan import HistoryPlan
from hotline.demo.history.order_maker import OrderMaker, Slot
from hotline.demo.history.places import PlaceMaker
from hotline.demo.history.sampling import FastRandom
from hotline.demo.history.speech import CitizenSpeech, read_requests
from hotline.demo.history.texts import Texts
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import DeadlinePolicy
from hotline.interchange.directory_index import read_index

# Handling runs on after intake: the days that follow the period.
CALENDAR_MARGIN_DAYS = 45
_HOURS = list(range(24))
_HOURLY = list(accumulate(mix.HOURLY))


def generate(
    *,
    directory: Path,
    start: date,
    months: int,
    seed: int,
    out: Path,
    orders_per_month: int = 30000,
    calendar: WorkingCalendar | None = None,
    until: date | None = None,
    requests: list[dict] | None = None,
) -> dict[str, int]:
    """Writes ``out/orders.jsonl`` and ``out/calls.csv``; returns the counts written.

    ``start`` is the first day of the first month. ``calendar`` defaults to the packaged
    one (provisional after its last year); pass the office's, holiday table included.
    ``until`` ends the period early (the demo's history stops today, with the orders of
    the last days still in handling). ``requests`` are the hand-written requests whose
    words a share of the orders take (``speech``); by default the directory's own.
    """
    if start.day != 1:
        raise ValueError(f"start must be the first day of a month, not {start}")
    if months < 1 or orders_per_month < 1:
        raise ValueError("months and orders_per_month must be positive")
    calendar = calendar or WorkingCalendar()
    first = day_number(start)
    end_date = _add_months(start, months)
    if until is not None:
        if not start < until <= end_date:
            raise ValueError(f"until must fall inside the period, not {until}")
        end_date = until
    # Handling runs on past the period (and is cut off at its end): the clock lays out
    # the working days of a year beyond it. Years without an official schedule follow
    # the provisional calendar (SPEC 4), as the importer's deadlines will.
    last = end_date + timedelta(days=CALENDAR_MARGIN_DAYS + 365)

    rng = FastRandom(seed)
    index = read_index(Path(directory))
    texts = Texts()
    plan = HistoryPlan(index, texts.keys())
    clock = Clock(
        first=start - timedelta(days=7), last=last, calendar=calendar, policy=DeadlinePolicy()
    )
    end = day_number(end_date) * DAY
    citizens = Citizens(rng)
    handling = Handling(index=index, plan=plan, clock=clock, texts=texts, end=end, rng=rng)
    maker = OrderMaker(
        index=index,
        plan=plan,
        texts=texts,
        places=PlaceMaker(index),
        citizens=citizens,
        handling=handling,
        speech=CitizenSpeech(read_requests(directory) if requests is None else requests, rng),
        stamp=clock.stamp,
        end=end,
        rng=rng,
    )
    calls = CallLog(clock=clock, citizens=citizens, rng=rng)
    volumes = _daily_volumes(start, months, orders_per_month, clock, rng)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"orders": 0, "events": 0, "calls": 0}
    year, sequence = None, 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with _text_file(out / "orders.jsonl") as orders, _text_file(out / "calls.csv") as call_file:
        call_file.write(HEADER)
        for offset, volume in enumerate(volumes):
            day = first + offset
            if day >= day_number(end_date):
                break
            if date_of(day).year != year:
                year, sequence = date_of(day).year, 0
            slots = _slots(day, volume, orders_per_month, rng, plan)
            made = []
            for slot in slots:
                sequence += 1
                slot.number = f"{year}{sequence:07d}"
                slot.data = maker.make(slot)
                if slot.data is None:
                    sequence -= 1
                else:
                    made.append(slot)
            call_lines = calls.day(day, made)
            call_file.write("".join(call_lines))
            orders.write("".join([dumps(slot.data) + "\n" for slot in made]))
            counts["orders"] += len(made)
            counts["calls"] += len(call_lines)
    counts["events"] = maker.events
    return counts


def _text_file(path: Path):
    return path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)


# --- volumes and rhythm ---------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _daily_volumes(
    start: date, months: int, per_month: int, clock: Clock, rng: Random
) -> list[int]:
    """Orders per day: each month's total spread by weekday, holidays and noise."""
    volumes = []
    for m in range(months):
        month = _add_months(start, m)
        length = month_calendar.monthrange(month.year, month.month)[1]
        total = round(per_month * length / 30)
        weights = []
        for d in range(length):
            day = month + timedelta(days=d)
            weight = mix.WEEKDAY[day.weekday()]
            working = clock.is_workday(day_number(day))
            if not working and day.weekday() < 5:
                weight = mix.HOLIDAY_FACTOR  # a public holiday
            elif working and day.weekday() >= 5:
                weight = mix.WEEKDAY[4]  # a make-up working day (调休)
            weights.append(weight * rng.lognormvariate(0, mix.DAILY_NOISE))
        cumulative = list(accumulate(weights))
        done = 0
        for c in cumulative:
            upto = round(total * c / cumulative[-1])
            volumes.append(upto - done)
            done = upto
    return volumes


def _slots(day: int, volume: int, per_month: int, rng: Random, plan: HistoryPlan) -> list[Slot]:
    """The day's orders in order of intake, with the second matters split off calls."""
    start = day * DAY
    times = sorted(
        start + hour * HOUR + rng.randrange(HOUR)
        for hour in rng.choices(_HOURS, cum_weights=_HOURLY, k=volume)
    )
    slots: list[Slot] = []
    for t in times:
        slot = Slot(t, plan.channels.pick(rng))
        slots.append(slot)
        if slot.channel in mix.CALL_CHANNELS and rng.random() < mix.HANDLING["split"]:
            child_at = min(t + rng.randint(30, 240), start + DAY - 1)
            slots.append(Slot(child_at, slot.channel, parent=slot))
    if _is_leader_day(date_of(day)):
        count = max(1, round(mix.LEADER_DAY_ORDERS * per_month / mix.SEED_ACCEPTED))
        for _ in range(count):
            slots.append(Slot(start + 9 * HOUR + rng.randrange(150 * 60), "leader_day"))
    slots.sort(key=_received)
    return slots


def _received(slot: Slot) -> int:
    return slot.received


def _is_leader_day(day: date) -> bool:
    """The third Thursday of the month (seed: 11-21, a Thursday)."""
    return day.weekday() == 3 and 15 <= day.day <= 21
