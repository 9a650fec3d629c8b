"""Supervision that must be answered, in the browser (SPEC 4, 2026-12): the supervisor
supervises an order, the unit finds it above its inbox and answers from the order page;
another supervision left unanswered escalates when the watch runs past its deadline
(the job is run with its clock between page steps) and the office sees it escalated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.deadline_watch.supervision import supervision_escalation
from hotline.domain.enums import Role
from hotline.orders.models import Supervision
from hotline.orders.services import clock as order_clock
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.handling import order_sign
from hotline.orders.services.supervision import order_supervise
from tests.browser.conftest import submit
from tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 1366, "height": 768}


def _signed(city, at):
    order = register(city, at)
    order = order_dispatch(order=order, lead=city.district, actor=None, at=at)
    return order_sign(order=order, actor=city.users[Role.UNIT_HANDLER], at=at)


def test_the_unit_answers_a_supervision_from_the_order_page(city, sign_in):
    order = _signed(city, timezone.now() - timedelta(hours=3))

    office = sign_in(city.users[Role.SUPERVISOR].username)
    office.set_viewport_size(VIEWPORT)
    office.goto(f"/orders/{order.number}/")
    office.get_by_text("督办", exact=True).first.click()
    office.locator("#supervise-level").select_option(label="一般督办")
    office.locator("#supervise-note").fill("市民多次来电，请三日内现场处置并回复")
    submit(office, office.get_by_role("button", name="督办", exact=True))
    assert "待回复" in office.locator("#supervisions-title + ul").inner_text()

    unit = sign_in(city.users[Role.UNIT_HANDLER].username)
    unit.set_viewport_size(VIEWPORT)
    unit.goto("/unit/")
    awaiting = unit.locator("#supervisions-awaiting")
    assert "待回复的督办" in awaiting.inner_text()
    with unit.expect_navigation():
        awaiting.get_by_role("link", name=order.number).click()
    unit.locator("#supervision-reply-text").fill("已组织执法队员现场核查，责令施工方夜间停工")
    submit(unit, unit.get_by_role("button", name="回复督办"))
    answered = unit.locator("#supervisions-title + ul").inner_text()
    assert "已回复" in answered and "责令施工方夜间停工" in answered
    unit.goto("/unit/")
    assert unit.locator("#supervisions-awaiting").count() == 0

    office.goto("/supervision/?tab=answers&state=answered")
    assert order.number in office.locator("table.queue").inner_text()


def test_an_unanswered_supervision_escalates_when_the_watch_runs_past_its_deadline(city, sign_in):
    start = timezone.now() - timedelta(days=12)
    order = _signed(city, start)
    given = (start + timedelta(days=2)).date()
    order_supervise(
        order=order,
        level="normal",
        note="请尽快处置",
        deadline=given,
        actor=city.users[Role.SUPERVISOR],
        at=start + timedelta(hours=1),
    )

    unit = sign_in(city.users[Role.UNIT_HANDLER].username)
    unit.set_viewport_size(VIEWPORT)
    unit.goto("/unit/")
    assert "一般督办" in unit.locator("#supervisions-awaiting").inner_text()

    # The watch, run at the deadline itself, leaves it; one second later, escalates it.
    deadline = order_clock.end_of_day(given)
    assert supervision_escalation(now=deadline) == "督办逾期升级 0 件"
    assert supervision_escalation(now=deadline + timedelta(seconds=1)) == "督办逾期升级 1 件"

    unit.reload()
    awaiting = unit.locator("#supervisions-awaiting").inner_text()
    assert "黄牌督办" in awaiting and "一般督办" not in awaiting

    office = sign_in(city.users[Role.SUPERVISOR].username)
    office.set_viewport_size(VIEWPORT)
    office.goto("/supervision/?tab=answers&state=escalated")
    row = office.locator(f"#o-{order.number}")
    assert "逾期升级" in row.inner_text() and "黄牌督办" in row.inner_text()
    office.goto(f"/orders/{order.number}/")
    listed = office.locator("#supervisions-title + ul").inner_text()
    assert "已被新的督办替代" in listed and "逾期升级" in listed
    assert Supervision.objects.filter(order=order, escalated=True).count() == 1
