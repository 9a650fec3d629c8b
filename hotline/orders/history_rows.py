"""Turning order-history lines into table rows, with no database and no Django, so that
history import can do it in a worker process while the main process writes.

The rows are exactly those live work writes: the order with its state and indexed
copies, one event row per event, and the side records from the shared projection.
Orders are referred to by their index in the chunk until the writer knows their ids.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import AssignmentRole, ReviewDecision, ViolationKind
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import to_json
from hotline.interchange.order_lines import Lookups, read_order
from hotline.orders.projection import project

ORDER_COLUMNS = (
    "id", "number", "citizen_id", "merged_into_id", "split_from_id",
    "received_at", "channel", "appeal_type", "category_id", "region_id",
    "address", "content", "confidential", "urgent", "call_id", "operator_id",
    "state", "version",
    "status", "disposition", "reject_reason", "lead_unit_id", "sub_unit_id", "sign_by",
    "deadline", "concluded_at", "closed_at", "on_time", "difficult", "paused", "supervision",
    "updated_at",
)  # fmt: skip
FILLED_BY_WRITER = 5  # id, number, citizen, merge and split links come from the database
EVENT_COLUMNS = (
    "order_id", "seq", "type", "at", "actor_id", "from_status", "to_status", "data",
    "recorded_at",
)  # fmt: skip
# Every side table has the order first, so the writer can put in the order's id.
SIDE_COLUMNS = {
    "orders_assignment": ("order_id", "unit_id", "role", "assigned_at", "ended_at"),
    "orders_reply": ("order_id", "unit_id", "text", "contacted", "at", "decision", "review_note"),
    "orders_callback": (
        "order_id", "unit_id", "kind", "result", "at", "agent_id", "pressured", "leaked",
        "rework", "appeal_upheld",
    ),
    "orders_extension": (
        "order_id", "unit_id", "reason", "until", "requested_at", "granted", "decided_at",
    ),
    "orders_supervision": ("order_id", "level", "note", "at", "by_id"),
    "orders_instruction": ("order_id", "text", "at", "by_id"),
    "orders_violation": ("order_id", "unit_id", "kind", "note", "at", "reviewed"),
}  # fmt: skip


def state_columns(state: OrderState, unit_ids: Mapping[str, int]) -> dict[str, object]:
    """The order's indexed copies of its state (column name → value)."""
    return {
        "status": state.status.value,
        "disposition": state.disposition.value if state.disposition else "",
        "reject_reason": state.reject_reason.value if state.reject_reason else "",
        "lead_unit_id": unit_ids[state.lead] if state.lead else None,
        "sub_unit_id": unit_ids[state.sub_unit] if state.sub_unit else None,
        "sign_by": state.sign_by,
        "deadline": state.deadline,
        "concluded_at": state.concluded_at,
        "closed_at": state.closed_at,
        "on_time": state.on_time,
        "difficult": state.difficult,
        "paused": state.stopped_since is not None,
        "supervision": state.supervision.value if state.supervision else "",
        "updated_at": state.last_at,
    }


class MemoryLedger:
    """Side records of the orders of one chunk, as rows for bulk writing."""

    def __init__(self, unit_ids: Mapping[str, int]):
        self.unit_ids = unit_ids
        self.rows: dict[str, list[list]] = defaultdict(list)
        self.start(0)

    def start(self, order: int) -> None:
        self.order = order
        self._current: list[list] = []  # this order's open assignments
        self._replies: list[list] = []
        self._unsatisfied: list[list] = []
        self._pending_extension: list | None = None

    def _unit(self, code: str | None) -> int | None:
        return self.unit_ids[code] if code else None

    def end_assignments(self, at: datetime, role: AssignmentRole | None = None) -> None:
        still = []
        for row in self._current:
            if role is None or row[2] == role.value:
                row[4] = at
            else:
                still.append(row)
        self._current = still

    def add_assignment(self, unit: str, role: AssignmentRole, at: datetime) -> None:
        row = [self.order, self._unit(unit), role.value, at, None]
        self.rows["orders_assignment"].append(row)
        self._current.append(row)

    def add_reply(self, unit: str, text: str, contacted: bool, at: datetime) -> None:
        row = [self.order, self._unit(unit), text, contacted, at, "", ""]
        self.rows["orders_reply"].append(row)
        self._replies.append(row)

    def review_latest_reply(self, decision: ReviewDecision, note: str) -> None:
        if self._replies:
            self._replies[-1][5:7] = [decision.value, note]

    def add_callback(self, kind: str, unit: str | None, event, agent) -> None:
        row = [
            self.order, self._unit(unit), kind, event.result.value, event.at, None,
            getattr(event, "pressured", False), getattr(event, "leaked", False),
            getattr(event, "rework", False), None,
        ]  # fmt: skip
        self.rows["orders_callback"].append(row)
        if event.result.value == "unsatisfied":
            self._unsatisfied.append(row)

    def settle_appeal(self, upheld: bool) -> None:
        for row in self._unsatisfied:
            if row[9] is None:
                row[9] = upheld
                return

    def add_extension(self, event) -> None:
        row = [self.order, self._unit(event.unit), event.reason, event.until, event.at, None, None]
        self.rows["orders_extension"].append(row)
        self._pending_extension = row

    def decide_extension(self, granted: bool, at: datetime) -> None:
        if self._pending_extension is not None:
            self._pending_extension[5:7] = [granted, at]
            self._pending_extension = None

    def add_supervision(self, event, by) -> None:
        self.rows["orders_supervision"].append(
            [self.order, event.level.value, event.note, event.at, None]
        )

    def add_instruction(self, event, by) -> None:
        self.rows["orders_instruction"].append([self.order, event.text, event.at, None])

    def add_violation(self, unit: str, kind: ViolationKind, at: datetime) -> None:
        self.rows["orders_violation"].append(
            [self.order, self._unit(unit), kind.value, "", at, False]
        )


@dataclass(frozen=True)
class Context:
    """What a worker needs: the look-ups for reading and the ids for rows."""

    lookups: Lookups
    unit_ids: Mapping[str, int]
    category_ids: Mapping[str, int]
    region_ids: Mapping[str, int]
    now: datetime


@dataclass
class PreparedOrder:
    line: int
    number: str | None
    year: int  # of intake, for numbering
    merged_into: str | None
    split_from: str | None
    citizen: tuple[str, str, str] | None  # name, phone, kind
    tags: tuple[str, ...]
    row: list  # ORDER_COLUMNS, the first FILLED_BY_WRITER left for the writer


@dataclass
class PreparedChunk:
    orders: list[PreparedOrder] = field(default_factory=list)
    events: list[list] = field(default_factory=list)  # order index first
    side: dict[str, list[list]] = field(default_factory=dict)  # order index first


def prepare_chunk(lines: list[tuple[int, str]], context: Context) -> PreparedChunk:
    """Reads and replays each line (raising ``LineError`` for the first bad one)."""
    chunk = PreparedChunk()
    ledger = MemoryLedger(context.unit_ids)
    for index, (line, text) in enumerate(lines):
        order = read_order(text, line, context.lookups)
        ledger.start(index)
        for seq, (before, event, after) in enumerate(order.steps, start=1):
            project(ledger, before, after, event, None)
            chunk.events.append(
                [
                    index, seq, event.type, event.at, None,
                    before.status.value if before else "", after.status.value,
                    json.dumps(event.to_data(), ensure_ascii=False), context.now,
                ]
            )  # fmt: skip
        values = {
            "received_at": order.received_at,
            "channel": order.channel.value,
            "appeal_type": order.appeal_type.value,
            "category_id": context.category_ids[order.category] if order.category else None,
            "region_id": context.region_ids[order.region] if order.region else None,
            "address": order.address,
            "content": order.content,
            "confidential": order.confidential,
            "urgent": order.urgent,
            "call_id": order.call_id,
            "operator_id": None,
            "state": json.dumps(to_json(order.state), ensure_ascii=False),
            "version": len(order.steps),
            **state_columns(order.state, context.unit_ids),
        }
        citizen = order.citizen
        chunk.orders.append(
            PreparedOrder(
                line=line,
                number=order.number,
                year=order.received_at.astimezone(LOCAL_TZ).year,
                merged_into=order.merged_into,
                split_from=order.split_from,
                citizen=(citizen.name, citizen.phone, citizen.kind.value) if citizen else None,
                tags=order.tags,
                row=[None] * FILLED_BY_WRITER
                + [values[c] for c in ORDER_COLUMNS[FILLED_BY_WRITER:]],
            )
        )
    chunk.side = dict(ledger.rows)
    return chunk
