"""What happens to orders, told to the apps that act on it.

The write door publishes and knows no subscriber: ``recording`` publishes an
``EventRecorded`` for each event it appends, the deadline watch a ``DeadlineReached``
for each warning it marks. The apps that act on them (notifications today; feedback to
other systems later) subscribe in their ``AppConfig.ready``. A message is handled at
once, inside the transaction of the write that published it, so what a subscriber
writes commits or rolls back with the event, and a subscriber's failure refuses the
write. A history import publishes nothing: an imported past tells nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hotline.domain import events as ev
from hotline.domain.lifecycle import OrderState
from hotline.domain.notification_rules import NoticeKind
from hotline.orders.models import Order


@dataclass(frozen=True)
class EventRecorded:
    """Event number ``seq`` took ``order`` from ``before`` (None for its first event)
    to ``after``."""

    order: Order
    event: ev.Event
    seq: int
    before: OrderState | None
    after: OrderState
    actor: object | None  # None: the system itself


@dataclass(frozen=True)
class DeadlineReached:
    """The deadline watch marked ``kind`` (a warning or overdue) for the lead ``unit``."""

    order: Order
    kind: NoticeKind
    unit: str  # code
    deadline: datetime
    at: datetime


Message = EventRecorded | DeadlineReached

# As cosmicpython's message bus: per message type, its subscribers in the order they
# subscribed.
HANDLERS: dict[type, list[Callable]] = {EventRecorded: [], DeadlineReached: []}


def subscribe(message_type: type, handler: Callable) -> None:
    """Adds ``handler`` once, however often its app is made ready."""
    handlers = HANDLERS[message_type]
    if handler not in handlers:
        handlers.append(handler)


def publish(message: Message) -> None:
    for handler in tuple(HANDLERS[type(message)]):
        handler(message)
