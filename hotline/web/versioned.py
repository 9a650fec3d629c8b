"""What a page computes from the whole of a period's orders, kept per data version
(``statistics.document.data_version``: the latest event and call record): a repeated
load whose data have not changed since reads the result instead of computing it again,
and any order, event or call written since makes the next load compute it anew. Used
by 本月统计 and the miner's 候选一类事; each says how long it keeps what the version does
not see (a changed setting or rule)."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

from hotline.statistics.document import data_version

T = TypeVar("T")


def kept_per_version(key: str, compute: Callable[[], T], *, seconds: int) -> tuple[datetime, T]:
    """When ``compute()`` ran and its value, kept under ``key`` for the data version."""
    versioned = f"{key}:{data_version()}"
    kept = cache.get(versioned)
    if kept is None:
        kept = (timezone.now(), compute())
        cache.set(versioned, kept, seconds)
    return kept
