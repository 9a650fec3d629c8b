"""The part of the directory the suggestions need, held in memory.

Built from the database for live work (``selectors.directory_snapshot``) or from the
directory's CSV files (``from_index``) to train on a generated history without one. The
lead unit the catalogue names is chosen by the same rule as live dispatch
(``domain.dispatch_rules``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from hotline.domain import dispatch_rules


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    level: str  # city | district | town | community
    parent: str
    aliases: tuple[str, ...] = ()  # local names: 九华 for 湘潭经开区


@dataclass
class DirectorySnapshot:
    regions: dict[str, Place]
    categories: dict[str, tuple[str, str]]  # code → (name, parent code)
    units: dict[str, str]  # code → name
    rules: list[dispatch_rules.Rule]
    keywords: list[tuple[str, str]] = field(default_factory=list)  # (word, category code)
    # How citizens speak of each category (the categories' synonyms): (word, category code)
    vocabulary: list[tuple[str, str]] = field(default_factory=list)
    _chosen: dict = field(default_factory=dict, repr=False)

    def category_chain(self, code: str) -> list[str]:
        chain = []
        while code and code in self.categories:
            chain.append(code)
            code = self.categories[code][1]
        return chain

    def leaf_categories(self) -> frozenset[str]:
        """The categories with no sub-category (小类, or a shorter branch's end): the only
        ones suggested."""
        parents = {parent for _, parent in self.categories.values()}
        return frozenset(code for code in self.categories if code not in parents)

    def region_chain(self, code: str | None) -> list[str]:
        chain = []
        while code and code in self.regions:
            chain.append(code)
            code = self.regions[code].parent
        return chain

    def district_of(self, code: str | None) -> str | None:
        for link in self.region_chain(code):
            if self.regions[link].level == "district":
                return link
        return None

    def catalogue_rule(self, category: str, region: str | None) -> dispatch_rules.Rule | None:
        """The catalogue entry live dispatch would suggest for this category and region."""
        key = (category, region)
        if key not in self._chosen:
            self._chosen[key] = dispatch_rules.choose(
                self.rules,
                category_codes=self.category_chain(category),
                region_codes=self.region_chain(region),
            )
        return self._chosen[key]

    def category_words(self) -> list[tuple[str, str]]:
        """(word, leaf category) pairs a request may name its matter by: the category's
        synonyms and name, and the keywords of its own catalogue entries."""
        leaves = self.leaf_categories()
        pairs = [*self.vocabulary, *self.keywords]
        pairs += [(name, code) for code, (name, _) in self.categories.items()]
        return sorted({(w, c) for w, c in pairs if c in leaves and w})

    def dictionary_words(self) -> list[str]:
        """Place names and aliases, unit and category names, for the word segmenter."""
        return [
            *(p.name for p in self.regions.values()),
            *(alias for p in self.regions.values() for alias in p.aliases),
            *self.units.values(),
            *(name for name, _ in self.categories.values()),
        ]


def from_files(folder) -> DirectorySnapshot:
    """From the directory's four CSV files (SPEC 11)."""
    from hotline.interchange.directory_index import read_index

    folder = Path(folder)
    with (folder / "catalogue.csv").open(encoding="utf-8-sig", newline="") as handle:
        catalogue = list(csv.DictReader(handle))
    return from_index(read_index(folder), keywords=catalogue_keywords(catalogue))


def catalogue_keywords(rows) -> list[tuple[str, str]]:
    """(keyword, category code) pairs of catalogue rows with a ``keywords`` column."""
    pairs = []
    for row in rows:
        for word in (row.get("keywords") or "").split(";"):
            if word.strip():
                pairs.append((word.strip(), row["category_code"]))
    return pairs


def from_index(index, keywords=()) -> DirectorySnapshot:
    """From ``interchange.directory_index.DirectoryIndex``."""
    keywords = list(keywords)
    return DirectorySnapshot(
        regions={
            r.code: Place(r.code, r.name, r.level, r.parent_code or "", r.aliases)
            for r in index.regions.values()
        },
        categories={c.code: (c.name, c.parent_code or "") for c in index.categories.values()},
        units={u.code: u.name for u in index.units.values()},
        rules=list(index.rules),
        keywords=keywords,
        vocabulary=[(word, c.code) for c in index.categories.values() for word in c.synonyms],
    )
