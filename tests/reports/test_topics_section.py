"""每月一题 in the month's report: the topics pushed on or solved in the period, as they
stood at its end, in the JSON document and as paragraphs of the Word and HTML report;
a report without topics has no such section."""

import io

import pytest
from docx import Document

from hotline.domain.enums import Role
from hotline.governance.models import Recurrence
from hotline.governance.services import (
    milestone_add,
    milestone_done,
    progress_note_add,
    topic_create,
    topic_link,
    topic_move,
)
from hotline.reports.rendering import render
from hotline.statistics.document import report_document
from tests import factories
from tests.conftest import local
from tests.reports.test_rendering import html_words

pytestmark = pytest.mark.django_db

NOV = (local(2026, 11, 1).date(), local(2026, 11, 30).date())


def _topic(city, title, at, lead=None, **fields):
    return topic_create(
        actor=city.users[Role.SUPERVISOR],
        title=title,
        lead_unit=lead or city.district,
        month=at.date(),
        at=at,
        **fields,
    )


@pytest.fixture
def history(city):
    """October to December: one topic pushed on through November, one solved in it with
    a recurrence, one solved in October, one taken up in December."""
    office = city.users[Role.SUPERVISOR]
    pushed = _topic(
        city, "书院路夜间施工噪音", local(2026, 10, 20, 9), co_units=[city.street_office]
    )
    for day in (2, 9, 16):
        order = factories.register(city, local(2026, 10, day, 9))
        topic_link(topic=pushed, order=order, actor=office, at=local(2026, 10, 21, 9))
    late = factories.register(city, local(2026, 12, 1, 9))
    topic_link(topic=pushed, order=late, actor=office, at=local(2026, 12, 2, 9))
    first = milestone_add(topic=pushed, title="约谈施工单位", due_on=NOV[0], actor=office)
    second = milestone_add(topic=pushed, title="夜间巡查", due_on=NOV[1], actor=office)
    milestone_done(milestone=first, actor=office, at=local(2026, 11, 10, 9))
    milestone_done(milestone=second, actor=office, at=local(2026, 12, 5, 9))
    progress_note_add(
        topic=pushed, text="已约谈三家施工单位", actor=office, at=local(2026, 11, 15, 9)
    )
    progress_note_add(topic=pushed, text="十二月的进展", actor=office, at=local(2026, 12, 3, 9))

    solved = _topic(city, "云盘小区停水", local(2026, 11, 3, 9), lead=city.water)
    topic_move(topic=solved, status="solved", actor=office, at=local(2026, 11, 20, 9))
    back = factories.register(city, local(2026, 11, 24, 9))
    Recurrence.objects.create(topic=solved, order=back, found_at=local(2026, 11, 25, 0))

    earlier = _topic(city, "十月已解决的题", local(2026, 9, 1, 9))
    topic_move(topic=earlier, status="solved", actor=office, at=local(2026, 10, 25, 9))
    _topic(city, "十二月立项的题", local(2026, 12, 2, 9))


def test_the_document_lists_the_periods_topics_as_they_stood_at_its_end(history):
    document = report_document(start=NOV[0], end=NOV[1], made_at=local(2026, 12, 10, 9))
    assert document["topics"] == [
        {
            "title": "书院路夜间施工噪音",
            "month": "2026-10",
            "status": "推进中",
            "lead_unit": "岳塘区",
            "co_units": ["书院路街道"],
            "category": "",
            "orders": 3,
            "milestones_done": 1,
            "milestones": 2,
            "latest_progress": "已约谈三家施工单位",
            "latest_progress_at": local(2026, 11, 15, 9).isoformat(),
            "recurrences": 0,
        },
        {
            "title": "云盘小区停水",
            "month": "2026-11",
            "status": "已解决",
            "lead_unit": "中环水务",
            "co_units": [],
            "category": "",
            "orders": 0,
            "milestones_done": 0,
            "milestones": 0,
            "latest_progress": "",
            "latest_progress_at": "",
            "recurrences": 1,
        },
    ]
    # Made in the middle of the month: what had happened by then.
    early = report_document(start=NOV[0], end=NOV[1], made_at=local(2026, 11, 12, 9))
    assert [t["title"] for t in early["topics"]] == ["书院路夜间施工噪音", "云盘小区停水"]
    assert early["topics"][0]["latest_progress"] == ""
    assert (early["topics"][1]["status"], early["topics"][1]["recurrences"]) == ("推进中", 0)


def test_the_word_and_html_report_give_each_topic_a_paragraph(history):
    document = report_document(start=NOV[0], end=NOV[1], made_at=local(2026, 12, 10, 9))
    word = Document(io.BytesIO(render(document, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    heading = next(i for i, text in enumerate(paragraphs) if "每月一题（主动治理）推进情况" in text)
    assert paragraphs[heading + 1] == (
        "2026年11月，推进“每月一题”2项，其中已解决1项，共关联群众诉求工单3件。"
    )
    assert paragraphs[heading + 2] == (
        "1.书院路夜间施工噪音　牵头单位：岳塘区；配合单位：书院路街道。推进中，关联工单3件，"
        "工作节点完成1/2；最新进展（2026-11-15）：已约谈三家施工单位。"
    )
    assert paragraphs[heading + 3].startswith("2.云盘小区停水　牵头单位：中环水务。已解决")
    assert "解决后新增同类工单1件，需回头看" in paragraphs[heading + 3]
    assert "书院路夜间施工噪音" in html_words(render(document, "html"))


def test_a_period_without_topics_has_no_section(city):
    document = report_document(start=NOV[0], end=NOV[1], made_at=local(2026, 12, 10, 9))
    assert document["topics"] == []
    assert "每月一题" not in html_words(render(document, "html"))
