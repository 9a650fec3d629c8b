"""Requests in citizens' own words, for the contents of a share of the generated orders.

A real office's history is what callers said, typed by operators, with the category and
appeal type its operators chose; the phrasebook's templates are not. The demo city's
``requests.jsonl`` holds requests written by hand, each labelled with this city's leaf,
appeal type and (when it names one) region: an order of that category and appeal type
takes the next one, and its place, so the history teaches the suggestions citizens'
speech through the ordinary training path while its categories and appeal types keep the
seed month's shares. A request is used again only when all of its kind have been (a real
office's history is all speech; the requests are few beside the generated orders, and
each used once would weigh too little to be learned).
"""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from random import Random

FILE = "requests.jsonl"
# An order whose category and appeal type have requests takes one this often: the rest
# keep the phrasebook's wording (its variety of places and phrasing).
SHARE = 0.5
_DISTRICT_DIGITS = 6  # a region code's first digits name its district


def read_requests(directory: Path) -> list[dict]:
    """The directory's hand-written requests; none when it has no such file."""
    path = Path(directory) / FILE
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class CitizenSpeech:
    """Per category and appeal type, the requests in turn, in an order drawn from the seed."""

    def __init__(self, requests: list[dict], rng: Random):
        by_kind: dict[tuple[str, str], list[dict]] = {}
        for row in requests:
            by_kind.setdefault((row["category"], row["appeal_type"]), []).append(row)
        self._queues: dict[tuple[str, str], deque[dict]] = {}
        for kind in sorted(by_kind):
            rows = by_kind[kind]
            rng.shuffle(rows)
            self._queues[kind] = deque(rows)

    def take(self, code: str, appeal: str, district: str | None, rng: Random) -> dict | None:
        """The next request of ``code`` and ``appeal`` (about ``district`` or naming no
        place), or None; it goes to the back of its queue.

        The district matters for dispatched orders: their lead unit was chosen for it,
        and a request naming another district would go to another unit."""
        queue = self._queues.get((code, appeal))
        if not queue or rng.random() >= SHARE:
            return None
        for i, row in enumerate(queue):
            region = row.get("region") or ""
            if district is None or not region or region[:_DISTRICT_DIGITS] == district:
                del queue[i]
                queue.append(row)
                return row
        return None
