"""Audit checkpoints: what the event chains held at a moment, signed, to be kept away
from the database (another machine, paper, the archive).

A chain shows an edited event, but not the last events of an order removed together
with everything derived from them: what is left is a shorter chain that holds. A
checkpoint closes that gap for everything recorded before its moment. Per range of
``RANGE`` order ids it gives how many orders and events there were and a hash of each
order's chain head then (id, number, events, hash of the last event, in id order); the
document is signed with the office's audit key, so that it cannot be rewritten to fit
a changed database either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from hotline.domain.errors import DomainError
from hotline.domain.event_chain import ChainKey, canonical_json

FORMAT = 1
RANGE = 10_000  # order ids per range
_SIGNED = b"hotline-audit-checkpoint\x00"


@dataclass(frozen=True)
class RangeFigures:
    """One range of order ids: its orders with events before the moment, those events,
    and the hash of their chain heads."""

    index: int  # the range holds ids index * RANGE … (index + 1) * RANGE - 1
    first_number: str
    last_number: str
    orders: int
    events: int
    heads: str

    @property
    def ids(self) -> tuple[int, int]:
        return self.index * RANGE, (self.index + 1) * RANGE - 1


class Heads:
    """Collects the chain heads of orders given in ascending id order."""

    def __init__(self):
        self._ranges: list[RangeFigures] = []
        self._index: int | None = None
        self._digest = None
        self._first = self._last = ""
        self._orders = self._events = 0

    def add(self, order_id: int, number: str, events: int, head: str) -> None:
        """An order whose first ``events`` events (``head`` the hash of the last) were
        recorded before the moment; orders with none are not given."""
        index = order_id // RANGE
        if index != self._index:
            self._close()
            self._index, self._digest = index, hashlib.sha256()
            self._first, self._orders, self._events = number, 0, 0
        self._digest.update(f"{order_id}\t{number}\t{events}\t{head}\n".encode("ascii"))
        self._last = number
        self._orders += 1
        self._events += events

    def _close(self) -> None:
        if self._index is not None:
            self._ranges.append(
                RangeFigures(
                    self._index,
                    self._first,
                    self._last,
                    self._orders,
                    self._events,
                    self._digest.hexdigest(),
                )
            )
            self._index = None

    def ranges(self) -> list[RangeFigures]:
        self._close()
        return list(self._ranges)


@dataclass(frozen=True)
class Checkpoint:
    day: date
    until: datetime  # everything recorded before this moment
    ranges: list[RangeFigures]


class CheckpointInvalid(DomainError):
    code = "checkpoint_invalid"


def _body(checkpoint: Checkpoint) -> dict:
    return {
        "format": FORMAT,
        "day": checkpoint.day.isoformat(),
        "until": checkpoint.until.isoformat(),
        "range_size": RANGE,
        "ranges": [
            {
                "index": r.index,
                "first_number": r.first_number,
                "last_number": r.last_number,
                "orders": r.orders,
                "events": r.events,
                "heads": r.heads,
            }
            for r in checkpoint.ranges
        ],
    }


def checkpoint_text(checkpoint: Checkpoint, key: ChainKey) -> str:
    """The signed document, as JSON text."""
    body = _body(checkpoint)
    body["signature"] = key.mac(_SIGNED + canonical_json(body).encode("utf-8"))
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def checkpoint_read(text: str, key: ChainKey) -> Checkpoint:
    """The checkpoint of a document whose signature holds under ``key``."""
    try:
        body = json.loads(text)
        signature = body.pop("signature")
        valid = key.mac(_SIGNED + canonical_json(body).encode("utf-8")) == signature
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CheckpointInvalid("检查点文件格式不对") from None
    if not valid:
        raise CheckpointInvalid("检查点签名不符：文件被改动过，或不是用本机的审计密钥签名的")
    if body.get("format") != FORMAT or body.get("range_size") != RANGE:
        raise CheckpointInvalid("检查点文件的版本不受支持")
    return Checkpoint(
        day=date.fromisoformat(body["day"]),
        until=datetime.fromisoformat(body["until"]),
        ranges=[RangeFigures(**r) for r in body["ranges"]],
    )


@dataclass(frozen=True)
class RangeFault:
    """A range whose figures now differ from the checkpoint's (None: no such range)."""

    day: date
    saved: RangeFigures | None
    now: RangeFigures | None

    @property
    def ids(self) -> tuple[int, int]:
        return (self.saved or self.now).ids


def range_faults(checkpoint: Checkpoint, now: list[RangeFigures]) -> list[RangeFault]:
    """The ranges whose orders, events or chain heads before the checkpoint's moment
    are no longer what the checkpoint says."""
    saved = {r.index: r for r in checkpoint.ranges}
    current = {r.index: r for r in now}
    return [
        RangeFault(checkpoint.day, saved.get(index), current.get(index))
        for index in sorted(saved.keys() | current.keys())
        if saved.get(index) != current.get(index)
    ]
