"""Dispatch use cases (SPEC 4): dispatch, re-dispatch, returns and their review,
sub-dispatch, and the office's handling of difficult orders."""

from django.db import transaction

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import ReturnDecision
from hotline.domain.errors import DomainError
from hotline.orders.services import clock
from hotline.orders.services.recording import acting_unit, perform


class NotSubUnit(DomainError):
    code = "not_sub_unit"


def _codes(units) -> tuple[str, ...]:
    return tuple(u.code for u in units)


@transaction.atomic
def order_dispatch(*, order, lead: Unit, co_units=(), actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action=Action.DISPATCH,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Dispatch(
            at=t, unit=lead.code, co_units=_codes(co_units), sign_by=clock.sign_by(o, t)
        ),
    )


@transaction.atomic
def order_redispatch(*, order, lead: Unit, co_units=(), actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action=Action.REDISPATCH,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Redispatch(
            at=t, unit=lead.code, co_units=_codes(co_units), sign_by=clock.sign_by(o, t)
        ),
    )


@transaction.atomic
def order_designate(*, order, lead: Unit, co_units=(), actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action=Action.DESIGNATE,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Designate(
            at=t, unit=lead.code, co_units=_codes(co_units), sign_by=clock.sign_by(o, t)
        ),
    )


@transaction.atomic
def order_return(*, order, reason: str, actor, unit=None, at=None, expected_version=None):
    unit = acting_unit(actor, unit, "return")
    return perform(
        order,
        actor=actor,
        action=Action.RETURN,
        unit=unit,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Return(at=t, unit=unit.code, reason=reason),
    )


@transaction.atomic
def order_return_review(
    *,
    order,
    decision: str,
    actor,
    lead: Unit | None = None,
    co_units=(),
    at=None,
    expected_version=None,
):
    """Accepting a return re-dispatches to ``lead``; refusing sends it back to the unit."""
    verdict = ReturnDecision(decision)
    return perform(
        order,
        actor=actor,
        action=Action.RETURN_REVIEW,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.ReturnReview(
            at=t,
            decision=verdict,
            unit=lead.code if lead else "",
            co_units=_codes(co_units),
            sign_by=clock.sign_by(o, t) if lead else None,
        ),
    )


@transaction.atomic
def order_sub_dispatch(*, order, sub_unit: Unit, actor, unit=None, at=None, expected_version=None):
    """SPEC 2: a unit passes the order to one of its own sub-units and stays responsible."""
    unit = acting_unit(actor, unit, "sub_dispatch")
    if sub_unit.parent_id != unit.pk:
        raise NotSubUnit(f"「{sub_unit}」不是「{unit}」的下级单位")
    return perform(
        order,
        actor=actor,
        action=Action.SUB_DISPATCH,
        unit=unit,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.SubDispatch(at=t, unit=unit.code, sub_unit=sub_unit.code),
    )


@transaction.atomic
def order_consultation_open(*, order, note: str, actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action=Action.CONSULTATION_OPEN,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.ConsultationOpen(at=t, note=note),
    )


@transaction.atomic
def order_consultation_close(*, order, decision: str, actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action=Action.CONSULTATION_CLOSE,
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.ConsultationClose(
            at=t, decision=decision, deadline=clock.resumed_deadline(s, t)
        ),
    )
