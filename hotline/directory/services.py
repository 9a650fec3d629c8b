"""Writes to the directory: importing the four tables of SPEC 11."""

from pathlib import Path

from django.db import transaction
from django.db.models import Max

from hotline.directory.models import CatalogueEntry, Category, Region, Unit
from hotline.directory.spelling import region_initials
from hotline.directory.tables import read_table
from hotline.domain.directory_rows import COLUMNS, DirectoryImportError, Known, read_directory


def find_tables(folder: Path) -> dict[str, Path]:
    """The tables present in ``folder``, as ``name.csv`` or ``name.xlsx``."""
    if not folder.is_dir():
        raise DirectoryImportError([f"目录 {folder} 不存在"])
    found = {}
    for name in COLUMNS:
        for suffix in (".csv", ".xlsx"):
            if (folder / f"{name}{suffix}").exists():
                found[name] = folder / f"{name}{suffix}"
                break
    if not found:
        raise DirectoryImportError([f"{folder} 中没有 regions/units/categories/catalogue 表"])
    return found


@transaction.atomic
def directory_import(*, folder: Path) -> dict[str, int]:
    """Imports whichever of the four tables the folder holds; all or nothing."""
    tables = {name: read_table(path) for name, path in find_tables(folder).items()}
    known = Known(
        region_levels=dict(Region.objects.values_list("code", "level")),
        top_regions=frozenset(
            Region.objects.filter(parent__isnull=True).values_list("code", flat=True)
        ),
        unit_codes=frozenset(Unit.objects.values_list("code", flat=True)),
        category_levels=dict(Category.objects.values_list("code", "level")),
    )
    directory = read_directory(tables, known)
    _upsert(Region, directory.regions, ["name", "level", "aliases"])
    _link_parents(Region, directory.regions)
    regions_spell(codes=[r.code for r in directory.regions])
    _upsert(Unit, directory.units, ["name", "kind"])
    _link_parents(Unit, directory.units)
    _link_unit_regions(directory.units)
    _upsert(Category, directory.categories, ["name", "level", "synonyms"])
    _link_parents(Category, directory.categories)
    if directory.catalogue:
        _replace_catalogue(directory.catalogue)
    return {
        "regions": len(directory.regions),
        "units": len(directory.units),
        "categories": len(directory.categories),
        "catalogue": len(directory.catalogue),
    }


def regions_spell(*, codes: list[str] | None = None) -> int:
    """Writes the pinyin initials of the regions ``codes`` (all regions when None);
    how many were written."""
    regions = Region.objects.only("pk", "name", "aliases")
    if codes is not None:
        regions = regions.filter(code__in=codes)
    spelled = []
    for region in regions.iterator(chunk_size=1000):
        region.initials = region_initials(region.name, region.aliases)
        spelled.append(region)
    Region.objects.bulk_update(spelled, ["initials"], batch_size=500)
    return len(spelled)


def _upsert(model, rows, fields: list[str]) -> None:
    existing = model.objects.in_bulk([r.code for r in rows], field_name="code")
    new, changed = [], []
    for row in rows:
        obj = existing.get(row.code) or model(code=row.code)
        for name in fields:
            value = getattr(row, name)
            setattr(obj, name, ";".join(value) if isinstance(value, tuple) else value)
        (changed if obj.pk else new).append(obj)
    model.objects.bulk_create(new, batch_size=500)
    model.objects.bulk_update(changed, fields, batch_size=500)


def _link_parents(model, rows) -> None:
    ids = dict(model.objects.values_list("code", "id"))
    objs = model.objects.in_bulk([r.code for r in rows], field_name="code")
    for row in rows:
        objs[row.code].parent_id = ids.get(row.parent_code)
    model.objects.bulk_update(objs.values(), ["parent"], batch_size=500)


def _link_unit_regions(rows) -> None:
    units = dict(Unit.objects.filter(code__in=[r.code for r in rows]).values_list("code", "id"))
    regions = dict(Region.objects.values_list("code", "id"))
    through = Unit.regions.through
    through.objects.filter(unit_id__in=units.values()).delete()
    through.objects.bulk_create(
        (
            through(unit_id=units[r.code], region_id=regions[c])
            for r in rows
            for c in r.region_codes
        ),
        batch_size=500,
    )


def _replace_catalogue(rows) -> None:
    """SPEC 2: the catalogue is versioned; an import becomes the new current version."""
    version = (CatalogueEntry.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    CatalogueEntry.objects.filter(active=True).update(active=False)
    units = dict(Unit.objects.values_list("code", "id"))
    regions = dict(Region.objects.values_list("code", "id"))
    categories = dict(Category.objects.values_list("code", "id"))
    entries = CatalogueEntry.objects.bulk_create(
        CatalogueEntry(
            category_id=categories[r.category_code],
            region_id=regions.get(r.region_code),
            lead_id=units[r.lead_unit_code],
            keywords=";".join(r.keywords),
            basis=r.basis,
            version=version,
        )
        for r in rows
    )
    through = CatalogueEntry.co_units.through
    through.objects.bulk_create(
        through(catalogueentry_id=entry.pk, unit_id=units[code])
        for entry, row in zip(entries, rows, strict=True)
        for code in row.co_unit_codes
    )
