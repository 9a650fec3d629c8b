"""A directory (the four CSVs of SPEC 11) read into look-ups, without a database.

The generator needs what the importer will check: which codes exist, each category's
and region's chain of ancestors, the towns of a district, each district's government and
each town's sub-unit, and the lead unit the dispatch catalogue names for a category in a
region (the same rule as live work, ``domain.dispatch_rules``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from hotline.domain import dispatch_rules
from hotline.domain.directory_rows import (
    CategoryRow,
    RegionRow,
    UnitRow,
    read_directory,
)

TABLES = ("regions", "units", "categories", "catalogue")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class DirectoryIndex:
    regions: dict[str, RegionRow]
    units: dict[str, UnitRow]
    categories: dict[str, CategoryRow]
    rules: list[dispatch_rules.Rule]
    towns: dict[str, list[RegionRow]] = field(default_factory=dict)  # district → towns
    communities: dict[str, list[RegionRow]] = field(default_factory=dict)  # town → …
    district_units: dict[str, str] = field(default_factory=dict)  # district → unit
    town_units: dict[str, str] = field(default_factory=dict)  # town → sub-unit
    _resolved: dict[tuple[str, str], dispatch_rules.Rule | None] = field(default_factory=dict)

    def category_chain(self, code: str) -> list[str]:
        chain = []
        while code:
            chain.append(code)
            code = self.categories[code].parent_code
        return chain

    def region_chain(self, code: str) -> list[str]:
        chain = []
        while code:
            chain.append(code)
            code = self.regions[code].parent_code
        return chain

    def district_of(self, region_code: str) -> str:
        for code in self.region_chain(region_code):
            if self.regions[code].level == "district":
                return code
        raise KeyError(f"region {region_code} lies in no district")

    def catalogue_rule(self, category: str, region: str) -> dispatch_rules.Rule | None:
        """The catalogue entry live work would suggest, or None when none applies."""
        key = (category, region)
        if key not in self._resolved:
            self._resolved[key] = dispatch_rules.choose(
                self.rules,
                category_codes=self.category_chain(category),
                region_codes=self.region_chain(region),
            )
        return self._resolved[key]


def read_index(directory: Path) -> DirectoryIndex:
    tables = {name: _rows(directory / f"{name}.csv") for name in TABLES}
    checked = read_directory(tables)
    index = DirectoryIndex(
        regions={r.code: r for r in checked.regions},
        units={u.code: u for u in checked.units},
        categories={c.code: c for c in checked.categories},
        rules=[
            dispatch_rules.Rule(
                row.category_code,
                row.region_code or None,
                row.lead_unit_code,
                row.co_unit_codes,
                row.basis,
            )
            for row in checked.catalogue
        ],
    )
    for region in checked.regions:
        if region.level == "town":
            index.towns.setdefault(region.parent_code, []).append(region)
        elif region.level == "community":
            index.communities.setdefault(region.parent_code, []).append(region)
    for unit in checked.units:
        if unit.kind == "district_government" and len(unit.region_codes) == 1:
            index.district_units[unit.region_codes[0]] = unit.code
        elif unit.kind == "town_government" and len(unit.region_codes) == 1:
            index.town_units[unit.region_codes[0]] = unit.code
    return index
