"""SPEC 4 (2026-12): entering a year's official schedule counts the provisional deadlines
again — exactly those it changes, each with its event on the order's timeline."""

from datetime import date

import pytest

from hotline.audit.models import AuditRecord
from hotline.configuration.models import Holiday
from hotline.configuration.selectors import working_calendar
from hotline.domain.enums import Role
from hotline.domain.holiday_notice import parse_notice
from hotline.orders.models import Event, Order
from hotline.orders.selectors.detail import order_detail
from hotline.orders.services import dispatch, handling
from hotline.orders.services.calendar_year import holiday_year_enter, provisional_orders
from tests import factories
from tests.conftest import local

# Not the real 2027 notice (not yet published): one that differs from the provisional
# calendar around the Spring Festival (days off from Sat 02-06, a make-up Sat 02-20).
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（农历正月初一、周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""
NOW = local(2027, 1, 27, 15, 0)


def _signed(city, at, *, appeal_type):
    order = factories.register(city, at, appeal_type=appeal_type)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=at
    )
    return handling.order_sign(order=order, actor=city.users[Role.UNIT_HANDLER], at=at)


def _recalendar_events(order):
    return list(Event.objects.filter(order=order, type="recalendar"))


def test_entering_2027_moves_exactly_the_provisional_deadlines_it_changes(city):
    unit = city.users[Role.UNIT_HANDLER]
    admin = city.users[Role.ADMINISTRATOR]
    # A consultation signed Mon 2026-12-28: due Tue 01-05 on both calendars.
    consult = _signed(city, local(2026, 12, 28, 10, 0), appeal_type="consult")
    assert consult.deadline == local(2027, 1, 5, 23, 59, 59)
    # A help request signed Mon 2027-01-25: 15 working days end Wed 02-17 provisionally
    # (02-05, 02-08 off), Sat 02-20 officially (02-08…02-12 off, 02-20 a make-up day).
    help_ = _signed(city, local(2027, 1, 25, 9, 0), appeal_type="help")
    assert help_.deadline == local(2027, 2, 17, 23, 59, 59)
    # The same, paused two working days (02-02, 02-03): provisionally Fri 02-19; the 17
    # working days it was given end Tue 02-23 officially.
    paused = _signed(city, local(2027, 1, 25, 9, 0), appeal_type="help")
    paused = handling.order_pause(
        order=paused, reason="等待市民补充材料", actor=unit, at=local(2027, 2, 1, 10, 0)
    )
    paused = handling.order_resume(order=paused, actor=unit, at=local(2027, 2, 3, 10, 0))
    assert paused.deadline == local(2027, 2, 19, 23, 59, 59)
    # An extension granted to a date: the supervisor's date does not move.
    extended = _signed(city, local(2027, 1, 25, 9, 0), appeal_type="help")
    extended = handling.order_extension_request(
        order=extended, until=date(2027, 2, 26), reason="需协调", actor=unit, at=NOW
    )
    extended = handling.order_extension_decision(
        order=extended, decision="granted", actor=city.users[Role.SUPERVISOR], at=NOW
    )
    # Dispatched Fri 02-12 16:30, not signed: provisionally 1 hour that day and 1 on Mon
    # 02-15 (09:30); officially 02-12 is a holiday, so 2 hours from Mon 02-15 (10:30).
    unsigned = factories.register(city, local(2027, 2, 12, 16, 30))
    unsigned = dispatch.order_dispatch(
        order=unsigned,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2027, 2, 12, 16, 30),
    )
    assert unsigned.sign_by == local(2027, 2, 15, 9, 30)
    assert set(provisional_orders(year=2027)) == {consult, help_, paused, extended, unsigned}

    entered = holiday_year_enter(
        schedule=parse_notice(NOTICE_2027, year=2027), actor=admin, now=local(2027, 2, 13, 8, 0)
    )

    assert sorted(entered.moved) == sorted([help_.number, paused.number, unsigned.number])
    for order in (consult, extended):
        assert _recalendar_events(order) == []
    expected = {
        help_: local(2027, 2, 20, 23, 59, 59),
        paused: local(2027, 2, 23, 23, 59, 59),
    }
    for order, deadline in expected.items():
        old = Order.objects.get(pk=order.pk)
        assert old.deadline == deadline
        (event,) = _recalendar_events(order)
        assert event.actor is None
        assert event.data["old_deadline"] == order.deadline.isoformat()
        assert event.data["deadline"] == deadline.isoformat()
    unsigned.refresh_from_db()
    assert unsigned.sign_by == local(2027, 2, 15, 10, 30)
    (event,) = _recalendar_events(unsigned)
    assert event.data["old_sign_by"] == local(2027, 2, 15, 9, 30).isoformat()
    # The provisional mark goes: 2027 is now an official year.
    assert not working_calendar().is_provisional(date(2027, 2, 20))
    assert Holiday.objects.filter(date__year=2027).count() == entered.rows == 34
    audit = AuditRecord.objects.get(action=AuditRecord.Action.HOLIDAY_CHANGE)
    assert "整年录入 2027 年" in audit.detail

    timeline = order_detail(number=help_.number, viewer=city.users[Role.SUPERVISOR]).timeline
    entry = timeline[-1]
    assert (entry.label, entry.actor) == ("节假日安排录入", "系统")
    facts = {fact.label: fact.text for fact in entry.facts}
    assert facts["原办理时限"] == "2027-02-17 23:59"
    assert facts["调整后办理时限"] == "2027-02-20 23:59"


def test_entering_a_year_again_replaces_its_rows_and_moves_no_deadline(city):
    holiday_year_enter(schedule=parse_notice(NOTICE_2027, year=2027), actor=None, now=NOW)
    order = _signed(city, local(2027, 2, 1, 9, 0), appeal_type="help")
    corrected = parse_notice("一、元旦：1月1日（周五）放假，共1天。", year=2027)
    entered = holiday_year_enter(schedule=corrected, actor=None, now=NOW)
    assert entered.moved == ()
    assert list(Holiday.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]
    assert _recalendar_events(order) == []


def test_a_schedule_whose_recount_fails_saves_nothing(city, monkeypatch):

    def broken(**_):
        raise RuntimeError("database gone")

    # The recount after the rows were replaced fails: the old rows stay.
    monkeypatch.setattr("hotline.orders.services.calendar_year.deadlines_recount", broken)
    with pytest.raises(RuntimeError):
        holiday_year_enter(schedule=parse_notice(NOTICE_2027, year=2027), actor=None, now=NOW)
    assert not Holiday.objects.filter(date__year=2027).exists()


def test_a_recalendar_event_exports_and_imports_byte_for_byte(city, tmp_path):
    import json

    from hotline.notifications.models import Notification
    from hotline.orders.models import Assignment
    from hotline.orders.services.history_export import orders_export
    from hotline.orders.services.history_import import orders_import

    order = _signed(city, local(2027, 1, 25, 9, 0), appeal_type="help")
    holiday_year_enter(
        schedule=parse_notice(NOTICE_2027, year=2027), actor=None, now=local(2027, 2, 1, 8, 0)
    )
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    window = {"start": date(2027, 1, 1), "end": date(2027, 12, 31)}
    orders_export(out=first, **window)
    (line,) = first.read_text(encoding="utf-8").splitlines()
    (moved,) = [e for e in json.loads(line)["events"] if e["type"] == "recalendar"]
    assert moved == {
        "type": "recalendar",
        "at": "2027-02-01T08:00:00+08:00",
        "year": 2027,
        "old_deadline": "2027-02-17T23:59:59+08:00",
        "deadline": "2027-02-20T23:59:59+08:00",
    }
    for model in (Notification, Event, Assignment, Order):
        model.objects.all().delete()
    orders_import(path=first)
    assert Order.objects.get(number=order.number).deadline == local(2027, 2, 20, 23, 59, 59)
    orders_export(out=second, **window)
    assert first.read_bytes() == second.read_bytes()


def test_the_first_single_day_of_a_provisional_year_counts_its_deadlines_again(city):
    from hotline.orders.services.calendar_year import holiday_day_enter

    order = _signed(city, local(2027, 1, 25, 9, 0), appeal_type="help")
    assert order.deadline == local(2027, 2, 17, 23, 59, 59)
    # 2027 becomes official with one row: the weekday rule then has no 春节 at all.
    holiday_day_enter(day=date(2027, 1, 1), workday=False, name="元旦", now=NOW)
    order.refresh_from_db()
    assert order.deadline == local(2027, 2, 15, 23, 59, 59)
    assert len(_recalendar_events(order)) == 1
    holiday_day_enter(day=date(2027, 2, 8), workday=False, name="春节", now=NOW)
    assert len(_recalendar_events(order)) == 1  # a year already official: nothing moves
