"""SPEC 7 (2026-12): 人大代表专席 by the deputies' level, in the report document and in
the rendered report, on a handful of orders whose histories say what each level counts."""

import io
from datetime import date, datetime, timedelta

import pytest
from docx import Document

from hotline.domain.deadlines import LOCAL_TZ
from hotline.reports.rendering import render
from hotline.statistics.document import report_document
from tests.statistics.histories import Line, event, import_orders, stamp

pytestmark = pytest.mark.django_db

D, H = timedelta(days=1), timedelta(hours=1)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def _deputy(day: int, level: str | None, *, late=False, callback="satisfied") -> Line:
    t = local(2024, 11, day, 9)
    events = [
        event("dispatch", t + 0.01 * H, unit="岳塘区"),
        event("sign", t + 0.1 * H, unit="岳塘区", deadline=stamp(t + (H if late else 5 * D))),
        event("reply", t + 2 * H, unit="岳塘区", text="已处理"),
        event("review", t + 3 * H, decision="accept"),
        event("callback", t + D, result=callback),
    ]
    extra = {"deputy_level": level} if level else {}
    return Line(
        t, "dispatched", channel="npc_deputy_line", category="0501", events=events, extra=extra
    )


@pytest.fixture
def document(city, tmp_path):
    import_orders(
        tmp_path,
        [
            # Two city deputies: one on time and satisfied, one late and unsatisfied.
            _deputy(2, "municipal"),
            _deputy(3, "市人大代表", late=True, callback="unsatisfied"),
            # A county deputy's order still open.
            Line(
                local(2024, 11, 4, 9),
                "dispatched",
                channel="npc_deputy_line",
                category="0501",
                extra={"deputy_level": "county"},
                events=[event("dispatch", local(2024, 11, 4, 10), unit="岳塘区")],
            ),
            # Registered before levels were recorded.
            _deputy(5, None),
            Line(local(2024, 11, 6, 9), "answered", channel="mayor_mailbox"),
        ],
    )
    return report_document(start=date(2024, 11, 1), end=date(2024, 11, 30))


def test_the_deputies_line_by_level(document):
    lines = {line["name"]: line for line in document["lines"]}
    assert "levels" not in lines["市长信箱"]
    levels = lines["人大代表专席"]["levels"]
    figures = [
        (lv["name"], lv["accepted"], lv["concluded"], lv["on_time"], lv["satisfied"])
        for lv in levels
    ]
    assert figures == [
        ("市人大代表", 2, 2, 1, 1),
        ("县（市、区）人大代表", 1, 0, 0, 0),
        ("未登记级别", 1, 1, 1, 1),
    ]
    municipal = levels[0]
    assert (municipal["level"], municipal["on_time_rate"]) == ("municipal", 0.5)
    assert municipal["satisfaction_rate"] == 0.5
    assert levels[1]["on_time_rate"] is None


def test_the_levels_in_the_word_and_html_reports(document):
    word = Document(io.BytesIO(render(document, "docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "人大代表专席按代表级别，市人大代表2件，县（市、区）人大代表1件，未登记级别1件。" in text
    rows = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    assert ["市人大代表", "2", "2", "50.00%", "50.00%"] in rows
    assert ["县（市、区）人大代表", "1", "0", "—", "—"] in rows
    html = render(document, "html").decode()
    assert "人大代表专席诉求按代表级别办理情况" in html
    assert "县（市、区）人大代表" in html


def test_a_document_made_before_levels_renders_without_them(document):
    for line in document["lines"]:
        line.pop("levels", None)
    text = "\n".join(p.text for p in Document(io.BytesIO(render(document, "docx"))).paragraphs)
    assert "按代表级别" not in text
