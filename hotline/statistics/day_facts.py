"""The ``report_facts`` job: the report's statements counted per closed day and stored
(``statistics/facts.py`` reads them). Each run counts the days not stored yet up to
yesterday, and again the stored days that events recorded since the last run touched
(the orders' events; the call records and the switches' events for the call figures)
and those a statement had not settled (a dispatch inside its sign-for time); then it
moves the watermarks to the last ids it has seen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Model
from django.utils import timezone

from hotline.calls.models import Call, CallEvent
from hotline.calls.selectors import call_days_since
from hotline.domain.day_facts import days_between, runs
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.statistics import Period
from hotline.orders.models import Event, Order
from hotline.statistics.assessment import ASSESSMENT_CALLBACKS, ASSESSMENT_DUE
from hotline.statistics.callbacks import CALLBACKS
from hotline.statistics.calls import CALLS
from hotline.statistics.compare import EARLIER
from hotline.statistics.districts import DISTRICTS
from hotline.statistics.facts import (
    by_day,
    calls_since,
    later_events,
    touched_days,
    undecided_days,
)
from hotline.statistics.handling import CONCLUDED_IN_PERIOD, FIRST_DISPATCH, HANDLING
from hotline.statistics.intake import INTAKE
from hotline.statistics.lines import LINE_STATEMENTS
from hotline.statistics.lists import APPEAL_TYPES, CATEGORIES, CHANNELS, TAGS, UNITS
from hotline.statistics.models import DayFact, FactsState
from hotline.statistics.rates import RESOLUTION, RESPONSE
from hotline.statistics.sign_for import SIGN_FOR, UNDECIDED
from hotline.statistics.surges import SURGE_GROUPS

STATEMENTS = (
    INTAKE,
    HANDLING,
    CONCLUDED_IN_PERIOD,
    CALLBACKS,
    APPEAL_TYPES,
    CATEGORIES,
    UNITS,
    CHANNELS,
    TAGS,
    EARLIER,
    DISTRICTS,
    *LINE_STATEMENTS,
    ASSESSMENT_DUE,
    ASSESSMENT_CALLBACKS,
    RESPONSE,
    RESOLUTION,
    SIGN_FOR,
    UNDECIDED,
    SURGE_GROUPS,
    FIRST_DISPATCH,
    CALLS,
)
NAMES = sorted(statement.name for statement in STATEMENTS)


def report_facts(*, now: datetime) -> str:
    # The counting reads outside any transaction and only the writing holds one: on
    # SQLite a transaction holds the one write lock, and the first run over a history
    # takes minutes, which every sign-in and every registration would wait for. Reading
    # unlocked is safe because the watermark is taken first: a change recorded after it
    # leaves its days counted from the orders until the next run, whatever the rows read.
    yesterday = now.astimezone(LOCAL_TZ).date() - timedelta(days=1)
    state = FactsState.objects.order_by("pk").first() or FactsState()
    watermarks = {model: _last(model) for model in (Event, Call, CallEvent)}
    built_at = timezone.now()
    noted = {
        Event: (state.pending_events, state.event_watermark),
        Call: (state.pending_calls, state.call_watermark),
        CallEvent: (state.pending_call_events, state.call_event_watermark),
    }
    pending = {
        model: _pending(model, ids, low, watermarks[model], state.built_at)
        for model, (ids, low) in noted.items()
    }
    first = _first_day()
    if first is None or yesterday < first:
        return "尚无已结束的日期可统计"
    days: set[date] = set()
    if state.last_day is not None and sorted(state.statements) == NAMES:
        stored = Period(state.first_day, state.last_day)
        touched = touched_days(later_events(state)) | call_days_since(**calls_since(state))
        days |= {day for day in touched if stored.start <= day <= stored.end}
        for statement in STATEMENTS:
            if statement.undecided is not None:
                days |= undecided_days(statement.undecided)
        first = min(first, state.first_day)
        days |= days_between(first, state.first_day - timedelta(days=1))
        days |= days_between(state.last_day + timedelta(days=1), yesterday)
    else:
        # None stored yet, or a statement added or renamed since: every day again.
        if state.first_day is not None:
            first = min(first, state.first_day)
        days |= days_between(first, yesterday)
    counted = [
        (
            start,
            end,
            [fact for statement in STATEMENTS for fact in by_day(statement, Period(start, end))],
        )
        for start, end in runs(days)
    ]
    with transaction.atomic():
        current = FactsState.objects.select_for_update().order_by("pk").first()
        if (current.built_at if current else None) != state.built_at:
            # Another run stored its counts while this one counted: they stand.
            return "另一次日统计已先完成，本次未写入"
        state = current or FactsState.objects.create()
        written = 0
        for start, end, facts in counted:
            DayFact.objects.filter(day__gte=start, day__lte=end).delete()
            written += len(DayFact.objects.bulk_create(facts, batch_size=5000))
        state.first_day = first
        state.last_day = max(yesterday, state.last_day or yesterday)
        state.event_watermark = watermarks[Event]
        state.pending_events = pending[Event]
        state.call_watermark = watermarks[Call]
        state.pending_calls = pending[Call]
        state.call_event_watermark = watermarks[CallEvent]
        state.pending_call_events = pending[CallEvent]
        state.built_at = built_at
        state.statements = NAMES
        state.save()
    return (
        f"已统计 {len(days)} 天（{state.first_day} 至 {state.last_day}），写入 {written} 条日统计数"
    )


def _first_day() -> date | None:
    first = Order.objects.aggregate(first=Min("received_at"))["first"]
    return None if first is None else first.astimezone(LOCAL_TZ).date()


def _last(model: type[Model]) -> int:
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


def _pending(
    model: type[Model], noted: list[int], low: int, watermark: int, noted_at: datetime | None
) -> list[int]:
    """The ids of ``model`` at or below ``watermark`` not visible now: taken by
    transactions still open, which may commit after this run (PostgreSQL hands out ids
    before commit; SQLite's writer holds the database, so it has none). ``noted``: those
    the last run (at ``noted_at``, up to the id ``low``) found so. An id still missing
    once every transaction older than the run that noted it has ended was rolled back."""
    if connection.vendor != "postgresql":
        return []
    rows = model.objects.all()
    missing = []
    if noted:
        seen = set(rows.filter(pk__in=noted).values_list("pk", flat=True))
        missing = [pk for pk in noted if pk not in seen]
        if missing and not _writing_since(noted_at):
            missing = []
    # Ids missing now can only come later from a transaction still open: with none open,
    # the gaps (rolled back, or ids a restored or first-run database never used — up to
    # the whole range on a first run) are not looked for, nor kept.
    gaps = rows.filter(pk__gt=low, pk__lte=watermark).count() < watermark - low
    if gaps and _writing_since(timezone.now()):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s FROM generate_series(%s::bigint, %s::bigint) AS s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {model._meta.db_table} r WHERE r.id = s)",
                (low + 1, watermark),
            )
            missing += [pk for (pk,) in cursor.fetchall()]
    return missing


def _writing_since(moment: datetime | None) -> bool:
    """Whether a transaction that has written (holds an id) began before ``moment``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
            "AND datname = current_database() AND pid <> pg_backend_pid() "
            "AND xact_start <= %s)",
            (moment or timezone.now(),),
        )
        return cursor.fetchone()[0]
