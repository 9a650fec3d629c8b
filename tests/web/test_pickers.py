import pytest
from django.urls import reverse

from hotline.directory.models import Category, Region, Unit
from hotline.directory.services import regions_spell
from hotline.domain.enums import Role

pytestmark = pytest.mark.django_db

CATEGORIES = reverse("web:category_search")
UNITS = reverse("web:unit_search")
REGIONS = reverse("web:region_search")


def test_category_search_finds_by_name_with_the_path_and_leaf_mark(signed_in, city):
    response = signed_in(Role.OPERATOR).get(CATEGORIES, {"q": "供水"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "公用事业 › 供水" in page
    assert f'type="radio" name="category" value="{city.water_supply.code}"' in page
    assert "末级" in page
    assert "噪音扰民" not in page


def test_category_search_finds_by_code_and_marks_only_leaves(signed_in, city):
    page = signed_in(Role.OPERATOR).get(CATEGORIES, {"q": "05"}).content.decode()
    assert 'value="05"' in page and 'value="0501"' in page
    # 生态环境 has a category below it: not a leaf.
    top = page.split('value="05"')[1].split("</label>")[0]
    assert "末级" not in top
    assert "末级" in page.split('value="0501"')[1].split("</label>")[0]


def test_category_search_is_limited_and_skips_inactive_entries(signed_in, city):
    root = Category.objects.create(code="09", name="城乡建设", level=1)
    for i in range(25):
        Category.objects.create(code=f"09{i:02d}", name=f"物业管理{i}", level=2, parent=root)
    Category.objects.create(code="0999", name="物业管理旧", level=2, parent=root, active=False)
    page = signed_in(Role.OPERATOR).get(CATEGORIES, {"q": "物业管理"}).content.decode()
    assert page.count('type="radio"') == 20
    assert "城乡建设 › 物业管理0" in page
    assert "物业管理旧" not in page


def test_chosen_entries_stay_first_and_checked(signed_in, city):
    client = signed_in(Role.OPERATOR)
    page = client.get(
        CATEGORIES, {"q": "噪音", "name": "form-1-category", "form-1-category": "0301"}
    ).content.decode()
    assert 'name="form-1-category" value="0301" checked' in page
    assert page.index('value="0301"') < page.index('value="0501"')


def test_an_empty_search_lists_nothing_and_a_miss_says_so(signed_in, city):
    client = signed_in(Role.OPERATOR)
    assert 'type="radio"' not in client.get(CATEGORIES).content.decode()
    miss = client.get(CATEGORIES, {"q": "火星"}).content.decode()
    assert "没有找到与「火星」匹配的事项分类" in miss


def test_unit_search_by_name_or_code_as_radio_or_check_boxes(signed_in, city):
    client = signed_in(Role.DISPATCHER)
    by_name = client.get(UNITS, {"q": "水务", "name": "lead"}).content.decode()
    assert f'type="radio" name="lead" value="{city.water.code}"' in by_name
    assert "中环水务" in by_name and "公共企事业单位" in by_name
    by_code = client.get(UNITS, {"q": "u-yt", "name": "co_units", "multiple": "1"})
    page = by_code.content.decode()
    assert 'type="checkbox" name="co_units" value="U-YT"' in page
    assert "书院路街道" in page and "（岳塘区下级）" in page
    assert "雨湖区" not in page


def test_unit_search_leaves_out_inactive_units(signed_in, city):
    Unit.objects.create(code="U-OLD", name="已撤并水务公司", kind="enterprise", active=False)
    page = signed_in(Role.OPERATOR).get(UNITS, {"q": "水务"}).content.decode()
    assert "中环水务" in page and "已撤并水务公司" not in page


def test_a_bad_field_name_falls_back_to_the_default(signed_in, city):
    page = (
        signed_in(Role.OPERATOR)
        .get(CATEGORIES, {"q": "供水", "name": '"><script>'})
        .content.decode()
    )
    assert 'name="category"' in page and "<script>" not in page


def test_pickers_are_open_to_the_roles_whose_pages_hold_them(signed_in, city):
    assert signed_in(Role.UNIT_HANDLER).get(UNITS, {"q": "街道"}).status_code == 200
    # The users page binds a unit handler to a unit: the administrator searches units,
    # and only units (tests/web/test_permission_matrix.py checks every page's pickers).
    admin = signed_in(Role.ADMINISTRATOR)
    assert "中环水务" in admin.get(UNITS, {"q": "水务"}).content.decode()
    assert admin.get(CATEGORIES, {"q": "供水"}).status_code == 403


@pytest.fixture
def communities(city):
    """Two communities under 书院路街道 and a county known by its seat's name."""
    Region.objects.create(
        code="430304001001", name="滴水湖社区", level="community", parent=city.street
    )
    Region.objects.create(
        code="430304001002", name="书香社区", level="community", parent=city.street
    )
    Region.objects.create(
        code="430321", name="湘潭县", level="district", parent=city.city, aliases="易俗河"
    )
    regions_spell()


def test_region_search_finds_towns_and_communities_by_chinese_name(signed_in, city, communities):
    page = signed_in(Role.OPERATOR).get(REGIONS, {"q": "书"}).content.decode()
    # Wider regions first; a community shows the district and town it lies in.
    assert page.index("岳塘区 › 书院路街道") < page.index("岳塘区 › 书院路街道 › 书香社区")
    assert 'type="radio" name="region" value="430304001002"' in page
    assert "社区(村)" in page and "滴水湖" not in page


def test_region_search_finds_by_pinyin_initials_of_the_name_or_an_alias(
    signed_in, city, communities
):
    client = signed_in(Role.OPERATOR)
    towns = client.get(REGIONS, {"q": "SYL"}).content.decode()
    assert 'value="430304001"' in towns and 'value="430304001002"' not in towns
    assert 'value="430304001001"' in client.get(REGIONS, {"q": "dsh"}).content.decode()
    assert 'value="430321"' in client.get(REGIONS, {"q": "ysh"}).content.decode()
    assert 'value="430321"' in client.get(REGIONS, {"q": "易俗"}).content.decode()
    miss = client.get(REGIONS, {"q": "qqq"}).content.decode()
    assert 'type="radio"' not in miss and "没有找到与「qqq」匹配的区域" in miss


def test_the_initials_are_written_when_the_directory_is_imported(city, tmp_path):
    from hotline.directory.services import directory_import

    (tmp_path / "regions.csv").write_text(
        "code,name,level,parent_code,aliases\n430304002,霞城街道,town,430304,\n",
        encoding="utf-8",
    )
    directory_import(folder=tmp_path)
    assert Region.objects.get(code="430304002").initials == "xcjd"
