"""Typed input made plain: full-width folding, invisible characters, white space,
length limits and Chinese phone numbers."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.text_input import (
    PhoneKind,
    free_text,
    phone_digits,
    phone_input,
    phone_kind,
    single_line,
)

# Any text at all, lone surrogates and control characters included.
anything = st.text(alphabet=st.characters(codec=None), max_size=300)
limits = st.none() | st.integers(min_value=0, max_value=120)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("１３８０００００００１", "13800000001"),
        ("ＡＢＣ－１２３", "ABC-123"),
        ("  李\u200b先生\u200d  ", "李先生"),
        ("书院路\n12号\t\t3栋", "书院路 12号 3栋"),
        ("岳塘区\u3000书院路", "岳塘区 书院路"),
        ("\ufeff\u202e湘潭\x00市\x1f", "湘潭市"),
        ("", ""),
        (None, ""),
    ],
)
def test_single_line(typed, plain):
    assert single_line(typed) == plain


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        # Chinese punctuation stays, full-width digits and letters fold.
        ("噪音，很大！（晚上１０点后）", "噪音，很大！（晚上10点后）"),
        ("问：怎么办？答：请拨打１２３４５。", "问：怎么办？答：请拨打12345。"),
        ("第一段\r\n\r\n\r\n\r\n第二段", "第一段\n\n第二段"),
        ("  行首  与   行尾  \n下一行\u2028再一行", "行首 与 行尾\n下一行\n再一行"),
        ("看不见\u200b的\u2060字符\x07", "看不见的字符"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # escaping is the page's
    ],
)
def test_free_text(typed, plain):
    assert free_text(typed) == plain


def test_limits_cut_without_leaving_white_space():
    assert single_line("诉求 内容", 3) == "诉求"
    assert free_text("第一行\n第二行", 4) == "第一行"
    assert single_line("x" * 10, 0) == ""


@pytest.mark.parametrize("clean", [single_line, free_text])
@given(text=anything, limit=limits)
def test_normalising_twice_is_normalising_once(clean, text, limit):
    once = clean(text, limit)
    assert clean(once, limit) == once
    assert clean(once) == once


@pytest.mark.parametrize("clean", [single_line, free_text])
@given(text=anything, limit=limits)
def test_never_raises_and_keeps_within_the_limit(clean, text, limit):
    result = clean(text, limit)
    assert isinstance(result, str)
    if limit is not None:
        assert len(result) <= limit
    result.encode("utf-8")  # storable: no lone surrogates
    assert "\x00" not in result
    assert result == result.strip()


@given(text=anything)
def test_nothing_invisible_survives(text):
    for result in (single_line(text), free_text(text)):
        kinds = {unicodedata.category(ch) for ch in result if ch not in "\n\t"}
        assert not kinds & {"Cc", "Cf", "Cs"}
    assert "\n" not in single_line(text) and "\t" not in single_line(text)


@given(text=anything)
def test_phones_never_raise_and_are_ascii_digits(text):
    for service in (True, False):
        for phone in (phone_digits(text, service=service), phone_input(text, service=service)):
            assert phone is None or (phone.isascii() and phone.isdigit())
            if phone is not None:
                assert phone_input(phone, service=service) == phone


@given(digits=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_number_in_full_width_is_recognised(digits):
    wide = "".join(chr(ord(d) - ord("0") + 0xFF10) for d in digits)
    assert phone_input(wide) == digits
    assert phone_digits(wide) is None  # the strict check takes ASCII only


@pytest.mark.parametrize(
    ("typed", "digits", "kind"),
    [
        ("13800000009", "13800000009", PhoneKind.MOBILE),
        ("+86 138 0000 0009", "13800000009", PhoneKind.MOBILE),
        ("0086-19912345678", "19912345678", PhoneKind.MOBILE),
        ("0731-58581234", "073158581234", PhoneKind.LANDLINE),
        ("(010) 1234 5678", "01012345678", PhoneKind.LANDLINE),
        ("58581234", "58581234", PhoneKind.LOCAL),
        ("400-810-8888", "4008108888", PhoneKind.SERVICE),
        ("800 820 8820", "8008208820", PhoneKind.SERVICE),
        ("95588", "95588", PhoneKind.SERVICE),
        ("１３８ ００００ ０００９", "13800000009", PhoneKind.MOBILE),
        ("138\u200b0000\u200b0009", "13800000009", PhoneKind.MOBILE),
    ],
)
def test_phone_numbers(typed, digits, kind):
    assert phone_input(typed) == digits
    assert phone_kind(digits) is kind


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "123", "12800000009", "1380000000", "138000000091", "0731-1234", "abc", "4001"],
)
def test_not_phone_numbers(typed):
    assert phone_input(typed) is None


def test_service_numbers_only_where_allowed():
    assert phone_input("400-810-8888", service=False) is None
    assert phone_input("95588", service=False) is None
    assert phone_input("13800000009", service=False) == "13800000009"
