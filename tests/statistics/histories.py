"""Order histories and call records in the exchange formats (docs/interchange.md), built
to match a seed report's published counts exactly and loaded through the product's own
importers."""

from __future__ import annotations

import csv
import itertools
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hotline.calls.services import calls_import
from hotline.domain.statistics import Period
from hotline.orders.services.history_import import orders_import

H = timedelta(hours=1)
M = timedelta(minutes=1)


def stamp(moment: datetime) -> str:
    """Times go out in UTC, so that the tests see periods cut at Shanghai's midnight."""
    return moment.astimezone(UTC).isoformat()


def spread(period: Period, count: int) -> Iterator[datetime]:
    """``count`` instants evenly over the period, the first at its first midnight."""
    start, until = period.bounds()
    seconds = int((until - start).total_seconds())
    for index in range(count):
        yield start + timedelta(seconds=index * seconds // count)


def expand(counts: Iterable[tuple[object, int]]) -> list:
    """``[(value, n), …]`` → a list holding each value n times."""
    return [value for value, n in counts for _ in range(n)]


def shuffled(values: list, seed: int) -> list:
    values = list(values)
    random.Random(seed).shuffle(values)
    return values


@dataclass
class Handling:
    """How a dispatched order went, as the seed's counts need it."""

    unit: str
    concluded: bool = True
    late: bool = False
    callback: str | None = "satisfied"
    urgent: bool = False
    extension: str | None = None  # granted | refused
    returned_first_to: str | None = None  # a unit that returned it before ``unit`` took it
    rework: bool = False  # the first reply sent back at review
    callback_rework: bool = False  # the first callback unsatisfied, sent back for rework


@dataclass
class Line:
    received_at: datetime
    disposition: str
    appeal_type: str = "consult"
    channel: str = "phone"
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    reject_reason: str | None = None
    handling: Handling | None = None
    callback: str | None = None  # the callback of an order answered at intake
    extra: dict = field(default_factory=dict)  # more keys of the line, as they are
    events: list[dict] | None = None  # the events as they are, instead of the above

    def as_json(self) -> dict:
        t = self.received_at
        order = {
            "channel": self.channel,
            "received_at": stamp(t),
            "appeal_type": self.appeal_type,
            "content": "市民来电反映的诉求",
            "disposition": self.disposition,
        }
        if self.category:
            order["category"] = self.category
        if self.tags:
            order["tags"] = self.tags
        if self.reject_reason:
            order["reject_reason"] = self.reject_reason
        if self.handling and self.handling.urgent:
            order["urgent"] = True
        events = []
        if self.events is not None:
            events = self.events
        elif self.handling:
            events = _handling_events(t, self.handling)
        elif self.callback:
            events = [{"type": "callback", "at": stamp(t + H), "result": self.callback}]
        order["events"] = events
        return order | self.extra


def _handling_events(t: datetime, h: Handling) -> list[dict]:
    events = []
    if h.returned_first_to:
        events += [
            event("dispatch", t + 2 * M, unit=h.returned_first_to, sign_by=stamp(t + 2 * H)),
            event("return", t + 3 * M, unit=h.returned_first_to, reason="不属于本单位职责"),
            event(
                "return_review", t + 4 * M, decision="accept", unit=h.unit, sign_by=stamp(t + 2 * H)
            ),
        ]
    else:
        events.append(event("dispatch", t + 5 * M, unit=h.unit, sign_by=stamp(t + 2 * H)))
    # A late order's deadline passes before its reply; an on-time one has five days.
    deadline = t + 30 * M if h.late else t + timedelta(days=5)
    events.append(event("sign", t + 10 * M, unit=h.unit, deadline=stamp(deadline)))
    if h.extension:
        events.append(
            event(
                "extension",
                t + 20 * M,
                unit=h.unit,
                until=stamp(t + timedelta(days=8)),
                reason="需协调多个部门",
                decision=h.extension,
            )
        )
    if not h.concluded:
        return events
    events.append(event("reply", t + H, unit=h.unit, text="已核实处理并答复市民"))
    if h.rework:
        events += [
            event(
                "review",
                t + 90 * M,
                decision="rework",
                note="答复未说明处理结果",
                deadline=stamp(t + timedelta(days=5)),
            ),
            event("reply", t + 100 * M, unit=h.unit, text="已补充处理结果"),
        ]
    events.append(event("review", t + 2 * H, decision="accept"))
    if h.callback_rework:
        later = t + 3 * H
        events += [
            event(
                "callback",
                later,
                result="unsatisfied",
                rework=True,
                deadline=stamp(t + timedelta(days=5)),
            ),
            event("reply", later + H, unit=h.unit, text="已再次上门处理"),
            event("review", later + 2 * H, decision="accept"),
        ]
        t = later + 2 * H
    if h.callback:
        events.append(event("callback", t + 3 * H, result=h.callback))
    return events


def event(kind: str, moment: datetime, **keys) -> dict:
    return {"type": kind, "at": stamp(moment), **keys}


def import_orders(folder: Path, lines: Iterable[Line]) -> int:
    path = folder / "orders.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line.as_json(), ensure_ascii=False) + "\n")
    return orders_import(path=path).orders


def import_calls(folder: Path, name: str, calls: Iterable[tuple[datetime, bool]]) -> int:
    """Call records as CSV (SPEC 11: ``id, started_at, caller, answered``)."""
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "started_at", "caller", "answered", "agent"])
        for number, (at, answered) in enumerate(calls, start=1):
            caller = f"139{number:08d}"
            writer.writerow([f"{name}-{number}", stamp(at), caller, int(answered), "A01"])
    return calls_import(path=path)


def calls_in(period: Period, offered: int, answered: int) -> list[tuple[datetime, bool]]:
    flags = shuffled([True] * answered + [False] * (offered - answered), seed=offered)
    return list(zip(spread(period, offered), flags, strict=True))


def cycle_to(values: list, count: int) -> list:
    return list(itertools.islice(itertools.cycle(values), count))
