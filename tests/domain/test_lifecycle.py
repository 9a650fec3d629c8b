"""The order state machine of SPEC 4, one rule per test.

Histories are built from a fixed instant in the hotline's time zone plus offsets; the
helpers below give an order in each status, and a test then applies the events of the
rule it is about from ``at(10)`` onwards.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.domain import events as ev
from hotline.domain import lifecycle
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AppealType,
    CallbackResult,
    ContactOutcome,
    ContactWay,
    CorrectionField,
    Disposition,
    EmergencyService,
    ExtensionDecision,
    PauseDecision,
    RejectReason,
    ReturnDecision,
    ReviewDecision,
    Status,
    SupervisionLevel,
    ViolationKind,
    ViolationOutcome,
)
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import (
    AlreadyRegistered,
    ConsultationAlreadyOpen,
    DeadlineRequired,
    EmptyHistory,
    EmptyText,
    EventOutOfOrder,
    ExtensionNotLater,
    ExtensionPending,
    InvalidSplit,
    InvalidTransition,
    LifecycleError,
    NoConsultationOpen,
    NoExtensionPending,
    NotCoUnit,
    NotDifficult,
    NothingToAppeal,
    NotLeadUnit,
    OrderClosed,
    OrderNotPaused,
    OrderPaused,
    OrderState,
    ReturnNotAllowed,
    ReworkNeedsUnsatisfied,
    SameUnit,
    UnitRequired,
    apply,
    closed_order_takes,
    replay,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday morning


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


DEADLINE = at(7 * 24)  # the deadline fixed at sign-for in the helpers below
LATER = at(10 * 24)  # a later deadline (extension, rework, consultation decision)


# --- histories ------------------------------------------------------------------------


def registered_log(urgent: bool = False) -> list[ev.Event]:
    return [ev.Register(at(0), urgent=urgent)]


def dispatched_log(unit: str = "U1", co_units: tuple[str, ...] = ()) -> list[ev.Event]:
    return registered_log() + [ev.Dispatch(at(1), unit=unit, co_units=co_units, sign_by=at(3))]


def in_progress_log(co_units: tuple[str, ...] = ()) -> list[ev.Event]:
    return dispatched_log(co_units=co_units) + [ev.Sign(at(2), unit="U1", deadline=DEADLINE)]


def replied_log(reply_at: datetime | None = None) -> list[ev.Event]:
    return in_progress_log() + [ev.Reply(reply_at or at(4), unit="U1", text="已清理占道堆放物")]


def concluded_log() -> list[ev.Event]:
    return replied_log() + [ev.Review(at(5), decision=ReviewDecision.ACCEPT)]


def closed_log() -> list[ev.Event]:
    return concluded_log() + [
        ev.Callback(at(6), result=CallbackResult.SATISFIED),
        ev.Close(at(7)),
    ]


def returned_log() -> list[ev.Event]:
    return dispatched_log() + [ev.Return(at(2), unit="U1", reason="不属于本单位职责")]


def merged_log() -> list[ev.Event]:
    return registered_log() + [ev.Merge(at(1), into="20260000001")]


def difficult_log() -> list[ev.Event]:
    """U1 returns, the order goes to U2, U2 returns it too: RETURNED and difficult."""
    return returned_log() + [
        ev.ReturnReview(at(3), decision=ReturnDecision.ACCEPT, unit="U2", sign_by=at(5)),
        ev.Return(at(4), unit="U2", reason="应由U1办理"),
    ]


def difficult_in(status: Status) -> OrderState:
    """A difficult order (two mutual returns) in RETURNED, DISPATCHED or IN_PROGRESS."""
    log = difficult_log()
    if status in (Status.DISPATCHED, Status.IN_PROGRESS):
        log.append(ev.ReturnReview(at(5), decision=ReturnDecision.REFUSE))
    if status is Status.IN_PROGRESS:
        log.append(ev.Sign(at(6), unit="U2", deadline=DEADLINE))
    state = replay(log)
    assert state.status is status and state.difficult
    return state


def unsatisfied_log() -> list[ev.Event]:
    """Concluded, then an unsatisfied callback sends it back: IN_PROGRESS, one to appeal."""
    return concluded_log() + [
        ev.Callback(at(6), result=CallbackResult.UNSATISFIED, rework=True, deadline=LATER)
    ]


LOGS = {
    Status.REGISTERED: registered_log,
    Status.DISPATCHED: dispatched_log,
    Status.RETURNED: returned_log,
    Status.IN_PROGRESS: in_progress_log,
    Status.REPLIED: replied_log,
    Status.CONCLUDED: concluded_log,
    Status.MERGED: merged_log,
    Status.CLOSED: closed_log,
}


def order_in(status: Status) -> OrderState:
    state = replay(LOGS[status]())
    assert state.status is status
    return state


def same_but_last_at(before: OrderState, after: OrderState, when: datetime) -> bool:
    return after == OrderState(**{**before.__dict__, "last_at": when})


# One plausible event of each type, with fields that suit the helpers' orders.
SAMPLE_FIELDS: dict[type[ev.Event], dict] = {
    ev.Register: {},
    ev.Answer: {"article": "KB-0001"},
    ev.Transfer: {"to": EmergencyService.POLICE, "note": "三方通话转110"},
    ev.Classify: {"category": "0501", "region": "430304", "appeal_type": AppealType.COMPLAINT},
    ev.Reject: {"reason": RejectReason.VAGUE},
    ev.MarkHarassment: {},
    ev.MarkInvalid: {},
    ev.Merge: {"into": "20260000001"},
    ev.Split: {"parts": ("20260000002", "20260000003")},
    ev.Dispatch: {"unit": "U1", "sign_by": at(12)},
    ev.Redispatch: {"unit": "U3", "sign_by": at(12)},
    ev.Designate: {"unit": "U3", "sign_by": at(12)},
    ev.Sign: {"unit": "U1", "deadline": DEADLINE},
    ev.Return: {"unit": "U1", "reason": "不属于本单位职责"},
    ev.ReturnReview: {"decision": ReturnDecision.REFUSE},
    ev.SubDispatch: {"unit": "U1", "sub_unit": "U1-1"},
    ev.ExtensionRequest: {"unit": "U1", "until": LATER, "reason": "需协调多部门"},
    ev.ExtensionDecide: {"decision": ExtensionDecision.GRANTED},
    ev.Pause: {"reason": "等待市民补充材料"},
    ev.Resume: {"deadline": LATER},
    ev.ConsultationOpen: {"note": "职责争议"},
    ev.ConsultationClose: {"decision": "由U3主办", "deadline": LATER},
    ev.Reply: {"unit": "U1", "text": "已处理"},
    ev.CoReply: {"unit": "U2", "text": "已配合"},
    ev.Review: {"decision": ReviewDecision.ACCEPT},
    ev.Callback: {"result": CallbackResult.SATISFIED},
    ev.CallbackAssign: {"agent": "callback1"},
    ev.SpotCheck: {"result": CallbackResult.SATISFIED},
    ev.Appeal: {"decision": AppealDecision.UPHELD, "reason": "诉求不合理"},
    ev.AppealFile: {"unit": "U1", "kind": AppealKind.UNREASONABLE, "reason": "诉求不合理"},
    ev.Supervise: {"level": SupervisionLevel.NORMAL, "note": "请加快办理"},
    ev.Instruct: {"text": "请认真办理"},
    ev.Close: {},
    ev.Recalendar: {"year": 2027, "old_deadline": DEADLINE, "deadline": LATER},
    ev.SupervisionReply: {"unit": "U1", "text": "已按督办要求办理"},
    ev.SupervisionEscalate: {"level": SupervisionLevel.YELLOW, "unit": "U1", "deadline": LATER},
    ev.RecordViolation: {"kind": ViolationKind.FALSE_RESULT, "unit": "U1", "note": "虚报"},
    ev.DecideViolation: {
        "kind": ViolationKind.FALSE_RESULT,
        "unit": "U1",
        "outcome": ViolationOutcome.CRITICISM,
    },
    ev.PauseDecide: {"decision": PauseDecision.GRANTED},
    ev.Contact: {"unit": "U1", "way": ContactWay.PHONE, "outcome": ContactOutcome.REACHED},
    ev.ThreeWayRequest: {"unit": "U1", "note": "工作日上午"},
    ev.ThreeWayCall: {"unit": "U1", "outcome": ContactOutcome.REACHED},
    ev.Correct: {"field": CorrectionField.SUMMARY, "value": "楼道漏水", "reason": "原摘要不准"},
}


def sample(cls: type[ev.Event], when: datetime) -> ev.Event:
    return cls(at=when, **SAMPLE_FIELDS[cls])


# --- the rule table itself ------------------------------------------------------------


def test_every_event_type_but_register_has_a_rule():
    assert set(lifecycle._RULES) == set(ev.EVENT_TYPES.values()) - {ev.Register}
    assert set(SAMPLE_FIELDS) == set(ev.EVENT_TYPES.values())


def test_a_closed_order_takes_only_follow_ups():
    assert closed_order_takes() == {
        ev.Callback,
        ev.SpotCheck,
        ev.Appeal,
        ev.Instruct,
        ev.RecordViolation,
        ev.DecideViolation,
        ev.AppealFile,
    }


REFUSALS = [
    pytest.param(cls, status, id=f"{cls.type}-in-{status.value}")
    for cls, (allowed, _) in lifecycle._RULES.items()
    for status in Status
    if status not in allowed
]


@pytest.mark.parametrize(("cls", "status"), REFUSALS)
def test_an_event_is_refused_in_every_status_its_rule_does_not_list(cls, status):
    state = order_in(status)
    with pytest.raises(InvalidTransition) as refused:
        apply(state, sample(cls, at(10)))
    expected = OrderClosed if status is Status.CLOSED else InvalidTransition
    assert refused.type is expected
    assert refused.value.status is status
    assert refused.value.event_type == cls.type


@pytest.mark.parametrize("cls", [c for c in ev.EVENT_TYPES.values() if c is not ev.Register])
def test_an_order_that_was_never_registered_takes_no_other_event(cls):
    with pytest.raises(InvalidTransition) as refused:
        apply(None, sample(cls, at(0)))
    assert refused.type is InvalidTransition
    assert refused.value.status is None


def test_every_refusal_is_a_domain_error_with_a_stable_code():
    with pytest.raises(LifecycleError) as refused:
        apply(order_in(Status.DISPATCHED), ev.Sign(at(10), unit="U2", deadline=DEADLINE))
    assert isinstance(refused.value, DomainError)
    assert refused.value.code == "not_lead_unit"
    assert refused.value.message


# --- registering and replaying --------------------------------------------------------


def test_registering_opens_an_order_awaiting_its_intake_outcome():
    state = apply(None, ev.Register(at(0), urgent=True))
    assert state.status is Status.REGISTERED
    assert state.registered_at == state.last_at == at(0)
    assert state.urgent is True
    assert state.disposition is None
    assert state.is_open and not state.is_concluded


def test_an_order_cannot_be_registered_twice():
    with pytest.raises(AlreadyRegistered):
        apply(order_in(Status.REGISTERED), ev.Register(at(1)))


def test_replaying_an_empty_history_is_refused():
    with pytest.raises(EmptyHistory):
        replay([])


def test_replay_is_the_fold_of_apply():
    log = closed_log()
    state = None
    for event in log:
        state = apply(state, event)
    assert replay(log) == state


def test_events_out_of_time_order_are_refused():
    state = order_in(Status.IN_PROGRESS)
    with pytest.raises(EventOutOfOrder):
        apply(state, ev.Reply(at(2) - timedelta(seconds=1), unit="U1", text="已处理"))


def test_events_at_the_same_instant_as_the_last_one_are_in_order():
    state = order_in(Status.IN_PROGRESS)
    assert apply(state, ev.Reply(state.last_at, unit="U1", text="已处理")).status is (
        Status.REPLIED
    )


def test_apply_never_changes_the_state_it_is_given():
    state = order_in(Status.IN_PROGRESS)
    copy = OrderState(**state.__dict__)
    apply(state, ev.Reply(at(10), unit="U1", text="已处理"))
    with pytest.raises(NotLeadUnit):
        apply(state, ev.Reply(at(10), unit="U2", text="已处理"))
    assert state == copy


# --- intake outcomes (SPEC 3) ---------------------------------------------------------


def test_an_answer_at_intake_closes_the_order_at_once():
    state = apply(order_in(Status.REGISTERED), ev.Answer(at(1), article="KB-0001"))
    assert state.status is Status.CLOSED
    assert state.disposition is Disposition.ANSWERED
    assert state.closed_at == at(1)
    assert state.lead is None and state.concluded_at is None
    assert not state.is_open


@pytest.mark.parametrize(
    ("event", "disposition"),
    [
        (ev.Reject(at(1), reason=RejectReason.LEGAL_PROCESS), Disposition.REJECTED),
        (ev.MarkHarassment(at(1)), Disposition.HARASSMENT),
        (ev.MarkInvalid(at(1)), Disposition.INVALID),
    ],
    ids=["rejected", "harassment", "invalid"],
)
def test_not_accepted_harassment_and_invalid_calls_close_at_once(event, disposition):
    state = apply(order_in(Status.REGISTERED), event)
    assert state.status is Status.CLOSED
    assert state.disposition is disposition
    assert state.closed_at == at(1)


def test_a_merged_order_is_linked_to_the_open_one_instead_of_being_dispatched():
    state = apply(order_in(Status.REGISTERED), ev.Merge(at(1), into="20260000001"))
    assert state.status is Status.MERGED
    assert state.disposition is Disposition.MERGED
    assert state.merged_into == "20260000001"
    with pytest.raises(InvalidTransition):
        apply(state, ev.Dispatch(at(2), unit="U1"))


def test_a_merge_must_name_the_order_it_joins():
    with pytest.raises(UnitRequired):
        apply(order_in(Status.REGISTERED), ev.Merge(at(1), into=""))


def test_a_merged_order_is_closed_without_a_conclusion_of_its_own():
    state = apply(order_in(Status.MERGED), ev.Close(at(10)))
    assert state.status is Status.CLOSED
    assert state.closed_at == at(10)
    assert state.concluded_at is None and state.on_time is None


def test_a_split_records_the_new_orders_and_keeps_the_call_at_intake():
    state = apply(order_in(Status.REGISTERED), ev.Split(at(1), parts=("20260000002",)))
    state = apply(state, ev.Split(at(2), parts=("20260000003", "20260000004")))
    assert state.status is Status.REGISTERED
    assert state.split_into == ("20260000002", "20260000003", "20260000004")
    assert apply(state, ev.Dispatch(at(3), unit="U1")).status is Status.DISPATCHED


@pytest.mark.parametrize("parts", [(), ("20260000002", "20260000002")], ids=["none", "twice"])
def test_a_split_lists_distinct_new_orders(parts):
    with pytest.raises(InvalidSplit):
        apply(order_in(Status.REGISTERED), ev.Split(at(1), parts=parts))


# --- dispatch and sign-for ------------------------------------------------------------


def test_dispatch_sends_the_order_to_a_lead_unit_and_its_co_units():
    state = apply(
        order_in(Status.REGISTERED),
        ev.Dispatch(at(1), unit="U1", co_units=("U2", "U3"), sign_by=at(3)),
    )
    assert state.status is Status.DISPATCHED
    assert state.disposition is Disposition.DISPATCHED
    assert state.lead == "U1"
    assert state.co_units == ("U2", "U3")
    assert state.sign_by == at(3)
    assert state.signed_at is None and state.deadline is None
    assert state.redispatches == 0 and state.first_dispatch_kept


def test_dispatch_needs_a_lead_unit():
    with pytest.raises(UnitRequired):
        apply(order_in(Status.REGISTERED), ev.Dispatch(at(1), unit=""))


def test_the_lead_cannot_also_be_a_co_unit():
    with pytest.raises(SameUnit):
        apply(order_in(Status.REGISTERED), ev.Dispatch(at(1), unit="U1", co_units=("U1",)))


def test_the_lead_unit_signs_for_the_order_and_its_deadline_starts():
    state = apply(order_in(Status.DISPATCHED), ev.Sign(at(10), unit="U1", deadline=DEADLINE))
    assert state.status is Status.IN_PROGRESS
    assert state.signed_at == at(10)
    assert state.deadline == DEADLINE


def test_a_unit_that_is_not_the_lead_cannot_sign():
    state = replay(dispatched_log(co_units=("U2",)))
    with pytest.raises(NotLeadUnit):
        apply(state, ev.Sign(at(10), unit="U2", deadline=DEADLINE))


def test_sign_for_fixes_the_deadline():
    with pytest.raises(DeadlineRequired):
        apply(order_in(Status.DISPATCHED), ev.Sign(at(10), unit="U1", deadline=None))


# --- return, return review, difficult orders ------------------------------------------


def test_the_lead_may_return_the_order_with_a_reason_before_handling():
    state = apply(order_in(Status.DISPATCHED), ev.Return(at(10), unit="U1", reason="非本单位职责"))
    assert state.status is Status.RETURNED
    assert state.returned_by == ("U1",)
    assert state.returned_from is Status.DISPATCHED
    assert not state.difficult
    assert not state.first_dispatch_kept


def test_a_return_needs_a_reason():
    with pytest.raises(EmptyText):
        apply(order_in(Status.DISPATCHED), ev.Return(at(10), unit="U1", reason="  "))


def test_a_unit_that_is_not_the_lead_cannot_return_the_order():
    state = replay(dispatched_log(co_units=("U2",)))
    with pytest.raises(NotLeadUnit):
        apply(state, ev.Return(at(10), unit="U2", reason="非本单位职责"))


def test_an_order_signed_for_can_no_longer_be_returned():
    with pytest.raises(InvalidTransition):
        apply(order_in(Status.IN_PROGRESS), ev.Return(at(10), unit="U1", reason="非本单位职责"))


def test_a_refused_return_goes_back_to_the_status_before_the_return():
    state = apply(
        order_in(Status.RETURNED), ev.ReturnReview(at(10), decision=ReturnDecision.REFUSE)
    )
    assert state.status is Status.DISPATCHED
    assert state.lead == "U1"
    assert state.returned_from is None
    assert state.returned_by == ("U1",)  # the return stays on record
    assert state.redispatches == 0


def test_an_accepted_return_redispatches_to_another_unit():
    state = apply(
        order_in(Status.RETURNED),
        ev.ReturnReview(
            at(10), decision=ReturnDecision.ACCEPT, unit="U2", co_units=("U3",), sign_by=at(12)
        ),
    )
    assert state.status is Status.DISPATCHED
    assert state.lead == "U2"
    assert state.co_units == ("U3",)
    assert state.sign_by == at(12)
    assert state.redispatches == 1
    assert state.returned_from is None
    assert state.returned_by == ("U1",)


def test_an_accepted_return_must_name_another_unit():
    state = order_in(Status.RETURNED)
    with pytest.raises(SameUnit):
        apply(state, ev.ReturnReview(at(10), decision=ReturnDecision.ACCEPT, unit="U1"))
    with pytest.raises(UnitRequired):
        apply(state, ev.ReturnReview(at(10), decision=ReturnDecision.ACCEPT, unit=""))


def test_a_single_return_does_not_make_an_order_difficult():
    assert not order_in(Status.RETURNED).difficult


def test_mutual_returns_make_an_order_difficult():
    state = replay(difficult_log())
    assert state.status is Status.RETURNED
    assert state.returned_by == ("U1", "U2")
    assert state.difficult
    assert state.redispatches == 1


def test_only_a_difficult_order_can_be_designated():
    with pytest.raises(NotDifficult):
        apply(order_in(Status.RETURNED), ev.Designate(at(10), unit="U3"))


@pytest.mark.parametrize("status", [Status.RETURNED, Status.DISPATCHED, Status.IN_PROGRESS])
def test_the_office_designates_the_lead_of_a_difficult_order(status):
    state = apply(
        difficult_in(status),
        ev.Designate(at(10), unit="U3", co_units=("U1", "U2"), sign_by=at(12)),
    )
    assert state.status is Status.DISPATCHED
    assert state.designated
    assert state.lead == "U3"
    assert state.co_units == ("U1", "U2")
    assert state.sign_by == at(12)
    assert state.signed_at is None and state.deadline is None
    assert state.returned_from is None


def test_a_designated_order_can_no_longer_be_returned():
    state = apply(difficult_in(Status.RETURNED), ev.Designate(at(10), unit="U3"))
    with pytest.raises(ReturnNotAllowed):
        apply(state, ev.Return(at(11), unit="U3", reason="非本单位职责"))


# --- re-dispatch ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS])
def test_the_dispatcher_redispatches_an_order_not_yet_replied(status):
    state = apply(
        order_in(status), ev.Redispatch(at(10), unit="U3", co_units=("U2",), sign_by=at(12))
    )
    assert state.status is Status.DISPATCHED
    assert state.lead == "U3"
    assert state.co_units == ("U2",)
    assert state.sign_by == at(12)
    assert state.redispatches == 1
    assert state.signed_at is None and state.deadline is None
    assert state.returned_from is None
    assert not state.designated
    assert not state.first_dispatch_kept


def test_a_redispatch_drops_the_sub_unit_the_pause_and_a_pending_extension():
    state = replay(
        in_progress_log()
        + [
            ev.SubDispatch(at(10), unit="U1", sub_unit="U1-1"),
            ev.ExtensionRequest(at(11), unit="U1", until=LATER, reason="需协调"),
            ev.Pause(at(12), reason="等待市民补充材料"),
            ev.Redispatch(at(13), unit="U2"),
        ]
    )
    assert state.sub_unit is None
    assert state.paused_at is None
    assert state.extension_until is None


# --- consultation ---------------------------------------------------------------------


def test_only_a_difficult_order_goes_to_consultation():
    with pytest.raises(NotDifficult):
        apply(order_in(Status.IN_PROGRESS), ev.ConsultationOpen(at(10), note="职责争议"))


@pytest.mark.parametrize("status", [Status.RETURNED, Status.DISPATCHED, Status.IN_PROGRESS])
def test_a_consultation_stops_the_clock(status):
    state = apply(difficult_in(status), ev.ConsultationOpen(at(10), note="职责争议"))
    assert state.status is status
    assert state.consultation
    assert state.stopped_since == at(10) and state.paused_at is None


def test_a_consultation_on_a_paused_order_keeps_the_time_the_clock_stopped():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.Pause(at(10), reason="等待补充材料"))
    state = apply(state, ev.ConsultationOpen(at(11), note="职责争议"))
    assert state.stopped_since == at(10) and state.paused_at == at(10)


@pytest.mark.parametrize("status", [Status.RETURNED, Status.DISPATCHED, Status.IN_PROGRESS])
def test_closing_the_consultation_restarts_the_clock_with_the_new_deadline(status):
    state = apply(difficult_in(status), ev.ConsultationOpen(at(10), note="职责争议"))
    state = apply(state, ev.ConsultationClose(at(20), decision="由U2主办", deadline=LATER))
    assert state.status is status
    assert not state.consultation
    assert state.stopped_since is None
    assert state.deadline == LATER


def test_a_consultation_closed_without_a_new_deadline_keeps_the_old_one():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.ConsultationOpen(at(10), note="争议"))
    state = apply(state, ev.ConsultationClose(at(20), decision="由U2主办"))
    assert state.deadline == DEADLINE


def test_a_consultation_cannot_be_opened_twice():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.ConsultationOpen(at(10), note="争议"))
    with pytest.raises(ConsultationAlreadyOpen):
        apply(state, ev.ConsultationOpen(at(11), note="争议"))


def test_there_is_no_consultation_to_close_unless_one_is_open():
    with pytest.raises(NoConsultationOpen):
        apply(difficult_in(Status.IN_PROGRESS), ev.ConsultationClose(at(10), decision="由U2主办"))


def test_a_consultation_records_its_decision():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.ConsultationOpen(at(10), note="争议"))
    with pytest.raises(EmptyText):
        apply(state, ev.ConsultationClose(at(20), decision=""))


def test_resume_does_not_end_a_consultation():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.ConsultationOpen(at(10), note="争议"))
    with pytest.raises(OrderNotPaused):
        apply(state, ev.Resume(at(11), deadline=LATER))


def test_a_reply_waits_for_the_consultation_to_close():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.ConsultationOpen(at(10), note="争议"))
    with pytest.raises(OrderPaused):
        apply(state, ev.Reply(at(11), unit="U2", text="已处理"))


def test_an_order_in_consultation_cannot_be_reassigned_until_its_conclusion():
    state = apply(difficult_in(Status.RETURNED), ev.ConsultationOpen(at(10), note="职责争议"))
    with pytest.raises(ConsultationAlreadyOpen):
        apply(state, ev.Designate(at(11), unit="U3"))
    with pytest.raises(ConsultationAlreadyOpen):
        apply(state, ev.ReturnReview(at(11), decision=ReturnDecision.ACCEPT, unit="U3"))


def test_closing_a_consultation_keeps_an_earlier_pause_for_the_citizen():
    state = apply(difficult_in(Status.IN_PROGRESS), ev.Pause(at(10), reason="等待市民补充材料"))
    state = apply(state, ev.ConsultationOpen(at(11), note="职责争议"))
    state = apply(state, ev.ConsultationClose(at(12), decision="由U2主办", deadline=LATER))
    assert state.paused_at == at(10) and state.stopped_since == at(10)
    assert state.deadline != LATER  # the clock has not restarted yet
    state = apply(state, ev.Resume(at(13), deadline=LATER))
    assert state.stopped_since is None and state.deadline == LATER


def test_one_unit_returning_twice_is_not_a_mutual_return():
    state = order_in(Status.RETURNED)
    state = apply(state, ev.ReturnReview(at(10), decision=ReturnDecision.REFUSE))
    state = apply(state, ev.Return(at(11), unit=state.lead, reason="仍不属本单位职责"))
    assert len(state.returned_by) == 2 and not state.difficult


# --- extension ------------------------------------------------------------------------


def extension_asked() -> OrderState:
    return apply(
        order_in(Status.IN_PROGRESS),
        ev.ExtensionRequest(at(10), unit="U1", until=LATER, reason="需协调多部门"),
    )


def test_the_lead_asks_for_an_extension_to_a_later_date():
    state = extension_asked()
    assert state.status is Status.IN_PROGRESS
    assert state.extension_until == LATER
    assert state.deadline == DEADLINE
    assert state.extensions == 0


def test_a_granted_extension_moves_the_deadline_and_is_counted():
    state = apply(extension_asked(), ev.ExtensionDecide(at(11), ExtensionDecision.GRANTED))
    assert state.deadline == LATER
    assert state.extension_until is None
    assert state.extensions == 1


def test_a_refused_extension_leaves_the_deadline_and_is_not_counted():
    state = apply(extension_asked(), ev.ExtensionDecide(at(11), ExtensionDecision.REFUSED))
    assert state.deadline == DEADLINE
    assert state.extension_until is None
    assert state.extensions == 0


def test_an_extension_may_be_decided_after_the_reply_and_counts_for_on_time():
    state = apply(extension_asked(), ev.Reply(DEADLINE - timedelta(hours=1), unit="U1", text="办"))
    state = apply(
        state, ev.ExtensionDecide(DEADLINE + timedelta(hours=1), ExtensionDecision.GRANTED)
    )
    assert state.status is Status.REPLIED
    assert state.deadline == LATER and state.extensions == 1
    state = apply(state, ev.Review(state.last_at, decision=ReviewDecision.ACCEPT))
    assert state.on_time is True


def test_a_reply_after_the_deadline_stays_late_when_the_extension_is_granted_afterwards():
    # SPEC 4 (2026-12): an extension granted after the deadline does not erase the overdue.
    state = apply(extension_asked(), ev.Reply(DEADLINE + timedelta(hours=1), unit="U1", text="办"))
    state = apply(state, ev.ExtensionDecide(state.last_at, ExtensionDecision.GRANTED))
    assert state.deadline == LATER and state.overdue
    state = apply(state, ev.Review(state.last_at, decision=ReviewDecision.ACCEPT))
    assert state.on_time is False


def test_only_one_extension_request_may_be_pending():
    with pytest.raises(ExtensionPending):
        apply(
            extension_asked(),
            ev.ExtensionRequest(at(11), unit="U1", until=LATER + timedelta(days=1), reason="再延"),
        )


@pytest.mark.parametrize(
    "until", [DEADLINE, DEADLINE - timedelta(days=1), None], ids=["same", "earlier", "none"]
)
def test_the_extension_date_must_be_later_than_the_deadline(until):
    with pytest.raises(ExtensionNotLater):
        apply(
            order_in(Status.IN_PROGRESS),
            ev.ExtensionRequest(at(10), unit="U1", until=until, reason="需协调"),
        )


def test_an_extension_request_needs_a_reason():
    with pytest.raises(EmptyText):
        apply(
            order_in(Status.IN_PROGRESS),
            ev.ExtensionRequest(at(10), unit="U1", until=LATER, reason=""),
        )


def test_only_the_lead_asks_for_an_extension():
    with pytest.raises(NotLeadUnit):
        apply(
            order_in(Status.IN_PROGRESS),
            ev.ExtensionRequest(at(10), unit="U2", until=LATER, reason="需协调"),
        )


def test_there_is_no_extension_to_decide_unless_one_was_asked():
    with pytest.raises(NoExtensionPending):
        apply(order_in(Status.IN_PROGRESS), ev.ExtensionDecide(at(10), ExtensionDecision.GRANTED))


def test_an_accepted_reply_drops_a_pending_extension_request():
    state = apply(extension_asked(), ev.Reply(at(11), unit="U1", text="已处理"))
    state = apply(state, ev.Review(at(12), decision=ReviewDecision.ACCEPT))
    assert state.extension_until is None
    assert state.deadline == DEADLINE and state.extensions == 0


# --- pause and resume -----------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DISPATCHED, Status.IN_PROGRESS])
def test_a_pause_stops_the_clock(status):
    state = apply(order_in(status), ev.Pause(at(10), reason="等待市民补充材料"))
    assert state.status is status
    assert state.paused_at == at(10)


def test_a_pause_needs_a_reason():
    with pytest.raises(EmptyText):
        apply(order_in(Status.IN_PROGRESS), ev.Pause(at(10), reason=""))


def test_a_paused_order_cannot_be_paused_again():
    state = apply(order_in(Status.IN_PROGRESS), ev.Pause(at(10), reason="等待补充材料"))
    with pytest.raises(OrderPaused):
        apply(state, ev.Pause(at(11), reason="等待补充材料"))


@pytest.mark.parametrize("status", [Status.DISPATCHED, Status.IN_PROGRESS])
def test_resume_restarts_the_clock_with_the_moved_deadline(status):
    state = apply(order_in(status), ev.Pause(at(10), reason="等待市民补充材料"))
    state = apply(state, ev.Resume(at(20), deadline=LATER))
    assert state.status is status
    assert state.paused_at is None
    assert state.deadline == LATER


def test_resume_without_a_new_deadline_keeps_the_old_one():
    state = apply(order_in(Status.IN_PROGRESS), ev.Pause(at(10), reason="等待补充材料"))
    assert apply(state, ev.Resume(at(11))).deadline == DEADLINE


def test_resume_needs_a_pause():
    with pytest.raises(OrderNotPaused):
        apply(order_in(Status.IN_PROGRESS), ev.Resume(at(10), deadline=LATER))


def test_a_reply_while_paused_is_refused():
    state = apply(order_in(Status.IN_PROGRESS), ev.Pause(at(10), reason="等待市民补充材料"))
    with pytest.raises(OrderPaused):
        apply(state, ev.Reply(at(11), unit="U1", text="已处理"))


def test_a_returned_and_refused_order_keeps_its_pause():
    state = apply(order_in(Status.DISPATCHED), ev.Pause(at(10), reason="等待补充材料"))
    state = apply(state, ev.Return(at(11), unit="U1", reason="非本单位职责"))
    state = apply(state, ev.ReturnReview(at(12), decision=ReturnDecision.REFUSE))
    assert state.paused_at == at(10)


# --- sub-dispatch and joint handling --------------------------------------------------


def test_the_lead_passes_the_order_to_its_sub_unit_who_may_then_reply():
    state = apply(order_in(Status.IN_PROGRESS), ev.SubDispatch(at(10), unit="U1", sub_unit="U1-1"))
    assert state.status is Status.IN_PROGRESS
    assert state.sub_unit == "U1-1"
    state = apply(state, ev.Reply(at(11), unit="U1-1", text="街道已处理"))
    assert state.status is Status.REPLIED


@pytest.mark.parametrize("sub_unit", ["", "U1"], ids=["none", "itself"])
def test_a_sub_dispatch_names_another_unit(sub_unit):
    with pytest.raises(UnitRequired):
        apply(order_in(Status.IN_PROGRESS), ev.SubDispatch(at(10), unit="U1", sub_unit=sub_unit))


def test_only_the_lead_sub_dispatches():
    with pytest.raises(NotLeadUnit):
        apply(order_in(Status.IN_PROGRESS), ev.SubDispatch(at(10), unit="U2", sub_unit="U2-1"))


@pytest.mark.parametrize("status", [Status.DISPATCHED, Status.IN_PROGRESS])
def test_co_units_add_their_part_without_moving_the_order(status):
    log = dispatched_log(co_units=("U2",))
    if status is Status.IN_PROGRESS:
        log.append(ev.Sign(at(2), unit="U1", deadline=DEADLINE))
    before = replay(log)
    after = apply(before, ev.CoReply(at(10), unit="U2", text="已配合排查"))
    assert same_but_last_at(before, after, at(10))


@pytest.mark.parametrize("unit", ["U1", "U3"], ids=["the-lead", "a-stranger"])
def test_a_unit_that_is_not_a_co_unit_cannot_add_a_co_reply(unit):
    state = replay(in_progress_log(co_units=("U2",)))
    with pytest.raises(NotCoUnit):
        apply(state, ev.CoReply(at(10), unit=unit, text="已配合"))


def test_a_co_reply_needs_content():
    state = replay(in_progress_log(co_units=("U2",)))
    with pytest.raises(EmptyText):
        apply(state, ev.CoReply(at(10), unit="U2", text=" "))


# --- reply, review, on time -----------------------------------------------------------


def test_the_lead_replies_and_the_order_awaits_review():
    state = apply(order_in(Status.IN_PROGRESS), ev.Reply(at(10), unit="U1", text="已处理"))
    assert state.status is Status.REPLIED
    assert state.replied_at == at(10)
    assert state.concluded_at is None


def test_a_reply_needs_content():
    with pytest.raises(EmptyText):
        apply(order_in(Status.IN_PROGRESS), ev.Reply(at(10), unit="U1", text=" "))


def test_a_unit_that_is_not_the_lead_cannot_reply():
    state = replay(in_progress_log(co_units=("U2",)))
    with pytest.raises(NotLeadUnit):
        apply(state, ev.Reply(at(10), unit="U2", text="已处理"))


def test_an_accepted_reply_concludes_the_order():
    state = apply(order_in(Status.REPLIED), ev.Review(at(10), decision=ReviewDecision.ACCEPT))
    assert state.status is Status.CONCLUDED
    assert state.concluded_at == at(10)
    assert state.on_time is True
    assert state.is_concluded and state.is_open


@pytest.mark.parametrize(
    ("reply_at", "on_time"),
    [
        (DEADLINE - timedelta(hours=1), True),
        (DEADLINE, True),
        (DEADLINE + timedelta(seconds=1), False),
    ],
    ids=["before", "at-the-deadline", "one-second-late"],
)
def test_an_order_is_on_time_when_the_accepted_reply_came_by_the_deadline(reply_at, on_time):
    state = replay(replied_log(reply_at=reply_at))
    state = apply(state, ev.Review(reply_at, decision=ReviewDecision.ACCEPT))
    assert state.on_time is on_time


def test_review_rework_sends_the_order_back_counts_it_and_clears_the_conclusion():
    state = apply(
        order_in(Status.REPLIED),
        ev.Review(at(10), decision=ReviewDecision.REWORK, note="二传手式答复", deadline=LATER),
    )
    assert state.status is Status.IN_PROGRESS
    assert state.reworks == 1
    assert state.replied_at is None
    assert state.concluded_at is None and state.on_time is None
    assert state.deadline == LATER


def test_a_rework_without_a_new_deadline_keeps_the_old_one():
    state = apply(
        order_in(Status.REPLIED), ev.Review(at(10), decision=ReviewDecision.REWORK, note="空答复")
    )
    assert state.deadline == DEADLINE


def test_a_rework_at_review_says_why():
    with pytest.raises(EmptyText):
        apply(order_in(Status.REPLIED), ev.Review(at(10), decision=ReviewDecision.REWORK))


def test_the_whole_handling_path_from_dispatch_to_close():
    state = replay(
        registered_log()
        + [
            ev.Dispatch(at(1), unit="U1", co_units=("U2",), sign_by=at(3)),
            ev.Sign(at(2), unit="U1", deadline=DEADLINE),
            ev.CoReply(at(3), unit="U2", text="已配合"),
            ev.Reply(at(4), unit="U1", text="已处理"),
            ev.Review(at(5), decision=ReviewDecision.ACCEPT),
            ev.Callback(at(6), result=CallbackResult.BASICALLY_SATISFIED),
            ev.Close(at(7)),
        ]
    )
    assert state.status is Status.CLOSED
    assert state.disposition is Disposition.DISPATCHED
    assert state.signed_at == at(2)
    assert state.replied_at == at(4)
    assert state.concluded_at == at(5)
    assert state.callback is CallbackResult.BASICALLY_SATISFIED
    assert state.closed_at == at(7)
    assert state.on_time is True
    assert state.unsatisfied == 0
    assert state.first_dispatch_kept


@pytest.mark.parametrize(
    ("reply_at", "on_time"),
    [(at(4), True), (DEADLINE + timedelta(minutes=1), False)],
    ids=["on-time", "late"],
)
def test_a_close_straight_after_the_reply_concludes_it(reply_at, on_time):
    """Legacy histories have no review: the close concludes the order."""
    state = replay(replied_log(reply_at=reply_at))
    when = reply_at + timedelta(hours=1)
    state = apply(state, ev.Close(when))
    assert state.status is Status.CLOSED
    assert state.concluded_at == state.closed_at == when
    assert state.on_time is on_time


def test_a_close_drops_a_pending_extension_request():
    state = apply(extension_asked(), ev.Reply(at(11), unit="U1", text="已处理"))
    assert apply(state, ev.Close(at(12))).extension_until is None


def test_a_concluded_order_is_closed_and_keeps_its_conclusion():
    state = apply(order_in(Status.CONCLUDED), ev.Close(at(10)))
    assert state.status is Status.CLOSED
    assert state.closed_at == at(10)
    assert state.concluded_at == at(5)


def test_a_closed_order_refuses_further_handling():
    with pytest.raises(OrderClosed):
        apply(order_in(Status.CLOSED), ev.Reply(at(10), unit="U1", text="补充答复"))


# --- callback -------------------------------------------------------------------------


@pytest.mark.parametrize("result", list(CallbackResult))
def test_a_callback_records_the_citizens_answer(result):
    state = apply(order_in(Status.CONCLUDED), ev.Callback(at(10), result=result))
    assert state.status is Status.CONCLUDED
    assert state.callback is result
    unhappy = int(result is CallbackResult.UNSATISFIED)
    assert state.unsatisfied == state.appealable == unhappy


def test_an_unsatisfied_callback_with_rework_reopens_the_order():
    state = replay(unsatisfied_log())
    assert state.status is Status.IN_PROGRESS
    assert state.callback is CallbackResult.UNSATISFIED
    assert state.reworks == 1
    assert state.concluded_at is None and state.on_time is None and state.replied_at is None
    assert state.deadline == LATER
    assert state.unsatisfied == 1 and state.appealable == 1
    state = apply(state, ev.Reply(at(10), unit="U1", text="重新处理"))
    state = apply(state, ev.Review(at(11), decision=ReviewDecision.ACCEPT))
    assert state.status is Status.CONCLUDED and state.concluded_at == at(11)


@pytest.mark.parametrize(
    "result",
    [CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED, CallbackResult.UNREACHABLE],
)
def test_rework_needs_an_unsatisfied_callback(result):
    with pytest.raises(ReworkNeedsUnsatisfied):
        apply(order_in(Status.CONCLUDED), ev.Callback(at(10), result=result, rework=True))


def answered_at_intake() -> OrderState:
    return apply(order_in(Status.REGISTERED), ev.Answer(at(1), article="KB-0001"))


def test_an_order_answered_at_intake_is_called_back_after_closing():
    state = apply(answered_at_intake(), ev.Callback(at(10), result=CallbackResult.UNSATISFIED))
    assert state.status is Status.CLOSED
    assert state.callback is CallbackResult.UNSATISFIED
    assert state.unsatisfied == 1


def test_an_intake_answer_cannot_be_sent_for_rework():
    with pytest.raises(OrderClosed):
        apply(
            answered_at_intake(),
            ev.Callback(at(10), result=CallbackResult.UNSATISFIED, rework=True),
        )


@pytest.mark.parametrize(
    "closing",
    [ev.Reject(at(1)), ev.MarkHarassment(at(1)), ev.MarkInvalid(at(1))],
    ids=["rejected", "harassment", "invalid"],
)
def test_orders_not_accepted_are_never_called_back(closing):
    state = apply(order_in(Status.REGISTERED), closing)
    with pytest.raises(OrderClosed):
        apply(state, ev.Callback(at(10), result=CallbackResult.SATISFIED))


def test_a_handled_order_is_called_back_before_it_is_closed_not_after():
    with pytest.raises(OrderClosed):
        apply(order_in(Status.CLOSED), ev.Callback(at(10), result=CallbackResult.SATISFIED))


# --- spot check -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.CONCLUDED, Status.CLOSED])
def test_an_unsatisfied_spot_check_is_counted(status):
    state = apply(order_in(status), ev.SpotCheck(at(10), result=CallbackResult.UNSATISFIED))
    assert state.status is status
    assert state.callback is CallbackResult.UNSATISFIED
    assert state.unsatisfied == 1 and state.appealable == 1


def test_an_order_answered_at_intake_may_be_spot_checked():
    state = apply(answered_at_intake(), ev.SpotCheck(at(10), result=CallbackResult.SATISFIED))
    assert state.status is Status.CLOSED and state.callback is CallbackResult.SATISFIED


@pytest.mark.parametrize(
    "log",
    [registered_log() + [ev.Reject(at(1))], merged_log() + [ev.Close(at(2))]],
    ids=["rejected", "merged"],
)
def test_orders_neither_handled_nor_answered_are_not_spot_checked(log):
    with pytest.raises(OrderClosed):
        apply(replay(log), ev.SpotCheck(at(10), result=CallbackResult.SATISFIED))


# --- appeal ---------------------------------------------------------------------------


def test_an_appeal_needs_an_unsatisfied_result():
    state = apply(order_in(Status.CONCLUDED), ev.Callback(at(10), result=CallbackResult.SATISFIED))
    with pytest.raises(NothingToAppeal):
        apply(state, ev.Appeal(at(11), decision=AppealDecision.UPHELD, reason="诉求不合理"))


def test_an_upheld_appeal_is_counted():
    state = apply(
        order_in(Status.CONCLUDED), ev.Callback(at(10), result=CallbackResult.UNSATISFIED)
    )
    state = apply(state, ev.Appeal(at(11), decision=AppealDecision.UPHELD, reason="诉求不合理"))
    assert state.upheld_appeals == 1
    assert state.appealable == 0
    assert state.unsatisfied == 1  # the result stays on record; assessment subtracts upheld


def test_a_dismissed_appeal_uses_up_the_result_without_counting():
    state = apply(
        order_in(Status.CONCLUDED), ev.Callback(at(10), result=CallbackResult.UNSATISFIED)
    )
    state = apply(state, ev.Appeal(at(11), decision=AppealDecision.DISMISSED, reason="诉求不合理"))
    assert state.upheld_appeals == 0 and state.appealable == 0
    with pytest.raises(NothingToAppeal):
        apply(state, ev.Appeal(at(12), decision=AppealDecision.UPHELD, reason="再次申诉"))


def _appealable_in(status: Status) -> OrderState:
    """An order with one unsatisfied callback to appeal, in the given status."""
    more = {
        Status.IN_PROGRESS: [],
        Status.REPLIED: [ev.Reply(at(7), unit="U1", text="重新处理")],
        Status.DISPATCHED: [ev.Redispatch(at(7), unit="U2")],
        Status.RETURNED: [
            ev.Redispatch(at(7), unit="U2"),
            ev.Return(at(8), unit="U2", reason="非本单位职责"),
        ],
        Status.CONCLUDED: [
            ev.Reply(at(7), unit="U1", text="重新处理"),
            ev.Review(at(8), decision=ReviewDecision.ACCEPT),
        ],
        Status.CLOSED: [ev.Reply(at(7), unit="U1", text="重新处理"), ev.Close(at(8))],
    }[status]
    state = replay(unsatisfied_log() + more)
    assert state.status is status and state.appealable == 1
    return state


@pytest.mark.parametrize(
    "status",
    [
        Status.DISPATCHED,
        Status.RETURNED,
        Status.IN_PROGRESS,
        Status.REPLIED,
        Status.CONCLUDED,
        Status.CLOSED,
    ],
)
def test_an_appeal_is_taken_whatever_the_status_once_there_is_a_result_to_contest(status):
    state = apply(
        _appealable_in(status), ev.Appeal(at(10), decision=AppealDecision.UPHELD, reason="无理")
    )
    assert state.status is status
    assert state.upheld_appeals == 1 and state.appealable == 0


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.MERGED])
def test_an_order_never_called_back_has_nothing_to_appeal(status):
    with pytest.raises(NothingToAppeal):
        apply(order_in(status), ev.Appeal(at(10), decision=AppealDecision.UPHELD, reason="无理"))


# --- supervision and instructions -----------------------------------------------------


def test_supervision_keeps_the_strongest_level():
    state = order_in(Status.IN_PROGRESS)
    levels = [SupervisionLevel.NORMAL, SupervisionLevel.RED, SupervisionLevel.YELLOW]
    seen = []
    for hour, level in enumerate(levels, start=10):
        state = apply(state, ev.Supervise(at(hour), level=level, note="请加快办理"))
        seen.append(state.supervision)
    assert seen == [SupervisionLevel.NORMAL, SupervisionLevel.RED, SupervisionLevel.RED]


@pytest.mark.parametrize(
    "status", [Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS, Status.REPLIED]
)
def test_an_order_under_handling_can_be_supervised(status):
    state = apply(order_in(status), ev.Supervise(at(10), level=SupervisionLevel.YELLOW))
    assert state.status is status
    assert state.supervision is SupervisionLevel.YELLOW


@pytest.mark.parametrize("status", list(Status))
def test_a_leaders_instruction_attaches_in_any_status_including_closed(status):
    before = order_in(status)
    after = apply(before, ev.Instruct(at(10), text="请认真办理并反馈"))
    assert same_but_last_at(before, after, at(10))


def test_an_instruction_needs_text():
    with pytest.raises(EmptyText):
        apply(order_in(Status.CLOSED), ev.Instruct(at(10), text=""))
