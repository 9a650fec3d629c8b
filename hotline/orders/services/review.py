"""The office's side after a reply (SPEC 4 and 6): review, callback, spot check,
appeal and closing. Replies, callbacks and violations are recorded by the projection."""

from django.db import transaction

from hotline.domain import events as ev
from hotline.domain.enums import AppealDecision, CallbackResult, ReviewDecision, Solved
from hotline.orders.services import clock
from hotline.orders.services.recording import perform


@transaction.atomic
def order_review(*, order, decision: str, actor, note: str = "", at=None, expected_version=None):
    verdict = ReviewDecision(decision)
    return perform(
        order,
        actor=actor,
        action="review",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Review(
            at=t,
            decision=verdict,
            note=note,
            # A reply sent back gets a fresh handling period from the rework.
            deadline=clock.reply_deadline(o, t) if verdict is ReviewDecision.REWORK else None,
        ),
    )


@transaction.atomic
def order_callback(
    *,
    order,
    result: str,
    actor,
    rework: bool = False,
    pressured: bool = False,
    leaked: bool = False,
    solved: str | None = None,
    unit_contacted: bool | None = None,
    note: str = "",
    at=None,
    expected_version=None,
):
    """SPEC 4: the callback's result and its questions; a reply said resolved that the
    citizen says is not raises 答复与回访不符 (SPEC 6, in the projection)."""
    outcome = CallbackResult(result)
    answer = Solved(solved) if solved else None
    return perform(
        order,
        actor=actor,
        action="callback",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Callback(
            at=t,
            result=outcome,
            rework=rework,
            pressured=pressured,
            leaked=leaked,
            deadline=clock.reply_deadline(o, t) if rework else None,
            solved=answer,
            unit_contacted=unit_contacted,
            note=note,
        ),
    )


@transaction.atomic
def order_spot_check(*, order, result: str, actor, at=None, expected_version=None):
    outcome = CallbackResult(result)
    return perform(
        order,
        actor=actor,
        action="spot_check",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.SpotCheck(at=t, result=outcome),
    )


@transaction.atomic
def order_appeal(*, order, decision: str, actor, reason: str = "", at=None, expected_version=None):
    """SPEC 4: an upheld appeal takes the unsatisfied result out of the unit's assessment."""
    verdict = AppealDecision(decision)
    return perform(
        order,
        actor=actor,
        action="appeal",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Appeal(at=t, decision=verdict, reason=reason),
    )


@transaction.atomic
def order_close(*, order, actor, at=None, expected_version=None):
    return perform(
        order,
        actor=actor,
        action="close",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Close(at=t),
    )
