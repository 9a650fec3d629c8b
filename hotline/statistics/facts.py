"""The report's statements counted per closed day and stored, and a period's counts
as the stored days' sums plus the statements themselves over the other days
(docs/reports.md, "Per-day facts").

A ``Statement`` is one of the report's counting queries as its module writes it: its
rows, the field whose local day a row is counted on, the groups (``keys``) and the
counts. The same statement is run in three ways — over a period's days as the report
always did, grouped by day for the ``report_facts`` job, and over the days the stored
counts cannot answer — so the stored counts cannot count differently from the report.

The stored counts hold the days ``first_day``–``last_day`` as the orders' events up to
a watermark left them. Nothing is written when an order changes: a report reads the
events after the watermark, and every day those events' orders may be counted on (the
days of all their events, their registration and their assignments' falling due) is
counted from the orders instead. Every time the counts attribute an order to is an
event's time or its registration, except the moment a lead assignment falls due,
which never moves once passed — and a stored day is one that had passed when it was
counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from functools import cached_property, lru_cache

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from hotline.calls.selectors import call_days_since
from hotline.domain.day_facts import Split, days_between, runs, split
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.statistics import Period
from hotline.orders.models import Assignment, Event, Order
from hotline.statistics.models import DayFact, FactsState

Key = tuple
Counts = dict[Key, Counter]


@dataclass(frozen=True)
class Statement:
    """One counting query of the report. ``rows(since, made_at)`` are its rows before
    the days are chosen (``since``: the first instant counted, for conditions that may
    read only what happened after it); ``counts(since, made_at)`` its aggregates by
    name; ``keys`` the names (fields or annotations of the rows) it groups by."""

    name: str
    day: str
    rows: Callable[[datetime, datetime | None], QuerySet]
    counts: Callable[[datetime, datetime | None], dict]
    keys: tuple[str, ...] = ()
    # For a statement whose rows change with time alone: the statement finding the
    # rows not settled yet; the days it found when the counts were made are counted
    # from the orders, and counted again by the next run.
    undecided: Statement | None = None
    # What its rows are written by, and so which later writes make a stored day live:
    # the orders' events, or the call records (imports and live telephony).
    source: str = "orders"


def local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=LOCAL_TZ)


# --- what the stored counts can answer -------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The stored counts' state as one report reads it."""

    kept: tuple[date, date] | None
    built_at: datetime | None
    touched: frozenset[date]
    undecided: dict[str, frozenset[date]] = dataclass_field(default_factory=dict)
    statements: frozenset[str] = frozenset()  # those whose counts are stored
    # The call records' watermarks the counts were made at (``call_days_since``'s
    # arguments); the days written since are read when a call statement is first split.
    calls_since: dict = dataclass_field(default_factory=dict)

    def split(
        self, period: Period, made_at: datetime | None, statement: Statement | None = None
    ) -> Split:
        """The period's stored and live days (for ``statement``: also live the days it
        had not settled). A report made before the counts were made (``made_at``
        earlier) reads none of them: they count later events."""
        kept = self.kept
        if made_at is not None and (self.built_at is None or made_at < self.built_at):
            kept = None
        if statement is not None and statement.name not in self.statements:
            kept = None
        touched = self.touched
        if kept is not None and statement is not None and statement.source == "calls":
            touched = self.calls_touched
        if kept is not None and statement is not None and statement.undecided is not None:
            touched = touched | self._undecided(statement.undecided)
        return split(period.start, period.end, kept=kept, touched=touched)

    @cached_property
    def calls_touched(self) -> frozenset[date]:
        return frozenset(call_days_since(**self.calls_since))

    def _undecided(self, statement: Statement) -> frozenset[date]:
        if statement.name not in self.undecided:
            self.undecided[statement.name] = frozenset(undecided_days(statement))
        return self.undecided[statement.name]


def undecided_days(statement: Statement) -> set[date]:
    """The days on which ``statement`` (an ``undecided`` one) found rows."""
    return set(
        DayFact.objects.filter(statement=statement.name)
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )


def state() -> FactsState | None:
    return FactsState.objects.order_by("pk").first()


def later_events(state: FactsState) -> QuerySet[Event]:
    """The events the stored counts have not seen."""
    later = Q(pk__gt=state.event_watermark)
    if state.pending_events:
        later |= Q(pk__in=state.pending_events)
    return Event.objects.filter(later)


def touched_days(events: QuerySet[Event]) -> set[date]:
    """Every local day an order of ``events`` may be counted on: the days of all its
    events, of its registration and of its assignments' falling due."""
    orders = events.values("order_id")
    days: set[date] = set()
    for rows, field in (
        (Event.objects.filter(order_id__in=orders), "at"),
        (Order.objects.filter(pk__in=orders), "received_at"),
        (
            Assignment.objects.filter(order_id__in=orders, falls_due_at__isnull=False),
            "falls_due_at",
        ),
    ):
        days.update(
            rows.order_by().annotate(d=local_day(field)).values_list("d", flat=True).distinct()
        )
    return days


def reading() -> Reading:
    """The stored counts' state now: inside ``reports_session`` the session's own."""
    if (current := _session.get()) is not None:
        return current
    return _read()


def _read() -> Reading:
    found = state()
    if found is None or found.last_day is None:
        return Reading(kept=None, built_at=None, touched=frozenset())
    return Reading(
        kept=(found.first_day, found.last_day),
        built_at=found.built_at,
        touched=frozenset(touched_days(later_events(found))),
        statements=frozenset(found.statements),
        calls_since=calls_since(found),
    )


def calls_since(state: FactsState) -> dict:
    """``call_days_since``'s arguments: the call records the stored counts have not seen."""
    return {
        "call_after": state.call_watermark,
        "event_after": state.call_event_watermark,
        "calls": state.pending_calls,
        "events": state.pending_call_events,
    }


_session: ContextVar[Reading | None] = ContextVar("facts_reading", default=None)


@contextmanager
def reports_session() -> Iterator[None]:
    """One reading of the stored counts for every statement of a report (read inside
    the report's transaction, so the counts and the events agree); inside a session
    already, that session's."""
    if _session.get() is not None:
        yield
        return
    token = _session.set(_read())
    try:
        yield
    finally:
        _session.reset(token)


# --- counting --------------------------------------------------------------------------


def counted(
    statement: Statement,
    *,
    period: Period,
    made_at: datetime | None = None,
    names: tuple[str, ...] | None = None,
) -> Counts:
    """The statement's counts over the period, by group: the stored days' sums plus
    the statement over the other days. With ``names``, only those counts: the rows'
    joins that only the others need are not made (the dashboard's today asks two of
    the intake statement's thirty, none of them about the citizen)."""
    plan = reading().split(period, made_at, statement)
    found: Counts = {}
    if plan.stored:
        _add(found, _stored(statement, plan.stored, names))
    for first, last in plan.live:
        _add(found, _live(statement, Period(first, last), made_at, names))
    return found


def totals(counts: Counts, key: Key = ()) -> Counter:
    """The counts of one group (zero for every count of a group not found)."""
    return counts.get(key, Counter())


def summed(*parts: Counts) -> Counts:
    """The counts of several parts of a period added up, group by group."""
    found: Counts = {}
    for counts in parts:
        _add(found, counts)
    return found


def _add(into: Counts, counts: Counts) -> None:
    for key, values in counts.items():
        into.setdefault(key, Counter()).update(values)


def _in_days(field: str, period: Period) -> Q:
    since, until = period.bounds()
    return Q(**{f"{field}__gte": since, f"{field}__lt": until})


def _live(
    statement: Statement, period: Period, made_at: datetime | None, names: tuple[str, ...] | None
) -> Counts:
    since = period.bounds()[0]
    rows = statement.rows(since, made_at).filter(_in_days(statement.day, period)).order_by()
    counts = statement.counts(since, made_at)
    if names is not None:
        counts = {name: counts[name] for name in names}
    if not statement.keys:
        return {(): Counter({k: v or 0 for k, v in rows.aggregate(**counts).items()})}
    found: Counts = {}
    for row in rows.values(*statement.keys).annotate(**counts):
        key = tuple(row[k] for k in statement.keys)
        found[key] = Counter({name: row[name] or 0 for name in counts})
    return found


def counted_by_month(statement: Statement, *, period: Period) -> dict[date, Counts]:
    """``counted`` of each local month of the period (keyed by its first day), as
    everything recorded so far leaves it: one query over the stored days, grouped by
    month, and one over the other days."""
    plan = reading().split(period, None, statement)
    found: dict[date, Counts] = {}
    if plan.stored:
        rows = (
            _stored_rows(statement, plan.stored)
            .annotate(month=TruncMonth("day"))
            .values("month", "key", "name")
            .annotate(total=Sum("value"))
            .values_list("month", "key", "name", "total")
        )
        _add_rows(found, _parsed(rows))
    if plan.live:
        live = _live_by_day(statement, plan.live)
        _add_rows(found, ((day.replace(day=1), *rest) for day, *rest in live))
    return found


def day_counts(
    statement: Statement, *, days: Iterable[date], name: str
) -> list[tuple[date, Key, int]]:
    """``(day, group, value)`` of the statement's count ``name`` on each of the local
    days, as everything recorded so far leaves them (zero counts left out): one query
    over the stored days among them, one over the others. Rows, not ``Counts``: the
    surges read some 20 000 groups for six weeks."""
    needed = set(days)
    if not needed:
        return []
    plan = reading().split(Period(min(needed), max(needed)), None, statement)
    stored = {day for first, last in plan.stored for day in days_between(first, last)} & needed
    found: list[tuple[date, Key, int]] = []
    if stored:
        rows = _stored_rows(statement, tuple(runs(stored))).filter(name=name)
        found.extend(
            (day, _key(key), value) for day, key, value in rows.values_list("day", "key", "value")
        )
    if live := needed - stored:
        found.extend(
            (day, key, value)
            for day, key, counted_name, value in _live_by_day(statement, runs(live))
            if counted_name == name
        )
    return found


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> Key:
    """A stored group's key: the same few thousand texts recur on every day."""
    return tuple(json.loads(text))


def _parsed(rows: Iterable[tuple[date, str, str, int]]) -> Iterator[tuple[date, Key, str, int]]:
    for day, key, name, value in rows:
        yield day, _key(key), name, value


def _add_rows(into: dict[date, Counts], rows: Iterable[tuple[date, Key, str, int]]) -> None:
    for bucket, key, name, value in rows:
        into.setdefault(bucket, {}).setdefault(key, Counter())[name] += value


def _live_by_day(
    statement: Statement, runs: Iterable[tuple[date, date]]
) -> Iterator[tuple[date, Key, str, int]]:
    """The statement grouped by local day over the runs of days, counted from the
    orders in one statement (a range of the day's index for each run, joined by UNION
    ALL: in one OR, SQLite would fetch the table rows)."""
    periods = [Period(first, last) for first, last in runs]
    grouped = [_grouped_by_day(statement, period) for period in periods]
    rows = grouped[0].union(*grouped[1:], all=True) if len(grouped) > 1 else grouped[0]
    names = list(statement.counts(periods[0].bounds()[0], None))
    for row in rows:
        key = tuple(row[k] for k in statement.keys)
        for name in names:
            if row[name]:
                yield row["fact_day"], key, name, row[name]


def _stored_rows(statement: Statement, runs: tuple[tuple[date, date], ...]) -> QuerySet[DayFact]:
    days = Q()
    for first, last in runs:
        days |= Q(day__gte=first, day__lte=last)
    return DayFact.objects.filter(days, statement=statement.name).order_by()


def _stored(
    statement: Statement, runs: tuple[tuple[date, date], ...], names: tuple[str, ...] | None
) -> Counts:
    rows = _stored_rows(statement, runs)
    if names is not None:
        rows = rows.filter(name__in=names)
    rows = (
        rows.values("key", "name").annotate(total=Sum("value")).values_list("key", "name", "total")
    )
    found: Counts = {}
    for key, name, total in rows:
        found.setdefault(_key(key), Counter())[name] = total
    return found


def _grouped_by_day(statement: Statement, period: Period) -> QuerySet:
    since = period.bounds()[0]
    return (
        statement.rows(since, None)
        .filter(_in_days(statement.day, period))
        .annotate(fact_day=local_day(statement.day))
        .order_by()
        .values("fact_day", *statement.keys)
        .annotate(**statement.counts(since, None))
    )


def by_day(statement: Statement, period: Period) -> Iterator[DayFact]:
    """The statement grouped by local day over the period, as everything recorded so
    far leaves it (the stored counts' rows; zero counts left out)."""
    for day, key, name, value in _live_by_day(statement, [(period.start, period.end)]):
        yield DayFact(
            day=day,
            statement=statement.name,
            key=json.dumps(list(key), ensure_ascii=False),
            name=name,
            value=value,
        )
