"""The events of an order's life: one small immutable record per thing that happened.

Events carry every fact the rules need (units by code, deadlines already computed),
so that applying them is a pure function and replaying a log needs no calendar,
no settings and no database. ``to_data`` gives the JSON stored in the event log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AppealType,
    CallbackResult,
    ContactOutcome,
    ContactWay,
    CorrectionField,
    EmergencyService,
    ExtensionDecision,
    PauseDecision,
    RejectReason,
    ReturnDecision,
    ReviewDecision,
    Solved,
    SupervisionLevel,
    ViolationKind,
    ViolationOutcome,
)
from hotline.domain.serialization import from_json, to_json


@dataclass(frozen=True)
class Event:
    type: ClassVar[str] = ""
    label: ClassVar[str] = ""
    at: datetime

    def to_data(self) -> dict:
        """The event's own fields, JSON-ready, without ``type`` and ``at``."""
        return to_json(self, skip=_ENVELOPE)


_ENVELOPE = frozenset({"at"})


@dataclass(frozen=True)
class Register(Event):
    """``review``: an online order waiting for the operators' intake review (SPEC 3,
    2026-12), decided by the service from the channel."""

    type = "register"
    label = "登记"
    urgent: bool = False
    review: bool = False


@dataclass(frozen=True)
class Answer(Event):
    """``text``: the answer given online, sent back through the order's channel (the
    portal shows it, the API and Open311 carry it); a call's answer was spoken."""

    type = "answer"
    label = "当场答复"
    article: str = ""
    text: str = ""


@dataclass(frozen=True)
class Transfer(Event):
    """SPEC 3 (2026-12): an emergency transferred to 110/119/120/122 (three-way call),
    with the operator's note; the order closes, counted apart from 不予受理."""

    type = "transfer"
    label = "即时转办"
    to: EmergencyService = EmergencyService.POLICE
    note: str = ""


@dataclass(frozen=True)
class Classify(Event):
    """SPEC 3 (2026-12): the operator's intake review of an online order: its category,
    region and appeal type (codes), and the address when corrected ("": unchanged)."""

    type = "classify"
    label = "受理审核"
    category: str | None = None
    region: str | None = None
    appeal_type: AppealType | None = None
    address: str = ""


@dataclass(frozen=True)
class Reject(Event):
    type = "reject"
    label = "不予受理"
    reason: RejectReason = RejectReason.VAGUE


@dataclass(frozen=True)
class MarkHarassment(Event):
    type = "harassment"
    label = "骚扰来电"


@dataclass(frozen=True)
class MarkInvalid(Event):
    type = "invalid"
    label = "无效来电"


@dataclass(frozen=True)
class Merge(Event):
    type = "merge"
    label = "并单"
    into: str = ""


@dataclass(frozen=True)
class Split(Event):
    type = "split"
    label = "拆单"
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dispatch(Event):
    type = "dispatch"
    label = "转办"
    unit: str = ""
    co_units: tuple[str, ...] = ()
    sign_by: datetime | None = None


@dataclass(frozen=True)
class Redispatch(Event):
    type = "redispatch"
    label = "改派"
    unit: str = ""
    co_units: tuple[str, ...] = ()
    sign_by: datetime | None = None


@dataclass(frozen=True)
class Designate(Event):
    """The office names the lead of a difficult order; it can no longer be returned."""

    type = "designate"
    label = "指定承办"
    unit: str = ""
    co_units: tuple[str, ...] = ()
    sign_by: datetime | None = None


@dataclass(frozen=True)
class Sign(Event):
    type = "sign"
    label = "签收"
    unit: str = ""
    deadline: datetime | None = None
    # SPEC 5 response rate: the first contact is due by then (computed by the service
    # with the office's calendar; None in histories from before contacts were kept).
    respond_by: datetime | None = None


@dataclass(frozen=True)
class Return(Event):
    type = "return"
    label = "退单"
    unit: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ReturnReview(Event):
    type = "return_review"
    label = "退单审核"
    decision: ReturnDecision = ReturnDecision.REFUSE
    unit: str = ""
    co_units: tuple[str, ...] = ()
    sign_by: datetime | None = None


@dataclass(frozen=True)
class SubDispatch(Event):
    type = "sub_dispatch"
    label = "二级派单"
    unit: str = ""
    sub_unit: str = ""


@dataclass(frozen=True)
class ExtensionRequest(Event):
    type = "extension_request"
    label = "申请延期"
    unit: str = ""
    until: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class ExtensionDecide(Event):
    type = "extension_decision"
    label = "延期审批"
    decision: ExtensionDecision = ExtensionDecision.REFUSED


@dataclass(frozen=True)
class Pause(Event):
    """Stops the clock. ``unit`` is the unit pausing ("" the office); ``until`` the
    planned end; ``approval`` says the planned pause is longer than the office allows
    without approval (computed by the service): it is then a request, and the clock
    runs until the supervisor grants it (SPEC 4, 2026-12)."""

    type = "pause"
    label = "暂停计时"
    reason: str = ""
    unit: str = ""
    until: datetime | None = None
    approval: bool = False


@dataclass(frozen=True)
class Resume(Event):
    """Restarts the clock; ``deadline`` is the deadline moved by the paused time;
    ``unit`` the unit resuming ("" the office)."""

    type = "resume"
    label = "恢复计时"
    deadline: datetime | None = None
    unit: str = ""


@dataclass(frozen=True)
class ConsultationOpen(Event):
    type = "consultation_open"
    label = "发起会商"
    note: str = ""


@dataclass(frozen=True)
class ConsultationClose(Event):
    type = "consultation_close"
    label = "会商结论"
    decision: str = ""
    deadline: datetime | None = None


@dataclass(frozen=True)
class Reply(Event):
    type = "reply"
    label = "答复"
    unit: str = ""
    text: str = ""
    contacted: bool = True
    # SPEC 6: the unit says whether the problem is resolved; None when not said (old data).
    resolved: bool | None = None


@dataclass(frozen=True)
class CoReply(Event):
    type = "co_reply"
    label = "协办意见"
    unit: str = ""
    text: str = ""


@dataclass(frozen=True)
class Review(Event):
    type = "review"
    label = "答复审核"
    decision: ReviewDecision = ReviewDecision.ACCEPT
    note: str = ""
    deadline: datetime | None = None


@dataclass(frozen=True)
class Callback(Event):
    type = "callback"
    label = "回访"
    result: CallbackResult = CallbackResult.SATISFIED
    rework: bool = False
    pressured: bool = False
    leaked: bool = False
    deadline: datetime | None = None
    # SPEC 4 (2026-12): 问题是否解决, whether the unit contacted the citizen, the agent's
    # note; None / empty when not asked (callbacks recorded before these questions).
    solved: Solved | None = None
    unit_contacted: bool | None = None
    note: str = ""


@dataclass(frozen=True)
class CallbackAssign(Event):
    """The callback agent who is to make the order's awaited callback (回访分配), by user
    name; "" releases it back to the unassigned. The callback, or closing, ends it."""

    type = "callback_assign"
    label = "回访分配"
    agent: str = ""


@dataclass(frozen=True)
class SpotCheck(Event):
    type = "spot_check"
    label = "抽查"
    result: CallbackResult = CallbackResult.SATISFIED


@dataclass(frozen=True)
class Appeal(Event):
    type = "appeal"
    label = "申诉"
    decision: AppealDecision = AppealDecision.DISMISSED
    reason: str = ""


@dataclass(frozen=True)
class Supervise(Event):
    type = "supervision"
    label = "督办"
    level: SupervisionLevel = SupervisionLevel.NORMAL
    note: str = ""
    # SPEC 4 (2026-12): the unit must answer by then; None (older histories) asks no answer.
    deadline: datetime | None = None


@dataclass(frozen=True)
class Instruct(Event):
    type = "instruction"
    label = "领导批示"
    text: str = ""


@dataclass(frozen=True)
class Close(Event):
    type = "close"
    label = "归档"


@dataclass(frozen=True)
class Recalendar(Event):
    """SPEC 4 (2026-12): the year's official schedule was entered, and the deadlines
    counted on its provisional calendar were counted again (old → new; None: unchanged)."""

    type = "recalendar"
    label = "节假日安排录入"
    year: int = 0
    old_sign_by: datetime | None = None
    sign_by: datetime | None = None
    old_deadline: datetime | None = None
    deadline: datetime | None = None


@dataclass(frozen=True)
class SupervisionReply(Event):
    """SPEC 4 (2026-12): the supervised unit's answer to the supervision (督办回复)."""

    type = "supervision_reply"
    label = "督办回复"
    unit: str = ""
    text: str = ""


@dataclass(frozen=True)
class SupervisionEscalate(Event):
    """SPEC 4 (2026-12): an unanswered supervision whose deadline passed goes up a level
    (``level`` with its new ``deadline``), and past red to the unit's leader (``leader``)."""

    type = "supervision_escalation"
    label = "督办升级"
    level: SupervisionLevel = SupervisionLevel.YELLOW
    leader: bool = False
    unit: str = ""
    deadline: datetime | None = None


@dataclass(frozen=True)
class AppealFile(Event):
    """SPEC 4 (2026-12): the lead unit contests an unsatisfied callback; the office's
    ``Appeal`` decision settles the oldest filing still pending."""

    type = "appeal_file"
    label = "提交申诉"
    unit: str = ""
    kind: AppealKind = AppealKind.OTHER
    reason: str = ""


@dataclass(frozen=True)
class RecordViolation(Event):
    """SPEC 6 (2026-12): a violation the office records on a unit for this order."""

    type = "violation"
    label = "记录违规"
    kind: ViolationKind = ViolationKind.OTHER
    unit: str = ""
    outcome: ViolationOutcome | None = None
    note: str = ""


@dataclass(frozen=True)
class DecideViolation(Event):
    """SPEC 6 (2026-12): the supervisor's outcome for the unit's violation of ``kind``."""

    type = "violation_outcome"
    label = "违规处理"
    kind: ViolationKind = ViolationKind.OTHER
    unit: str = ""
    outcome: ViolationOutcome = ViolationOutcome.CRITICISM


@dataclass(frozen=True)
class PauseDecide(Event):
    """The supervisor grants or refuses a pause that needs approval; granted, the
    clock stops from this moment until the unit resumes it."""

    type = "pause_decision"
    label = "暂停审批"
    decision: PauseDecision = PauseDecision.REFUSED


@dataclass(frozen=True)
class Contact(Event):
    """A unit's contact with the citizen (SPEC 4, 2026-12); ``at`` is when it happened."""

    type = "contact"
    label = "联系诉求人"
    unit: str = ""
    way: ContactWay = ContactWay.PHONE
    outcome: ContactOutcome = ContactOutcome.REACHED


@dataclass(frozen=True)
class ThreeWayRequest(Event):
    """SPEC 4 (2026-12): a unit on a confidential order asks the hotline to connect it
    with the citizen (三方通话), whose identity it never sees."""

    type = "three_way_request"
    label = "申请三方通话"
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class ThreeWayCall(Event):
    """The hotline connected the unit's request (``at`` when the call was made); it is
    the unit's contact with the citizen."""

    type = "three_way_call"
    label = "三方通话"
    unit: str = ""
    outcome: ContactOutcome = ContactOutcome.REACHED


@dataclass(frozen=True)
class Correct(Event):
    """SPEC 3 (2026-12): one field of the order corrected, with the value it had and the
    reason; categories and regions by code, appeal types and urgency by name.

    A correction of the urgency, or of an appeal type or category that changes the
    reply's working days, carries the clock it sets, computed by the service
    (``domain.correction.corrected_clock``): the sign-for and reply deadlines before and
    after (None: none, or unchanged) and whether the order stays overdue (None: the
    correction moved no clock)."""

    type = "correct"
    label = "工单修正"
    field: CorrectionField = CorrectionField.SUMMARY
    old: str = ""
    value: str = ""
    reason: str = ""
    old_sign_by: datetime | None = None
    sign_by: datetime | None = None
    old_deadline: datetime | None = None
    deadline: datetime | None = None
    overdue: bool | None = None

    def to_data(self) -> dict:
        # The clock only where the correction set one: other corrections stay as short
        # as they were stored before urgency moved the deadlines.
        data = super().to_data()
        for name in _CORRECTED_CLOCK:
            if data[name] is None:
                del data[name]
        return data


_CORRECTED_CLOCK = ("old_sign_by", "sign_by", "old_deadline", "deadline", "overdue")


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        Register,
        Answer,
        Transfer,
        Classify,
        Reject,
        MarkHarassment,
        MarkInvalid,
        Merge,
        Split,
        Dispatch,
        Redispatch,
        Designate,
        Sign,
        Return,
        ReturnReview,
        SubDispatch,
        ExtensionRequest,
        ExtensionDecide,
        Pause,
        Resume,
        ConsultationOpen,
        ConsultationClose,
        Reply,
        CoReply,
        Review,
        Callback,
        CallbackAssign,
        SpotCheck,
        Appeal,
        Supervise,
        Instruct,
        Close,
        Recalendar,
        AppealFile,
        SupervisionReply,
        SupervisionEscalate,
        RecordViolation,
        DecideViolation,
        PauseDecide,
        Contact,
        ThreeWayRequest,
        ThreeWayCall,
        Correct,
    )
}


def event_from_data(type_: str, at: datetime, data: dict) -> Event:
    """Rebuilds an event from its stored form (the inverse of ``to_data``)."""
    return from_json(EVENT_TYPES[type_], data, at=at)
