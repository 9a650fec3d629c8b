"""Correcting an order (SPEC 3 工单修正, 2026-12): one field at a time, with a reason,
keeping the old value in the event; the citizen's own words are never changed. A
corrected urgency, or an appeal type or category that changes the reply's working days,
counts the order's deadlines again, before and after in its event."""

import dataclasses
from datetime import datetime
from typing import Unpack

from django.db import transaction

from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.directory.models import Category, Region
from hotline.directory.selectors import category_codes
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.correction import (
    CLOCKED,
    SUMMARY_MAX,
    clock_fields,
    corrected_clock,
    moves_the_clock,
    require_correct_now,
)
from hotline.domain.enums import AppealType, CorrectionField, Urgency
from hotline.domain.intake import ADDRESS_MAX
from hotline.domain.lifecycle import InvalidCorrection, OrderState
from hotline.orders.models import Order
from hotline.orders.services.recording import Actor, Occasion, perform


def current_value(order: Order, state: OrderState, field: CorrectionField) -> str:
    """The field's value as a correction event keeps it (codes, names of the vocabulary)."""
    match field:
        case CorrectionField.CATEGORY:
            return order.category.code if order.category_id else ""
        case CorrectionField.REGION:
            return order.region.code if order.region_id else ""
        case CorrectionField.ADDRESS:
            return order.address
        case CorrectionField.APPEAL_TYPE:
            return order.appeal_type
        case CorrectionField.URGENCY:
            return (Urgency.URGENT if state.urgent else Urgency.NORMAL).value
        case CorrectionField.SUMMARY:
            return state.summary
    raise AssertionError(field)


def _checked_value(field: CorrectionField, value: str) -> str:
    """The new value as the event keeps it; an unknown code or name is refused."""
    value = (value or "").strip()
    if not value:
        raise InvalidCorrection(f"请填写修正后的{field.label}")
    match field:
        case CorrectionField.CATEGORY:
            if not Category.objects.filter(code=value).exists():
                raise InvalidCorrection(f"事项分类「{value}」不存在")
        case CorrectionField.REGION:
            if not Region.objects.filter(code=value).exists():
                raise InvalidCorrection(f"区划「{value}」不存在")
        case CorrectionField.APPEAL_TYPE | CorrectionField.URGENCY:
            vocabulary = AppealType if field is CorrectionField.APPEAL_TYPE else Urgency
            try:
                return vocabulary.parse(value).value
            except ValueError:
                raise InvalidCorrection(f"{field.label}「{value}」不在可选范围内") from None
        case CorrectionField.ADDRESS | CorrectionField.SUMMARY:
            limit = ADDRESS_MAX if field is CorrectionField.ADDRESS else SUMMARY_MAX
            if len(value) > limit:
                raise InvalidCorrection(f"{field.label}不能超过 {limit} 字")
    return value


@transaction.atomic
def order_correct(
    *,
    order: Order,
    field: str,
    value: str,
    reason: str,
    actor: Actor,
    **occasion: Unpack[Occasion],
) -> Order:
    try:
        what = CorrectionField.parse(field)
    except ValueError:
        raise InvalidCorrection(f"「{field}」不是可修正的内容") from None
    new = _checked_value(what, value)

    def build(order: Order, state: OrderState, at: datetime) -> ev.Event:
        if actor is not None:
            require_correct_now(actor.role, state.status)
        old = current_value(order, state, what)
        correction = ev.Correct(
            at=at, field=what, old=old, value=new, reason=(reason or "").strip()
        )
        if old == new or state.status not in CLOCKED:
            return correction  # unchanged: the state machine refuses it
        return _with_clock(correction, order, state)

    return perform(
        order,
        actor=actor,
        action=Action.CORRECT,
        build=build,
        **occasion,
    )


def _with_clock(correction: ev.Correct, order: Order, state: OrderState) -> ev.Correct:
    """SPEC 3, 4: the urgency, and the appeal type and category by the reply's working
    days, decide the deadlines; the correction carries them, counted again from their
    start (``domain.correction.corrected_clock`` says how)."""
    field, value, policy = correction.field, correction.value, deadline_policy()
    urgent = state.urgent
    if field is CorrectionField.URGENCY:
        urgent = Urgency.parse(value) is Urgency.URGENT
    appeal_type = value if field is CorrectionField.APPEAL_TYPE else order.appeal_type
    chain = before = category_codes(order.category)
    if field is CorrectionField.CATEGORY:
        chain = category_codes(Category.objects.get(code=value))
    if not moves_the_clock(
        field,
        urgent=urgent,
        appeal_types=(order.appeal_type, appeal_type),
        category_chains=(before, chain),
        policy=policy,
    ):
        return correction
    rows = order.events.order_by("seq").values_list("type", "at", "data")
    clock = corrected_clock(
        [ev.event_from_data(type_, at, data) for type_, at, data in rows],
        urgent=urgent,
        at=correction.at,
        appeal_type=appeal_type,
        category_codes=chain,
        policy=policy,
        calendar=working_calendar(),
    )
    return dataclasses.replace(correction, **clock_fields(clock, state))
