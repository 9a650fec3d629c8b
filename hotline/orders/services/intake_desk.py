"""The operator's outcomes for a call, each registered and decided in one step (SPEC 3).

On the phone the operator registers the order and decides it at once: answered,
dispatched, rejected, transferred to an emergency service, harassment or invalid. Each
use case is one transaction, so a refused decision (a missing reason, a lead unit also
named as co-unit…) leaves no registered order behind. That transaction is the outermost
(``durable``): the page calls these use cases, never another transaction.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hotline.accounts.models import User
from hotline.directory.models import Unit
from hotline.knowledge.services import article_usage_record
from hotline.orders.models import Order
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.intake import (
    Intake,
    order_answer,
    order_harassment,
    order_invalid,
    order_register,
    order_reject,
    order_transfer,
)


@transaction.atomic(durable=True)
def order_answer_at_intake(
    *, actor: User | None, intake: Intake, article: str = "", at: datetime | None = None
) -> Order:
    at = at or timezone.now()
    order = order_register(actor=actor, intake=intake, at=at)
    order = order_answer(order=order, actor=actor, article=article, at=at)
    article_usage_record(reference=article)  # a knowledge-base article: one more use
    return order


@transaction.atomic(durable=True)
def order_dispatch_at_intake(
    *,
    actor: User | None,
    intake: Intake,
    lead: Unit,
    co_units: Iterable[Unit] = (),
    at: datetime | None = None,
) -> Order:
    at = at or timezone.now()
    order = order_register(actor=actor, intake=intake, at=at)
    return order_dispatch(order=order, lead=lead, co_units=co_units, actor=actor, at=at)


@transaction.atomic(durable=True)
def order_reject_at_intake(
    *, actor: User | None, intake: Intake, reason: str, at: datetime | None = None
) -> Order:
    at = at or timezone.now()
    order = order_register(actor=actor, intake=intake, at=at)
    return order_reject(order=order, actor=actor, reason=reason, at=at)


@transaction.atomic(durable=True)
def order_transfer_at_intake(
    *, actor: User | None, intake: Intake, to: str, note: str, at: datetime | None = None
) -> Order:
    at = at or timezone.now()
    order = order_register(actor=actor, intake=intake, at=at)
    return order_transfer(order=order, actor=actor, to=to, note=note, at=at)


@transaction.atomic(durable=True)
def order_harassment_at_intake(
    *, actor: User | None, intake: Intake, at: datetime | None = None
) -> Order:
    at = at or timezone.now()
    order = order_register(actor=actor, intake=intake, at=at)
    return order_harassment(order=order, actor=actor, at=at)


@transaction.atomic(durable=True)
def order_invalid_at_intake(
    *, actor: User | None, intake: Intake, at: datetime | None = None
) -> Order:
    at = at or timezone.now()
    order = order_register(actor=actor, intake=intake, at=at)
    return order_invalid(order=order, actor=actor, at=at)
