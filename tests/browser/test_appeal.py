"""Provisional grades and appeals in the browser (SPEC 4, 5, 2026-12): once last month
is over the unit sees its own row and the points lost, appeals the unsatisfied callback
with a file of evidence; the supervisor upholds it in the queue and the unit's grade
changes. The history is placed relative to the server's clock (last month, called back
an hour ago), so the appeal window is open whatever the day the test runs."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hotline.configuration.services import setting_set
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.orders.models import AppealFiling
from hotline.orders.services import handling, review
from hotline.orders.services.dispatch import order_dispatch
from tests.browser.conftest import screenshot, submit
from tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def called_back(city, settings, tmp_path):
    """岳塘区's order of last month, concluded then, called back unsatisfied an hour ago."""
    settings.MEDIA_ROOT = tmp_path
    setting_set(key="assessment_minimum_due", text="0")
    now = timezone.now()
    first = (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(day=1)

    def at(hour: int) -> datetime:
        return datetime.combine(first, time(hour), LOCAL_TZ)

    handler = city.users[Role.UNIT_HANDLER]
    order = register(city, at(9))
    order_dispatch(order=order, lead=city.district, actor=None, at=at(9))
    handling.order_sign(order=order, actor=handler, at=at(10))
    handling.order_reply(order=order, text="已到现场处理完毕", actor=handler, at=at(11))
    review.order_review(order=order, decision="accept", actor=None, at=at(12))
    review.order_callback(
        order=order,
        result="unsatisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=now - timedelta(hours=1),
    )
    return order


def test_a_unit_appeals_and_the_upheld_appeal_changes_its_grade(
    sign_in, city, called_back, tmp_path
):
    unit = sign_in(city.users[Role.UNIT_HANDLER].username)
    unit.get_by_role("link", name="考核扣分明细").click()
    unit.wait_for_load_state()
    row = unit.locator("table.assessment-row")
    assert row.locator("td.grade").inner_text() == "C"  # 80.0: satisfaction lost
    loss = unit.locator("tr.loss-unsatisfied")
    assert "回访不满意" in loss.inner_text() and "20.0" in loss.inner_text()
    assert called_back.number in loss.inner_text()
    screenshot(unit, "assessment-breakdown")

    evidence = tmp_path / "情况说明.txt"
    evidence.write_text("诉求人反映的事项不属于本单位职责。", encoding="utf-8")
    form = unit.locator(f"form.appeal-form[data-order='{called_back.number}']")
    form.locator("select[name=kind]").select_option(label="非本单位职责")
    form.locator("textarea[name=reason]").fill("该事项属供水企业职责，已告知诉求人")
    form.locator("input[type=file]").set_input_files(str(evidence))
    submit(unit, form.get_by_role("button", name="提交申诉"))
    assert "申诉已提交" in unit.content()
    assert AppealFiling.objects.get().attachments.get().name == "情况说明.txt"

    office = sign_in(city.users[Role.SUPERVISOR].username)
    office.goto("/assessment/appeals/")
    queued = office.locator(f"tr[data-order='{called_back.number}']")
    assert "非本单位职责" in queued.inner_text() and "情况说明.txt" in queued.inner_text()
    queued.locator("input[name=note]").fill("经核实，申诉成立")
    submit(office, queued.get_by_role("button", name="申诉成立"))
    assert "没有待裁定的申诉" in office.content()

    unit.reload()
    assert unit.locator("table.assessment-row td.grade").inner_text() == "A"
    assert unit.locator("tr.loss-unsatisfied").count() == 0
