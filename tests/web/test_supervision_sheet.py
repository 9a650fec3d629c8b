"""The 督办单 (SPEC 4, 2026-12): a Word document per supervision with the order's
summary, the citizen masked, and signature lines; for whoever may see the order."""

import io

import pytest
from docx import Document

from hotline.domain.enums import Role
from hotline.orders.models import Supervision
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.intake import CitizenInput
from hotline.orders.services.supervision import order_supervise
from hotline.reports.pdf import office_program
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervision(city):
    order = factories.register(
        city,
        local(2026, 3, 2, 9),
        content="我是李先生，电话13800000001，楼下工地夜间施工噪音扰民",
        citizen=CitizenInput(name="李建国", phone="13800000001"),
    )
    order = order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 10))
    order_supervise(
        order=order,
        level="yellow",
        note="请三日内现场处置并回复",
        actor=city.users[Role.SUPERVISOR],
        at=local(2026, 3, 2, 11),
    )
    return Supervision.objects.get(order=order)


def _url(supervision, fmt="docx"):
    return f"/orders/{supervision.order.number}/supervisions/{supervision.pk}/sheet.{fmt}"


def test_the_sheet_has_the_order_the_unit_the_level_the_deadline_and_signature_lines(
    signed_in, supervision
):
    response = signed_in(Role.UNIT_HANDLER).get(_url(supervision))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "12345政务服务便民热线督办单"
    table = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert table["工单编号"] == supervision.order.number
    assert table["被督办单位"] == "岳塘区"
    assert table["督办级别"] == "黄牌督办"
    assert table["督办意见"] == "请三日内现场处置并回复"
    # Yellow: 3 working days from Mon 03-02.
    assert table["回复期限"] == "2026年03月05日 23:59"
    # The citizen's identity is masked, also inside the content.
    assert table["诉求人"] == "李** 138****0001"
    assert "13800000001" not in table["诉求内容"] and "138****0001" in table["诉求内容"]
    assert any(p.startswith("承办单位负责人（签字）") for p in paragraphs)
    assert any(p.startswith("签收人（签字）") for p in paragraphs)


def test_a_unit_that_may_not_see_the_order_gets_no_sheet(signed_in, city, supervision):
    other = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    client = signed_in(Role.SUPERVISOR)
    client.force_login(other)
    assert client.get(_url(supervision)).status_code == 404
    client.force_login(city.users[Role.SUPERVISOR])
    assert client.get(_url(supervision, "odt")).status_code == 404


def test_a_confidential_order_prints_no_identity(signed_in, city):
    order = factories.register(
        city,
        local(2026, 3, 2, 9),
        citizen=CitizenInput(name="王女士", phone="13900000002"),
        confidential=True,
    )
    order = order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 10))
    order_supervise(
        order=order, level="normal", actor=city.users[Role.SUPERVISOR], at=local(2026, 3, 2, 11)
    )
    row = Supervision.objects.get(order=order)
    response = signed_in(Role.SUPERVISOR).get(_url(row))
    table = {
        r.cells[0].text: r.cells[1].text
        for r in Document(io.BytesIO(response.content)).tables[0].rows
    }
    assert table["诉求人"] == "（保密）"


@pytest.mark.skipif(office_program() is None, reason="LibreOffice is not installed")
def test_the_sheet_prints_as_pdf(signed_in, supervision):
    response = signed_in(Role.SUPERVISOR).get(_url(supervision, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
