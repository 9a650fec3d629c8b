"""Deadlines for one order, from the office's current policy and calendar."""

from datetime import date, datetime

from hotline.configuration.selectors import deadline_policy, rates_rule, working_calendar
from hotline.directory.selectors import category_codes
from hotline.domain import deadlines, rates
from hotline.domain.clock_stops import deadline_after_stop
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Order


def sign_by(order: Order, at: datetime) -> datetime:
    return deadlines.sign_by(
        at, urgent=order.urgent, policy=deadline_policy(), calendar=working_calendar()
    )


def reply_deadline(order: Order, at: datetime) -> datetime:
    return deadlines.reply_deadline(
        at,
        urgent=order.urgent,
        appeal_type=order.appeal_type,
        category_codes=category_codes(order.category),
        policy=deadline_policy(),
        calendar=working_calendar(),
    )


def respond_by(at: datetime) -> datetime:
    """SPEC 5: the first contact with the citizen is due by then (signed at ``at``)."""
    return rates.respond_by(at, rule=rates_rule(), calendar=working_calendar())


def resumed_deadline(state: OrderState, at: datetime) -> datetime | None:
    return deadline_after_stop(state, at, working_calendar())


def pause_limit(at: datetime) -> datetime:
    return deadlines.pause_limit(at, policy=deadline_policy(), calendar=working_calendar())


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, deadlines.END_OF_DAY, tzinfo=deadlines.LOCAL_TZ)
