"""A corrected urgency, or an appeal type or category that changes the reply's working
days, counts the order's deadlines again (SPEC 3 工单修正, SPEC 4): from their start, on
the working-day calendar, extensions granted kept on top, nobody late for a deadline they
could not see; the state machine takes the clock the event carries and refuses where a
new clock makes no sense."""

from datetime import datetime

import pytest

from hotline.domain import deadlines, lifecycle
from hotline.domain import events as ev
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.correction import CorrectedClock, corrected_clock, moves_the_clock
from hotline.domain.deadlines import END_OF_DAY, LOCAL_TZ, DeadlinePolicy
from hotline.domain.enums import (
    CorrectionField,
    ExtensionDecision,
    ReviewDecision,
    Status,
    Urgency,
)
from hotline.domain.lifecycle import InvalidCorrection

CALENDAR = WorkingCalendar()
POLICY = DeadlinePolicy()
UNIT = "430302"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def end_of(year, month, day) -> datetime:
    return datetime.combine(datetime(year, month, day).date(), END_OF_DAY, LOCAL_TZ)


def clock(
    log, *, urgent, at, appeal_type="complaint", codes=(), calendar=CALENDAR, policy=POLICY
) -> CorrectedClock:
    return corrected_clock(
        log,
        urgent=urgent,
        at=at,
        appeal_type=appeal_type,
        category_codes=codes,
        policy=policy,
        calendar=calendar,
    )


def handled(dispatched_at, signed_at, *, urgent=False, appeal_type="complaint"):
    """An order registered and dispatched at ``dispatched_at``, signed at ``signed_at``,
    its deadlines as the services count them."""
    sign_by = deadlines.sign_by(dispatched_at, urgent=urgent, policy=POLICY, calendar=CALENDAR)
    deadline = deadlines.reply_deadline(
        signed_at,
        urgent=urgent,
        appeal_type=appeal_type,
        category_codes=(),
        policy=POLICY,
        calendar=CALENDAR,
    )
    return [
        ev.Register(at=dispatched_at, urgent=urgent),
        ev.Dispatch(at=dispatched_at, unit=UNIT, sign_by=sign_by),
        ev.Sign(at=signed_at, unit=UNIT, deadline=deadline),
    ]


def corrected(log, clock_set: CorrectedClock, *, urgent: bool, at: datetime):
    """The state after the urgency correction event carrying ``clock_set``."""
    old = (Urgency.URGENT if lifecycle.replay(log).urgent else Urgency.NORMAL).value
    new = (Urgency.URGENT if urgent else Urgency.NORMAL).value
    return correct(log, clock_set, CorrectionField.URGENCY, old, new, at)


def correct(log, got: CorrectedClock, field: CorrectionField, old: str, value: str, at):
    """The state after the correction of ``field`` carrying the clock ``got``."""
    state = lifecycle.replay(log)
    event = ev.Correct(
        at=at,
        field=field,
        old=old,
        value=value,
        reason="核实后修正",
        old_sign_by=state.sign_by,
        sign_by=got.sign_by,
        old_deadline=state.deadline,
        deadline=got.deadline,
        overdue=got.overdue,
    )
    return lifecycle.apply(state, event)


def test_made_urgent_after_sign_for_the_reply_is_due_24_hours_after_the_sign_for():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    at = local(2026, 3, 2, 10, 0)
    got = clock(log, urgent=True, at=at)
    assert got.deadline == local(2026, 3, 3, 9, 30)
    # The sign-for is done: it keeps the deadline the unit was given (2 working hours).
    assert got.sign_by == local(2026, 3, 2, 11, 0)
    assert not got.overdue
    state = corrected(log, got, urgent=True, at=at)
    assert state.urgent and state.deadline == local(2026, 3, 3, 9, 30)


def test_made_urgent_too_late_for_24_hours_the_unit_gets_24_hours_from_the_correction():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    at = local(2026, 3, 4, 10, 0)  # the recounted deadline (03-03 09:30) is behind
    got = clock(log, urgent=True, at=at)
    assert got.deadline == local(2026, 3, 5, 10, 0)
    assert not got.overdue


def test_made_urgent_never_gives_more_time_than_the_old_deadline():
    # A consultation is due in 5 working days; made urgent on its last afternoon, 24
    # hours from the correction would run past it.
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30), appeal_type="consult")
    got = clock(log, urgent=True, at=local(2026, 3, 9, 16, 0), appeal_type="consult")
    assert got.deadline == end_of(2026, 3, 9)


def test_wrongly_urgent_the_overdue_goes_with_the_wrong_deadline():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 20), urgent=True)
    log.append(ev.Contact(at=local(2026, 3, 3, 12, 0), unit=UNIT))  # after 24 hours
    assert lifecycle.replay(log).overdue
    at = local(2026, 3, 3, 14, 0)
    got = clock(log, urgent=False, at=at)
    # 10 working days from the sign-for day; the sign-for's 2 working hours from dispatch.
    assert got.deadline == end_of(2026, 3, 16)
    assert got.sign_by == local(2026, 3, 2, 11, 0)
    assert not got.overdue
    state = corrected(log, got, urgent=False, at=at)
    assert not state.overdue and not state.urgent and state.deadline == end_of(2026, 3, 16)


def test_late_by_both_deadlines_stays_overdue():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 20), urgent=True)
    at = local(2026, 3, 20, 9, 0)  # past the 24 hours and the 10 working days
    got = clock(log, urgent=False, at=at)
    assert got.deadline == end_of(2026, 3, 16) and got.overdue
    assert corrected(log, got, urgent=False, at=at).overdue


def test_an_extension_granted_stays_granted_on_top():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    assert log[-1].deadline == end_of(2026, 3, 16)
    log += [
        ev.ExtensionRequest(
            at=local(2026, 3, 2, 15, 0), unit=UNIT, until=end_of(2026, 3, 18), reason="需现场勘验"
        ),
        ev.ExtensionDecide(at=local(2026, 3, 2, 16, 0), decision=ExtensionDecision.GRANTED),
    ]
    got = clock(log, urgent=True, at=local(2026, 3, 2, 17, 0))
    # 24 hours from the sign-for (03-03), and the two working days granted, to the end
    # of the day as the granted date ended.
    assert got.deadline == end_of(2026, 3, 5)


def test_an_extension_awaiting_decision_is_decided_first():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log.append(
        ev.ExtensionRequest(
            at=local(2026, 3, 2, 15, 0), unit=UNIT, until=end_of(2026, 3, 18), reason="需勘验"
        )
    )
    got = clock(log, urgent=True, at=local(2026, 3, 2, 17, 0))
    with pytest.raises(InvalidCorrection, match="请先审批延期"):
        corrected(log, got, urgent=True, at=local(2026, 3, 2, 17, 0))


def test_a_pause_adds_its_hours_to_an_urgent_deadline():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log += [
        ev.Pause(at=local(2026, 3, 2, 12, 0), reason="等待补充材料", unit=UNIT),
        ev.Resume(at=local(2026, 3, 2, 18, 0), deadline=end_of(2026, 3, 16), unit=UNIT),
    ]
    # On working days a pause within one day moves nothing; on the wall clock 6 hours.
    got = clock(log, urgent=True, at=local(2026, 3, 3, 10, 0))
    assert got.deadline == local(2026, 3, 3, 15, 30)


def test_awaiting_sign_for_on_a_holidays_eve():
    # Dispatched urgent at 16:30 on the eve of National Day, corrected to normal: the
    # two working hours run 16:30–17:30 and on to 09:30 of the first day back.
    dispatched_at = local(2026, 9, 30, 16, 30)
    log = [
        ev.Register(at=dispatched_at, urgent=True),
        ev.Dispatch(at=dispatched_at, unit=UNIT, sign_by=local(2026, 9, 30, 17, 0)),
    ]
    got = clock(log, urgent=False, at=local(2026, 9, 30, 16, 45))
    assert got == CorrectedClock(sign_by=local(2026, 10, 8, 9, 30), deadline=None, overdue=False)


def test_signed_on_a_holidays_eve_the_reply_runs_past_the_holiday():
    # SPEC 4's example: signed Wed 2026-09-30, 5 working days run to the end of Tue
    # 10-13 (10-01…10-07 off, Sat 10-10 a make-up working day).
    log = handled(local(2026, 9, 30, 9, 0), local(2026, 9, 30, 10, 0), urgent=True)
    got = clock(log, urgent=False, at=local(2026, 9, 30, 11, 0), appeal_type="consult")
    assert got.deadline == end_of(2026, 10, 13)


def test_on_31_december_into_a_year_nobody_entered():
    # 2027 is not in the packaged calendar: its provisional one has 1 January off.
    assert not CALENDAR.covers(2027)
    log = handled(local(2026, 12, 31, 9, 0), local(2026, 12, 31, 10, 0), urgent=True)
    got = clock(log, urgent=False, at=local(2026, 12, 31, 11, 0))
    assert got.deadline == end_of(2027, 1, 15)  # 1-4 … 1-8, 1-11 … 1-15
    assert CALENDAR.is_provisional(got.deadline.date())
    # And the other way: 24 wall-clock hours whatever the calendar.
    log = handled(local(2026, 12, 31, 9, 0), local(2026, 12, 31, 10, 0))
    assert clock(log, urgent=True, at=local(2026, 12, 31, 11, 0)).deadline == local(
        2027, 1, 1, 10, 0
    )


def test_a_year_entered_later_counts_on_its_own_calendar():
    # The office entered 2027 with 4 January off as well as the 1st: the recount uses
    # the calendar of the day it is made.
    entered = WorkingCalendar({local(2027, 1, 1).date(): False, local(2027, 1, 4).date(): False})
    log = handled(local(2026, 12, 31, 9, 0), local(2026, 12, 31, 10, 0), urgent=True)
    got = clock(log, urgent=False, at=local(2026, 12, 31, 11, 0), calendar=entered)
    assert got.deadline == end_of(2027, 1, 18)


def test_a_rework_counts_from_the_rework():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log += [
        ev.Reply(at=local(2026, 3, 3, 9, 0), unit=UNIT, text="已处理"),
        ev.Review(
            at=local(2026, 3, 4, 9, 0),
            decision=ReviewDecision.REWORK,
            note="未写明结果",
            deadline=end_of(2026, 3, 18),
        ),
    ]
    got = clock(log, urgent=True, at=local(2026, 3, 4, 10, 0))
    assert got.deadline == local(2026, 3, 5, 9, 0)


def test_a_reply_awaiting_review_is_not_made_late():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log.append(ev.Reply(at=local(2026, 3, 5, 9, 0), unit=UNIT, text="已处理"))
    at = local(2026, 3, 5, 10, 0)
    got = clock(log, urgent=True, at=at)
    assert got.deadline == end_of(2026, 3, 16) and not got.overdue
    state = corrected(log, got, urgent=True, at=at)
    assert state.status is Status.REPLIED and state.deadline == end_of(2026, 3, 16)


def test_before_dispatch_there_is_no_clock():
    log = [ev.Register(at=local(2026, 3, 2, 9, 0))]
    assert clock(log, urgent=True, at=local(2026, 3, 2, 9, 5)) == CorrectedClock(None, None, False)


def test_a_concluded_order_keeps_its_urgency():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log += [
        ev.Reply(at=local(2026, 3, 3, 9, 0), unit=UNIT, text="已处理"),
        ev.Review(at=local(2026, 3, 3, 10, 0), decision=ReviewDecision.ACCEPT),
    ]
    at = local(2026, 3, 3, 11, 0)
    with pytest.raises(InvalidCorrection, match="工单已办结"):
        corrected(log, clock(log, urgent=True, at=at), urgent=True, at=at)


def urgency_corrected(log, *, urgent: bool, at: datetime) -> list:
    """``log`` with its urgency corrected at ``at``, carrying the clock it set."""
    got = clock(log, urgent=urgent, at=at)
    old, new = ("normal", "urgent") if urgent else ("urgent", "normal")
    event = ev.Correct(
        at=at,
        field=CorrectionField.URGENCY,
        old=old,
        value=new,
        reason="误判",
        deadline=got.deadline,
        overdue=False,
    )
    return [*log, event]


def test_a_second_correction_counts_from_the_start_again():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log = urgency_corrected(log, urgent=True, at=local(2026, 3, 2, 10, 0))
    assert clock(log, urgent=False, at=local(2026, 3, 2, 11, 0)).deadline == end_of(2026, 3, 16)


def test_the_clock_travels_in_the_event():
    event = ev.Correct(
        at=local(2026, 3, 2, 10, 0),
        field=CorrectionField.URGENCY,
        old="normal",
        value="urgent",
        reason="核实",
        old_deadline=end_of(2026, 3, 16),
        deadline=local(2026, 3, 3, 9, 30),
        overdue=False,
    )
    data = event.to_data()
    assert data["deadline"] == "2026-03-03T09:30:00+08:00" and data["overdue"] is False
    assert "sign_by" not in data  # nothing set, nothing stored
    assert ev.event_from_data("correct", event.at, data) == event


# --- the appeal type and the category ------------------------------------------------------

# An office that gives heating matters 3 working days whatever the appeal type.
HEATING = ("060301", "0603", "06")
FAST_HEATING = DeadlinePolicy(days_by_category={"0603": 3})


def test_which_corrections_move_the_clock():
    def moves(field, *, urgent=False, kinds=("complaint", "complaint"), chains=((), ())):
        return moves_the_clock(
            field, urgent=urgent, appeal_types=kinds, category_chains=chains, policy=FAST_HEATING
        )

    assert moves(CorrectionField.URGENCY) and moves(CorrectionField.URGENCY, urgent=True)
    assert moves(CorrectionField.APPEAL_TYPE, kinds=("consult", "help"))  # 5 → 15 days
    assert not moves(CorrectionField.APPEAL_TYPE, kinds=("complaint", "criticism"))  # 10 → 10
    assert not moves(CorrectionField.APPEAL_TYPE, urgent=True, kinds=("consult", "help"))
    assert moves(CorrectionField.CATEGORY, chains=(("0101", "01"), HEATING))  # 10 → 3
    assert not moves(CorrectionField.CATEGORY, chains=(("0101", "01"), ("0102", "01")))
    assert not moves(CorrectionField.CATEGORY, urgent=True, chains=(("0101", "01"), HEATING))
    assert not moves(CorrectionField.ADDRESS) and not moves(CorrectionField.SUMMARY)


def test_a_help_request_registered_as_a_consultation_gets_its_15_days():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30), appeal_type="consult")
    assert log[-1].deadline == end_of(2026, 3, 9)
    at = local(2026, 3, 3, 10, 0)
    got = clock(log, urgent=False, at=at, appeal_type="help")
    assert got.deadline == end_of(2026, 3, 23)  # 15 working days from the sign-for day
    assert got.sign_by == local(2026, 3, 2, 11, 0) and not got.overdue
    state = correct(log, got, CorrectionField.APPEAL_TYPE, "consult", "help", at)
    assert state.deadline == end_of(2026, 3, 23) and not state.urgent


def test_fewer_days_found_late_count_from_the_correction_never_past_the_old_deadline():
    # A help request (15 days) corrected to a consultation (5) on its eighth working
    # day: the 5 days ran out on 03-09, when the unit was still in time.
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30), appeal_type="help")
    at = local(2026, 3, 12, 10, 0)
    got = clock(log, urgent=False, at=at, appeal_type="consult")
    assert got.deadline == end_of(2026, 3, 19) and not got.overdue
    # Near the old deadline the old deadline stands.
    at = local(2026, 3, 20, 10, 0)
    assert clock(log, urgent=False, at=at, appeal_type="consult").deadline == end_of(2026, 3, 23)


def test_a_category_with_its_own_days_moves_the_deadline_and_keeps_the_urgency():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    at = local(2026, 3, 2, 14, 0)
    got = clock(log, urgent=False, at=at, codes=HEATING, policy=FAST_HEATING)
    assert got.deadline == end_of(2026, 3, 5)
    state = correct(log, got, CorrectionField.CATEGORY, "010101", "060301", at)
    assert state.deadline == end_of(2026, 3, 5) and not state.urgent and not state.overdue


def test_a_wrong_simple_matter_does_not_leave_the_unit_overdue():
    # Registered as a consultation (5 days), replied on day 8 — overdue by the wrong
    # deadline; it was a complaint (10 days): in time after all.
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30), appeal_type="consult")
    log.append(ev.Contact(at=local(2026, 3, 10, 9, 0), unit=UNIT))
    assert lifecycle.replay(log).overdue
    at = local(2026, 3, 11, 9, 0)
    got = clock(log, urgent=False, at=at, appeal_type="complaint")
    assert got.deadline == end_of(2026, 3, 16) and not got.overdue
    assert not correct(log, got, CorrectionField.APPEAL_TYPE, "consult", "complaint", at).overdue


def test_after_an_urgency_correction_the_appeal_type_counts_with_the_urgency_it_has():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30), urgent=True)
    log = urgency_corrected(log, urgent=False, at=local(2026, 3, 2, 10, 0))
    got = clock(log, urgent=False, at=local(2026, 3, 2, 11, 0), appeal_type="help")
    assert got.deadline == end_of(2026, 3, 23)


def test_on_31_december_the_appeal_types_days_run_into_a_year_nobody_entered():
    log = handled(local(2026, 12, 31, 9, 0), local(2026, 12, 31, 10, 0), appeal_type="consult")
    got = clock(log, urgent=False, at=local(2026, 12, 31, 11, 0), appeal_type="help")
    # 15 working days on 2027's provisional calendar: 1 January off.
    assert got.deadline == end_of(2027, 1, 22)
    assert CALENDAR.is_provisional(got.deadline.date())


def test_a_clock_moving_category_waits_for_the_extension_decision():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    log.append(
        ev.ExtensionRequest(
            at=local(2026, 3, 2, 15, 0), unit=UNIT, until=end_of(2026, 3, 18), reason="需勘验"
        )
    )
    at = local(2026, 3, 2, 17, 0)
    got = clock(log, urgent=False, at=at, codes=HEATING, policy=FAST_HEATING)
    with pytest.raises(InvalidCorrection, match="请先审批延期，再修正事项分类"):
        correct(log, got, CorrectionField.CATEGORY, "010101", "060301", at)


def test_a_category_correction_without_a_clock_leaves_the_deadlines():
    log = handled(local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 30))
    before = lifecycle.replay(log)
    event = ev.Correct(
        at=local(2026, 3, 3, 9, 0),
        field=CorrectionField.CATEGORY,
        old="010101",
        value="010102",
        reason="分类有误",
    )
    after = lifecycle.apply(before, event)
    assert (after.deadline, after.sign_by, after.overdue) == (
        before.deadline,
        before.sign_by,
        before.overdue,
    )
    assert "overdue" not in event.to_data()
