"""Giving awaited callbacks to the callback agents (回访分配): the lead assigns,
reassigns and releases; an agent takes an unassigned one or gives back their own.

Each order is its own use case and transaction, recorded as a ``callback_assign``
event through the write door; the queue's batch runs it order by order
(``web.views.order_actions.order_batch_action``), so that one order's refusal leaves
the others assigned and each order gets its own answer.
"""

from datetime import datetime
from typing import Unpack

from django.db import transaction

from hotline.accounts.models import User
from hotline.domain import callback_assignment
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.enums import Status
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import OrderState
from hotline.orders.models import Order
from hotline.orders.selectors.callbacks import awaits_callback, called_back_since_conclusion
from hotline.orders.services.recording import Actor, Occasion, perform

# The statuses whose orders the state machine lets await a callback; in them the
# records say whether it is still awaited.
_MAY_AWAIT = frozenset({Status.CONCLUDED, Status.MERGED})


class AlreadyCalledBack(DomainError):
    code = "already_called_back"


class NotAwaitingCallback(DomainError):
    code = "not_awaiting_callback"


def _holder_name(username: str) -> str:
    found = User.objects.filter(username=username).values_list("first_name", flat=True).first()
    return found or username


@transaction.atomic
def order_callback_assign(
    *,
    order: Order,
    agent: User | None,
    actor: Actor,
    reassign: bool = False,
    **occasion: Unpack[Occasion],
) -> Order:
    """``agent`` None releases the order to the unassigned. ``reassign``: the lead takes
    an order from the agent it was assigned to (else that is refused)."""
    wanted = agent.username if agent is not None else ""

    def build(order: Order, state: OrderState, at: datetime) -> ev.Event:
        if agent is not None:
            callback_assignment.check_agent(agent.role, agent.is_active)
        if state.status in _MAY_AWAIT and not awaits_callback(order):
            if called_back_since_conclusion(order):
                raise AlreadyCalledBack("该工单已回访，无需分配")
            raise NotAwaitingCallback("该工单尚未到回访的时候（主工单未办结）")
        if actor is not None:
            callback_assignment.check(
                role=actor.role,
                actor=actor.username,
                holder=state.callback_agent,
                agent=wanted,
                reassign=reassign,
                holder_name=_holder_name(state.callback_agent) if state.callback_agent else "",
            )
        return ev.CallbackAssign(at=at, agent=wanted)

    return perform(order, actor=actor, action=Action.CALLBACK_ASSIGN, build=build, **occasion)
