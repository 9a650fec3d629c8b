"""12345–110 linkage (SPEC 3, 2026-12): when the order 110 handed over has reached its
conclusion, and what is fed back to 110 about it."""

from __future__ import annotations

from datetime import datetime

from hotline.domain.enums import Disposition, Status
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import dump_value

# What 110 is told the order came to, by the disposition that closed it at intake.
RESULT = {
    Disposition.ANSWERED: "answered",
    Disposition.REJECTED: "rejected",
    Disposition.TRANSFERRED: "transferred",
    Disposition.HARASSMENT: "closed",
    Disposition.INVALID: "closed",
}
CONCLUDED = "concluded"


def concluded_now(before: OrderState | None, after: OrderState) -> bool:
    """The event took the order to its conclusion: a reply accepted (or a close after a
    reply), or an outcome that closes it at intake. A merged order is concluded with the
    order it joined, not of its own."""
    if before is None:
        return False
    if before.concluded_at is None and after.concluded_at is not None:
        return True
    return before.status is Status.REGISTERED and after.status is Status.CLOSED


def feedback(
    *,
    number: str,
    police_ref: str,
    state: OrderState,
    text: str,
    unit: str,
    at: datetime,
) -> dict:
    """The feedback document sent to 110: its own reference, our number, the result
    (``concluded`` after handling, or the intake outcome), the reply or answer text and
    the unit that handled it."""
    result = CONCLUDED if state.concluded_at is not None else RESULT[state.disposition]
    return {
        "police_ref": police_ref,
        "number": number,
        "result": result,
        "transferred_to": dump_value(state.transferred_to),
        "unit": unit,
        "text": text,
        "concluded_at": dump_value(at),
    }
