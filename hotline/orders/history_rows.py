"""Turning order-history lines into table rows, with no database and no Django, so that
history import can do it in worker processes while the main process writes.

The rows are exactly those live work writes: the order with its state and indexed
copies, one event row per event, and the side records from the shared projection.
They leave here in the form the database loader takes — ``COPY`` text for PostgreSQL,
tuples of SQLite values for ``executemany`` — so that the main process only streams
them. The orders' ids are handed out by the main process before a chunk is sent, so
every row that refers to an order already carries its id; what only the main process
can know (the order number when the line has none, the citizen, the links to other
orders) is left out of the order row and put in front of it by the writer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import Enum
from functools import partial
from json.encoder import encode_basestring
from types import UnionType
from typing import Union, get_args, get_origin, get_type_hints

from hotline.domain import events as ev
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AssignmentRole,
    ContactWay,
    ReviewDecision,
    ViolationKind,
)
from hotline.domain.event_chain import (
    ChainKey,
    event_text_after_number,
    genesis,
    link_function,
)
from hotline.domain.lifecycle import OrderState
from hotline.domain.serialization import dump_value
from hotline.domain.supervision import escalation_note
from hotline.interchange.order_lines import Lookups, read_order
from hotline.orders.projection import project
from hotline.orders.state_columns import STATE_COLUMNS, state_values

POSTGRESQL = "postgresql"
SQLITE = "sqlite"

ORDER_COLUMNS = (
    "id", "number", "citizen_id", "merged_into_id", "split_from_id",
    "received_at", "channel", "appeal_type", "category_id", "region_id",
    "address", "content", "confidential", "urgent", "call_id", "external_ref", "deputy_level",
    "operator_id", "state", "version",
    "status", "disposition", "reject_reason", "lead_unit_id", "sub_unit_id", "sign_by",
    "deadline", "concluded_at", "closed_at", "on_time", "difficult", "paused", "supervision",
    "updated_at", "respond_by", "callback_agent",
)  # fmt: skip
FILLED_BY_WRITER = 5  # id, number, citizen, merge and split links come from the database
EVENT_COLUMNS = (
    "order_id", "seq", "type", "at", "actor_id", "from_status", "to_status", "data",
    "recorded_at", "chain_hash",
)  # fmt: skip
# Every side table has the order first.
SIDE_COLUMNS = {
    "orders_assignment": (
        "order_id", "unit_id", "role", "assigned_at", "ended_at", "falls_due_at", "excluded",
    ),
    "orders_reply": (
        "order_id", "unit_id", "text", "contacted", "at", "decision", "review_note", "resolved",
    ),
    "orders_callback": (
        "order_id", "unit_id", "kind", "result", "at", "agent_id", "pressured", "leaked",
        "rework", "appeal_upheld", "solved", "unit_contacted", "note",
    ),
    "orders_extension": (
        "order_id", "unit_id", "reason", "until", "requested_at", "granted", "decided_at",
    ),
    "orders_supervision": (
        "order_id", "level", "note", "at", "by_id", "unit_id", "deadline", "escalated",
        "answer", "answered_at", "superseded_at", "leader_told_at",
    ),
    "orders_instruction": ("order_id", "text", "at", "by_id"),
    "orders_violation": (
        "order_id", "unit_id", "kind", "note", "at", "reviewed", "outcome", "outcome_at",
    ),
    "orders_appealfiling": (
        "order_id", "unit_id", "kind", "reason", "filed_at", "decision", "decided_at", "note",
    ),
    "orders_contact": ("order_id", "unit_id", "at", "way", "outcome"),
    "orders_threewaycall": ("order_id", "unit_id", "note", "requested_at", "called_at", "outcome"),
}  # fmt: skip

_LEAD = AssignmentRole.LEAD._value_


class MemoryLedger:
    """Side records of the orders of one chunk, as lists of column values. The actor
    is given as the user's id (history import has none: None). Enum members' values are
    read as ``_value_``, without the ``value`` property: a history import reads millions."""

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
        self._filings: list[list] = []  # appeals filed, awaiting a decision
        self._awaiting: list | None = None  # the supervision still owed an answer
        self._violations: list[list] = []
        self._three_way: list[list] = []  # requests not yet connected

    def _unit(self, code: str | None) -> int | None:
        return self.unit_ids[code] if code else None

    def end_assignments(self, at: datetime, role: AssignmentRole | None = None) -> None:
        still = []
        for row in self._current:
            if role is None or row[2] == role._value_:
                row[4] = at
            else:
                still.append(row)
        self._current = still

    def add_assignment(self, unit: str, role: AssignmentRole, at: datetime) -> None:
        row = [self.order, self._unit(unit), role._value_, at, None, None, False]
        self.rows["orders_assignment"].append(row)
        self._current.append(row)

    def add_appeal_filing(self, event) -> None:
        row = [
            self.order, self._unit(event.unit), event.kind._value_, event.reason, event.at,
            "", None, "",
        ]  # fmt: skip
        self.rows["orders_appealfiling"].append(row)
        self._filings.append(row)

    def decide_appeal_filing(self, upheld: bool, at: datetime, note: str) -> AppealKind | None:
        if not self._filings:
            return None
        row = self._filings.pop(0)
        decision = AppealDecision.UPHELD if upheld else AppealDecision.DISMISSED
        row[5:8] = [decision._value_, at, note]
        return AppealKind(row[2])

    def exclude_lead_from_assessment(self) -> None:
        lead = self._lead()
        if lead is not None:
            lead[6] = True

    def _lead(self) -> list | None:
        return next((row for row in self._current if row[2] == _LEAD), None)

    def lead_falls_due(self) -> datetime | None:
        lead = self._lead()
        return lead[5] if lead is not None else None

    def set_lead_falls_due(self, at: datetime | None) -> None:
        lead = self._lead()
        if lead is not None:
            lead[5] = at

    def add_reply(
        self, unit: str, text: str, contacted: bool, at: datetime, resolved: bool | None
    ) -> None:
        row = [self.order, self._unit(unit), text, contacted, at, "", "", resolved]
        self.rows["orders_reply"].append(row)
        self._replies.append(row)

    def review_latest_reply(self, decision: ReviewDecision, note: str) -> None:
        if self._replies:
            self._replies[-1][5:7] = [decision._value_, note]

    def add_callback(self, kind: str, unit: str | None, event, agent) -> None:
        row = [
            self.order, self._unit(unit), kind, event.result._value_, event.at, agent,
            getattr(event, "pressured", False), getattr(event, "leaked", False),
            getattr(event, "rework", False), None, getattr(event, "solved", None) or "",
            getattr(event, "unit_contacted", None), getattr(event, "note", ""),
        ]  # fmt: skip
        self.rows["orders_callback"].append(row)
        if event.result._value_ == "unsatisfied":
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

    def add_supervision(self, event, by, unit: str | None) -> None:
        if unit is not None and self._awaiting is not None:
            self._awaiting[10] = event.at
        row = [
            self.order, event.level._value_, event.note, event.at, by, self._unit(unit),
            event.deadline, False, "", None, None, None,
        ]  # fmt: skip
        self.rows["orders_supervision"].append(row)
        if unit is not None:
            self._awaiting = row

    def answer_supervision(self, event) -> None:
        if self._awaiting is not None:
            self._awaiting[8:10] = [event.text, event.at]
            self._awaiting = None

    def escalate_supervision(self, event) -> None:
        if self._awaiting is None:
            return
        if event.leader:
            self._awaiting[11] = event.at
            return
        self._awaiting[10] = event.at
        row = [
            self.order, event.level._value_, escalation_note(event.level), event.at, None,
            self._unit(event.unit), event.deadline, True, "", None, None, None,
        ]  # fmt: skip
        self.rows["orders_supervision"].append(row)
        self._awaiting = row

    def add_instruction(self, event, by) -> None:
        self.rows["orders_instruction"].append([self.order, event.text, event.at, by])

    def add_violation(self, unit: str, kind: ViolationKind, at: datetime) -> None:
        row = [self.order, self._unit(unit), kind._value_, "", at, False, "", None]
        self.rows["orders_violation"].append(row)
        self._violations.append(row)

    def record_violation(self, event) -> None:
        outcome = event.outcome._value_ if event.outcome else ""
        row = [
            self.order, self._unit(event.unit), event.kind._value_, event.note, event.at, True,
            outcome, event.at if outcome else None,
        ]  # fmt: skip
        self.rows["orders_violation"].append(row)
        self._violations.append(row)

    def decide_violation(self, event) -> None:
        unit = self._unit(event.unit)
        for row in self._violations:
            if row[1] == unit and row[2] == event.kind._value_ and not row[6]:
                row[5:8] = [True, event.outcome._value_, event.at]
                return

    def add_contact(self, event: ev.Contact) -> None:
        self.rows["orders_contact"].append(
            [self.order, self._unit(event.unit), event.at, event.way._value_, event.outcome._value_]
        )

    def add_three_way_request(self, event: ev.ThreeWayRequest) -> None:
        row = [self.order, self._unit(event.unit), event.note, event.at, None, ""]
        self.rows["orders_threewaycall"].append(row)
        self._three_way.append(row)

    def connect_three_way(self, event: ev.ThreeWayCall) -> None:
        unit = self._unit(event.unit)
        row = next(r for r in self._three_way if r[1] == unit)
        self._three_way.remove(row)
        row[4:6] = [event.at, event.outcome._value_]
        self.add_contact(
            ev.Contact(
                at=event.at, unit=event.unit, way=ContactWay.THREE_WAY, outcome=event.outcome
            )
        )

    def correct(self, event: ev.Correct) -> None:
        """Nothing to write: the line's fields are the order's current values (the reader
        applies each correction to them as it replays)."""

    def classify(self, event: ev.Classify) -> None:
        """Nothing to write: the line's fields are the order's classified values."""


# --- JSON of states and events --------------------------------------------------------

# Compact: the text is stored as it is on SQLite and parsed on PostgreSQL.
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_encode_canonical_json = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True
).encode


def json_writer(
    cls: type, *, skip: frozenset[str] = frozenset(), canonical: bool = False
) -> Callable[[object, Callable[[datetime], str]], str]:
    """``to_json`` of one dataclass, written straight to compact JSON text, with the
    conversion of each field chosen once from its type hint instead of once per value
    (history import writes millions of states and events). The text parses to the
    same value as ``to_json`` gives; a field of a type it does not know goes through
    ``to_json``'s own conversion and the JSON encoder. ``time`` (``isoformat`` unless
    given) writes datetimes, so that a caller can convert each datetime object once.
    ``canonical``: keys sorted at every level, as ``event_chain.canonical_json`` gives
    of the value the text parses to."""
    hints = get_type_hints(cls)
    members = [
        f"{json.dumps(f.name)}:{{{_json_expression(hints[f.name], f'o.{f.name}')}}}"
        for f in sorted(fields(cls), key=lambda f: f.name if canonical else "")
        if f.name not in skip
    ]
    # One f-string per class: {{ and }} are the object's own braces.
    source = 'def write(o, time=_iso):\n    return f"""{{' + ",".join(members) + '}}"""\n'
    namespace = {
        "_str": encode_basestring,
        "_dump": dump_value,
        "_json": _encode_canonical_json if canonical else _encode_json,
        "_iso": datetime.isoformat,
    }
    exec(source, namespace)  # noqa: S102 - built from the class's own field names
    return namespace["write"]


def _json_expression(hint, value: str) -> str:
    """A Python expression giving ``value`` as JSON text."""
    optional = False
    if get_origin(hint) in (Union, UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        optional = len(args) < len(get_args(hint))
        if len(args) != 1:
            return f"_json(_dump({value}))"
        hint = args[0]
    if hint is str:
        text = f"_str({value})"
    elif hint is bool:
        text = f"('true' if {value} else 'false')"
    elif hint is int:
        text = f"int.__repr__({value})"
    elif hint is datetime:
        text = f"'\"' + time({value}) + '\"'"
    elif isinstance(hint, type) and issubclass(hint, Enum) and issubclass(hint, str):
        text = f"_str({value}._value_)"  # the member's value, without the property
    elif get_origin(hint) is tuple and get_args(hint) == (str, Ellipsis):
        text = f"'[' + ','.join(map(_str, {value})) + ']'"
    else:
        return f"_json(_dump({value}))"
    return f"('null' if {value} is None else {text})" if optional else text


state_json = json_writer(OrderState)
# Canonical (keys sorted): the event's stored data is also its chain's input.
# An event that shapes its own data (a correction leaves out a clock it did not set) is
# written through its ``to_data``.
_event_writers = {
    cls: json_writer(cls, skip=frozenset({"at"}), canonical=True)
    for cls in ev.EVENT_TYPES.values()
    if cls.to_data is ev.Event.to_data
}


def event_data_json(event: ev.Event, time: Callable[[datetime], str] = datetime.isoformat) -> str:
    """The event's stored data (``to_data``) as JSON text, and its
    ``event_chain.canonical_json`` at once: keys sorted at every level."""
    write = _event_writers.get(type(event))
    return write(event, time) if write else _encode_canonical_json(event.to_data())


# --- values in the loaders' forms -----------------------------------------------------


def copy_text(text: str) -> str:
    """A string as a field of PostgreSQL's COPY text format."""
    # Tab, newline and carriage return are not printable: two scans in C, cheaper than a
    # regular expression's, find most texts need nothing (any other text is escaped the
    # same either way).
    if "\\" not in text and text.isprintable():
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_other(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, Enum):
        return copy_text(str(value.value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return copy_text(str(value))


_COPY_VALUE: dict[type, Callable[[object], str]] = {
    str: copy_text,
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
}


def copy_line(values: Sequence, time: Callable[[datetime], str] = datetime.isoformat) -> str:
    """One row of COPY text, with its newline. Datetimes keep their offset."""
    return (
        "\t".join(
            [
                time(v) if type(v) is datetime else _COPY_VALUE.get(type(v), _copy_other)(v)
                for v in values
            ]
        )
        + "\n"
    )


def sqlite_time(value: datetime) -> str:
    # Django keeps SQLite datetimes as naive UTC text; do the same.
    return value.astimezone(UTC).isoformat(" ")[:-6]  # without "+00:00"


def sqlite_row(values: Sequence, time: Callable[[datetime], str] = sqlite_time) -> tuple:
    return tuple([time(v) if type(v) is datetime else v for v in values])


# --- chunks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a worker needs: the look-ups for reading, the ids for rows and the form
    the rows take (``POSTGRESQL`` or ``SQLITE``)."""

    lookups: Lookups
    unit_ids: Mapping[str, int]
    category_ids: Mapping[str, int]
    region_ids: Mapping[str, int]
    now: datetime
    dialect: str = SQLITE
    chain_key: ChainKey | None = None  # the office's audit key (``event_chain``)


@dataclass
class PreparedChunk:
    """The rows of a chunk of lines. The orders are given column by column (one list
    per field, in line order): a chunk crosses from a worker to the main process, and
    a few long lists travel much faster than thousands of small objects."""

    lines: list[int] = field(default_factory=list)
    numbers: list[str | None] = field(default_factory=list)
    # the year of intake of the orders the writer numbers (None for those with a number)
    years: list[int | None] = field(default_factory=list)
    merged_into: list[str | None] = field(default_factory=list)
    split_from: list[str | None] = field(default_factory=list)
    citizens: list[tuple[str, str, str] | None] = field(default_factory=list)  # name, phone, kind
    tags: list[tuple[str, ...]] = field(default_factory=list)
    # (line, channel, reference) of the orders that carry another platform's number
    external_refs: list[tuple[int, str, str]] = field(default_factory=list)
    # ORDER_COLUMNS after the first FILLED_BY_WRITER: COPY text as UTF-8 bytes (a tab
    # first, the newline last; bytes cross between processes as they are, where text
    # is encoded and decoded again on the way) or a tuple of SQLite values
    rests: list[bytes | tuple] = field(default_factory=list)
    # events and side tables: table → COPY text (bytes) or SQLite rows
    tables: dict[str, bytes | list[tuple]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table
    # Orders without a number in the file: their number comes from the writer, and
    # their events' chain with it (``chain_unnumbered``). Per order: its index in the
    # chunk and, per event, its row without the hash and its canonical text after the
    # number (``event_chain.event_text_after_number``).
    unchained: list[tuple[int, list[tuple[str | tuple, str]]]] = field(default_factory=list)


# The order row after the writer's columns: the order's own fields, its state as
# JSON and its version, then the indexed copies of the state.
_ORDER_FIELDS = (
    "received_at", "channel", "appeal_type", "category_id", "region_id", "address", "content",
    "confidential", "urgent", "call_id", "external_ref", "deputy_level", "operator_id", "state",
    "version",
)  # fmt: skip
assert ORDER_COLUMNS[FILLED_BY_WRITER:] == _ORDER_FIELDS + STATE_COLUMNS


def prepare_chunk(
    lines: list[tuple[int, str]], context: Context, ids: Sequence[int]
) -> PreparedChunk:
    """Reads and replays each line (raising ``LineError`` for the first bad one) and
    gives its rows; ``ids`` are the ids of the lines' orders, in order."""
    postgres = context.dialect == POSTGRESQL
    chunk = PreparedChunk()
    ledger = MemoryLedger(context.unit_ids)
    events: list = []
    # An event's time is also its state's last time, an assignment's start…: each
    # datetime object is written once per chunk.
    iso = once_per_object(datetime.isoformat)
    if postgres:
        now = context.now.isoformat()
        line_of = partial(copy_line, time=iso)
    else:
        local = once_per_object(sqlite_time)
        now = sqlite_time(context.now)
        line_of = partial(sqlite_row, time=local)
    digest = link_function(context.chain_key)
    category_ids, region_ids, unit_ids = context.category_ids, context.region_ids, context.unit_ids
    for index, (order_id, (line, text)) in enumerate(zip(ids, lines, strict=True)):
        order = read_order(text, line, context.lookups)
        ledger.start(order_id)
        number = order.number
        # The chain as the events are made (the same as live work would compute).
        previous = genesis(number) if number else ""
        unchained: list[tuple[str | tuple, str]] = []
        for seq, (before, event, after) in enumerate(order.steps, start=1):
            project(ledger, before, after, event, None)
            # One text for both: the stored data (any key order parses to the same
            # value) and the chain's canonical JSON.
            data = event_data_json(event, iso)
            before_status = before.status._value_ if before else ""
            after_status = after.status._value_
            chained = event_text_after_number(
                seq=seq,
                type=event.type,
                # (``utc_iso``, inline: event times are unique, nothing to remember)
                at_utc=event.at.astimezone(UTC).isoformat(),
                actor_id=None,
                from_status=before_status,
                to_status=after_status,
                data_json=data,
            )
            if number:
                previous = digest(f"{previous}{number}\n{chained}".encode())
            if postgres:
                if "\\" in data:
                    data = data.replace("\\", "\\\\")
                row = (
                    f"{order_id}\t{seq}\t{event.type}\t{iso(event.at)}\t\\N\t"
                    f"{before_status}\t{after_status}\t{data}\t{now}"
                )
                if number:
                    events.append(f"{row}\t{previous}\n")
                else:
                    unchained.append((row, chained))
            else:
                row = (
                    order_id, seq, event.type, local(event.at), None,
                    before_status, after_status, data, now,
                )  # fmt: skip
                if number:
                    events.append((*row, previous))
                else:
                    unchained.append((row, chained))
        if not number:
            chunk.unchained.append((index, unchained))
        state = order.state
        fields_ = (
            order.received_at,
            order.channel._value_,
            order.appeal_type._value_,
            category_ids[order.category] if order.category else None,
            region_ids[order.region] if order.region else None,
            order.address,
            order.content,
            order.confidential,
            order.urgent,
            order.call_id,
            order.external_ref,
            order.deputy_level,
            None,
            state_json(state, iso),
            len(order.steps),
        )
        copies = state_values(state, unit_ids)
        citizen = order.citizen
        chunk.lines.append(line)
        chunk.numbers.append(order.number)
        if order.external_ref:
            chunk.external_refs.append((line, order.channel._value_, order.external_ref))
        chunk.years.append(None if number else order.received_at.astimezone(LOCAL_TZ).year)
        chunk.merged_into.append(order.merged_into)
        chunk.split_from.append(order.split_from)
        chunk.citizens.append(
            (citizen.name, citizen.phone, citizen.kind.value) if citizen else None
        )
        chunk.tags.append(order.tags)
        chunk.rests.append(
            _copy_order(fields_, copies, iso).encode() if postgres else line_of(fields_ + copies)
        )
    tables: dict[str, list] = {"orders_event": events}
    for table, rows in ledger.rows.items():
        tables[table] = [line_of(row) for row in rows]
    chunk.counts = {table: len(rows) for table, rows in tables.items()}
    chunk.tables = {
        table: "".join(rows).encode() if postgres else rows for table, rows in tables.items()
    }
    return chunk


def chain_unnumbered(chunk: PreparedChunk, key: ChainKey | None) -> tuple[bytes | list[tuple], int]:
    """The event rows of the chunk's orders that had no number in the file, once the
    writer has numbered them (``chunk.numbers``), in the loader's form, and their count."""
    postgres_rows: list[str] = []
    sqlite_rows: list[tuple] = []
    digest = link_function(key)
    for index, events in chunk.unchained:
        number = chunk.numbers[index]
        previous = genesis(number)
        for row, chained in events:
            previous = digest(f"{previous}{number}\n{chained}".encode())
            if isinstance(row, str):
                postgres_rows.append(f"{row}\t{previous}\n")
            else:
                sqlite_rows.append((*row, previous))
    if postgres_rows:
        return "".join(postgres_rows).encode(), len(postgres_rows)
    return sqlite_rows, len(sqlite_rows)


_NULL = "\\N"


def _copy_order(fields_: tuple, copies: tuple, time: Callable[[datetime], str]) -> str:
    """``copy_line`` of the order row after the writer's columns, with a tab in front,
    written field by field (the types are known: this is most of the bytes)."""
    at, channel, appeal, category, region, address, content = fields_[:7]
    secret, urgent, call, ref, deputy, _, state, v = fields_[7:]
    if "\\" in state:  # JSON text has no tab, newline or carriage return: only escapes
        state = state.replace("\\", "\\\\")
    status, disposition, reason, lead, sub, sign_by, deadline, concluded, closed = copies[:9]
    on_time, difficult, paused, supervision, updated, respond_by, agent = copies[9:]
    return (
        f"\t{time(at)}\t{channel}\t{appeal}\t{_NULL if category is None else category}"
        f"\t{_NULL if region is None else region}\t{copy_text(address)}\t{copy_text(content)}"
        f"\t{'t' if secret else 'f'}\t{'t' if urgent else 'f'}\t{copy_text(call)}"
        f"\t{copy_text(ref)}\t{deputy}\t{_NULL}"
        f"\t{state}\t{v}\t{status}\t{disposition}\t{reason}"
        f"\t{_NULL if lead is None else lead}\t{_NULL if sub is None else sub}"
        f"\t{_NULL if sign_by is None else time(sign_by)}"
        f"\t{_NULL if deadline is None else time(deadline)}"
        f"\t{_NULL if concluded is None else time(concluded)}"
        f"\t{_NULL if closed is None else time(closed)}"
        f"\t{_NULL if on_time is None else ('t' if on_time else 'f')}"
        f"\t{'t' if difficult else 'f'}\t{'t' if paused else 'f'}\t{supervision}"
        f"\t{time(updated)}\t{_NULL if respond_by is None else time(respond_by)}"
        f"\t{copy_text(agent)}\n"
    )


def once_per_object(convert: Callable[[datetime], str]) -> Callable[[datetime], str]:
    """``convert``, remembering its result per datetime object."""
    seen: dict[int, str] = {}
    # Every object whose id is in ``seen`` is kept, so that its id stays its own.
    kept: list[datetime] = []
    keep = kept.append

    def text(value: datetime) -> str:
        known = seen.get(id(value))
        if known is None:
            known = seen[id(value)] = convert(value)
            keep(value)
        return known

    return text
