"""Who may correct an order, and when (SPEC 3 工单修正, 2026-12).

The operator corrects what they registered until it goes to a unit; the dispatcher
and the supervisor until the order is closed (the state machine's ``CORRECTABLE``).
A correction keeps the old value beside the new in its event; the citizen's own words
(the content) are never a correctable field, a corrected summary sits beside them.
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from hotline.domain import deadlines, lifecycle
from hotline.domain import events as ev
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.clock_stops import deadline_after_stop
from hotline.domain.deadlines import LOCAL_TZ, DeadlinePolicy
from hotline.domain.enums import CorrectionField, ReviewDecision, Role, Status
from hotline.domain.permissions import NotPermitted

SUMMARY_MAX = 500


def may_correct_now(role: str, status: Status) -> bool:
    """Beyond the permission (``permissions``): the operator only before dispatch."""
    return role != Role.OPERATOR or status is Status.REGISTERED


def require_correct_now(role: str, status: Status) -> None:
    if not may_correct_now(role, status):
        raise NotPermitted("话务员只能在派单前修正工单，派单后请联系派单员或热线办修正")


# --- the clock a correction sets ---------------------------------------------------------

# The fields the deadlines follow (SPEC 4): the urgency sets the sign-for and reply clocks,
# the appeal type and the category the reply's working days (the office's policy).
CLOCK_FIELDS = frozenset(
    {CorrectionField.URGENCY, CorrectionField.APPEAL_TYPE, CorrectionField.CATEGORY}
)


def moves_the_clock(
    field: CorrectionField,
    *,
    urgent: bool,
    appeal_types: tuple[str, str],
    category_chains: tuple[Sequence[str], Sequence[str]],
    policy: DeadlinePolicy,
) -> bool:
    """Whether correcting ``field`` (its values before and after) counts the deadlines
    again: a changed urgency always does; an appeal type or category only where the
    policy gives the two values different working days to reply (an urgent order's
    24 hours do not depend on them)."""
    if field is CorrectionField.URGENCY:
        return True
    if field not in CLOCK_FIELDS or urgent:
        return False
    before, after = (
        deadlines.reply_days(appeal_type=kind, category_codes=chain, policy=policy)
        for kind, chain in zip(appeal_types, category_chains, strict=True)
    )
    return before != after


@dataclass(frozen=True)
class CorrectedClock:
    """The deadlines a correction sets (None: the order has none) and whether the order
    stays overdue."""

    sign_by: datetime | None
    deadline: datetime | None
    overdue: bool


def corrected_clock(
    log: Sequence[ev.Event],
    *,
    urgent: bool,
    at: datetime,
    appeal_type: str,
    category_codes: Sequence[str],
    policy: DeadlinePolicy,
    calendar: WorkingCalendar,
) -> CorrectedClock:
    """The order's clock once its urgency, appeal type or category is corrected at ``at``
    (SPEC 3, 4); ``urgent``, ``appeal_type`` and ``category_codes`` are the values after
    the correction.

    What an office expects of such a correction:

    - The deadlines are counted again from their start, as if the order had had the
      right urgency, appeal type and category from its registration: the sign-for
      deadline from the (re-)dispatch that set it, the reply deadline from the sign-for
      (or the latest rework), on the working-day calendar and the office's current
      policy (wall-clock hours for an urgent order). The order's log is replayed with
      each deadline counted again, so pauses and consultations add their stopped time
      by the corrected rule.
    - Extensions already granted stay granted on top: each adds to the recounted
      deadline the working days it added to the deadline it replaced, ending at the end
      of the day as the granted date did.
    - Nobody is late for a deadline they could not see. A running deadline that the
      recount puts in the past although the unit was in time by the old one is counted
      from the correction instead (from when the clock last ran, if it stands still),
      never later than the old one. A step already done (the sign-for; the reply
      awaiting review) keeps the later of its old and recounted deadline.
    - The order stays overdue only if it was late by both the old deadline and the
      recounted one: an urgency wrongly set to urgent, or a matter wrongly given a
      simple matter's five days, does not leave the unit overdue.

    A corrected urgency on a concluded order, or any correction that moves the clock of
    an order with an extension awaiting decision, is refused by the state machine; a
    concluded order's other corrections leave its clock as it ran; before dispatch there
    is no deadline to count.
    """

    def signing(moment: datetime) -> datetime:
        return deadlines.sign_by(moment, urgent=urgent, policy=policy, calendar=calendar)

    def replying(moment: datetime) -> datetime:
        return deadlines.reply_deadline(
            moment,
            urgent=urgent,
            appeal_type=appeal_type,
            category_codes=category_codes,
            policy=policy,
            calendar=calendar,
        )

    old = new = None
    dropped_request = False
    for event in log:
        if isinstance(event, ev.Recalendar) or (
            isinstance(event, ev.Correct) and event.field in CLOCK_FIELDS
        ):
            # Counted on today's calendar with the corrected values from the start.
            old = lifecycle.apply(old, event)
            continue
        recounted = _recounted(event, old, new, urgent, signing, replying, calendar)
        if recounted is None:  # an extension that adds nothing on the recounted clock
            dropped_request = isinstance(event, ev.ExtensionRequest)
        elif not (dropped_request and isinstance(event, ev.ExtensionDecide)):
            new = lifecycle.apply(new, recounted)
        else:
            dropped_request = False
        old = lifecycle.apply(old, event)
    if old is None or old.status is Status.REGISTERED:
        return CorrectedClock(sign_by=None, deadline=None, overdue=False)
    late_before = old.overdue or lifecycle.passed_while_running(old, at)
    late_after = new.overdue or lifecycle.passed_while_running(new, at)
    sign_by, deadline = new.sign_by, new.deadline
    if old.signed_at is None:
        if sign_by is not None and old.sign_by is not None and sign_by < at <= old.sign_by:
            sign_by = min(old.sign_by, signing(at))
    elif sign_by is not None and old.sign_by is not None:
        sign_by = max(sign_by, old.sign_by)
    if old.status is Status.REPLIED and deadline is not None and old.deadline is not None:
        deadline = max(deadline, old.deadline)
    elif old.status is Status.IN_PROGRESS and late_after and not late_before and old.deadline:
        deadline = min(old.deadline, replying(old.stopped_since or at))
    return CorrectedClock(sign_by=sign_by, deadline=deadline, overdue=late_before and late_after)


# The statuses with a sign-for or reply deadline a correction moves; in the others there
# is none yet, or it has run its course (a concluded order keeps the clock it had).
CLOCKED = frozenset({Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS, Status.REPLIED})


def clock_fields(clock: CorrectedClock, state: lifecycle.OrderState) -> dict:
    """The correction event's clock: like a recount of the calendar, only the deadlines
    that moved, before and after; and whether the order stays overdue."""
    fields = {"overdue": clock.overdue}
    if clock.sign_by != state.sign_by:
        fields.update(old_sign_by=state.sign_by, sign_by=clock.sign_by)
    if clock.deadline != state.deadline:
        fields.update(old_deadline=state.deadline, deadline=clock.deadline)
    return fields


def _recounted(event, old, new, urgent, signing, replying, calendar):
    """``event`` as the services would have recorded it had the corrected values been
    right from the start."""
    match event:
        case ev.Register():
            return dataclasses.replace(event, urgent=urgent)
        case ev.Dispatch() | ev.Redispatch() | ev.Designate() | ev.ReturnReview() if (
            event.sign_by is not None
        ):
            return dataclasses.replace(event, sign_by=signing(event.at))
        case ev.Sign():
            return dataclasses.replace(event, deadline=replying(event.at))
        case ev.Review() | ev.Callback() if event.deadline is not None and (
            isinstance(event, ev.Callback) or event.decision is ReviewDecision.REWORK
        ):
            return dataclasses.replace(event, deadline=replying(event.at))
        case ev.Resume() | ev.ConsultationClose() if event.deadline is not None:
            return dataclasses.replace(event, deadline=deadline_after_stop(new, event.at, calendar))
        case ev.ExtensionRequest() if old.deadline is not None and new.deadline is not None:
            added = calendar.working_days_between(_day(old.deadline), _day(event.until))
            day = calendar.add_working_days(_day(new.deadline), added)
            until = datetime.combine(day, _local(event.until).timetz())
            return dataclasses.replace(event, until=until) if until > new.deadline else None
    return event


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def _day(moment: datetime) -> date:
    return _local(moment).date()
