"""The order's indexed copies of its state: the columns that live work and history import
both write beside the state's JSON, so that queues and reports filter on indexed columns.
Plain Python, so that history import's worker processes can use it without Django."""

from __future__ import annotations

from collections.abc import Mapping

from hotline.domain.lifecycle import OrderState

STATE_COLUMNS = (
    "status", "disposition", "reject_reason", "lead_unit_id", "sub_unit_id", "sign_by",
    "deadline", "concluded_at", "closed_at", "on_time", "difficult", "paused", "supervision",
    "updated_at", "respond_by", "callback_agent",
)  # fmt: skip


def state_columns(state: OrderState, unit_ids: Mapping[str, int]) -> dict[str, object]:
    """The order's indexed copies of its state (column name → value)."""
    return dict(zip(STATE_COLUMNS, state_values(state, unit_ids), strict=True))


def state_values(state: OrderState, unit_ids: Mapping[str, int]) -> tuple:
    """The values of ``STATE_COLUMNS``. (``_value_`` is an enum member's value, read
    without the ``value`` property: history import reads millions of them.)"""
    return (
        state.status._value_,
        state.disposition._value_ if state.disposition else "",
        state.reject_reason._value_ if state.reject_reason else "",
        unit_ids[state.lead] if state.lead else None,
        unit_ids[state.sub_unit] if state.sub_unit else None,
        state.sign_by,
        state.deadline,
        state.concluded_at,
        state.closed_at,
        state.on_time,
        state.difficult,
        state.stopped_since is not None,
        state.supervision._value_ if state.supervision else "",
        state.last_at,
        state.respond_by,
        state.callback_agent,
    )
