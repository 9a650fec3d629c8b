"""SPEC 11: what the public reads has no names, phone or ID numbers, house or room
numbers of the citizen — in whatever form they were written."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.redaction import redact, redact_phones


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            "我电话13800000001，身份证430302199001011234，门牌12号",
            "我电话138****0001，身份证430***********1234，门牌12号",
        ),
        ("+8613912345678", "139****5678"),
        ("+86 139 1234 5678", "139****5678"),
        ("0086-139-1234-5678", "139****5678"),
        ("139-1234-5678", "139****5678"),
        ("138 0013 8000", "138****8000"),
        ("13912345678", "139****5678"),
        ("0731-12345678", "073*****5678"),
        ("（0731）8888 1234", "073*****1234"),
        ("电话58581234", "电话****1234"),
        ("430302 19900101 1234", "430***********1234"),
        ("43030219900101123X", "430***********123X"),
        ("家住3栋201室", "家住*栋*室"),
        ("3栋201", "*栋*"),
        ("201室", "*室"),
        ("5单元", "*单元"),
        ("我是王建国，楼上漏水", "我是王某，楼上漏水"),
        ("我叫李明住在书院路12号", "我叫李某住在书院路12号"),
        ("本人张三电话", "本人张某电话"),
        ("我是业主，楼上噪音", "我是业主，楼上噪音"),
        ("本人住在小区东门", "本人住在小区东门"),
        ("工单20260000123已办结", "工单20260000123已办结"),
        # (2026-12) forms the public feed let through.
        (
            "我是3栋201的王建国，电话+8613912345678，身份证 430302 19900101 1234",
            "我是*栋*的王某，电话139****5678，身份证 430***********1234",
        ),
        ("我是隔壁小区的业主李明反映", "我是隔壁小区的业主李某反映"),
        ("我是这里的居民，噪音很大", "我是这里的居民，噪音很大"),
        ("联系人王建国 138 0013 8000", "联系人王某 138****8000"),
        ("姓名：欧阳修，电话１３９１２３４５６７８", "姓名：欧阳某，电话139****5678"),
        ("13912 345678", "139****5678"),
        ("住1201房", "住*房"),
    ],
)
def test_each_written_form(written, shown):
    assert redact(written) == shown


_SEPARATORS = st.sampled_from(["", " ", "-", "."])
_PROSE = st.text(alphabet="小区楼下夜间施工噪音扰民，。请尽快处理", max_size=12)


@st.composite
def mobiles(draw):
    digits = (
        "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    first, second = draw(_SEPARATORS), draw(_SEPARATORS)
    country = draw(st.sampled_from(["", "+86", "+86 ", "0086-", "86 "]))
    return digits, f"{country}{digits[:3]}{first}{digits[3:7]}{second}{digits[7:]}"


@st.composite
def id_numbers(draw):
    area = draw(st.text("0123456789", min_size=5, max_size=5))
    year, month, day = (
        draw(st.integers(1930, 2020)),
        draw(st.integers(1, 12)),
        draw(st.integers(1, 28)),
    )
    born = f"{year}{month:02d}{day:02d}"
    tail = draw(st.text("0123456789", min_size=3, max_size=3)) + draw(
        st.sampled_from("0123456789X")
    )
    sep = draw(st.sampled_from(["", " ", "-"]))
    digits = f"4{area}{born}{tail}"
    return digits, f"{digits[:6]}{sep}{digits[6:14]}{sep}{digits[14:]}"


@given(mobiles(), _PROSE, _PROSE)
def test_no_mobile_number_survives_in_any_form(mobile, before, after):
    digits, written = mobile
    shown = redact(f"{before}{written}{after}")
    assert shown == f"{before}{digits[:3]}****{digits[7:]}{after}"
    assert not re.search(r"[0-9]", redact_phones(written))


@given(id_numbers(), _PROSE)
def test_no_id_number_survives(id_number, before):
    digits, written = id_number
    assert redact(f"{before}{written}") == f"{before}{digits[:3]}{'*' * 11}{digits[14:]}"


@given(st.text(max_size=60))
def test_redacting_twice_changes_nothing_more(text):
    once = redact(text)
    assert redact(once) == once


@given(st.text(alphabet="小区楼下夜间施工噪音扰民请尽快处理，。路口", max_size=40))
def test_text_without_numbers_or_introductions_is_kept(text):
    assert redact(text) == text
