"""Reading the directory's four tables (SPEC 11) into checked records.

Pure: the caller passes the rows (dicts keyed by the header) and the codes already
known to the database; every problem is reported with its file and line, and the
caller writes nothing unless the list of problems is empty.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hotline.domain.errors import DomainError

REGION_LEVELS = ("province", "city", "district", "town", "community")
# SPEC 2 (2026-12): the top of an office's directory is its own level — a province, a
# city, or a county (a district-level region) for a county hotline.
TOP_LEVELS = ("province", "city", "district")
LEVEL_NAMES = {
    "province": "省",
    "city": "市",
    "district": "区县",
    "town": "乡镇（街道）",
    "community": "社区（村）",
}
UNIT_KINDS = (
    "district_government",
    "department",
    "enterprise",
    "school",
    "central_agency",
    "town_government",
)
# The kinds as offices write them in their own tables (SPEC 2), each with its code; a
# county's or a province's own departments are its 市直部门.
UNIT_KIND_NAMES = {
    "区县政府": "district_government",
    "区县(市)政府": "district_government",
    "区县（市）政府": "district_government",
    "市直部门": "department",
    "县直部门": "department",
    "省直部门": "department",
    "公共企事业单位": "enterprise",
    "学校": "school",
    "中央驻市单位": "central_agency",
    "驻市中央单位": "central_agency",
    "乡镇街道": "town_government",
    "乡镇(街道)": "town_government",
    "乡镇（街道）": "town_government",
}
BASIS_MAX = 500
SYNONYMS_MAX = 1000  # the words of one category, separators included (Category.synonyms)
COLUMNS = {
    "regions": ("code", "name", "level", "parent_code"),
    "units": ("code", "name", "kind", "parent_code", "region_codes"),
    "categories": ("code", "name", "parent_code"),
    "catalogue": ("category_code", "region_code", "lead_unit_code", "co_unit_codes", "keywords"),
}


class DirectoryImportError(DomainError):
    code = "directory_import_error"

    def __init__(self, problems: list[str]):
        shown = "\n".join(problems[:50])
        more = f"\n……另有 {len(problems) - 50} 处错误" if len(problems) > 50 else ""
        super().__init__(f"目录导入失败，未写入任何数据：\n{shown}{more}")
        self.problems = problems


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str
    # Local names the place goes by (九华 for 湘潭经开区), from the optional ``aliases``
    # column; the suggestions match them as words of their own.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    kind: str
    parent_code: str
    region_codes: tuple[str, ...]


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    parent_code: str
    level: int
    # How citizens speak of the matter (狗咬人, 暖气不热), from the optional ``synonyms``
    # column: the suggestions learn them as the category's words.
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogueRow:
    category_code: str
    region_code: str
    lead_unit_code: str
    co_unit_codes: tuple[str, ...]
    keywords: tuple[str, ...]
    # SPEC 2 (2026-12): why the rule names this unit — the 三定 clause, the 权责清单 or
    # 乡镇履职事项清单 item — from the optional ``basis`` column.
    basis: str = ""


@dataclass
class Known:
    """Codes already in the database, with region levels and category depths."""

    region_levels: Mapping[str, str] = field(default_factory=dict)
    top_regions: frozenset[str] = frozenset()  # codes of regions without a parent
    unit_codes: frozenset[str] = frozenset()
    category_levels: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Directory:
    regions: list[RegionRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    categories: list[CategoryRow] = field(default_factory=list)
    catalogue: list[CatalogueRow] = field(default_factory=list)


def unit_kind(written: str) -> str | None:
    """The kind's code, from its code or its Chinese name; None for neither."""
    return written if written in UNIT_KINDS else UNIT_KIND_NAMES.get(written)


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(";") if p.strip())


class _Reader:
    def __init__(self, known: Known):
        self.known = known
        self.problems: list[str] = []

    def problem(self, table: str, line: int, message: str) -> None:
        self.problems.append(f"{table}.csv 第 {line} 行：{message}")

    def rows(self, table: str, rows: Iterable[Mapping[str, str]]):
        """Yields (line, cleaned row); line 1 is the header."""
        for line, raw in enumerate(rows, start=2):
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            missing = [c for c in COLUMNS[table] if c not in row]
            if missing:
                self.problem(table, line, f"缺少列 {'、'.join(missing)}")
                return
            yield line, row

    def unique(self, table: str, line: int, seen: set, code: str) -> bool:
        if not code:
            self.problem(table, line, "编码不能为空")
            return False
        if code in seen:
            self.problem(table, line, f"编码 {code} 重复")
            return False
        seen.add(code)
        return True


def read_directory(
    tables: Mapping[str, Iterable[Mapping[str, str]]], known: Known | None = None
) -> Directory:
    """Checks the given tables (any subset of the four) in dependency order."""
    reader = _Reader(known or Known())
    out = Directory()
    region_levels = dict(reader.known.region_levels)
    unit_codes = set(reader.known.unit_codes)
    category_levels = dict(reader.known.category_levels)

    seen: set[str] = set()
    tops = set(reader.known.top_regions)
    for line, row in reader.rows("regions", tables.get("regions", ())):
        if not reader.unique("regions", line, seen, row["code"]):
            continue
        level, parent = row["level"], row["parent_code"]
        if level not in REGION_LEVELS:
            reader.problem("regions", line, f"层级「{level}」无效，应为 {'/'.join(REGION_LEVELS)}")
            continue
        if not row["name"]:
            reader.problem("regions", line, "名称不能为空")
            continue
        depth = REGION_LEVELS.index(level)
        if not parent:
            # The top of the directory: one region, at the office's own level.
            if level not in TOP_LEVELS:
                reader.problem(
                    "regions",
                    line,
                    f"顶层区划（无上级区划）只能是省、市或区县级，"
                    f"{LEVEL_NAMES[level]}级区划须填写上级区划",
                )
                continue
            others = tops - {row["code"]}
            if others:
                reader.problem(
                    "regions",
                    line,
                    f"目录只能有一个顶层区划，已有 {'、'.join(sorted(others))}；"
                    "其余区划须填写上级区划",
                )
                continue
            tops.add(row["code"])
        else:
            if parent not in region_levels:
                reader.problem("regions", line, f"上级区划 {parent} 不存在")
                continue
            if REGION_LEVELS.index(region_levels[parent]) != depth - 1:
                reader.problem(
                    "regions",
                    line,
                    f"{LEVEL_NAMES[level]}级区划的上级应为{LEVEL_NAMES[REGION_LEVELS[depth - 1]]}级"
                    if depth > 0
                    else "省级区划不能有上级区划",
                )
                continue
        region_levels[row["code"]] = level
        out.regions.append(
            RegionRow(row["code"], row["name"], level, parent, _split(row.get("aliases", "")))
        )

    seen = set()
    names: set[str] = set()
    for line, row in reader.rows("units", tables.get("units", ())):
        if not reader.unique("units", line, seen, row["code"]):
            continue
        if not row["name"] or row["name"] in names:
            reader.problem("units", line, f"单位名称「{row['name']}」为空或重复")
            continue
        kind = unit_kind(row["kind"])
        if kind is None:
            reader.problem(
                "units",
                line,
                f"单位类型「{row['kind']}」无效，应为 {'/'.join(UNIT_KINDS)} "
                f"或 {'、'.join(dict.fromkeys(UNIT_KIND_NAMES))}",
            )
            continue
        if row["parent_code"] and row["parent_code"] not in unit_codes:
            reader.problem("units", line, f"上级单位 {row['parent_code']} 不存在")
            continue
        regions = _split(row["region_codes"])
        unknown = [r for r in regions if r not in region_levels]
        if unknown:
            reader.problem("units", line, f"区划 {'、'.join(unknown)} 不存在")
            continue
        names.add(row["name"])
        unit_codes.add(row["code"])
        out.units.append(UnitRow(row["code"], row["name"], kind, row["parent_code"], regions))

    seen = set()
    names = set()
    for line, row in reader.rows("categories", tables.get("categories", ())):
        if not reader.unique("categories", line, seen, row["code"]):
            continue
        if not row["name"] or row["name"] in names:
            reader.problem("categories", line, f"分类名称「{row['name']}」为空或重复")
            continue
        parent = row["parent_code"]
        if parent and parent not in category_levels:
            reader.problem("categories", line, f"上级分类 {parent} 不存在")
            continue
        level = category_levels[parent] + 1 if parent else 1
        if level > 3:
            reader.problem("categories", line, "事项分类最多三级")
            continue
        synonyms = _split(row.get("synonyms", ""))
        if len(";".join(synonyms)) > SYNONYMS_MAX:
            reader.problem("categories", line, f"群众说法（synonyms）不能超过 {SYNONYMS_MAX} 字")
            continue
        names.add(row["name"])
        category_levels[row["code"]] = level
        out.categories.append(CategoryRow(row["code"], row["name"], parent, level, synonyms))

    rules: dict[tuple[str, str], int] = {}
    for line, row in reader.rows("catalogue", tables.get("catalogue", ())):
        if row["category_code"] not in category_levels:
            reader.problem("catalogue", line, f"事项分类 {row['category_code'] or '（空）'} 不存在")
            continue
        if row["region_code"] and row["region_code"] not in region_levels:
            reader.problem("catalogue", line, f"区划 {row['region_code']} 不存在")
            continue
        units = (row["lead_unit_code"],) + _split(row["co_unit_codes"])
        unknown = [u for u in units if u not in unit_codes]
        if unknown:
            reader.problem("catalogue", line, f"单位 {'、'.join(unknown) or '（空）'} 不存在")
            continue
        if row["lead_unit_code"] in units[1:]:
            reader.problem("catalogue", line, "主办单位不能同时作为协办单位")
            continue
        rule = (row["category_code"], row["region_code"])
        if rule in rules:
            reader.problem("catalogue", line, f"与第 {rules[rule]} 行的分类和区划相同")
            continue
        if len(row.get("basis", "")) > BASIS_MAX:
            reader.problem("catalogue", line, f"依据（basis）不能超过 {BASIS_MAX} 字")
            continue
        rules[rule] = line
        out.catalogue.append(
            CatalogueRow(
                row["category_code"],
                row["region_code"],
                row["lead_unit_code"],
                units[1:],
                _split(row["keywords"]),
                (row.get("basis") or "").strip(),
            )
        )

    if reader.problems:
        raise DirectoryImportError(reader.problems)
    return out
