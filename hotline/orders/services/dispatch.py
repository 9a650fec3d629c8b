"""Dispatch use cases (SPEC 4): dispatch, re-dispatch, returns and their review,
sub-dispatch, and the office's handling of difficult orders."""

from collections.abc import Iterable
from functools import partial
from typing import Unpack

from django.db import transaction

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import ReturnDecision
from hotline.domain.errors import DomainError
from hotline.orders.models import Order
from hotline.orders.services import clock
from hotline.orders.services.recording import (
    Actor,
    Occasion,
    UnitOccasion,
    acting_unit,
    perform,
    perform_for_unit,
)


class NotSubUnit(DomainError):
    code = "not_sub_unit"


def _codes(units) -> tuple[str, ...]:
    return tuple(u.code for u in units)


# Dispatch, re-dispatch and the office's designation name a lead and co-units alike and
# differ only in their event.
_ASSIGNING_EVENTS = {
    Action.DISPATCH: ev.Dispatch,
    Action.REDISPATCH: ev.Redispatch,
    Action.DESIGNATE: ev.Designate,
}


@transaction.atomic
def order_assign(
    *,
    action: Action,
    order: Order,
    lead: Unit,
    co_units: Iterable[Unit] = (),
    actor: Actor,
    **occasion: Unpack[Occasion],
) -> Order:
    """Send the order to ``lead`` (and ``co_units``) by ``action``: dispatch, re-dispatch
    or designate. The sign-for deadline runs from the time recorded."""
    event = _ASSIGNING_EVENTS[action]
    return perform(
        order,
        actor=actor,
        action=action,
        build=lambda order, state, at: event(
            at=at, unit=lead.code, co_units=_codes(co_units), sign_by=clock.sign_by(order, at)
        ),
        **occasion,
    )


order_dispatch = partial(order_assign, action=Action.DISPATCH)
order_redispatch = partial(order_assign, action=Action.REDISPATCH)
order_designate = partial(order_assign, action=Action.DESIGNATE)


@transaction.atomic
def order_return(
    *, order: Order, reason: str, actor: Actor, **occasion: Unpack[UnitOccasion]
) -> Order:
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.RETURN,
        build=lambda order, state, at, unit: ev.Return(at=at, unit=unit.code, reason=reason),
        **occasion,
    )


@transaction.atomic
def order_return_review(
    *,
    order: Order,
    decision: str,
    actor: Actor,
    lead: Unit | None = None,
    co_units: Iterable[Unit] = (),
    **occasion: Unpack[Occasion],
) -> Order:
    """Accepting a return re-dispatches to ``lead``; refusing sends it back to the unit."""
    verdict = ReturnDecision(decision)
    return perform(
        order,
        actor=actor,
        action=Action.RETURN_REVIEW,
        build=lambda order, state, at: ev.ReturnReview(
            at=at,
            decision=verdict,
            unit=lead.code if lead else "",
            co_units=_codes(co_units),
            sign_by=clock.sign_by(order, at) if lead else None,
        ),
        **occasion,
    )


@transaction.atomic
def order_sub_dispatch(
    *,
    order: Order,
    sub_unit: Unit,
    actor: Actor,
    unit: Unit | None = None,
    **occasion: Unpack[Occasion],
) -> Order:
    """SPEC 2: a unit passes the order to one of its own sub-units and stays responsible."""
    unit = acting_unit(actor, unit, Action.SUB_DISPATCH)
    if sub_unit.parent_id != unit.pk:
        raise NotSubUnit(f"「{sub_unit}」不是「{unit}」的下级单位")
    return perform(
        order,
        actor=actor,
        action=Action.SUB_DISPATCH,
        unit=unit,
        build=lambda order, state, at: ev.SubDispatch(
            at=at, unit=unit.code, sub_unit=sub_unit.code
        ),
        **occasion,
    )


@transaction.atomic
def order_consultation_open(
    *, order: Order, note: str, actor: Actor, **occasion: Unpack[Occasion]
) -> Order:
    return perform(
        order,
        actor=actor,
        action=Action.CONSULTATION_OPEN,
        build=lambda order, state, at: ev.ConsultationOpen(at=at, note=note),
        **occasion,
    )


@transaction.atomic
def order_consultation_close(
    *, order: Order, decision: str, actor: Actor, **occasion: Unpack[Occasion]
) -> Order:
    return perform(
        order,
        actor=actor,
        action=Action.CONSULTATION_CLOSE,
        build=lambda order, state, at: ev.ConsultationClose(
            at=at, decision=decision, deadline=clock.resumed_deadline(state, at)
        ),
        **occasion,
    )
