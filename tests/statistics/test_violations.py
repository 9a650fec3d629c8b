"""The report's `violations` and its 黄牌预警 section (SPEC 6, 7; 2026-12)."""

import pytest

from hotline.orders.models import Violation
from hotline.orders.services import dispatch
from hotline.reports.rendering import render_all
from hotline.statistics.document import report_document
from tests import factories
from tests.conftest import local
from tests.reports.test_rendering import docx_text, html_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(city):
    order = factories.register(city, local(2026, 3, 2, 9))
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9)
    )
    Violation.objects.create(
        unit=city.district, order=order, kind="forwarding", outcome="interview",
        at=local(2026, 3, 10, 9),
    )  # fmt: skip
    Violation.objects.create(unit=city.other_district, kind="leak", at=local(2026, 3, 31, 23, 59))
    Violation.objects.create(unit=city.district, kind="leak", at=local(2026, 4, 1, 0, 0))
    return order


def test_the_period_lists_each_violation_with_unit_order_kind_outcome_and_time(found):
    document = report_document(start=local(2026, 3, 1).date(), end=local(2026, 3, 31).date())
    assert document["violations"] == [
        {
            "unit": "岳塘区",
            "number": found.number,
            "kind": "二传手式答复",
            "outcome": "约谈",
            "at": "2026-03-10T09:00:00+08:00",
        },
        {
            "unit": "雨湖区",
            "number": "",
            "kind": "泄露市民信息",
            "outcome": "",
            "at": "2026-03-31T23:59:00+08:00",
        },
    ]


def test_a_violation_recorded_after_the_report_was_made_is_not_in_it(found):
    document = report_document(
        start=local(2026, 3, 1).date(), end=local(2026, 3, 31).date(), made_at=local(2026, 3, 20)
    )
    assert [v["unit"] for v in document["violations"]] == ["岳塘区"]


def test_the_documents_have_the_yellow_card_section(found):
    document = report_document(start=local(2026, 3, 1).date(), end=local(2026, 3, 31).date())
    files = render_all(document, formats=("html", "docx"))
    page = html_words(files["html"])
    assert "黄牌预警" in page and "本期记录违规2起" in page and found.number in page
    word = docx_text(files["docx"])
    assert "二传手式答复" in word and "约谈" in word and "待处理" in word


def test_an_older_document_without_the_list_still_renders(found):
    document = report_document(start=local(2026, 3, 1).date(), end=local(2026, 3, 31).date())
    del document["violations"]
    assert "本期无违规记录" in html_words(render_all(document, formats=("html",))["html"])
