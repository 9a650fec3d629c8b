"""Finding directory entries by what a person types: categories and units by name or
code (the pickers of the intake and dispatch pages), and regions — towns and
communities included — by name, alias, pinyin initials or code."""

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, When

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
class RegionOption:
    code: str
    name: str
    path: str  # 岳塘区 › 书院路街道: the district and town a community lies in
    level: str  # Region.Level label


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


def _region_option(region: Region) -> RegionOption:
    names, node = [], region
    while node is not None and node.level != Region.Level.CITY:
        names.append(node.name)
        node = node.parent
    return RegionOption(
        code=region.code,
        name=region.name,
        path=PATH_SEPARATOR.join(reversed(names)) or region.name,
        level=region.get_level_display(),
    )


def _regions():
    return Region.objects.select_related("parent__parent__parent")


def region_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[RegionOption]:
    """Regions whose name or alias contains ``query``, whose pinyin initials (of the
    name or an alias) start with it, or whose code starts with it; wider regions first."""
    query = (query or "").strip()
    if not query:
        return []
    found = Q(name__icontains=query) | Q(aliases__icontains=query) | Q(code__startswith=query)
    if query.isascii() and query.isalpha():
        spelled = query.lower()
        found |= Q(initials__startswith=spelled) | Q(initials__contains=" " + spelled)
    depth = Case(
        *(When(level=level, then=rank) for rank, level in enumerate(Region.Level.values)),
        output_field=IntegerField(),
    )
    regions = _regions().filter(found).annotate(depth=depth).order_by("depth", "code")
    return [_region_option(r) for r in regions[:limit]]


def regions_by_code(*, codes: list[str]) -> list[RegionOption]:
    """The chosen regions, to show them again beside a new search."""
    wanted = [c for c in codes if c]
    if not wanted:
        return []
    return [_region_option(r) for r in _regions().filter(code__in=wanted).order_by("code")]


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
