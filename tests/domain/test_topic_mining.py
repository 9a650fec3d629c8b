"""The topic miner (每月一题): places read out of free addresses, and clusters ranked."""

from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.topic_mining import (
    MinedOrder,
    community_of,
    matches,
    mine,
    normalise_place,
)


@pytest.mark.parametrize(
    "address",
    [
        "雨湖区云盘小区3栋2单元301",
        "云盘小区三栋",
        "云盘小区第3幢",
        "云盘小区3号楼",
        "云盘小区３栋",
        "云盘小区第三栋1单元",
        "湘潭市雨湖区云塘街道雨湖社区云盘小区3栋",
        "湖南省湘潭市雨湖区云盘小区 3 栋 502室",
        "云盘小区3号栋",
        "云盘小区3栋楼下",
    ],
)
def test_one_building_written_many_ways_is_one_place(address):
    assert normalise_place(address) == "云盘小区3栋"


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("金桥花园小区十二栋", "金桥花园12栋"),
        ("湘江名城二十三幢1单元", "湘江名城23栋"),
        ("福星华府第5座", "福星华府5栋"),
        ("湘乡市月山镇胜利小区10栋", "胜利小区10栋"),
        ("湘潭高新区板塘街道高桥村11组", "高桥村11组"),
        ("岳塘区书院路街道熙春路社区建设北路138号", "建设北路138号"),
        ("云盘小区东门", "云盘小区"),
        ("梨园新村东门垃圾站", "梨园新村"),
        ("雨湖区云塘街道雨湖社区", "雨湖社区"),
    ],
)
def test_estates_roads_and_villages(address, place):
    assert normalise_place(address) == place


@pytest.mark.parametrize("address", ["", "   ", "雨湖区", "云塘街道", "不知道在哪里"])
def test_an_address_naming_no_place_gives_nothing(address):
    assert normalise_place(address) == ""


def test_the_region_name_before_the_place_is_dropped():
    assert normalise_place("某某片云盘小区3栋", "某某片") == "云盘小区3栋"


_ESTATES = st.sampled_from(["云盘小区", "金桥花园", "湘江名城", "枫林雅苑", "梨园新村"])
_PREFIXES = st.sampled_from(
    ["", "雨湖区", "湘潭市岳塘区", "雨湖区云塘街道", "雨湖区云塘街道雨湖社区"]
)
_CHINESE = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")


@given(
    prefix=_PREFIXES,
    estate=_ESTATES,
    building=st.integers(1, 99),
    style=st.sampled_from(["{n}栋", "第{n}幢", "{c}栋", "{n}号楼", "{w}栋", "第{c}栋"]),
    tail=st.sampled_from(["", "2单元301", "1单元", "502室", "楼下", "3单元1203室"]),
)
def test_any_writing_of_a_building_gives_its_one_label(prefix, estate, building, style, tail):
    wide = str(building).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    written = style.format(n=building, c=_chinese(building), w=wide)
    place = normalise_place(prefix + estate + written + tail)
    assert place == f"{estate}{building}栋"
    assert community_of(place) == estate
    # Idempotent: a label is its own place.
    assert normalise_place(place) == place


def _order(order_id, month, **changes) -> MinedOrder:
    base = MinedOrder(
        order_id=order_id,
        number=f"2026{order_id:07d}",
        registered_at=datetime(2026, month, 10, 9),
        category_code="030108",
        category_name="餐饮油烟",
        region_code="430302001",
        address="雨湖区云盘小区3栋2单元301",
        content="云盘小区3栋楼下烧烤店油烟直排，晚上还很吵",
        unit_ids=(1,),
        caller_key=f"caller{order_id}",
        returned=False,
        reworked=False,
        unsatisfied=False,
    )
    return replace(base, **changes)


def _chronic() -> list[MinedOrder]:
    return [
        _order(1, 5, caller_key="a", returned=True, unit_ids=(1, 2)),
        _order(2, 6, caller_key="a", unsatisfied=True, content="反映云盘小区3栋烧烤店油烟很大"),
        _order(
            3,
            7,
            category_code="030302",
            category_name="社会生活噪音",
            unit_ids=(2,),
            content="云盘小区3栋楼下烧烤店晚上吵到凌晨，油烟也大",
        ),
        _order(4, 9, caller_key="b", reworked=True, unsatisfied=True, address="云盘小区第三幢"),
        _order(5, 9, caller_key="b", unit_ids=(3,), address="雨湖区云盘小区3号楼"),
    ]


def _noise() -> list[MinedOrder]:
    """Busy places: as many orders, but one month, one unit, unrelated texts."""
    texts = ["物业费上涨不合理", "小区门禁坏了", "楼道灯不亮", "保洁不到位", "电梯广告太多"]
    return [
        _order(
            100 + i,
            9,
            category_code="010101",
            category_name="物业服务收费",
            address=f"岳塘区金桥花园{7 + i // 5}栋",
            content=texts[i % 5],
        )
        for i in range(10)
    ]


def test_a_chronic_building_outranks_busy_noise():
    candidates = mine(_noise() + _chronic())
    top = candidates[0]
    assert top.place == "云盘小区3栋"
    assert top.order_ids == (1, 2, 3, 4, 5)
    assert top.months == ("2026-05", "2026-06", "2026-07", "2026-09")
    assert top.unit_ids == (1, 2, 3)
    assert (top.repeat_callers, top.returns, top.reworks, top.unsatisfied) == (2, 1, 1, 2)
    assert top.category_code == "030108" and top.title == "云盘小区3栋餐饮油烟问题"
    assert all(c.score < top.score for c in candidates[1:])


def test_the_evidence_says_why():
    evidence = mine(_noise() + _chronic())[0].evidence
    assert evidence[0] == (
        "5个月内同一地点（云盘小区3栋）反映5件，涉及3个承办单位，"
        "重复来电2人，退单1次，返工1次，回访不满意2件"
    )
    assert "2026-05、2026-06、2026-07、2026-09" in evidence[1]
    assert any(line.startswith("涉及分类：餐饮油烟4件、社会生活噪音1件") for line in evidence)


def test_categories_of_unlike_texts_at_one_place_stay_apart():
    orders = (
        _noise()
        + _chronic()
        + [
            _order(20 + i, 9, category_code="050301", category_name="拖欠工资", content=text)
            for i, text in enumerate(["公司拖欠三个月工资", "老板欠薪不还", "工资一直不发"])
        ]
    )
    candidates = mine(orders)
    assert {c.category_code for c in candidates} >= {"030108", "050301"}
    assert next(c for c in candidates if c.category_code == "030108").order_ids == (1, 2, 3, 4, 5)


def test_min_orders_and_limit():
    assert [c.place for c in mine(_noise() + _chronic(), min_orders=6)] == []
    five = mine(_noise() + _chronic(), min_orders=5)
    assert sorted(c.place for c in five) == ["云盘小区3栋", "金桥花园7栋", "金桥花园8栋"]
    assert len(mine(_noise() + _chronic(), limit=1)) == 1


def test_a_cluster_needs_an_order_since_recent_from():
    assert mine(_chronic(), recent_from=datetime(2026, 10, 1)) == []
    assert mine(_chronic(), recent_from=datetime(2026, 9, 1))


def test_orders_of_another_district_are_another_place():
    moved = [replace(o, region_code="430304001") for o in _chronic()[:2]]
    candidates = mine(_noise() + moved + _chronic()[2:])
    assert [c.order_ids for c in candidates if c.place == "云盘小区3栋"] == [(3, 4, 5)]


def test_keys_are_stable_and_the_order_of_input_does_not_matter():
    orders = _noise() + _chronic()
    first = mine(orders)
    again = mine(list(reversed(orders)))
    assert first == again
    grown = mine(orders + [_order(6, 10)])
    assert grown[0].key == first[0].key and len(grown[0].order_ids) == 6


def test_matches_the_place_and_the_category_or_a_keyword():
    order = _order(1, 9, address="云盘小区三栋1单元")
    assert matches("云盘小区3栋", "030108", (), order)
    assert matches("云盘小区3栋", "030102", (), order)  # same mid-level category
    assert not matches("云盘小区3栋", "010101", (), order)
    assert matches("云盘小区3栋", "010101", ("烧烤",), order)
    assert not matches("云盘小区4栋", "030108", (), order)
    assert matches("云盘小区", "030108", (), order)  # the whole estate
    assert not matches("云盘小区", "030108", (), replace(order, address="其他小区3栋"))
    assert not matches("云盘小区3栋", "030108", (), replace(order, address=""))
    assert matches("", "030108", ("油烟",), order)
    assert not matches("", "030108", (), order)
