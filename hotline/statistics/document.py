"""The report's JSON document (SPEC 7), exactly that shape and those names."""

from contextlib import contextmanager
from datetime import date, datetime

from django.db import connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from hotline.calls.models import Call, CallEvent
from hotline.configuration.selectors import callback_scope, rates_rule, report_rule
from hotline.domain.statistics import Period, online_rate
from hotline.governance.selectors import report_topics
from hotline.orders.models import Event, Order
from hotline.statistics import facts
from hotline.statistics.callbacks import callback_figures
from hotline.statistics.calls import call_figures
from hotline.statistics.compare import comparison
from hotline.statistics.districts import district_figures
from hotline.statistics.handling import handling_figures
from hotline.statistics.intake import intake_figures
from hotline.statistics.lines import line_figures
from hotline.statistics.lists import (
    appeal_type_shares,
    channel_counts,
    tag_counts,
    top_categories,
    top_units,
)
from hotline.statistics.rates import city_rates
from hotline.statistics.violations import violation_figures


def report_document(*, start: date, end: date, made_at: datetime | None = None) -> dict:
    """Every figure of the local days ``start`` to ``end`` (both included). ``made_at``
    is when the report is made: handling, callbacks and the assessment count what had
    happened by then (``None``: everything recorded so far)."""
    period = Period(start, end)
    with report_session():
        return _document(period, made_at)


# The largest of the report's statements sort and hash a few hundred thousand rows,
# which spilled to disk in the default 4 MB of work memory. (Just-in-time compilation,
# which cost them more than it saved, is off for every connection: settings.)
REPORT_SETTINGS = {"work_mem": "64MB"}


@contextmanager
def report_session():
    # On the database the figures are read from: a page's replica (read-only
    # transactions and SET LOCAL are fine on a standby) or the primary.
    alias = router.db_for_read(Order)
    reading = connections[alias]
    # Every figure from one snapshot: the stored per-day counts, the events after
    # them and the orders agree (statistics/facts.py). Only a transaction of its own
    # can choose its isolation.
    outermost = not reading.in_atomic_block
    with transaction.atomic(using=alias):
        if reading.vendor == "postgresql":
            with reading.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                for name, value in REPORT_SETTINGS.items():
                    cursor.execute(f"SET LOCAL {name} = '{value}'")
        with facts.reports_session():
            yield


def month_page_document(*, start: date, end: date) -> dict:
    """The part of ``report_document`` the month's statistics page shows (headline
    figures, 同比 and 环比, appeal types, the top categories and units), counted now:
    not the assessment, violations, districts, lines, rates and who asked, which it
    does not show and which read every lead assignment, callback and citizen of the
    month."""
    period = Period(start, end)
    with report_session():
        headline = _headline(period, None, citizens=False)
        rule = report_rule()
        intake = headline["intake"]
        return {
            "period": period.as_json(),
            **{name: headline[name] for name in ("calls", "intake", "handling", "callbacks")},
            "appeal_types": appeal_type_shares(period=period, accepted=intake["accepted"]),
            "top_categories": top_categories(
                period=period, accepted=intake["accepted"], level=rule.topic_level
            ),
            "top_units": top_units(period=period, dispatched=intake["dispatched"]),
            "compare": comparison(period=period, current=headline["current"]),
        }


def data_version() -> str:
    """Changes whenever an order's event, a call record or a switch's event is written
    (ids only grow; live telephony rewrites a call's record with each of its events):
    figures counted at one version hold until the next."""
    alias = router.db_for_read(Order)
    lasts = (
        model.objects.using(alias).aggregate(last=Max("pk"))["last"] or 0
        for model in (Event, Call, CallEvent)
    )
    return ".".join(str(last) for last in lasts)


def _headline(period: Period, made_at: datetime | None, *, citizens: bool = True) -> dict:
    """Calls, intake, handling and callbacks, and the figures 同比 and 环比 compare."""
    calls = call_figures(period=period)
    intake = intake_figures(period=period, citizens=citizens)
    rule = report_rule()
    # SPEC 7 (2026-12): 在线办结率 over the accepted orders, or over the answered calls.
    intake["resolved_at_intake_rate"] = online_rate(
        intake["resolved_at_intake"],
        accepted=intake["accepted"],
        answered_calls=calls["answered"],
        over=rule.online_rate_over,
    )
    intake["resolved_at_intake_over"] = rule.online_rate_over.value
    handling = handling_figures(period=period, made_at=made_at)
    current = {
        "accepted": intake["accepted"],
        "resolved_at_intake": intake["resolved_at_intake"],
        "dispatched": intake["dispatched"],
        "concluded": handling["concluded"],
        "offered": calls["offered"],
    }
    callbacks = callback_figures(period=period, scope=callback_scope(), made_at=made_at)
    return {
        "calls": calls,
        "intake": intake,
        "handling": handling,
        "callbacks": callbacks,
        "current": current,
    }


def _document(period: Period, made_at: datetime | None) -> dict:
    from hotline.statistics.assessment import unit_assessment

    start, end = period.start, period.end
    headline = _headline(period, made_at)
    calls, intake, handling = headline["calls"], headline["intake"], headline["handling"]
    callbacks, current = headline["callbacks"], headline["current"]
    rule = report_rule()
    assessment, idle_units = unit_assessment(start=start, end=end, made_at=made_at)
    cut_off = made_at or timezone.now()
    since, until = period.bounds()
    return {
        "period": period.as_json(),
        "calls": calls,
        "intake": intake,
        "handling": handling,
        "callbacks": callbacks,
        "appeal_types": appeal_type_shares(period=period, accepted=intake["accepted"]),
        "top_categories": top_categories(
            period=period, accepted=intake["accepted"], level=rule.topic_level
        ),
        "top_units": top_units(period=period, dispatched=intake["dispatched"]),
        "channels": channel_counts(period=period),
        "tags": tag_counts(period=period),
        "assessment": assessment,
        "idle_units": idle_units,
        "compare": comparison(period=period, current=current, made_at=made_at),
        "violations": violation_figures(period=period, made_at=made_at),
        # SPEC 5 and 7 (2026-12): 响应率, 解决率, 满意率 over the city (statistics/rates.py).
        "rates": city_rates(
            period=period,
            made_at=cut_off,
            rule=rates_rule(),
            satisfaction_rate=callbacks["satisfaction_rate"],
        ),
        # SPEC 7 (2026-12): per district and the city departments; per line.
        "districts": district_figures(period=period, made_at=made_at),
        "lines": line_figures(
            period=period, previous=period.year_before(), made_at=made_at, level=rule.topic_level
        ),
        # SPEC 7 (2026-12): the catalogue level of 十大热点事项 (1 大类, 2 中类, 3 小类).
        "topic_level": rule.topic_level,
        # 每月一题 (主动治理): the topics pushed on or solved in the period.
        "topics": report_topics(start=since, end=until, made_at=made_at),
    }
