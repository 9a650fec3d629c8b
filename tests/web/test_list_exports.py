"""Every list exports what it shows: the same filters and order as the page, all its
pages, as an Excel workbook; the caller's identity masked as on the page."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hotline.domain.enums import Role
from hotline.orders.services import dispatch
from hotline.orders.services.intake import CitizenInput
from hotline.web.export import Column, xlsx_response
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 9, 9, 0)


def workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def table(rows) -> list[dict]:
    """The data rows under the heading row, by column title."""
    head = rows[1]
    return [dict(zip(head, row, strict=False)) for row in rows[2:]]


def test_the_order_search_exports_every_filtered_row_in_the_pages_order(signed_in, city, settings):
    made = [factories.register(city, T0 + timedelta(minutes=i)) for i in range(35)]
    other = factories.register(city, T0, category=city.water_supply, content="停水三天了")
    client = signed_in(Role.OPERATOR)
    response = client.get(reverse("web:order_search"), {"category": "噪音", "export": "xlsx"})
    rows = workbook_rows(response)
    assert rows[0][0].startswith("工单查询（导出于")
    found = table(rows)
    # Both pages of 30, newest first, and nothing the filter leaves out.
    assert [r["工单编号"] for r in found] == [o.number for o in reversed(made)]
    assert other.number not in {r["工单编号"] for r in found}
    first = found[0]
    assert first["事项分类"] == city.noise.name and first["状态"] == "已登记"
    assert first["诉求内容"] == "小区楼下夜间施工噪音扰民，影响休息"
    assert first["受理时间"].strftime("%Y-%m-%d %H:%M") == "2026-03-09 09:34"
    assert response["X-Exported-Rows"] == "35"


def test_an_export_stops_at_the_limit_and_says_so(signed_in, city, settings):
    settings.HOTLINE_EXPORT_MAX_ROWS = 2
    for i in range(3):
        factories.register(city, T0 + timedelta(minutes=i))
    rows = workbook_rows(
        signed_in(Role.OPERATOR).get(reverse("web:order_search"), {"export": "xlsx"})
    )
    assert len(rows) == 2 + 2 + 1
    assert rows[-1][0] == "仅导出前 2 行，请缩小查询条件后分批导出"


def test_the_unit_inbox_exports_its_tab_with_the_caller_masked(signed_in, city):
    order = factories.register(city, T0, citizen=CitizenInput(name="王小明", phone="13912345678"))
    dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=T0
    )
    response = signed_in(Role.UNIT_HANDLER).get(
        reverse("web:unit_inbox"), {"tab": "sign", "export": "xlsx"}
    )
    rows = workbook_rows(response)
    assert rows[0][0].startswith("本单位工单-待签收")
    [row] = table(rows)
    assert row["工单编号"] == order.number
    assert row["诉求人"] == "王**"
    assert row["联系电话"] == "139****5678"


def test_the_dispatch_queue_exports_its_tab(signed_in, city):
    waiting = [factories.register(city, T0 + timedelta(hours=i)) for i in range(3)]
    rows = workbook_rows(
        signed_in(Role.DISPATCHER).get(
            reverse("web:dispatch_queue"), {"tab": "pending", "export": "xlsx"}
        )
    )
    assert [r["工单编号"] for r in table(rows)] == [o.number for o in waiting]


def test_a_list_page_offers_the_export_of_what_it_shows(signed_in, city):
    factories.register(city, T0)
    page = signed_in(Role.OPERATOR).get(
        reverse("web:order_search"), {"status": "registered", "cursor": "x"}
    )
    html = page.content.decode()
    assert 'href="/orders/?status=registered&amp;export=xlsx"' in html


@pytest.mark.parametrize(
    ("role", "path", "title"),
    [
        (Role.SUPERVISOR, "/supervision/?tab=review", "审核督办-答复审核"),
        (Role.SUPERVISOR, "/supervision/?tab=answers", "审核督办-督办回复"),
        (Role.CALLBACK_AGENT, "/callback/", "回访-"),
        (Role.SUPERVISOR, "/office/violations/", "违规记录"),
        (Role.SUPERVISOR, "/office/audit/", "审计记录"),
        (Role.SUPERVISOR, "/knowledge/?status=published", "知识库"),
    ],
)
def test_every_list_exports_with_its_title_and_offers_the_link(signed_in, city, role, path, title):
    factories.register(city, T0)
    client = signed_in(role)
    page = client.get(path).content.decode()
    assert "export=xlsx" in page and "导出 Excel" in page
    joiner = "&" if "?" in path else "?"
    rows = workbook_rows(client.get(f"{path}{joiner}export=xlsx"))
    assert rows[0][0].startswith(title)


def test_the_audit_export_lists_the_sign_ins(signed_in, city, client):
    client.post(reverse("web:login"), {"username": "operator", "password": "pass-for-tests-1"})
    rows = workbook_rows(signed_in(Role.SUPERVISOR).get("/office/audit/", {"export": "xlsx"}))
    assert any(r["操作人"] == "operator" for r in table(rows))


def test_a_title_the_spreadsheet_would_refuse_is_made_a_sheet_name():
    columns = [Column("名称", lambda row: row)]
    response = xlsx_response(["甲", "=1+1"], columns=columns, title="违规记录[2026/03]：*?" * 3)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.title.startswith("违规记录-2026-03-：--") and len(sheet.title) == 31
    assert [c.value for c in sheet["A"][2:]] == ["甲", "=1+1"]
    assert sheet["A4"].data_type == "s"  # a citizen's "=" stays text, never a formula
