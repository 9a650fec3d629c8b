"""History import (SPEC 11): an order-history JSON Lines file, whole or not at all.

Each line is read and replayed through the state machine in memory
(``interchange.order_lines``); the rows that live work would have written — the
order, its events and its side records from the same projection — are then written
in bulk, a chunk at a time, inside one transaction. Any refused line rolls back
everything and names the line and the rule.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.directory.models import Category, Region, Tag, Unit
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import AssignmentRole, ReviewDecision, ViolationKind
from hotline.domain.serialization import to_json
from hotline.interchange.order_lines import ImportedOrder, LineError, Lookups, read_order
from hotline.orders.bulk import allocate_ids, write_rows
from hotline.orders.models import Citizen, Order
from hotline.orders.projection import project
from hotline.orders.services.numbering import next_number, reserve_number
from hotline.orders.services.recording import state_columns

CHUNK = 5000

ORDER_COLUMNS = (
    "id", "number", "received_at", "channel", "appeal_type", "category_id", "region_id",
    "address", "content", "citizen_id", "confidential", "urgent", "call_id", "operator_id",
    "state", "version", "merged_into_id", "split_from_id",
    "status", "disposition", "reject_reason", "lead_unit_id", "sub_unit_id", "sign_by",
    "deadline", "concluded_at", "closed_at", "on_time", "difficult", "paused", "supervision",
    "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "order_id", "seq", "type", "at", "actor_id", "from_status", "to_status", "data",
    "recorded_at",
)  # fmt: skip
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
    "orders_violation": ("unit_id", "order_id", "kind", "note", "at", "reviewed"),
    "orders_order_tags": ("order_id", "tag_id"),
}  # fmt: skip


class MemoryLedger:
    """Side records of the orders of one chunk, as rows for bulk writing."""

    def __init__(self, unit_ids: dict[str, int]):
        self.unit_ids = unit_ids
        self.rows: dict[str, list[list]] = defaultdict(list)
        self.order_id = 0
        self._current: list[list] = []  # this order's open assignments
        self._replies: list[list] = []
        self._unsatisfied: list[list] = []
        self._pending_extension: list | None = None

    def start(self, order_id: int) -> None:
        self.order_id = order_id
        self._current, self._replies, self._unsatisfied = [], [], []
        self._pending_extension = None

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
        row = [self.order_id, self._unit(unit), role.value, at, None]
        self.rows["orders_assignment"].append(row)
        self._current.append(row)

    def add_reply(self, unit: str, text: str, contacted: bool, at: datetime) -> None:
        row = [self.order_id, self._unit(unit), text, contacted, at, "", ""]
        self.rows["orders_reply"].append(row)
        self._replies.append(row)

    def review_latest_reply(self, decision: ReviewDecision, note: str) -> None:
        if self._replies:
            self._replies[-1][5:7] = [decision.value, note]

    def add_callback(self, kind: str, unit: str | None, event, agent) -> None:
        row = [
            self.order_id, self._unit(unit), kind, event.result.value, event.at, None,
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
        row = [
            self.order_id,
            self._unit(event.unit),
            event.reason,
            event.until,
            event.at,
            None,
            None,
        ]
        self.rows["orders_extension"].append(row)
        self._pending_extension = row

    def decide_extension(self, granted: bool, at: datetime) -> None:
        if self._pending_extension is not None:
            self._pending_extension[5:7] = [granted, at]
            self._pending_extension = None

    def add_supervision(self, event, by) -> None:
        self.rows["orders_supervision"].append(
            [self.order_id, event.level.value, event.note, event.at, None]
        )

    def add_instruction(self, event, by) -> None:
        self.rows["orders_instruction"].append([self.order_id, event.text, event.at, None])

    def add_violation(self, unit: str, kind: ViolationKind, at: datetime) -> None:
        self.rows["orders_violation"].append(
            [self._unit(unit), self.order_id, kind.value, "", at, False]
        )


@dataclass
class _Directory:
    lookups: Lookups
    unit_ids: dict[str, int]
    category_ids: dict[str, int]
    region_ids: dict[str, int]
    tag_ids: dict[str, int]


def _directory() -> _Directory:
    def by_code_and_name(model):
        table = {}
        for code, name in model.objects.values_list("code", "name"):
            table.setdefault(name, code)
            table[code] = code
        return table

    return _Directory(
        lookups=Lookups(
            units=by_code_and_name(Unit),
            categories=by_code_and_name(Category),
            category_parents=dict(Category.objects.values_list("code", "parent__code")),
            regions=by_code_and_name(Region),
            policy=deadline_policy(),
            calendar=working_calendar(),
        ),
        unit_ids=dict(Unit.objects.values_list("code", "id")),
        category_ids=dict(Category.objects.values_list("code", "id")),
        region_ids=dict(Region.objects.values_list("code", "id")),
        tag_ids=dict(Tag.objects.values_list("name", "id")),
    )


@dataclass
class ImportResult:
    orders: int = 0
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def orders_import(
    *, path: Path, progress: Callable[[ImportResult], None] | None = None
) -> ImportResult:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise LineError(0, f"无法打开 {path}：{error.strerror}") from None
    with handle, transaction.atomic():
        _reserve_given_numbers(handle)
        handle.seek(0)
        return _Importer().run(handle, progress)


_NUMBER = re.compile(r'"number"\s*:\s*"(\d{11})"')


def _reserve_given_numbers(lines) -> None:
    """Numbers the file brings are reserved before any order without one is numbered,
    so that live numbering never repeats them (a cheap scan; lines are checked later)."""
    highest: dict[str, str] = {}
    for text in lines:
        match = _NUMBER.search(text)
        if match and int(match.group(1)[4:]):
            number = match.group(1)
            highest[number[:4]] = max(highest.get(number[:4], ""), number)
    for number in highest.values():
        reserve_number(number)


class _Importer:
    def __init__(self):
        self.directory = _directory()
        self.result = ImportResult()
        self.numbers: dict[str, int] = {}  # every number of this file → order id
        self.citizens: dict[str, int] = {}  # phone → citizen id
        self.id_state: dict = {}
        self.now = timezone.now()

    def run(self, lines, progress) -> ImportResult:
        chunk: list[ImportedOrder] = []
        for line_number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            chunk.append(read_order(text, line_number, self.directory.lookups))
            if len(chunk) == CHUNK:
                self._write(chunk)
                chunk = []
                if progress:
                    progress(self.result)
        self._write(chunk)
        if progress:
            progress(self.result)
        return self.result

    def _write(self, chunk: list[ImportedOrder]) -> None:
        if not chunk:
            return
        ids = allocate_ids("orders_order", len(chunk), state=self.id_state)
        links = self._number(chunk, ids)
        citizens = self._citizens(chunk)
        ledger = MemoryLedger(self.directory.unit_ids)
        orders, events = [], []
        for order, order_id, citizen_id, link in zip(chunk, ids, citizens, links, strict=True):
            ledger.start(order_id)
            for seq, (before, event, after) in enumerate(order.steps, start=1):
                project(ledger, before, after, event, None)
                events.append(
                    (
                        order_id, seq, event.type, event.at, None,
                        before.status.value if before else "", after.status.value,
                        json.dumps(event.to_data(), ensure_ascii=False), self.now,
                    )
                )  # fmt: skip
            orders.append(self._order_row(order, order_id, citizen_id, link))
            for name in order.tags:
                ledger.rows["orders_order_tags"].append([order_id, self._tag(name)])
        write_rows("orders_order", ORDER_COLUMNS, orders)
        write_rows("orders_event", EVENT_COLUMNS, events)
        for table, columns in SIDE_COLUMNS.items():
            write_rows(table, columns, [tuple(r) for r in ledger.rows.get(table, ())])
            self.result.counts[table] += len(ledger.rows.get(table, ()))
        self.result.counts["orders_order"] += len(orders)
        self.result.counts["orders_event"] += len(events)
        self.result.orders += len(orders)
        self.result.rows = sum(self.result.counts.values())

    def _number(self, chunk: list[ImportedOrder], ids: list[int]) -> list[tuple]:
        """Checks given numbers for repeats, numbers the others; returns each order's
        (merged into, split from) order ids."""
        given = [o.number for o in chunk if o.number]
        taken = set(Order.objects.filter(number__in=given).values_list("number", flat=True))
        for order, order_id in zip(chunk, ids, strict=True):
            if order.number is None:
                order.number = self._next_number(order.received_at)
            if order.number in self.numbers or order.number in taken:
                raise LineError(order.line, f"工单编号 {order.number} 已存在")
            self.numbers[order.number] = order_id
        return [
            (
                self._resolve(order, order.merged_into, "并入的工单"),
                self._resolve(order, order.split_from, "拆单来源工单"),
            )
            for order in chunk
        ]

    def _next_number(self, received_at: datetime) -> str:
        return next_number(received_at.astimezone(LOCAL_TZ).year)

    def _resolve(self, order: ImportedOrder, number: str | None, what: str) -> int | None:
        if number is None:
            return None
        found = self.numbers.get(number)
        if found is None:
            found = Order.objects.filter(number=number).values_list("pk", flat=True).first()
        if found is None:
            raise LineError(order.line, f"{what} {number} 不存在（须在文件中更早出现或已在库中）")
        return found

    def _citizens(self, chunk: list[ImportedOrder]) -> list[int | None]:
        """Repeat callers are one citizen, recognised by phone, as at live intake."""
        phones = {o.citizen.phone for o in chunk if o.citizen and o.citizen.phone}
        unknown = phones - self.citizens.keys()
        if unknown:
            for phone, pk in Citizen.objects.filter(phone__in=unknown).values_list("phone", "pk"):
                self.citizens.setdefault(phone, pk)
        new: dict[str, Citizen] = {}
        anonymous: list[Citizen] = []
        for order in chunk:
            c = order.citizen
            if c is None:
                continue
            if not c.phone:
                anonymous.append(Citizen(name=c.name, kind=c.kind.value))
            elif c.phone not in self.citizens and c.phone not in new:
                new[c.phone] = Citizen(name=c.name, phone=c.phone, kind=c.kind.value)
        created = Citizen.objects.bulk_create([*new.values(), *anonymous], batch_size=2000)
        self.citizens.update((c.phone, c.pk) for c in created if c.phone)
        self.result.counts["orders_citizen"] += len(created)
        nameless = iter(c.pk for c in created if not c.phone)
        return [
            None
            if o.citizen is None
            else (self.citizens[o.citizen.phone] if o.citizen.phone else next(nameless))
            for o in chunk
        ]

    def _tag(self, name: str) -> int:
        if name not in self.directory.tag_ids:
            self.directory.tag_ids[name] = Tag.objects.get_or_create(name=name)[0].pk
        return self.directory.tag_ids[name]

    def _order_row(self, order: ImportedOrder, order_id: int, citizen_id, link) -> tuple:
        d = self.directory
        state = order.state
        values = {
            "id": order_id,
            "number": order.number,
            "received_at": order.received_at,
            "channel": order.channel.value,
            "appeal_type": order.appeal_type.value,
            "category_id": d.category_ids.get(order.category) if order.category else None,
            "region_id": d.region_ids.get(order.region) if order.region else None,
            "address": order.address,
            "content": order.content,
            "citizen_id": citizen_id,
            "confidential": order.confidential,
            "urgent": order.urgent,
            "call_id": order.call_id,
            "operator_id": None,
            "state": json.dumps(to_json(state), ensure_ascii=False),
            "version": len(order.steps),
            "merged_into_id": link[0],
            "split_from_id": link[1],
            **state_columns(state, d.unit_ids),
        }
        return tuple(values[c] for c in ORDER_COLUMNS)
