"""When an order falls in an assessment period for its lead unit (SPEC 5, 2026-12).

An order counts for its lead unit in the period in which it falls due or is concluded,
whichever comes first: its conclusion, or the moment its deadline in force passes while
it is still open — for an order not yet signed for, its sign-for deadline. That moment
is ``falls_due_at``. It is kept on the lead assignment and moved by every event of the
order (``orders/projection.py``), so that the assessment finds a period's orders in one
index range and a report made at ``made_at`` counts exactly those with
``falls_due_at <= made_at``; the others are in handling (在办未到期).

Once the moment has passed it never moves again: an extension or a pause asked after
the deadline (SPEC 4, 2026-12: the order stays overdue), a rework after the conclusion
or a late sign-for leave the order in the period it already fell in — so grades do not
change when open orders later conclude. Before it has passed, it follows the deadline
in force: a granted extension moves it, and while the clock stands still (a pause or a
consultation) the order cannot fall due at all (``None``) until the clock runs again.
"""

from __future__ import annotations

from datetime import datetime

from hotline.domain.lifecycle import OrderState


def falls_due_at(previous: datetime | None, state: OrderState, at: datetime) -> datetime | None:
    """The lead unit's ``falls_due_at`` after an event at ``at`` left the order in
    ``state``; ``previous`` is the value before the event (``None`` for a new lead)."""
    if previous is not None and previous <= at:
        return previous  # already fell due (or concluded) before this event
    if state.concluded_at is not None:
        return state.concluded_at
    if state.stopped_since is not None:
        return None  # SPEC 4: the clock stops; the deadline moves when it runs again
    if state.signed_at is None:
        return state.sign_by
    return state.deadline
