"""The hash chain of an order's events (tamper evidence).

Each event's ``chain_hash`` is the SHA-256 of the previous event's hash followed by the
event's canonical bytes; the first event of an order chains from a genesis value
derived from the order number. Changing, removing or reordering any stored event of
an order therefore changes every hash from that event on, and recomputing the chain
from the stored rows shows where it first breaks.

The canonical bytes are a function of the stored values only (what a reader gets back
from the database), so that any writer — live work, history import, a migration —
and the verifier compute the same bytes.

With the office's audit key (``ChainKey``, kept outside the database) each link is an
HMAC-SHA256 under that key instead of a plain SHA-256: whoever can write to the
database but does not hold the key cannot compute the hashes of edited events, not even
by recomputing a whole chain from its genesis. Without a key (the demo, tests) the chain
still shows accidental or careless edits, not a recomputed chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS_PREFIX = b"hotline-event-chain\x00"
# Fields are separated by a line feed: no field can hold one (canonical JSON escapes
# control characters, the other fields are numbers, codes and ISO times).
_SEPARATOR = "\n"

_canonical_encoder = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
).encode


def canonical_json(value) -> str:
    """JSON text with sorted keys (at every level), no spaces, non-ASCII kept."""
    return _canonical_encoder(value)


def utc_iso(at: datetime) -> str:
    """An aware datetime as ISO 8601 in UTC (``2024-01-01T01:02:03.000004+00:00``)."""
    if at.tzinfo is None:
        raise ValueError("event time must be timezone-aware")
    return at.astimezone(UTC).isoformat()


def genesis(number: str) -> str:
    """The value the first event of order ``number`` chains from."""
    return hashlib.sha256(GENESIS_PREFIX + number.encode("ascii")).hexdigest()


def event_bytes_from_text(
    *,
    number: str,
    seq: int,
    type: str,
    at_utc: str,
    actor_id: int | None,
    from_status: str,
    to_status: str,
    data_json: str,
) -> bytes:
    """The canonical bytes, from ``at`` already in ``utc_iso`` form and ``data``
    already as ``canonical_json`` text (for writers that have them so)."""
    return (
        number
        + _SEPARATOR
        + event_text_after_number(
            seq=seq,
            type=type,
            at_utc=at_utc,
            actor_id=actor_id,
            from_status=from_status,
            to_status=to_status,
            data_json=data_json,
        )
    ).encode("utf-8")


def event_text_after_number(
    *,
    seq: int,
    type: str,
    at_utc: str,
    actor_id: int | None,
    from_status: str,
    to_status: str,
    data_json: str,
) -> str:
    """The canonical bytes' text after the order number and its separator: what a
    writer can make before the order has its number (history import numbers the orders
    that come without one only in the main process)."""
    actor = "" if actor_id is None else actor_id
    return f"{seq}\n{type}\n{at_utc}\n{actor}\n{from_status}\n{to_status}\n{data_json}"


def event_bytes(
    *,
    number: str,
    seq: int,
    type: str,
    at: datetime,
    actor_id: int | None,
    from_status: str,
    to_status: str,
    data,
) -> bytes:
    """The canonical bytes of one event; ``data`` is the stored JSON value."""
    return event_bytes_from_text(
        number=number,
        seq=seq,
        type=type,
        at_utc=utc_iso(at),
        actor_id=actor_id,
        from_status=from_status,
        to_status=to_status,
        data_json=canonical_json(data),
    )


class ChainKey:
    """The office's audit key. Its HMAC-SHA256 (RFC 2104) is computed from the two
    padded key states prepared once, so that a link costs two hash copies more than an
    unkeyed one rather than a new HMAC object (history import links millions)."""

    def __init__(self, secret: bytes):
        self.secret = secret
        block = hashlib.sha256().block_size
        padded = (hashlib.sha256(secret).digest() if len(secret) > block else secret).ljust(
            block, b"\x00"
        )
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def __reduce__(self):  # hash objects do not pickle; the secret does
        return (ChainKey, (self.secret,))

    def mac(self, data: bytes) -> str:
        """HMAC-SHA256 (hex) of ``data``."""
        inner = self._inner.copy()
        inner.update(data)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_function(key: ChainKey | None = None) -> Callable[[bytes], str]:
    """The hash of a link as a function of the previous hash (its ASCII hex) and the
    event's bytes already joined in one ``bytes``: an HMAC-SHA256 under ``key``, or
    without one a SHA-256 (hex). For writers that build the joined bytes themselves
    (history import links millions of events)."""
    return _sha256_hex if key is None else key.mac


def link(previous_hash: str, event_bytes: bytes, key: ChainKey | None = None) -> str:
    """The hash of an event: of the previous hash and the event's bytes, an HMAC-SHA256
    under ``key``, or without one a SHA-256 (hex)."""
    return link_function(key)(previous_hash.encode("ascii") + event_bytes)


@dataclass(frozen=True)
class StoredEvent:
    """One event as read back, with the hash stored beside it."""

    seq: int
    type: str
    at: datetime
    actor_id: int | None
    from_status: str
    to_status: str
    data: object
    chain_hash: str


@dataclass(frozen=True)
class Break:
    """Where an order's chain first fails: the first seq whose stored hash (or whose
    presence) does not match the recomputed chain."""

    number: str
    seq: int


def _next_hash(previous: str, number: str, event: StoredEvent, key: ChainKey | None) -> str:
    return link(
        previous,
        event_bytes(
            number=number,
            seq=event.seq,
            type=event.type,
            at=event.at,
            actor_id=event.actor_id,
            from_status=event.from_status,
            to_status=event.to_status,
            data=event.data,
        ),
        key,
    )


def first_break(
    number: str, events: Iterable[StoredEvent], count: int, key: ChainKey | None = None
) -> int | None:
    """The first broken seq of order ``number``, or None if its chain holds.
    ``events`` in seq order; ``count`` is how many events the order says it has (its
    version), so that a removed last event is noticed too (unless the version was
    lowered with it: that is for the checkpoints and the replay to find)."""
    previous = genesis(number)
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return expected_seq
        previous = _next_hash(previous, number, event, key)
        if previous != event.chain_hash:
            return event.seq
        expected_seq += 1
    if expected_seq - 1 != count:
        return expected_seq if expected_seq - 1 < count else count + 1
    return None


def chain(number: str, events: Iterable[StoredEvent], key: ChainKey | None = None) -> Iterator[str]:
    """The hashes the events of order ``number`` should carry, in order (their stored
    ``chain_hash`` is ignored)."""
    previous = genesis(number)
    for event in events:
        previous = _next_hash(previous, number, event, key)
        yield previous
