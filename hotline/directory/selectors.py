"""Reads of the directory."""

from collections.abc import Iterable
from dataclasses import dataclass

from hotline.directory.models import CatalogueEntry, Category, Region, Unit
from hotline.domain import dispatch_rules
from hotline.reference.cache import remembered


def _chain(obj) -> list:
    chain = []
    while obj is not None:
        chain.append(obj)
        obj = obj.parent
    return chain


def category_codes(category: Category | None) -> list[str]:
    """The category's code and its ancestors', most specific first."""
    return [c.code for c in _chain(category)]


def region_codes(region: Region | None) -> list[str]:
    return [r.code for r in _chain(region)]


@dataclass(frozen=True)
class Suggestion:
    """What the current dispatch catalogue names for an order, and on what basis."""

    lead: Unit
    co_units: list[Unit]
    basis: str = ""  # SPEC 2 (2026-12): the 三定 clause or 权责清单 item

    @property
    def co_codes(self) -> list[str]:
        return [u.code for u in self.co_units]


def catalogue_suggestion(*, category: Category | None, region: Region | None) -> Suggestion | None:
    """The lead and co-units the current dispatch catalogue names for this order."""
    return catalogue_suggestions(places=[(category, region)]).get(_pair(category, region))


def _pair(category: Category | None, region: Region | None) -> tuple[int | None, int | None]:
    return (category.pk if category else None, region.pk if region else None)


def catalogue_suggestions(
    *, places: Iterable[tuple[Category | None, Region | None]]
) -> dict[tuple[int | None, int | None], Suggestion]:
    """``catalogue_suggestion`` for many (category, region) pairs — a page of orders —
    in two queries whatever their number; keyed by the pair's ids, absent without one."""
    asked = {_pair(c, r): (category_codes(c), region_codes(r)) for c, r in places}
    wanted = {code for categories, _ in asked.values() for code in categories}
    if not wanted:
        return {}
    entries = (
        CatalogueEntry.objects.filter(active=True, category__code__in=wanted)
        .select_related("category", "region", "lead")
        .prefetch_related("co_units")
    )
    by_rule = {
        dispatch_rules.Rule(
            e.category.code,
            e.region.code if e.region else None,
            e.lead.code,
            tuple(u.code for u in e.co_units.all()),
        ): e
        for e in entries
    }
    found = {}
    for pair, (categories, regions) in asked.items():
        rule = dispatch_rules.choose(by_rule, category_codes=categories, region_codes=regions)
        if rule is not None:
            entry = by_rule[rule]
            found[pair] = Suggestion(entry.lead, list(entry.co_units.all()), entry.basis)
    return found


def unit_get(*, code: str) -> Unit:
    return Unit.objects.get(code=code)


def unit_family_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it (SPEC 2: a unit sees its sub-units' orders).
    Kept per process while the directory stands: a unit's inbox draws its list and a
    count per tab over the same family, a walk of the tree each (20 of the page's 33
    statements at 10 million orders)."""
    return list(remembered(("unit_family", unit.pk), lambda: _family_ids(unit.pk)))


def _family_ids(root: int) -> tuple[int, ...]:
    ids, frontier = [root], [root]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return tuple(ids)
