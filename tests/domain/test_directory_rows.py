"""SPEC 2 and 11: reading the directory's four tables into checked records.

Rows are dicts keyed by the header, as ``csv.DictReader`` gives them; the header is
line 1, so the first data row is line 2.
"""

import pytest

from hotline.domain.directory_rows import (
    COLUMNS,
    CatalogueRow,
    CategoryRow,
    DirectoryImportError,
    Known,
    RegionRow,
    UnitRow,
    read_directory,
)
from hotline.domain.errors import DomainError


def region(code, name, level, parent_code=""):
    return {"code": code, "name": name, "level": level, "parent_code": parent_code}


def unit(code, name, kind="department", parent_code="", region_codes=""):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "parent_code": parent_code,
        "region_codes": region_codes,
    }


def category(code, name, parent_code=""):
    return {"code": code, "name": name, "parent_code": parent_code}


def entry(category_code, region_code="", lead_unit_code="", co_unit_codes="", keywords=""):
    return {
        "category_code": category_code,
        "region_code": region_code,
        "lead_unit_code": lead_unit_code,
        "co_unit_codes": co_unit_codes,
        "keywords": keywords,
    }


def valid_tables():
    return {
        "regions": [
            region("430600", "岳阳市", "city"),
            region("430602", "岳阳楼区", "district", "430600"),
            region("430621", "岳阳县", "district", "430600"),
            region("430602001", "洞庭街道", "town", "430602"),
            region("430602001001", "洞庭社区", "community", "430602001"),
        ],
        "units": [
            unit("YYLQ", "岳阳楼区政府", "district_government", "", "430602"),
            unit("DTJD", "洞庭街道办事处", "town_government", "YYLQ", "430602001"),
            unit("YYX", "岳阳县政府", "district_government", "", "430621"),
            unit("GHJ", "市规划局", "department", "", "430600"),
            unit("SLS", "市自来水公司", "enterprise", "", "430602;430621"),
        ],
        "categories": [
            category("01", "城市管理"),
            category("0101", "市容环境", "01"),
            category("010101", "违法倾倒渣土", "0101"),
            category("02", "规划建设"),
        ],
        "catalogue": [
            entry("010101", "430602", "YYLQ", "GHJ", "渣土;倾倒"),
            entry("02", "", "GHJ"),
            entry("0101", "430621", "YYX", "GHJ;SLS", " 市容 ; 垃圾 "),
        ],
    }


def problems_of(tables, known=None) -> list[str]:
    with pytest.raises(DirectoryImportError) as error:
        read_directory(tables, known)
    assert error.value.problems
    assert isinstance(error.value, DomainError)
    return error.value.problems


def assert_one_problem_at(problems, table, line):
    where = f"{table}.csv 第 {line} 行"
    assert [p for p in problems if where in p], f"no problem at {where}: {problems}"


def with_rows(table, *rows):
    tables = valid_tables()
    tables[table] = tables[table] + list(rows)
    return tables


# --- a valid directory -----------------------------------------------------------------


def test_valid_four_tables_read_into_records():
    directory = read_directory(valid_tables())
    assert [r.code for r in directory.regions] == [
        "430600",
        "430602",
        "430621",
        "430602001",
        "430602001001",
    ]
    assert directory.regions[3] == RegionRow("430602001", "洞庭街道", "town", "430602")
    assert directory.units[1] == UnitRow(
        "DTJD", "洞庭街道办事处", "town_government", "YYLQ", ("430602001",)
    )
    assert directory.units[4].region_codes == ("430602", "430621")
    assert [(c.code, c.level) for c in directory.categories] == [
        ("01", 1),
        ("0101", 2),
        ("010101", 3),
        ("02", 1),
    ]
    assert directory.categories[2] == CategoryRow("010101", "违法倾倒渣土", "0101", 3)
    assert directory.catalogue[0] == CatalogueRow(
        "010101", "430602", "YYLQ", ("GHJ",), ("渣土", "倾倒")
    )
    assert directory.catalogue[1].region_code == ""  # any region
    assert directory.catalogue[1].co_unit_codes == ()
    assert directory.catalogue[2].co_unit_codes == ("GHJ", "SLS")
    assert directory.catalogue[2].keywords == ("市容", "垃圾")


def test_cells_and_headers_are_trimmed():
    tables = {
        "regions": [
            {" code ": " 430600 ", "name": " 岳阳市 ", "level": "city ", "parent_code": None}
        ]
    }
    directory = read_directory(tables)
    assert directory.regions == [RegionRow("430600", "岳阳市", "city", "")]


def test_any_subset_of_the_tables_may_be_read():
    directory = read_directory({"categories": valid_tables()["categories"]})
    assert len(directory.categories) == 4
    assert directory.regions == directory.units == directory.catalogue == []


def test_the_four_tables_have_the_spec_columns():
    assert COLUMNS == {
        "regions": ("code", "name", "level", "parent_code"),
        "units": ("code", "name", "kind", "parent_code", "region_codes"),
        "categories": ("code", "name", "parent_code"),
        "catalogue": (
            "category_code",
            "region_code",
            "lead_unit_code",
            "co_unit_codes",
            "keywords",
        ),
    }


# --- refusals, each with its table and line --------------------------------------------


def test_duplicate_region_code_is_refused_at_its_line():
    problems = problems_of(with_rows("regions", region("430602", "重复区", "district", "430600")))
    assert_one_problem_at(problems, "regions", 7)
    assert "430602" in problems[0]
    assert len(problems) == 1


def test_bad_region_level_is_refused():
    problems = problems_of(with_rows("regions", region("430699", "某某区", "state", "430600")))
    assert_one_problem_at(problems, "regions", 7)
    assert "state" in problems[0] and "province" in problems[0]


def test_region_with_missing_parent_is_refused():
    problems = problems_of(with_rows("regions", region("430699", "某某区", "district", "439999")))
    assert_one_problem_at(problems, "regions", 7)
    assert "439999" in problems[0]


def test_a_second_top_region_is_refused():
    problems = problems_of(with_rows("regions", region("430699", "某某区", "district")))
    assert_one_problem_at(problems, "regions", 7)
    assert "只能有一个顶层区划，已有 430600" in problems[0]


def test_a_town_without_parent_is_refused():
    problems = problems_of({"regions": [region("430602001", "洞庭街道", "town")]})
    assert problems == [
        "regions.csv 第 2 行：顶层区划（无上级区划）只能是省、市或区县级，"
        "乡镇（街道）级区划须填写上级区划"
    ]


def test_the_top_already_stored_counts():
    known = Known(region_levels={"433130": "district"}, top_regions=frozenset({"433130"}))
    with pytest.raises(DirectoryImportError) as refused:
        read_directory({"regions": [region("430600", "岳阳市", "city")]}, known)
    assert "已有 433130" in refused.value.problems[0]
    again = read_directory({"regions": [region("433130", "龙山县", "district")]}, known)
    assert again.regions[0].code == "433130"


@pytest.mark.parametrize(
    "rows",
    [
        [region("433130", "龙山县", "district"), region("433130001", "民安街道", "town", "433130")],
        [region("430600", "岳阳市", "city"), region("430602", "岳阳楼区", "district", "430600")],
        [
            region("430000", "湖南省", "province"),
            region("430600", "岳阳市", "city", "430000"),
            region("430602", "岳阳楼区", "district", "430600"),
        ],
    ],
    ids=["county", "city", "province"],
)
def test_the_top_is_the_offices_own_level(rows):
    read = read_directory(
        {"regions": rows, "units": [unit("U", "某单位", region_codes=rows[0]["code"])]}
    )
    assert [r.code for r in read.regions] == [r["code"] for r in rows]


def test_a_province_with_a_parent_is_refused():
    problems = problems_of(with_rows("regions", region("430000", "湖南省", "province", "430600")))
    assert_one_problem_at(problems, "regions", 7)
    assert "省级区划不能有上级区划" in problems[0]


def test_city_with_a_parent_is_refused():
    problems = problems_of(with_rows("regions", region("430700", "常德市", "city", "430600")))
    assert_one_problem_at(problems, "regions", 7)


def test_town_directly_under_a_city_is_refused_as_wrong_parent_level():
    problems = problems_of(with_rows("regions", region("430600999", "某镇", "town", "430600")))
    assert_one_problem_at(problems, "regions", 7)
    assert "乡镇（街道）级区划的上级应为区县级" in problems[0]


def test_first_data_row_is_line_2():
    problems = problems_of({"regions": [region("430600", "岳阳市", "metropolis")]})
    assert problems[0].startswith("regions.csv 第 2 行")


def test_unit_with_unknown_region_code_is_refused():
    problems = problems_of(with_rows("units", unit("X", "某局", region_codes="430602;439999")))
    assert_one_problem_at(problems, "units", 7)
    assert "439999" in problems[0]


def test_unit_with_unknown_parent_is_refused():
    problems = problems_of(with_rows("units", unit("X", "某局", parent_code="NOPE")))
    assert_one_problem_at(problems, "units", 7)
    assert "NOPE" in problems[0]


def test_duplicate_unit_code_is_refused():
    problems = problems_of(with_rows("units", unit("GHJ", "另一个规划局")))
    assert_one_problem_at(problems, "units", 7)


def test_duplicate_unit_name_is_refused():
    problems = problems_of(with_rows("units", unit("GHJ2", "市规划局")))
    assert_one_problem_at(problems, "units", 7)
    assert "市规划局" in problems[0]


def test_unknown_unit_kind_is_refused():
    problems = problems_of(with_rows("units", unit("X", "某单位", kind="club")))
    assert_one_problem_at(problems, "units", 7)


def test_category_four_levels_deep_is_refused():
    problems = problems_of(with_rows("categories", category("01010101", "第四级", "010101")))
    assert_one_problem_at(problems, "categories", 6)
    assert "三级" in problems[0]


def test_duplicate_category_name_is_refused():
    problems = problems_of(with_rows("categories", category("03", "城市管理")))
    assert_one_problem_at(problems, "categories", 6)


def test_duplicate_category_code_is_refused():
    problems = problems_of(with_rows("categories", category("02", "另一个")))
    assert_one_problem_at(problems, "categories", 6)


def test_category_with_unknown_parent_is_refused():
    problems = problems_of(with_rows("categories", category("0901", "某中类", "09")))
    assert_one_problem_at(problems, "categories", 6)


@pytest.mark.parametrize(
    ("row", "named"),
    [
        (entry("09", "", "GHJ"), "09"),  # unknown category
        (entry("02", "439999", "GHJ"), "439999"),  # unknown region
        (entry("02", "", "NOPE"), "NOPE"),  # unknown lead unit
        (entry("02", "", "GHJ", "YYX;NOPE"), "NOPE"),  # unknown co-unit
    ],
)
def test_catalogue_entry_with_unknown_category_region_or_unit_is_refused(row, named):
    problems = problems_of(with_rows("catalogue", row))
    assert_one_problem_at(problems, "catalogue", 5)
    assert named in problems[0]
    assert len(problems) == 1


def test_catalogue_entry_without_lead_unit_is_refused():
    problems = problems_of(with_rows("catalogue", entry("02", "", "")))
    assert_one_problem_at(problems, "catalogue", 5)


def test_lead_also_listed_as_co_unit_is_refused():
    problems = problems_of(with_rows("catalogue", entry("02", "", "GHJ", "YYX;GHJ")))
    assert_one_problem_at(problems, "catalogue", 5)
    assert "协办" in problems[0]


@pytest.mark.parametrize("table", list(COLUMNS))
def test_missing_column_is_refused(table):
    tables = valid_tables()
    dropped = COLUMNS[table][-1]
    tables[table] = [{k: v for k, v in row.items() if k != dropped} for row in tables[table]]
    problems = problems_of(tables)
    assert_one_problem_at(problems, table, 2)
    assert any(dropped in p for p in problems)


def test_several_problems_are_all_reported():
    tables = valid_tables()
    tables["regions"].append(region("430602", "重复", "district", "430600"))  # line 7
    tables["regions"].append(region("430699", "某镇", "town", "430600"))  # line 8
    tables["units"].append(unit("X", "市规划局"))  # line 7: duplicate name
    tables["units"].append(unit("Y", "某局", parent_code="NOPE"))  # line 8
    tables["categories"].append(category("04", "规划建设"))  # line 6: duplicate name
    tables["catalogue"].append(entry("02", "", "GHJ", "GHJ"))  # line 5
    tables["catalogue"].append(entry("99", "", "GHJ"))  # line 6
    problems = problems_of(tables)
    for table, line in [
        ("regions", 7),
        ("regions", 8),
        ("units", 7),
        ("units", 8),
        ("categories", 6),
        ("catalogue", 5),
        ("catalogue", 6),
    ]:
        assert_one_problem_at(problems, table, line)
    assert len(problems) == 7


def test_error_message_lists_the_problems_and_says_nothing_was_written():
    tables = with_rows("regions", region("430602", "重复区", "district", "430600"))
    with pytest.raises(DirectoryImportError) as error:
        read_directory(tables)
    assert "未写入" in error.value.message
    assert error.value.problems[0] in error.value.message


def test_long_problem_lists_are_shortened_in_the_message_but_kept_whole():
    rows = [region("430600", "岳阳市", "city")] + [
        region("430600", f"重复{i}", "city") for i in range(60)
    ]
    with pytest.raises(DirectoryImportError) as error:
        read_directory({"regions": rows})
    assert len(error.value.problems) == 60
    assert "另有 10 处错误" in error.value.message


# --- codes already in the database -----------------------------------------------------


def test_known_codes_from_the_database_satisfy_references():
    known = Known(
        region_levels={"430600": "city", "430602": "district"},
        unit_codes=frozenset({"YYLQ", "GHJ"}),
        category_levels={"01": 1, "0101": 2},
    )
    tables = {
        "regions": [region("430602002", "岳阳楼街道", "town", "430602")],
        "units": [unit("LJD", "岳阳楼街道办事处", "town_government", "YYLQ", "430602002;430602")],
        "categories": [category("010102", "露天焚烧", "0101")],
        "catalogue": [
            entry("010102", "430602002", "LJD", "GHJ"),
            entry("01", "430600", "YYLQ"),
        ],
    }
    directory = read_directory(tables, known)
    assert directory.regions[0].level == "town"
    assert directory.units[0].parent_code == "YYLQ"
    assert directory.categories[0].level == 3
    assert len(directory.catalogue) == 2


def test_known_category_levels_still_limit_the_depth():
    known = Known(category_levels={"010101": 3})
    problems = problems_of({"categories": [category("01010101", "第四级", "010101")]}, known)
    assert_one_problem_at(problems, "categories", 2)


def test_known_region_levels_still_check_the_parent_level():
    known = Known(region_levels={"430600": "city"})
    problems = problems_of({"regions": [region("430600001", "某镇", "town", "430600")]}, known)
    assert_one_problem_at(problems, "regions", 2)


def test_without_known_codes_references_to_the_database_are_refused():
    tables = {"units": [unit("LJD", "岳阳楼街道办事处", "town_government", "YYLQ")]}
    problems = problems_of(tables)
    assert_one_problem_at(problems, "units", 2)


def test_two_catalogue_rows_for_the_same_category_and_region_are_refused():
    from hotline.domain.directory_rows import DirectoryImportError, Known, read_directory

    known = Known(
        region_levels={"430300": "city"},
        unit_codes=frozenset({"U-A", "U-B"}),
        category_levels={"01": 1},
    )
    rows = [
        {"category_code": "01", "region_code": "", "lead_unit_code": "U-A",
         "co_unit_codes": "", "keywords": ""},
        {"category_code": "01", "region_code": "", "lead_unit_code": "U-B",
         "co_unit_codes": "", "keywords": ""},
    ]  # fmt: skip
    with pytest.raises(DirectoryImportError) as refused:
        read_directory({"catalogue": rows}, known)
    assert refused.value.problems == ["catalogue.csv 第 3 行：与第 2 行的分类和区划相同"]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("区县政府", "district_government"),
        ("区县(市)政府", "district_government"),
        ("县直部门", "department"),
        ("市直部门", "department"),
        ("公共企事业单位", "enterprise"),
        ("学校", "school"),
        ("中央驻市单位", "central_agency"),
        ("乡镇街道", "town_government"),
        ("school", "school"),
    ],
)
def test_unit_kinds_are_read_by_code_or_chinese_name(written, kind):
    read = read_directory(with_rows("units", unit("X", "某单位", kind=written)))
    assert read.units[-1].kind == kind


def test_the_catalogue_basis_is_kept_and_bounded():
    basis = "市住建局三定规定第三条第（五）项"
    tables = with_rows("catalogue", {**entry("01", "", "GHJ"), "basis": basis})
    assert read_directory(tables).catalogue[-1].basis == basis
    assert read_directory(valid_tables()).catalogue[0].basis == ""
    too_long = with_rows("catalogue", {**entry("01", "", "GHJ"), "basis": "依" * 501})
    assert "500" in problems_of(too_long)[0]
