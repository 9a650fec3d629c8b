"""The deadline once a stopped clock runs again (SPEC 4: pauses and consultations)."""

from datetime import datetime

from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import extend_for_pause
from hotline.domain.lifecycle import OrderState


def deadline_after_stop(
    state: OrderState, at: datetime, calendar: WorkingCalendar
) -> datetime | None:
    """The deadline moved by the time the clock has stood still until ``at``; the state
    machine takes it only if the clock really restarts then.

    SPEC 4 (2026-12): a pause counts only up to its planned end (the office's limit, or
    the end the supervisor approved): resuming later does not buy more time."""
    if state.deadline is None or state.stopped_since is None:
        return state.deadline
    end = at
    if state.pause_until is not None:
        end = max(state.stopped_since, min(at, state.pause_until))
    return extend_for_pause(
        state.deadline, state.stopped_since, end, calendar=calendar, urgent=state.urgent
    )
