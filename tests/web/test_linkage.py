"""The 12345–110 linkage page (SPEC 3, 2026-12): transfers out and 110's handovers in,
with the month's figures."""

import pytest

from hotline.domain.enums import Role
from hotline.linkage.services import HandoverRequest, police_handover, police_line_create
from hotline.orders.services import intake, intake_desk
from hotline.orders.services.intake import Intake
from tests.conftest import local

pytestmark = pytest.mark.django_db


def figures_of(page: str) -> dict[str, str]:
    found = {}
    for chunk in page.split('<div class="figure"><div class="value">')[1:]:
        value = chunk.split("<", 1)[0]
        name = chunk.split('<div class="name">', 1)[1].split("<", 1)[0]
        found[name] = value
    return found


def test_the_month_of_transfers_and_handovers(signed_in, city, settings):
    settings.HOTLINE_110_FEEDBACK_URL = ""
    operator = city.users[Role.OPERATOR]
    at = local(2026, 12, 1, 9)
    for to in ("110", "110", "120"):
        intake_desk.order_transfer_at_intake(
            actor=operator,
            intake=Intake(channel="phone", appeal_type="help", content="紧急情况"),
            to=to,
            note="三方通话已转接",
            at=at,
        )
    line = police_line_create(name="湘潭110").line
    handed = police_handover(
        line=line,
        request=HandoverRequest(police_ref="JQ1", content="路灯不亮，非警情"),
        at=at,
    )
    police_handover(
        line=line, request=HandoverRequest(police_ref="JQ2", content="噪音扰民，非警情"), at=at
    )
    intake.order_answer(
        order=handed.handover.order,
        actor=operator,
        text="已告知报修电话",
        at=local(2026, 12, 1, 10),
    )

    client = signed_in(Role.SUPERVISOR)
    page = client.get("/linkage/?month=2026-12").content.decode()
    figures = figures_of(page)
    assert figures["即时转办（转出）"] == "3" and figures["转公安110"] == "2"
    assert figures["转急救120"] == "1" and figures["转消防119"] == "0"
    assert figures["110转入"] == "2" and figures["转入已办结"] == "1"
    assert figures["未配置反馈地址"] == "0" and figures["待反馈（含重试）"] == "1"
    assert page.count("三方通话已转接") == 3
    handovers = client.get("/linkage/?month=2026-12&direction=in").content.decode()
    assert "JQ1" in handovers and "JQ2" in handovers and "待反馈" in handovers
    # Another month has none of them.
    assert figures_of(client.get("/linkage/?month=2026-11").content.decode())["110转入"] == "0"


def test_a_bad_month_is_told_in_chinese(signed_in):
    response = signed_in(Role.DISPATCHER).get("/linkage/?month=2026-13")
    assert response.status_code == 400
    assert "月份格式应为 2026-12" in response.content.decode()
