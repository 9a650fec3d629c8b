"""Reads of live telephony (SPEC 8): switches by token, seats, the screen pop, the
missed-call callback list and the wallboard's figures — aggregates in SQL."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from hotline.calls.models import Call, CallEvent, MissedCallCallback, Seat, Switch
from hotline.configuration.selectors import missed_call_minutes
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.telephony import (
    ANSWER_WITHIN_SECONDS,
    SEAT_STATE_LABELS,
    CallFigures,
    SeatState,
)
from hotline.orders.models import Order
from hotline.security.tokens import TOKEN_MAX, token_digest

MISSED_LIST_SHOWN = 200
# A call "ringing" for longer lost its end on the way: not waiting any more.
WAITING_AT_MOST = timedelta(hours=1)


def switch_by_token(*, token: str) -> Switch | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    return Switch.objects.filter(token_hash=token_digest(token), active=True).first()


def seat_holder(*, extension: str) -> Seat | None:
    return Seat.objects.select_related("user").filter(extension=extension).first()


def seat_of(*, viewer) -> Seat | None:
    return Seat.objects.filter(user=viewer).first()


def call_exists(*, external_id: str) -> bool:
    return Call.objects.filter(external_id=external_id).exists()


def call_get(*, external_id: str) -> Call:
    return Call.objects.get(external_id=external_id)


# --- the screen pop ------------------------------------------------------------------------


def screen_pop(*, viewer, after: int = 0) -> Call | None:
    """The latest call answered at the viewer's seat since they signed in, when it is
    newer than the one already shown (``after``, a call's pk)."""
    seat = seat_of(viewer=viewer)
    if seat is None:
        return None
    return (
        Call.objects.filter(
            agent=seat.extension,
            answered=True,
            answered_at__gte=seat.signed_in_at,
            pk__gt=after,
        )
        .order_by("-answered_at", "-pk")
        .first()
    )


def pop_start(*, viewer) -> int:
    """Where the intake page's screen pop starts: after the seat's latest call, unless
    that call is still being talked and has no order yet (the page was reloaded during
    the call: it pops again)."""
    latest = screen_pop(viewer=viewer)
    if latest is None:
        return 0
    talking = latest.status == Call.Status.ANSWERED
    if talking and not Order.objects.filter(call_id=latest.external_id).exists():
        return 0
    return latest.pk


# --- the missed-call list (漏接回拨) ----------------------------------------------------------


@dataclass(frozen=True)
class MissedEntry:
    call: Call
    attempts: int  # the number's missed calls since it was last in touch


def _missed_calls(now: datetime, minutes: int) -> QuerySet[Call]:
    """``domain.telephony.on_callback_list`` in SQL: missed calls older than the setting's
    minutes whose number had no answered call, order or callback since."""
    answered_since = Call.objects.filter(
        caller=OuterRef("caller"), answered=True, started_at__gte=OuterRef("started_at")
    )
    ordered_since = Order.objects.filter(
        citizen__phone=OuterRef("caller"), received_at__gte=OuterRef("started_at")
    )
    called_back = MissedCallCallback.objects.filter(
        caller=OuterRef("caller"), at__gte=OuterRef("started_at")
    )
    return (
        Call.objects.filter(
            status=Call.Status.MISSED,
            started_at__lte=now - timedelta(minutes=minutes),
        )
        .exclude(caller="")
        .exclude(Exists(answered_since))
        .exclude(Exists(ordered_since))
        .exclude(Exists(called_back))
    )


def missed_call_list(*, viewer, now: datetime, limit: int = MISSED_LIST_SHOWN) -> list[MissedEntry]:
    """One line per number, its latest missed call, oldest first (the longest waiting
    is called back first)."""
    calls = _missed_calls(now, missed_call_minutes())
    later = calls.filter(caller=OuterRef("caller"), started_at__gt=OuterRef("started_at"))
    latest = list(calls.exclude(Exists(later)).order_by("started_at", "pk")[:limit])
    attempts = dict(
        calls.filter(caller__in=[c.caller for c in latest])
        .values("caller")
        .annotate(n=Count("pk"))
        .values_list("caller", "n")
    )
    return [MissedEntry(call, attempts.get(call.caller, 1)) for call in latest]


def missed_call_count(*, now: datetime) -> int:
    return _missed_calls(now, missed_call_minutes()).values("caller").distinct().count()


def missed_callbacks_per_day(*, start: datetime, until: datetime) -> list[dict]:
    """Callbacks per local day and result (the list's daily figures)."""
    rows = (
        MissedCallCallback.objects.filter(at__gte=start, at__lt=until)
        .annotate(day=TruncDate("at", tzinfo=LOCAL_TZ))
        .values("day")
        .annotate(
            total=Count("pk"),
            reached=Count("pk", filter=Q(result="reached")),
            unreachable=Count("pk", filter=Q(result="unreachable")),
            order_created=Count("pk", filter=Q(result="order_created")),
        )
        .order_by("day")
    )
    return list(rows)


# --- the wallboard (大屏) --------------------------------------------------------------------


def offered_calls() -> QuerySet[Call]:
    """The calls offered: those still ringing are waiting, not yet."""
    return Call.objects.exclude(status=Call.Status.RINGING)


def call_figure_counts() -> dict:
    """The aggregates ``CallFigures`` is made of, by name (``call_figures_of`` makes the
    figures of them). Every column they read is in the ``call_started`` index (counted
    by ``started_at``, never null, not by the id), so PostgreSQL answers a range of days
    from the index alone."""
    zero = Value(0, output_field=IntegerField())
    answered = Q(answered=True)
    return {
        "offered": Count("started_at"),
        # Not named as the field it counts (an aggregate may not shadow a column).
        "answered_calls": Count("started_at", filter=answered),
        "answered_within_15s": Count(
            "started_at", filter=answered & Q(wait_seconds__lte=ANSWER_WITHIN_SECONDS)
        ),
        "wait_seconds_answered": Coalesce(Sum("wait_seconds", filter=answered), zero),
        "abandoned": Count("started_at", filter=Q(answered=False)),
        "timed": Count("wait_seconds"),
        "answered_timed": Count("wait_seconds", filter=answered),
    }


def call_figures_between(*, start: datetime, until: datetime) -> CallFigures:
    """GB/T 33358 figures of the calls that began in [start, until), one aggregate."""
    return call_figures_of(
        offered_calls()
        .filter(started_at__gte=start, started_at__lt=until)
        .aggregate(**call_figure_counts())
    )


def call_figures_of(counts: Mapping[str, int]) -> CallFigures:
    """The figures of ``call_figure_counts``' counts (a missing count is none)."""
    named = {name: counts.get(name) or 0 for name in call_figure_counts()}
    named["answered"] = named.pop("answered_calls")
    return CallFigures(**named)


def call_days_since(
    *, call_after: int, event_after: int, calls: list[int], events: list[int]
) -> set[date]:
    """The local days of the calls written since: recorded after the call id
    ``call_after`` or among ``calls`` (imports and first rings), or given an event
    after the event id ``event_after`` or among ``events`` (live telephony rewrites a
    call's row in place as its events arrive)."""
    new = Q(pk__gt=call_after) | Q(pk__in=calls) if calls else Q(pk__gt=call_after)
    events_since = Q(pk__gt=event_after) | Q(pk__in=events) if events else Q(pk__gt=event_after)
    changed = CallEvent.objects.filter(events_since).values("call_id")
    return {
        day
        for rows in (Call.objects.filter(new), Call.objects.filter(external_id__in=changed))
        for day in rows.order_by()
        .annotate(d=TruncDate("started_at", tzinfo=LOCAL_TZ))
        .values_list("d", flat=True)
        .distinct()
    }


@dataclass(frozen=True)
class SeatLine:
    extension: str
    operator: str
    state: SeatState
    since: datetime

    @property
    def state_label(self) -> str:
        return SEAT_STATE_LABELS[self.state]


@dataclass(frozen=True)
class Wallboard:
    waiting: int
    longest_wait_seconds: int | None
    seats: list[SeatLine]
    figures: CallFigures
    missed_list: int

    @property
    def seats_by_state(self) -> dict[str, int]:
        counts = {state.value: 0 for state in SeatState}
        for seat in self.seats:
            counts[seat.state.value] += 1
        return counts


def wallboard(*, viewer, now: datetime) -> Wallboard:
    day_start = now.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    ringing = Call.objects.filter(status=Call.Status.RINGING).aggregate(n=Count("pk"))
    waiting_since = Call.objects.filter(status=Call.Status.RINGING).order_by("started_at").first()
    talking = dict(
        Call.objects.filter(status=Call.Status.ANSWERED)
        .exclude(agent="")
        .values_list("agent", "answered_at")
    )
    seats = []
    for seat in Seat.objects.select_related("user").order_by("extension"):
        at = talking.get(seat.extension)
        state = SeatState.TALKING if at is not None else SeatState.IDLE
        name = seat.user.get_full_name() or seat.user.username
        seats.append(SeatLine(seat.extension, name, state, at or seat.signed_in_at))
    return Wallboard(
        waiting=ringing["n"],
        longest_wait_seconds=(
            max(0, int((now - waiting_since.started_at).total_seconds())) if waiting_since else None
        ),
        seats=seats,
        figures=call_figures_between(start=day_start, until=day_start + timedelta(days=1)),
        missed_list=missed_call_count(now=now),
    )
