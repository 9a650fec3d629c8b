"""Directory import (SPEC 11): the demo city loads; a bad row names its file and line
and nothing at all is written."""

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from hotline.demo import DIRECTORY
from hotline.directory.export import directory_export
from hotline.directory.models import CatalogueEntry, Category, Region, Unit
from hotline.directory.selectors import catalogue_suggestion
from hotline.directory.services import directory_import
from hotline.domain.directory_rows import DirectoryImportError

REQUIRED_UNITS = (
    "岳塘区 雨湖区 湘潭县 湘乡市 韶山市 市公安局 市市场监管局 湘潭城发集团 中环水务 市人社局 "
    "市医保局 市住建局 市城管局 市生态环境局 市交通运输局 市教育局 市卫健委 市自然资源和规划局 "
    "市住房公积金中心 国网湘潭供电公司 新奥燃气"
).split()
DISTRICTS = "雨湖区 岳塘区 湘潭县 湘乡市 韶山市 湘潭高新区 湘潭经开区 昭山示范区".split()
SEED_TOPICS = (
    "消费维权 社会保险 医疗保险 劳动维权 工商管理 社保卡 通信管理 退休服务 物业管理 农村管理 "
    "规划建设 城市管理 市容环境 交通运输与交通秩序 农林水利 社会治安 噪音扰民 大气污染 露天焚烧 "
    "违法倾倒渣土 车辆带泥上路 散煤 烟花爆竹 工地裸露黄土 疫情防控"
).split()


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _small(folder: Path) -> Path:
    _write(
        folder,
        "regions",
        ["code", "name", "level", "parent_code"],
        [["430300", "湘潭市", "city", ""], ["430304", "岳塘区", "district", "430300"]],
    )
    _write(
        folder,
        "units",
        ["code", "name", "kind", "parent_code", "region_codes"],
        [["U-YT", "岳塘区", "district_government", "", "430304"]],
    )
    _write(
        folder,
        "categories",
        ["code", "name", "parent_code"],
        [["05", "生态环境", ""], ["0501", "噪音扰民", "05"]],
    )
    _write(
        folder,
        "catalogue",
        ["category_code", "region_code", "lead_unit_code", "co_unit_codes", "keywords"],
        [["0501", "430304", "U-YT", "", "噪音;施工"]],
    )
    return folder


def _counts():
    return (
        Region.objects.count(),
        Unit.objects.count(),
        Category.objects.count(),
        CatalogueEntry.objects.count(),
    )


def test_the_xiangtan_demo_directory_loads(db):
    counts = directory_import(folder=DIRECTORY)
    assert counts["units"] >= 40 and counts["categories"] >= 80 and counts["catalogue"] > 0
    names = set(Unit.objects.values_list("name", flat=True))
    assert set(REQUIRED_UNITS) <= names
    districts = Region.objects.filter(level="district").values_list("name", flat=True)
    assert set(DISTRICTS) <= set(districts)
    assert Region.objects.filter(level="town").count() >= 40
    assert set(SEED_TOPICS) <= set(Category.objects.values_list("name", flat=True))
    assert Unit.objects.filter(parent__name="岳塘区").exists()


def test_the_catalogue_suggests_the_competent_department_and_the_territorial_unit(db):
    directory_import(folder=DIRECTORY)
    social_card = Category.objects.get(name="社保卡")
    assert catalogue_suggestion(category=social_card, region=None).lead.name == "市人社局"
    noise = Category.objects.get(name="噪音扰民")
    street = Region.objects.filter(level="town", parent__name="岳塘区").first()
    assert catalogue_suggestion(category=noise, region=street).lead.name == "岳塘区"


def test_the_demo_keeps_how_citizens_speak_of_each_matter_and_why_a_unit_owns_it(db):
    directory_import(folder=DIRECTORY)
    leaves = Category.objects.filter(level=3)
    # Every leaf category has its citizens' words, and the common matters are there.
    assert not leaves.filter(synonyms="").exists()
    assert "遛狗" in Category.objects.get(name="犬只扰民伤人").synonyms.split(";")
    for name in ("供暖服务", "用电报装", "加油站经营", "校园欺凌", "畜禽养殖污染"):
        assert Category.objects.get(name=name).synonyms
    # Each catalogue entry says on what basis its unit owns the matter.
    assert not CatalogueEntry.objects.filter(active=True, basis="").exists()
    noise = CatalogueEntry.objects.get(active=True, category__name="建筑施工噪音", region=None)
    assert noise.basis.startswith("市城管局")


def test_synonyms_and_basis_are_optional_columns(db, tmp_path):
    directory_import(folder=_small(tmp_path))
    assert set(Category.objects.values_list("synonyms", flat=True)) == {""}
    assert set(CatalogueEntry.objects.values_list("basis", flat=True)) == {""}


def test_a_category_whose_words_overflow_the_column_is_refused(db, tmp_path):
    _small(tmp_path)
    columns = ["code", "name", "parent_code", "synonyms"]
    words = ";".join(["半夜施工"] * 200)  # 999 characters: the column holds them
    _write(
        tmp_path, "categories", columns, [["05", "生态环境", ""], ["0501", "噪音扰民", "05", words]]
    )
    directory_import(folder=tmp_path)
    assert Category.objects.get(code="0501").synonyms == words
    _write(
        tmp_path,
        "categories",
        columns,
        [["05", "生态环境", ""], ["0501", "噪音扰民", "05", words + ";打桩"]],
    )
    with pytest.raises(DirectoryImportError) as refused:
        directory_import(folder=tmp_path)
    assert "categories.csv 第 3 行：群众说法（synonyms）不能超过 1000 字" in refused.value.problems
    assert Category.objects.get(code="0501").synonyms == words  # nothing half-written


def test_the_export_keeps_how_citizens_speak_of_each_matter(db, tmp_path):
    directory_import(folder=DIRECTORY)
    directory_export(folder=tmp_path)

    def words(folder):
        with (folder / "categories.csv").open(encoding="utf-8-sig", newline="") as handle:
            return {row["code"]: row["synonyms"] for row in csv.DictReader(handle)}

    exported = words(tmp_path)
    assert exported == words(DIRECTORY)
    assert {"打桩", "晚上施工", "搅拌机"} <= set(exported["030301"].split(";"))


def test_importing_again_updates_in_place_and_starts_a_new_catalogue_version(db, tmp_path):
    _small(tmp_path)
    directory_import(folder=tmp_path)
    directory_import(folder=tmp_path)
    assert _counts() == (2, 1, 2, 2)
    assert CatalogueEntry.objects.filter(active=True).get().version == 2


def test_xlsx_tables_are_accepted(db, tmp_path):
    _small(tmp_path)
    (tmp_path / "units.csv").unlink()
    book = Workbook()
    book.active.append(["code", "name", "kind", "parent_code", "region_codes"])
    book.active.append(["U-YT", "岳塘区", "district_government", None, "430304"])
    book.save(tmp_path / "units.xlsx")
    directory_import(folder=tmp_path)
    assert Unit.objects.get(code="U-YT").regions.get().code == "430304"


@pytest.mark.parametrize(
    ("table", "row", "message"),
    [
        (
            "regions",
            ["430399", "某区", "district", "999999"],
            "regions.csv 第 4 行：上级区划 999999",
        ),
        (
            "regions",
            ["430301", "某区", "state", "430300"],
            "regions.csv 第 4 行：层级「state」",
        ),
        (
            "units",
            ["U-X", "某局", "department", "U-NONE", ""],
            "units.csv 第 3 行：上级单位 U-NONE",
        ),
        ("units", ["U-X", "某局", "department", "", "111"], "units.csv 第 3 行：区划 111 不存在"),
        ("categories", ["0502", "噪音扰民", "05"], "categories.csv 第 4 行：分类名称「噪音扰民」"),
        (
            "catalogue",
            ["0599", "", "U-YT", "", ""],
            "catalogue.csv 第 3 行：事项分类 0599 不存在",
        ),
    ],
)
def test_a_bad_row_is_named_by_file_and_line_and_nothing_is_written(
    db, tmp_path, table, row, message
):
    _small(tmp_path)
    with (tmp_path / f"{table}.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(row)
    with pytest.raises(DirectoryImportError) as refused:
        directory_import(folder=tmp_path)
    assert any(p.startswith(message) for p in refused.value.problems), refused.value.problems
    assert "未写入任何数据" in refused.value.message
    assert _counts() == (0, 0, 0, 0)


def test_a_folder_without_tables_is_refused(db, tmp_path):
    with pytest.raises(DirectoryImportError, match="没有"):
        directory_import(folder=tmp_path)


# --- SPEC 2 (2026-12): the office's own top, kinds by name, the catalogue's basis ------

LONGSHAN = Path(__file__).parent.parent / "data" / "longshan_directory"


def test_a_county_office_loads_its_directory_with_the_county_at_the_top(db):
    counts = directory_import(folder=LONGSHAN)
    assert counts == {"regions": 7, "units": 10, "categories": 5, "catalogue": 4}
    county = Region.objects.get(parent__isnull=True)
    assert (county.code, county.name, county.level) == ("433130", "龙山县", "district")
    assert Region.objects.filter(parent=county, level="town").count() == 5
    kinds = dict(Unit.objects.values_list("code", "kind"))
    assert kinds == {
        "LS-RSJ": "department",
        "LS-ZJJ": "department",
        "LS-YD": "central_agency",
        "LS-GD": "enterprise",
        "LS-YZ": "school",
        "LS-MA": "town_government",
        "LS-HT": "town_government",
        "LS-SG": "town_government",
        "LS-XL": "town_government",
        "LS-MP": "town_government",
    }
    assert Unit.objects.get(code="LS-MA").regions.get().code == "433130001"


def test_the_catalogue_basis_comes_with_the_suggestion(db):
    directory_import(folder=LONGSHAN)
    illegal = Category.objects.get(code="0602")
    community = Region.objects.get(code="433130001001")
    suggestion = catalogue_suggestion(category=illegal, region=community)
    assert (suggestion.lead.code, suggestion.co_codes) == ("LS-MA", ["LS-ZJJ"])
    assert suggestion.basis == "乡镇履职事项清单：辖区内违法建设的巡查、发现和报告"
    card = catalogue_suggestion(category=Category.objects.get(code="0502"), region=None)
    assert card.basis == "县人社局三定规定：负责社会保障卡的发放和管理"


def test_a_province_office_starts_at_the_province_and_kinds_are_read_by_name(db, tmp_path):
    _write(
        tmp_path,
        "regions",
        ["code", "name", "level", "parent_code"],
        [
            ["430000", "湖南省", "province", ""],
            ["430300", "湘潭市", "city", "430000"],
            ["430304", "岳塘区", "district", "430300"],
        ],
    )
    _write(
        tmp_path,
        "units",
        ["code", "name", "kind", "parent_code", "region_codes"],
        [
            ["XT", "湘潭市人民政府", "区县政府", "", "430300"],
            ["YT", "岳塘区人民政府", "区县(市)政府", "XT", "430304"],
            ["SZJT", "省交通运输厅", "省直部门", "", ""],
        ],
    )
    directory_import(folder=tmp_path)
    assert Region.objects.get(code="430000").level == "province"
    assert Region.objects.get(code="430304").parent.parent.code == "430000"
    assert dict(Unit.objects.values_list("code", "kind")) == {
        "XT": "district_government",
        "YT": "district_government",
        "SZJT": "department",
    }


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["433130", "龙山县", "district", ""], ["433130001", "民安街道", "town", ""]],
            "regions.csv 第 3 行：顶层区划（无上级区划）只能是省、市或区县级",
        ),
        (
            [["433130", "龙山县", "district", ""], ["433127", "永顺县", "district", ""]],
            "regions.csv 第 3 行：目录只能有一个顶层区划，已有 433130",
        ),
        (
            [["430000", "湖南省", "province", ""], ["433130", "龙山县", "district", "430000"]],
            "regions.csv 第 3 行：区县级区划的上级应为市级",
        ),
        (
            [["433130", "龙山县", "district", ""], ["430000", "湖南省", "province", "433130"]],
            "regions.csv 第 3 行：省级区划不能有上级区划",
        ),
    ],
)
def test_a_malformed_root_is_refused_and_nothing_is_written(db, tmp_path, rows, message):
    _write(tmp_path, "regions", ["code", "name", "level", "parent_code"], rows)
    with pytest.raises(DirectoryImportError) as refused:
        directory_import(folder=tmp_path)
    assert any(p.startswith(message) for p in refused.value.problems), refused.value.problems
    assert _counts() == (0, 0, 0, 0)


def test_a_second_top_beside_the_stored_one_is_refused(db, tmp_path):
    directory_import(folder=LONGSHAN)
    _write(
        tmp_path,
        "regions",
        ["code", "name", "level", "parent_code"],
        [["430300", "湘潭市", "city", ""]],
    )
    with pytest.raises(DirectoryImportError, match="目录只能有一个顶层区划，已有 433130"):
        directory_import(folder=tmp_path)
    assert not Region.objects.filter(code="430300").exists()


def test_an_unknown_kind_names_the_accepted_ones(db, tmp_path):
    _small(tmp_path)
    with (tmp_path / "units.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["U-X", "某局", "局", "", ""])
    with pytest.raises(DirectoryImportError) as refused:
        directory_import(folder=tmp_path)
    (problem,) = refused.value.problems
    assert problem.startswith("units.csv 第 3 行：单位类型「局」无效") and "区县政府" in problem
    assert _counts() == (0, 0, 0, 0)


def test_the_exported_directory_imports_again_to_the_same_tables(db, tmp_path):
    directory_import(folder=LONGSHAN)
    first, second = tmp_path / "first", tmp_path / "second"
    assert directory_export(folder=first) == {
        "regions": 7,
        "units": 10,
        "categories": 5,
        "catalogue": 4,
    }
    catalogue = (first / "catalogue.csv").read_text(encoding="utf-8").splitlines()
    assert catalogue[0] == "category_code,region_code,lead_unit_code,co_unit_codes,keywords,basis"
    assert (
        "0602,433130001,LS-MA,LS-ZJJ,违建;加层,乡镇履职事项清单：辖区内违法建设的巡查、发现和报告"
        in catalogue
    )
    CatalogueEntry.objects.all().delete()
    Unit.objects.all().delete()  # Longshan's units have no parent
    for level in (3, 2, 1):
        Category.objects.filter(level=level).delete()
    for level in ("community", "town", "district"):
        Region.objects.filter(level=level).delete()
    directory_import(folder=first)
    directory_export(folder=second)
    for name in ("regions", "units", "categories", "catalogue"):
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes()


def test_the_demo_catalogue_gives_its_basis(db):
    directory_import(folder=DIRECTORY)
    card = catalogue_suggestion(category=Category.objects.get(name="社保卡"), region=None)
    assert card.basis == "市人社局三定规定：负责社会保障卡的发行、应用和管理"
