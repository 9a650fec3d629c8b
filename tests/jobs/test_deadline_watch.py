"""The deadline watch: yellow warnings, overdue marks and automatic supervision, each
once per deadline however often the jobs run."""

from datetime import date

import pytest

from hotline.deadline_watch.deadlines import deadline_warnings, overdue_marking, overdue_supervision
from hotline.domain.enums import Role
from hotline.jobs.models import DeadlineMark
from hotline.notifications.models import Notification
from hotline.orders.models import Event, Supervision
from hotline.orders.services import dispatch, handling, supervision
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

# Received Mon 03-02 09:00, signed 10:00: a complaint's 10 working days end Mon 03-16
# 23:59:59. Its last fifth (yellow) starts on Sat 03-14 at about 01:40.
GREEN = local(2026, 3, 10, 9, 0)
YELLOW = local(2026, 3, 15, 9, 0)
RED = local(2026, 3, 17, 9, 0)
DEADLINE = local(2026, 3, 16, 23, 59, 59)


@pytest.fixture
def signed(city):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    order = dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 9, 5),
    )
    order = handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 10, 0)
    )
    assert order.deadline == DEADLINE
    Notification.objects.all().delete()  # the dispatch's own notices are not the subject here
    return order


def _warnings():
    return list(Notification.objects.order_by("pk").values_list("kind", "recipient", "reference"))


def _marks():
    return sorted(DeadlineMark.objects.values_list("step", "deadline"))


def test_a_green_order_is_left_alone(signed):
    assert deadline_warnings(now=GREEN) == "黄色预警 0 件"
    assert overdue_marking(now=GREEN) == "新超期 0 件"
    assert overdue_supervision(now=GREEN) == "超期自动督办 0 件"
    assert not _marks() and not _warnings()


def test_the_lead_unit_is_warned_yellow_once(signed):
    assert deadline_warnings(now=YELLOW) == "黄色预警 1 件"
    assert deadline_warnings(now=YELLOW) == "黄色预警 0 件"
    assert overdue_marking(now=YELLOW) == "新超期 0 件"
    assert _warnings() == [("yellow", "unit:U-YT", "2026-03-16T15:59:59+00:00")]
    warning = Notification.objects.get()
    assert "将于2026-03-16 23:59到期" in warning.text
    assert _marks() == [("yellow", DEADLINE)]


def test_an_overdue_order_is_marked_told_and_supervised_once(signed):
    for _ in range(2):
        deadline_warnings(now=RED)
        overdue_marking(now=RED)
        overdue_supervision(now=RED)
    # Seen first when already red: no yellow warning any more, the red one instead.
    assert _warnings() == [("red", "unit:U-YT", "2026-03-16T15:59:59+00:00")]
    assert _marks() == [("overdue", DEADLINE), ("supervision", DEADLINE)]
    mark = DeadlineMark.objects.get(step="overdue")
    assert mark.unit == signed.lead_unit
    card = Supervision.objects.get(order=signed)
    assert (card.level, card.by, card.at) == ("yellow", None, RED)
    assert "超期自动督办：办理时限 2026-03-16 23:59 已过" in card.note
    event = Event.objects.get(order=signed, type="supervision")
    assert event.actor is None and event.data["level"] == "yellow"
    signed.refresh_from_db()
    assert signed.supervision == "yellow"


def test_a_card_from_the_office_makes_the_automatic_one_superfluous(signed, city):
    supervision.order_supervise(
        order=signed, level="red", note="限期办结", actor=city.users[Role.SUPERVISOR], at=RED
    )
    assert overdue_supervision(now=RED) == "超期自动督办 0 件"
    assert Supervision.objects.filter(order=signed).count() == 1


def test_a_paused_clock_is_neither_warned_nor_overdue(signed, city):
    handling.order_pause(
        order=signed, reason="等待市民补充材料", actor=city.users[Role.UNIT_HANDLER], at=YELLOW
    )
    assert deadline_warnings(now=RED) == "黄色预警 0 件"
    assert overdue_marking(now=RED) == "新超期 0 件"
    assert overdue_supervision(now=RED) == "超期自动督办 0 件"


def test_a_new_deadline_is_watched_afresh(signed, city):
    deadline_warnings(now=YELLOW)
    handling.order_extension_request(
        order=signed,
        until=date(2026, 3, 20),
        reason="需协调施工单位",
        actor=city.users[Role.UNIT_HANDLER],
        at=YELLOW,
    )
    handling.order_extension_decision(
        order=signed, decision="granted", actor=city.users[Role.SUPERVISOR], at=YELLOW
    )
    assert overdue_marking(now=RED) == "新超期 0 件"  # 03-17 is before the new deadline
    later = local(2026, 3, 21, 9, 0)
    assert overdue_marking(now=later) == "新超期 1 件"
    assert [step for step, _ in _marks()] == ["overdue", "yellow"]
    assert [kind for kind, *_ in _warnings()] == ["yellow", "red"]


def test_the_yellow_fraction_is_the_office_setting(signed):
    from hotline.configuration.models import Setting

    Setting.objects.create(key="yellow_fraction", value=0.5)
    assert deadline_warnings(now=GREEN) == "黄色预警 1 件"


def test_a_step_taken_on_the_order_after_the_run_read_the_clock_comes_first(signed, city):
    later = local(2026, 3, 17, 10, 0)
    supervision.order_instruct(
        order=signed, text="请尽快办理", actor=city.users[Role.LEADER], at=later
    )
    assert overdue_supervision(now=RED) == "超期自动督办 1 件"
    assert Supervision.objects.get(order=signed).at == later
