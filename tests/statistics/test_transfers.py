"""SPEC 7 (2026-12): emergency transfers are counted as ``intake.transferred``, apart from
the not accepted, and in the report's words."""

from datetime import date

import pytest

from hotline.domain.enums import Role
from hotline.orders.services import intake_desk
from hotline.orders.services.intake import Intake
from hotline.statistics.document import report_document
from tests.conftest import local

pytestmark = pytest.mark.django_db


def test_transfers_count_apart_from_rejections(city):
    operator = city.users[Role.OPERATOR]
    call = Intake(channel="phone", appeal_type="help", content="紧急情况")
    for to in ("110", "120"):
        intake_desk.order_transfer_at_intake(
            actor=operator, intake=call, to=to, note="三方通话", at=local(2026, 11, 3, 9)
        )
    intake_desk.order_reject_at_intake(
        actor=operator, intake=call, reason="vague", at=local(2026, 11, 3, 10)
    )
    figures = report_document(start=date(2026, 11, 1), end=date(2026, 11, 30))["intake"]
    assert (figures["accepted"], figures["transferred"], figures["rejected"]) == (3, 2, 1)
    assert figures["rejected_by_reason"] == {"诉求要素不全": 1}
    assert figures["resolved_at_intake"] == 0
