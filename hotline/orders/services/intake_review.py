"""The operators' intake review of online orders (SPEC 3, 2026-12), one step each.

An order from the portal, WeChat, an app, a mailbox, Open311, the province platform or
110 arrives unclassified. The operator classifies it (category, region, appeal type,
the address corrected) and gives it any outcome a call can have: dispatched, left to
the dispatcher, answered online (the answer goes back through the channel), not
accepted, or transferred to an emergency service. Classification and outcome are one
transaction, outermost like the intake desk's: a refused outcome leaves the order
unclassified in the queue, as it was.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from hotline.accounts.models import User
from hotline.directory.models import Category, Region
from hotline.orders.models import Order
from hotline.orders.services.intake import order_classify
from hotline.orders.services.recording import Version

# An outcome: the order service to call, given the order and the version it must be at.
Outcome = Callable[[Order, Version], Order]


@dataclass(frozen=True)
class Classification:
    category: Category | None
    region: Region | None
    appeal_type: str
    address: str = ""


@transaction.atomic(durable=True)
def order_review(
    *,
    order: Order,
    actor: User | None,
    classification: Classification | None,
    outcome: Outcome | None = None,
    expected_version: Version = None,
) -> Order:
    """Classifies ``order`` (when ``classification`` is given: an emergency or a
    rejection needs none) and then gives it ``outcome`` (None: the dispatcher's)."""
    if classification is not None:
        order = order_classify(
            order=order,
            actor=actor,
            category=classification.category,
            region=classification.region,
            appeal_type=classification.appeal_type,
            address=classification.address,
            expected_version=expected_version,
        )
        expected_version = order.version
    return outcome(order, expected_version) if outcome is not None else order
