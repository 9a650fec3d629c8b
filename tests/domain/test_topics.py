"""The rules of a topic (每月一题): its shape, its course, its status at a moment and
the office's keywords."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.enums import TopicStatus
from hotline.domain.topics import (
    LEAD_UNIT_REQUIRED,
    TopicRefused,
    check_move,
    check_shape,
    keywords_of,
    status_at,
)

T0 = datetime(2026, 11, 1, 9)


def test_a_topic_needs_a_title_and_a_lead_unit_not_among_its_co_units():
    check_shape(title="云盘小区停水", lead_unit_id=1, co_unit_ids=(2, 3))
    for title, lead, co, message in (
        (" ", 1, (), "请填写每月一题的题目"),
        ("题", None, (), LEAD_UNIT_REQUIRED),
        ("题", 1, (2, 1), "牵头单位不能同时是配合单位"),
        ("题" * 121, 1, (), "题目不能超过120个字"),
    ):
        with pytest.raises(TopicRefused) as refused:
            check_shape(title=title, lead_unit_id=lead, co_unit_ids=co)
        assert refused.value.message == message


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("active", "solved", True),
        ("active", "closed", True),
        ("solved", "active", True),
        ("solved", "closed", True),
        ("active", "active", False),
        ("closed", "active", False),
        ("closed", "solved", False),
    ],
)
def test_the_course_of_a_topic(current, new, allowed):
    if allowed:
        check_move(current, new)
    else:
        with pytest.raises(TopicRefused, match="不能改为"):
            check_move(current, new)


def test_the_status_at_a_moment_is_what_had_happened_by_then():
    solved, closed = T0 + timedelta(days=10), T0 + timedelta(days=40)
    assert status_at(solved_at=None, closed_at=None, at=T0) == TopicStatus.ACTIVE
    assert status_at(solved_at=solved, closed_at=closed, at=T0) == TopicStatus.ACTIVE
    assert status_at(solved_at=solved, closed_at=closed, at=solved) == TopicStatus.SOLVED
    assert status_at(solved_at=solved, closed_at=closed, at=closed) == TopicStatus.CLOSED


def test_keywords_split_on_the_usual_separators_each_once():
    assert keywords_of("停水、水压低，水压低; 夜间 施工\n噪音") == (
        "停水",
        "水压低",
        "夜间",
        "施工",
        "噪音",
    )
    assert keywords_of(" ，、 ") == ()


@given(st.lists(st.text(alphabet="停水压低噪音施工 、，;", max_size=6), max_size=6))
def test_keywords_are_words_without_separators_or_repeats(parts):
    found = keywords_of("、".join(parts))
    assert len(found) == len(set(found))
    assert all(word and not set(word) & set(" 、，;") for word in found)
