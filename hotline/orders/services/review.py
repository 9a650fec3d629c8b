"""The office's side after a reply (SPEC 4 and 6): review, callback, spot check,
appeal and closing. Replies, callbacks and violations are recorded by the projection."""

from datetime import datetime
from typing import Unpack

from django.db import transaction

from hotline.configuration.selectors import appeal_window_days, working_calendar
from hotline.directory.models import Unit
from hotline.domain import appeal_window
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AssignmentRole,
    CallbackResult,
    ReviewDecision,
    Solved,
    Status,
)
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Assignment, Callback, Order
from hotline.orders.services import clock
from hotline.orders.services.discipline import forwarding_confirm
from hotline.orders.services.recording import (
    Actor,
    Occasion,
    acting_unit,
    perform,
)


@transaction.atomic
def order_review(
    *,
    order: Order,
    decision: str,
    actor: Actor,
    note: str = "",
    forwarding: bool = False,
    **occasion: Unpack[Occasion],
) -> Order:
    """``forwarding``: the reviewer confirms the reply only forwards the matter (二传手,
    SPEC 6), which records that violation on the replying unit with the review."""
    verdict = ReviewDecision(decision)
    order = perform(
        order,
        actor=actor,
        action=Action.REVIEW,
        build=lambda order, state, at: ev.Review(
            at=at,
            decision=verdict,
            note=note,
            # A reply sent back gets a fresh handling period from the rework.
            deadline=clock.reply_deadline(order, at) if verdict is ReviewDecision.REWORK else None,
        ),
        **occasion,
    )
    if forwarding:
        forwarding_confirm(order=order, actor=actor, at=order.updated_at)
    return order


class MainNotConcluded(DomainError):
    code = "main_not_concluded"


def _callback(order: Order, state: OrderState, at: datetime, **answers) -> ev.Callback:
    """SPEC 3 (2026-12): a merged caller is called back once the main order has its
    accepted reply, which is what they are asked about."""
    if state.status is Status.MERGED and order.merged_into.concluded_at is None:
        raise MainNotConcluded(f"主工单 {order.merged_into.number} 尚未办结，办结后再回访")
    if answers["rework"]:
        answers["deadline"] = clock.reply_deadline(order, at)
    return ev.Callback(at=at, **answers)


@transaction.atomic
def order_callback(
    *,
    order: Order,
    result: str,
    actor: Actor,
    rework: bool = False,
    pressured: bool = False,
    leaked: bool = False,
    solved: str | None = None,
    unit_contacted: bool | None = None,
    note: str = "",
    **occasion: Unpack[Occasion],
) -> Order:
    """SPEC 4: the callback's result and its questions; a reply said resolved that the
    citizen says is not raises 答复与回访不符 (SPEC 6, in the projection)."""
    outcome = CallbackResult(result)
    answer = Solved(solved) if solved else None
    return perform(
        order,
        actor=actor,
        action=Action.CALLBACK,
        build=lambda order, state, at: _callback(
            order,
            state,
            at,
            result=outcome,
            rework=rework,
            pressured=pressured,
            leaked=leaked,
            solved=answer,
            unit_contacted=unit_contacted,
            note=note,
        ),
        **occasion,
    )


@transaction.atomic
def order_spot_check(
    *, order: Order, result: str, actor: Actor, **occasion: Unpack[Occasion]
) -> Order:
    outcome = CallbackResult(result)
    return perform(
        order,
        actor=actor,
        action=Action.SPOT_CHECK,
        build=lambda order, state, at: ev.SpotCheck(at=at, result=outcome),
        **occasion,
    )


@transaction.atomic
def order_appeal(
    *, order: Order, decision: str, actor: Actor, reason: str = "", **occasion: Unpack[Occasion]
) -> Order:
    """SPEC 4: an upheld appeal takes the unsatisfied result out of the unit's assessment."""
    verdict = AppealDecision(decision)
    return perform(
        order,
        actor=actor,
        action=Action.APPEAL,
        build=lambda order, state, at: ev.Appeal(at=at, decision=verdict, reason=reason),
        **occasion,
    )


@transaction.atomic
def order_appeal_file(
    *,
    order: Order,
    kind: str,
    reason: str,
    actor: Actor,
    unit: Unit | None = None,
    **occasion: Unpack[Occasion],
) -> Order:
    """SPEC 4 (2026-12): the lead unit files an appeal against an unsatisfied callback,
    within the window (``domain.appeal_window``); one appeal per unsatisfied result."""
    unit = acting_unit(actor, unit, Action.APPEAL_FILE)
    grounds = AppealKind(kind)

    def build(order: Order, state: OrderState, at: datetime) -> ev.Event:
        contested = (
            Callback.objects.filter(
                order=order, result=CallbackResult.UNSATISFIED.value, appeal_upheld__isnull=True
            )
            .order_by("-at", "-id")
            .first()
        )
        event = ev.AppealFile(at=at, unit=unit.code, kind=grounds, reason=reason)
        if contested is None:
            return event  # the state machine names the refusal (nothing to appeal)
        falls_due = (
            Assignment.objects.filter(
                order=order, role=AssignmentRole.LEAD.value, ended_at__isnull=True
            )
            .values_list("falls_due_at", flat=True)
            .first()
        )
        end = appeal_window.window_end(
            callback_at=contested.at,
            grades_on=appeal_window.grades_appear_on(falls_due),
            days=appeal_window_days(),
            calendar=working_calendar(),
        )
        appeal_window.check_in_window(at, end)
        return event

    return perform(
        order,
        actor=actor,
        action=Action.APPEAL_FILE,
        unit=unit,
        build=build,
        **occasion,
    )


@transaction.atomic
def order_close(*, order: Order, actor: Actor, **occasion: Unpack[Occasion]) -> Order:
    return perform(
        order,
        actor=actor,
        action=Action.CLOSE,
        build=lambda order, state, at: ev.Close(at=at),
        **occasion,
    )
