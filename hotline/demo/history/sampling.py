"""Weighted choice from a fixed table, fast and deterministic for a given ``Random``."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items with weights, in the order given (never in hash order); zero weights dropped."""

    __slots__ = ("items", "cumulative", "total", "_last")

    def __init__(self, pairs: Iterable[tuple[T, float]]):
        self.items: list[T] = []
        self.cumulative: list[float] = []
        total = 0.0
        for item, weight in pairs:
            if weight > 0:
                total += weight
                self.items.append(item)
                self.cumulative.append(total)
        if not self.items:
            raise ValueError("nothing to choose from")
        self.total = total
        self._last = len(self.items) - 1

    def pick(self, rng: Random) -> T:
        i = bisect_right(self.cumulative, rng.random() * self.total)
        # random() * total may round up to total itself.
        return self.items[i] if i <= self._last else self.items[-1]

    def share(self, item: T) -> float:
        i = self.items.index(item)
        low = self.cumulative[i - 1] if i else 0.0
        return (self.cumulative[i] - low) / self.total


class FastRandom(Random):
    """A ``Random`` whose ``choice``, ``randint`` and ``randrange`` take one ``random()``
    draw each: the standard library's exact rejection sampling is several times slower,
    and its exactness does not matter for made-up history."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))
