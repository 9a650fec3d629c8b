"""A unit's handling (SPEC 4): sign, contact (and the hotline's three-way call for a
confidential order), extension, clock pauses, reply, co-units' part."""

from datetime import date, datetime
from typing import Unpack

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import ContactOutcome, ContactWay, ExtensionDecision, PauseDecision, Role
from hotline.domain.errors import DomainError
from hotline.orders.models import Order
from hotline.orders.services import clock
from hotline.orders.services.recording import (
    Actor,
    Occasion,
    UnitOccasion,
    Version,
    When,
    acting_unit,
    perform,
    perform_for_unit,
)


class ContactInFuture(DomainError):
    code = "contact_in_future"


@transaction.atomic
def order_sign(*, order: Order, actor: Actor, **occasion: Unpack[UnitOccasion]) -> Order:
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.SIGN,
        build=lambda order, state, at, unit: ev.Sign(
            at=at,
            unit=unit.code,
            deadline=clock.reply_deadline(order, at),
            respond_by=clock.respond_by(at),
        ),
        **occasion,
    )


@transaction.atomic
def order_contact(
    *,
    order: Order,
    way: str,
    outcome: str,
    actor: Actor,
    contacted_at: When = None,
    unit: Unit | None = None,
    now: datetime | None = None,
    expected_version: Version = None,
):
    """SPEC 4 (2026-12): a unit records one contact with the citizen, when it happened
    (default now). Confidential orders too: the unit reached them by a three-way call."""
    unit = acting_unit(actor, unit, Action.CONTACT)
    now = now or timezone.now()
    if contacted_at is not None and contacted_at > now:
        raise ContactInFuture("联系时间不能晚于当前时间")
    how, result = ContactWay(way), ContactOutcome(outcome)
    return perform(
        order,
        actor=actor,
        action=Action.CONTACT,
        unit=unit,
        at=contacted_at or now,
        expected_version=expected_version,
        build=lambda order, state, at: ev.Contact(at=at, unit=unit.code, way=how, outcome=result),
    )


@transaction.atomic
def order_three_way_request(
    *, order: Order, actor: Actor, note: str = "", **occasion: Unpack[UnitOccasion]
) -> Order:
    """SPEC 4 (2026-12): the unit asks the hotline to connect it with the citizen, whose
    identity it does not see; the operators' list shows the request until the call."""
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.THREE_WAY_REQUEST,
        build=lambda order, state, at, unit: ev.ThreeWayRequest(
            at=at, unit=unit.code, note=note.strip()
        ),
        **occasion,
    )


@transaction.atomic
def order_three_way_call(
    *, order: Order, unit: Unit, outcome: str, actor: Actor, **occasion: Unpack[Occasion]
) -> Order:
    """The operator connected the unit with the citizen (or tried): it is the unit's
    contact, recorded with the way 三方通话."""
    result = ContactOutcome(outcome)
    return perform(
        order,
        actor=actor,
        action=Action.THREE_WAY_CALL,
        build=lambda order, state, at: ev.ThreeWayCall(at=at, unit=unit.code, outcome=result),
        **occasion,
    )


@transaction.atomic
def order_extension_request(
    *, order: Order, until: date, reason: str, actor: Actor, **occasion: Unpack[UnitOccasion]
) -> Order:
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.EXTENSION_REQUEST,
        build=lambda order, state, at, unit: ev.ExtensionRequest(
            at=at, unit=unit.code, until=clock.end_of_day(until), reason=reason
        ),
        **occasion,
    )


@transaction.atomic
def order_extension_decision(
    *, order: Order, decision: str, actor: Actor, **occasion: Unpack[Occasion]
) -> Order:
    verdict = ExtensionDecision(decision)
    return perform(
        order,
        actor=actor,
        action=Action.EXTENSION_DECISION,
        build=lambda order, state, at: ev.ExtensionDecide(at=at, decision=verdict),
        **occasion,
    )


def _clock_keeper(actor) -> str:
    """The unit a pause or resume is taken in the name of: a unit handler's own unit
    (the state machine refuses any but the lead, SPEC 4 2026-12), "" for the office."""
    if actor is not None and actor.role == Role.UNIT_HANDLER:
        return actor.unit.code
    return ""


def _pause(at: datetime, *, reason: str, unit: str, until: date | None):
    """A unit's pause ends by the office's limit unless the supervisor approves a later
    planned end (SPEC 4, 2026-12); the office's own pause needs no approval."""
    planned = clock.end_of_day(until) if until is not None else None
    if not unit:
        return ev.Pause(at=at, reason=reason, until=planned)
    limit = clock.pause_limit(at)
    if planned is None or planned <= limit:
        return ev.Pause(at=at, reason=reason, unit=unit, until=planned or limit)
    return ev.Pause(at=at, reason=reason, unit=unit, until=planned, approval=True)


@transaction.atomic
def order_pause(
    *,
    order: Order,
    reason: str,
    actor: Actor,
    until: date | None = None,
    **occasion: Unpack[Occasion],
) -> Order:
    unit = _clock_keeper(actor)
    return perform(
        order,
        actor=actor,
        action=Action.PAUSE,
        build=lambda order, state, at: _pause(at, reason=reason, unit=unit, until=until),
        **occasion,
    )


@transaction.atomic
def order_pause_decision(
    *, order: Order, decision: str, actor: Actor, **occasion: Unpack[Occasion]
) -> Order:
    verdict = PauseDecision(decision)
    return perform(
        order,
        actor=actor,
        action=Action.PAUSE_DECISION,
        build=lambda order, state, at: ev.PauseDecide(at=at, decision=verdict),
        **occasion,
    )


@transaction.atomic
def order_resume(*, order: Order, actor: Actor, **occasion: Unpack[Occasion]) -> Order:
    unit = _clock_keeper(actor)
    return perform(
        order,
        actor=actor,
        action=Action.RESUME,
        build=lambda order, state, at: ev.Resume(
            at=at, deadline=clock.resumed_deadline(state, at), unit=unit
        ),
        **occasion,
    )


@transaction.atomic
def order_reply(
    *,
    order: Order,
    text: str,
    actor: Actor,
    contacted: bool = True,
    resolved: bool | None = None,
    **occasion: Unpack[UnitOccasion],
) -> Order:
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.REPLY,
        build=lambda order, state, at, unit: ev.Reply(
            at=at, unit=unit.code, text=text, contacted=contacted, resolved=resolved
        ),
        **occasion,
    )


@transaction.atomic
def order_co_reply(
    *, order: Order, text: str, actor: Actor, **occasion: Unpack[UnitOccasion]
) -> Order:
    return perform_for_unit(
        order,
        actor=actor,
        action=Action.CO_REPLY,
        build=lambda order, state, at, unit: ev.CoReply(at=at, unit=unit.code, text=text),
        **occasion,
    )
