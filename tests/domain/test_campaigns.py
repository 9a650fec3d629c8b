"""Outbound campaigns' rules (SPEC 8): the uploaded list, the script, sharing, answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.campaigns import (
    CampaignResult,
    InvalidCampaign,
    check_answers,
    read_questions,
    read_targets,
    shares,
)


def test_a_list_with_a_header_gives_its_people_with_their_lines():
    rows = [
        ["姓名", "电话", "备注"],
        ["张三", "138 0000 0001", "石牌镇"],
        [None, None, None],
        ["李四", 13800000002.0, ""],
    ]
    targets = read_targets(rows)
    assert [(t.line, t.phone, t.name) for t in targets] == [
        (2, "13800000001", "张三"),
        (4, "13800000002", "李四"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "名单是空的"),
        ([["姓名"], ["张三"]], "表头须有「电话」"),
        ([["电话"], ["12"]], "第 2 行：电话号码「12」不正确"),
        (
            [["电话"], ["13800000001"], ["138-0000-0001"]],
            "第 3 行：电话号码 13800000001 与第 2 行重复",
        ),
        ([["电话"]], "名单中没有号码"),
    ],
)
def test_a_bad_list_is_refused_naming_the_line(rows, message):
    with pytest.raises(InvalidCampaign, match=message):
        read_targets(rows)


def test_the_script_is_one_question_a_line():
    assert read_questions("近14天是否去过中高风险地区？\n\n是否有发热症状？\n") == [
        "近14天是否去过中高风险地区？",
        "是否有发热症状？",
    ]
    with pytest.raises(InvalidCampaign):
        read_questions(" \n ")


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=50))
def test_sharing_is_as_even_as_it_can_be(count, agents):
    parts = shares(count, agents)
    assert sum(parts) == count and max(parts) - min(parts) <= 1 and len(parts) == agents


def test_a_completed_call_answers_every_question_and_other_results_none():
    assert check_answers(CampaignResult.COMPLETED, ["否", "否"], 2) == ["否", "否"]
    with pytest.raises(InvalidCampaign, match="第 2 题"):
        check_answers(CampaignResult.COMPLETED, ["否"], 2)
    assert check_answers(CampaignResult.UNREACHABLE, ["否"], 2) == ["", ""]
