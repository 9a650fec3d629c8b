"""The office's side after a reply (SPEC 4 and 6): review, callback, spot check,
appeal and closing."""

from django.db import transaction
from django.utils import timezone

from hotline.domain import events as ev
from hotline.domain.discipline import violations_from_callback
from hotline.domain.enums import AppealDecision, CallbackResult, ReviewDecision
from hotline.orders.models import Callback, Reply, Violation
from hotline.orders.services import clock
from hotline.orders.services.recording import perform


@transaction.atomic
def order_review(*, order, decision: str, actor, note: str = "", at=None, expected_version=None):
    verdict = ReviewDecision(decision)
    order = perform(
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
    latest = Reply.objects.filter(order=order).order_by("-at", "-id").first()
    if latest is not None:
        latest.decision, latest.review_note = verdict.value, note
        latest.save(update_fields=["decision", "review_note"])
    return order


@transaction.atomic
def order_callback(
    *,
    order,
    result: str,
    actor,
    rework: bool = False,
    pressured: bool = False,
    leaked: bool = False,
    at=None,
    expected_version=None,
):
    outcome = CallbackResult(result)
    at = at or timezone.now()
    event = None

    def build(o, s, t):
        nonlocal event
        event = ev.Callback(
            at=t,
            result=outcome,
            rework=rework,
            pressured=pressured,
            leaked=leaked,
            deadline=clock.reply_deadline(o, t) if rework else None,
        )
        return event

    order = perform(
        order, actor=actor, action="callback", at=at, expected_version=expected_version, build=build
    )
    Callback.objects.create(
        order=order,
        unit=order.lead_unit,
        kind=Callback.Kind.CALLBACK,
        result=outcome.value,
        at=at,
        agent=actor,
        pressured=pressured,
        leaked=leaked,
        rework=rework,
    )
    if order.lead_unit is not None:
        Violation.objects.bulk_create(
            Violation(unit=order.lead_unit, order=order, kind=kind.value, at=at)
            for kind in violations_from_callback(event)
        )
    return order


@transaction.atomic
def order_spot_check(*, order, result: str, actor, at=None, expected_version=None):
    outcome = CallbackResult(result)
    at = at or timezone.now()
    order = perform(
        order,
        actor=actor,
        action="spot_check",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.SpotCheck(at=t, result=outcome),
    )
    Callback.objects.create(
        order=order,
        unit=order.lead_unit,
        kind=Callback.Kind.SPOT_CHECK,
        result=outcome.value,
        at=at,
        agent=actor,
    )
    return order


@transaction.atomic
def order_appeal(*, order, decision: str, actor, reason: str = "", at=None, expected_version=None):
    """SPEC 4: an upheld appeal takes the unsatisfied result out of the unit's assessment."""
    verdict = AppealDecision(decision)
    order = perform(
        order,
        actor=actor,
        action="appeal",
        at=at,
        expected_version=expected_version,
        build=lambda o, s, t: ev.Appeal(at=t, decision=verdict, reason=reason),
    )
    contested = (
        Callback.objects.filter(
            order=order, result=CallbackResult.UNSATISFIED.value, appeal_upheld__isnull=True
        )
        .order_by("at", "id")
        .first()
    )
    if contested is not None:
        contested.appeal_upheld = verdict is AppealDecision.UPHELD
        contested.save(update_fields=["appeal_upheld"])
    return order


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
