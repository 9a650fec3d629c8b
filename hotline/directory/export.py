"""The directory's four tables written out (SPEC 11), in the form the import reads:
export → import → export gives the same files. A table is written level by level (the
top first), since the import reads a parent before the rows that name it."""

import csv
from pathlib import Path

from django.db.models import Prefetch

from hotline.directory.models import CatalogueEntry, Category, Region, Unit
from hotline.domain.directory_rows import COLUMNS, REGION_LEVELS

# The optional columns the import also reads, after the required ones.
EXTRA_COLUMNS = {
    "regions": ("aliases",),
    "categories": ("synonyms",),
    "catalogue": ("basis",),
}


def _code(item) -> str:
    return item.code if item is not None else ""


def _units_top_down() -> list[Unit]:
    regions = Prefetch("regions", queryset=Region.objects.order_by("code"))
    units = list(Unit.objects.select_related("parent").prefetch_related(regions))
    parents = {u.pk: u.parent_id for u in units}

    def depth(unit: Unit) -> int:
        steps, above = 0, unit.parent_id
        while above is not None:
            steps, above = steps + 1, parents[above]
        return steps

    return sorted(units, key=lambda u: (depth(u), u.code))


def _rows(name: str):
    if name == "regions":
        regions = Region.objects.select_related("parent")
        for r in sorted(regions, key=lambda r: (REGION_LEVELS.index(r.level), r.code)):
            yield (r.code, r.name, r.level, _code(r.parent), r.aliases)
    elif name == "units":
        for u in _units_top_down():
            regions = ";".join(r.code for r in u.regions.all())
            yield (u.code, u.name, u.kind, _code(u.parent), regions)
    elif name == "categories":
        for c in Category.objects.select_related("parent").order_by("level", "code"):
            yield (c.code, c.name, _code(c.parent), c.synonyms)
    else:
        co_units = Prefetch("co_units", queryset=Unit.objects.order_by("code"))
        entries = (
            CatalogueEntry.objects.filter(active=True)
            .select_related("category", "region", "lead")
            .prefetch_related(co_units)
            .order_by("category__code", "region__code", "pk")
        )
        for e in entries:
            yield (
                e.category.code,
                _code(e.region),
                e.lead.code,
                ";".join(u.code for u in e.co_units.all()),
                e.keywords,
                e.basis,
            )


def directory_export(*, folder: Path) -> dict[str, int]:
    """Writes regions.csv, units.csv, categories.csv and catalogue.csv (the current
    catalogue version) into ``folder``; returns the rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, columns in COLUMNS.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns + EXTRA_COLUMNS.get(name, ()))
            rows = list(_rows(name))
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts
