"""Choosing the lead unit from the dispatch catalogue (SPEC 2).

Competence picks the department that owns the matter (the category); territory
picks the unit where it happened (the region). The most specific category wins;
for the same category, an entry for the order's own area beats one for any region.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    category_code: str
    region_code: str | None  # None: any region
    lead: str
    co_units: tuple[str, ...] = ()
    basis: str = ""  # 依据: why the unit owns the matter, shown with a suggestion


def choose(
    rules: Iterable[Rule], *, category_codes: Sequence[str], region_codes: Sequence[str]
) -> Rule | None:
    """``category_codes`` and ``region_codes`` run from the most specific upwards
    (小类 → 大类; community → town → district → city)."""
    best, best_rank = None, None
    for rule in rules:
        if rule.category_code not in category_codes:
            continue
        if rule.region_code is None:
            region_rank = len(region_codes)
        elif rule.region_code in region_codes:
            region_rank = region_codes.index(rule.region_code)
        else:
            continue
        rank = (category_codes.index(rule.category_code), region_rank)
        if best_rank is None or rank < best_rank:
            best, best_rank = rule, rank
    return best
