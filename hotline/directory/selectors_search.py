"""Finding directory entries by what a person types: categories and units by name or
code (the pickers of the intake and dispatch pages), and the regions an operator
chooses from."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from hotline.directory.models import Category, Region, Unit

SEARCH_LIMIT = 20
PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class CategoryOption:
    code: str
    name: str
    path: str  # 城乡建设 › 物业管理
    leaf: bool  # no active category below it: the most specific choice


@dataclass(frozen=True)
class UnitOption:
    code: str
    name: str
    parent: str  # the parent unit's name, "" for a top-level unit
    kind: str  # Unit.Kind label


def _categories():
    below = Category.objects.filter(parent=OuterRef("pk"), active=True)
    return (
        Category.objects.filter(active=True)
        .select_related("parent__parent")
        .annotate(has_children=Exists(below))
    )


def _category_option(category: Category) -> CategoryOption:
    names, node = [], category
    while node is not None:
        names.append(node.name)
        node = node.parent
    return CategoryOption(
        code=category.code,
        name=category.name,
        path=PATH_SEPARATOR.join(reversed(names)),
        leaf=not category.has_children,
    )


def category_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[CategoryOption]:
    """Active categories whose name contains ``query`` or whose code starts with it."""
    query = (query or "").strip()
    if not query:
        return []
    found = _categories().filter(Q(name__icontains=query) | Q(code__startswith=query))
    return [_category_option(c) for c in found.order_by("code")[:limit]]


def categories_by_code(*, codes: list[str]) -> list[CategoryOption]:
    """The chosen categories, to show them again beside a new search."""
    wanted = [c for c in codes if c]
    if not wanted:
        return []
    return [_category_option(c) for c in _categories().filter(code__in=wanted).order_by("code")]


def _unit_option(unit: Unit) -> UnitOption:
    return UnitOption(
        code=unit.code,
        name=unit.name,
        parent=unit.parent.name if unit.parent else "",
        kind=unit.get_kind_display(),
    )


def unit_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[UnitOption]:
    """Active units whose name contains ``query`` or whose code starts with it."""
    query = (query or "").strip()
    if not query:
        return []
    found = (
        Unit.objects.filter(active=True)
        .filter(Q(name__icontains=query) | Q(code__istartswith=query))
        .select_related("parent")
        .order_by("code")
    )
    return [_unit_option(u) for u in found[:limit]]


def unit_options(*, codes: list[str]) -> list[UnitOption]:
    wanted = [c for c in codes if c]
    if not wanted:
        return []
    found = Unit.objects.filter(code__in=wanted).select_related("parent").order_by("code")
    return [_unit_option(u) for u in found]


def region_groups() -> list[tuple[Region, list[Region]]]:
    """Each district (and the city itself) with its towns and streets, in code order:
    the places an operator files an order under. Communities are left out: there are
    thousands of them and the town is what the catalogue routes by."""
    regions = Region.objects.filter(
        level__in=[Region.Level.CITY, Region.Level.DISTRICT, Region.Level.TOWN]
    ).order_by("code")
    heads: dict[int, tuple[Region, list[Region]]] = {}
    towns: list[Region] = []
    for region in regions:
        if region.level == Region.Level.TOWN:
            towns.append(region)
        else:
            heads[region.pk] = (region, [])
    for town in towns:
        if town.parent_id in heads:
            heads[town.parent_id][1].append(town)
    return list(heads.values())
