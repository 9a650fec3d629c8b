"""Training examples: past orders from an order-history file (JSON Lines), the knowledge
base's articles (their question, standard answer and category), and requests written by
hand with their right answers (for fitting the confidences, and for measuring)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# Calls that carry no matter teach nothing about categories or units.
SKIPPED_DISPOSITIONS = frozenset({"harassment", "invalid"})
RETURN_EVENTS = frozenset({"return", "redispatch"})


@dataclass(frozen=True, slots=True)
class Sample:
    received_at: datetime
    content: str
    address: str
    appeal_type: str
    category: str  # "" when the order has none
    region: str
    lead: str  # the unit first dispatched to, "" when not dispatched or ever returned
    concluded: bool  # that unit's reply was accepted
    overrode: bool = False  # the dispatcher chose that unit against the catalogue's suggestion

    @property
    def month(self) -> str:
        return self.received_at.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class ArticleText:
    """A knowledge-base article as labelled text: a citizen's question, the office's answer."""

    question: str
    answer: str
    category: str


def sample_from_line(data: dict) -> Sample | None:
    if data.get("disposition") in SKIPPED_DISPOSITIONS:
        return None
    lead, concluded = "", False
    if data.get("disposition") == "dispatched":
        events = data.get("events") or []
        if not any(e.get("type") in RETURN_EVENTS for e in events):
            first = next((e for e in events if e.get("type") == "dispatch"), None)
            lead = first.get("unit", "") if first else ""
            concluded = any(
                e.get("type") == "review" and e.get("decision") == "accept" for e in events
            )
    return Sample(
        received_at=datetime.fromisoformat(data["received_at"]),
        content=data.get("content") or "",
        address=data.get("address") or "",
        appeal_type=data.get("appeal_type") or "",
        category=data.get("category") or "",
        region=data.get("region") or "",
        lead=lead,
        concluded=concluded,
    )


def samples_from_lines(path: Path) -> list[Sample]:
    samples = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                sample = sample_from_line(json.loads(line))
                if sample is not None:
                    samples.append(sample)
    samples.sort(key=lambda s: s.received_at)
    return samples


def requests_from_file(path: Path) -> list[Sample]:
    """Hand-written requests, one JSON object a line: ``content``, ``address``,
    ``appeal_type``, ``category``, ``region`` and ``lead`` (the unit the catalogue names)."""
    with Path(path).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [
        Sample(
            received_at=datetime(2000, 1, 1),  # not from the history: no time of its own
            content=row["content"],
            address=row.get("address") or "",
            appeal_type=row.get("appeal_type") or "",
            category=row.get("category") or "",
            region=row.get("region") or "",
            lead=row.get("lead") or "",
            concluded=True,
        )
        for row in rows
    ]


def articles_from_file(path: Path) -> list[ArticleText]:
    """Articles of a knowledge-base file in the demo's CSV layout (those with a category)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return [
            ArticleText(row["question"], row["answer"], row["category_code"])
            for row in csv.DictReader(handle)
            if row.get("category_code")
        ]
