"""The order state machine of SPEC 4.

``apply(state, event)`` returns the next state or raises a named refusal; ``replay``
folds a whole log. Live work, history import and audit all go through these two
functions, so an imported history is exactly what live work would have produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from hotline.domain import events as ev
from hotline.domain.enums import (
    AppealDecision,
    AppealType,
    CallbackResult,
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
    Urgency,
)
from hotline.domain.errors import DomainError

# SPEC 4: units returning the same order to each other (互相回退) twice or more make it
# difficult: two returns, by at least two different units.
RETURNS_FOR_DIFFICULT = 2

HANDLING = frozenset({Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS, Status.REPLIED})
TERMINAL = frozenset({Status.CLOSED})


# --- refusals -------------------------------------------------------------------------


class LifecycleError(DomainError):
    code = "lifecycle_error"


class InvalidTransition(LifecycleError):
    code = "invalid_transition"

    def __init__(self, event: ev.Event, status: Status | None):
        where = status.label if status else "未登记"
        super().__init__(f"工单当前状态为「{where}」，不能执行「{event.label}」")
        self.event_type = event.type
        self.status = status


class OrderClosed(InvalidTransition):
    code = "order_closed"


class AlreadyRegistered(LifecycleError):
    code = "already_registered"


class EventOutOfOrder(LifecycleError):
    code = "event_out_of_order"


class NotLeadUnit(LifecycleError):
    code = "not_lead_unit"


class NotCoUnit(LifecycleError):
    code = "not_co_unit"


class UnitRequired(LifecycleError):
    code = "unit_required"


class SameUnit(LifecycleError):
    code = "same_unit"


class ReturnNotAllowed(LifecycleError):
    code = "return_not_allowed"


class NotDifficult(LifecycleError):
    code = "not_difficult"


class ExtensionPending(LifecycleError):
    code = "extension_pending"


class NoExtensionPending(LifecycleError):
    code = "no_extension_pending"


class ExtensionNotLater(LifecycleError):
    code = "extension_not_later"


class OrderPaused(LifecycleError):
    code = "order_paused"


class OrderNotPaused(LifecycleError):
    code = "order_not_paused"


class PausePending(LifecycleError):
    code = "pause_pending"


class NoPausePending(LifecycleError):
    code = "no_pause_pending"


class PauseNotLater(LifecycleError):
    code = "pause_not_later"


class ConsultationAlreadyOpen(LifecycleError):
    code = "consultation_open"


class NoConsultationOpen(LifecycleError):
    code = "no_consultation_open"


class ReworkNeedsUnsatisfied(LifecycleError):
    code = "rework_needs_unsatisfied"


class NothingToAppeal(LifecycleError):
    code = "nothing_to_appeal"


class AppealAlreadyFiled(LifecycleError):
    code = "appeal_already_filed"


class DeadlineRequired(LifecycleError):
    code = "deadline_required"


class EmptyText(LifecycleError):
    code = "empty_text"


class NoSupervisionAwaiting(LifecycleError):
    code = "no_supervision_awaiting"


class NotSupervisedUnit(LifecycleError):
    code = "not_supervised_unit"


class InvalidSplit(LifecycleError):
    code = "invalid_split"


class EmptyHistory(LifecycleError):
    code = "empty_history"


class NotAssignedUnit(LifecycleError):
    code = "not_assigned_unit"


class ThreeWayPending(LifecycleError):
    code = "three_way_pending"


class NoThreeWayPending(LifecycleError):
    code = "no_three_way_pending"


class InvalidCorrection(LifecycleError):
    code = "invalid_correction"


class ClassificationRequired(LifecycleError):
    code = "classification_required"


class NotInReview(LifecycleError):
    code = "not_in_review"


class CallbackAgentUnchanged(LifecycleError):
    code = "callback_agent_unchanged"


# --- state ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderState:
    status: Status
    registered_at: datetime
    last_at: datetime
    urgent: bool = False
    disposition: Disposition | None = None
    reject_reason: RejectReason | None = None
    lead: str | None = None
    co_units: tuple[str, ...] = ()
    sub_unit: str | None = None
    sign_by: datetime | None = None
    signed_at: datetime | None = None
    deadline: datetime | None = None
    paused_at: datetime | None = None  # waiting for the citizen's material
    consultation: bool = False
    stopped_since: datetime | None = None  # the clock stands still (pause or consultation)
    extension_until: datetime | None = None  # a pending request
    extensions: int = 0  # granted
    returned_by: tuple[str, ...] = ()  # every return, in order
    returned_from: Status | None = None
    difficult: bool = False
    designated: bool = False
    redispatches: int = 0
    replied_at: datetime | None = None
    reworks: int = 0
    concluded_at: datetime | None = None
    on_time: bool | None = None
    callback: CallbackResult | None = None
    unsatisfied: int = 0  # unsatisfied callbacks and spot checks
    appealable: int = 0  # of those, not yet appealed
    upheld_appeals: int = 0
    supervision: SupervisionLevel | None = None
    merged_into: str | None = None
    split_into: tuple[str, ...] = ()
    closed_at: datetime | None = None
    appeals_filed: int = 0  # SPEC 4 (2026-12): filings by the unit awaiting a decision
    # SPEC 4 (2026-12): the unit owing an answer to the latest supervision, by when (None
    # once the unit's leader has been told), and whether the leader has been told.
    supervision_unit: str | None = None
    supervision_due: datetime | None = None
    supervision_leader: bool = False
    # SPEC 4 (2026-12): the deadline in force passed while the order was handled with
    # its clock running; no later extension, pause or consultation takes it back.
    overdue: bool = False
    pause_request: datetime | None = None  # planned end of a pause awaiting approval
    pause_until: datetime | None = None  # planned end of the pause in force
    respond_by: datetime | None = None  # SPEC 5: first contact due by (set at sign-for)
    reply_resolved: bool | None = None  # SPEC 6: the latest reply said resolved
    # SPEC 4 (2026-12): units waiting for the hotline's three-way call with the citizen.
    three_way_pending: tuple[str, ...] = ()
    # SPEC 3 (2026-12): the corrected summary, beside the citizen's own words.
    summary: str = ""

    # SPEC 3 (2026-12): an online order awaiting the operators' intake review, and the
    # service an emergency was transferred to.
    in_review: bool = False
    transferred_to: EmergencyService | None = None
    # The callback agent (user name) to make the awaited callback; "" for the team's
    # shared queue.
    callback_agent: str = ""

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    @property
    def is_concluded(self) -> bool:
        return self.concluded_at is not None

    @property
    def first_dispatch_kept(self) -> bool:
        """SPEC 10: first dispatch was right when never returned nor re-dispatched."""
        return not self.returned_by and self.redispatches == 0


_FIELDS = frozenset(f.name for f in fields(OrderState))


def replace(state: OrderState, **changes) -> OrderState:
    """``dataclasses.replace`` without re-running ``__init__``: the state machine makes
    a new state per event, millions of times in a history import."""
    assert changes.keys() <= _FIELDS, changes.keys() - _FIELDS
    new = object.__new__(OrderState)
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new


# --- rules ----------------------------------------------------------------------------

Handler = Callable[[OrderState, ev.Event], OrderState]
_RULES: dict[type[ev.Event], tuple[frozenset[Status], Handler]] = {}


def _rule(event_type: type[ev.Event], *statuses: Status):
    def register(handler: Handler) -> Handler:
        _RULES[event_type] = (frozenset(statuses), handler)
        return handler

    return register


def _require_lead(state: OrderState, unit: str) -> None:
    if unit != state.lead:
        raise NotLeadUnit(f"「{unit}」不是该工单的主办单位，不能办理此操作")


def _require_text(text: str, what: str) -> None:
    if not text or not text.strip():
        raise EmptyText(f"{what}不能为空")


def _require_clock_keeper(state: OrderState, unit: str) -> None:
    """SPEC 4 (2026-12): only the lead (or the sub-unit handling for it) stops and
    restarts the clock; "" is the office itself."""
    if unit and unit not in (state.lead, state.sub_unit):
        raise NotLeadUnit(f"「{unit}」不是该工单的主办单位，只有主办单位可以暂停或恢复计时")


def _require_not_paused(state: OrderState) -> None:
    if state.stopped_since is not None:
        raise OrderPaused("工单处于暂停计时状态，请先恢复计时或记录会商结论")


def _restart_if_idle(state: OrderState, deadline: datetime | None) -> OrderState:
    """SPEC 4: the clock stops while paused or in consultation; it runs again, with the
    deadline moved by the stopped time, only when neither holds any longer."""
    if state.paused_at is not None or state.consultation:
        return state
    return replace(state, stopped_since=None, deadline=deadline or state.deadline)


def _assign(state: OrderState, event, *, designated: bool) -> OrderState:
    if not event.unit:
        raise UnitRequired("请指定主办单位")
    if event.unit in event.co_units:
        raise SameUnit("主办单位不能同时作为协办单位")
    if state.consultation:
        raise ConsultationAlreadyOpen("会商进行中，请先记录会商结论")
    return replace(
        state,
        status=Status.DISPATCHED,
        disposition=Disposition.DISPATCHED,
        lead=event.unit,
        co_units=tuple(event.co_units),
        sub_unit=None,
        sign_by=event.sign_by,
        signed_at=None,
        respond_by=None,
        deadline=None,
        paused_at=None,
        stopped_since=None,
        extension_until=None,
        pause_request=None,
        pause_until=None,
        overdue=False,  # a new lead gets a fresh clock
        returned_from=None,
        designated=state.designated or designated,
        in_review=False,
    )


def _close_at_intake(state: OrderState, event: ev.Event, disposition: Disposition) -> OrderState:
    return replace(
        state, status=Status.CLOSED, disposition=disposition, closed_at=event.at, in_review=False
    )


@_rule(ev.Transfer, Status.REGISTERED)
def _transfer(state, event):
    _require_text(event.note, "转办说明")
    return replace(_close_at_intake(state, event, Disposition.TRANSFERRED), transferred_to=event.to)


@_rule(ev.Classify, Status.REGISTERED)
def _classify(state, event):
    # Later changes to a reviewed order are corrections, not a second review.
    if not state.in_review:
        raise NotInReview("该工单不在受理审核队列中")
    if not (event.category and event.region and event.appeal_type):
        raise ClassificationRequired("受理审核须确定事项分类、区域和诉求类型")
    return replace(state, in_review=False)


@_rule(ev.Answer, Status.REGISTERED)
def _answer(state, event):
    return _close_at_intake(state, event, Disposition.ANSWERED)


@_rule(ev.Reject, Status.REGISTERED)
def _reject(state, event):
    return replace(_close_at_intake(state, event, Disposition.REJECTED), reject_reason=event.reason)


@_rule(ev.MarkHarassment, Status.REGISTERED)
def _harassment(state, event):
    return _close_at_intake(state, event, Disposition.HARASSMENT)


@_rule(ev.MarkInvalid, Status.REGISTERED)
def _invalid(state, event):
    return _close_at_intake(state, event, Disposition.INVALID)


@_rule(ev.Merge, Status.REGISTERED)
def _merge(state, event):
    if not event.into:
        raise UnitRequired("请指定并入的工单")
    return replace(
        state,
        status=Status.MERGED,
        disposition=Disposition.MERGED,
        merged_into=event.into,
        in_review=False,
    )


@_rule(ev.Split, Status.REGISTERED)
def _split(state, event):
    parts = state.split_into + tuple(event.parts)
    if not event.parts or len(set(parts)) != len(parts):
        raise InvalidSplit("拆单须列出拆出的工单且不能重复")
    return replace(state, split_into=state.split_into + tuple(event.parts))


@_rule(ev.Dispatch, Status.REGISTERED)
def _dispatch(state, event):
    return _assign(state, event, designated=False)


@_rule(ev.Redispatch, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS)
def _redispatch(state, event):
    new = _assign(state, event, designated=False)
    return replace(new, redispatches=state.redispatches + 1)


@_rule(ev.Designate, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS)
def _designate(state, event):
    if not state.difficult:
        raise NotDifficult("只有疑难工单才能由热线办指定承办单位")
    return _assign(state, event, designated=True)


@_rule(ev.Sign, Status.DISPATCHED)
def _sign(state, event):
    _require_lead(state, event.unit)
    if event.deadline is None:
        raise DeadlineRequired("签收时必须确定办理时限")
    return replace(
        state,
        status=Status.IN_PROGRESS,
        signed_at=event.at,
        deadline=event.deadline,
        respond_by=event.respond_by,
    )


@_rule(ev.Return, Status.DISPATCHED)
def _return(state, event):
    _require_lead(state, event.unit)
    _require_text(event.reason, "退单理由")
    if state.designated:
        raise ReturnNotAllowed("该工单已由热线办指定承办，不能再退单")
    returned_by = state.returned_by + (event.unit,)
    return replace(
        state,
        status=Status.RETURNED,
        returned_by=returned_by,
        returned_from=state.status,
        difficult=state.difficult
        or (len(returned_by) >= RETURNS_FOR_DIFFICULT and len(set(returned_by)) >= 2),
    )


@_rule(ev.ReturnReview, Status.RETURNED)
def _return_review(state, event):
    if event.decision is ReturnDecision.REFUSE:
        return replace(state, status=state.returned_from or Status.DISPATCHED, returned_from=None)
    if event.unit == state.returned_by[-1]:
        raise SameUnit("同意退单时须改派给其他单位")
    new = _assign(state, event, designated=False)
    return replace(new, redispatches=state.redispatches + 1)


@_rule(ev.SubDispatch, Status.IN_PROGRESS)
def _sub_dispatch(state, event):
    _require_lead(state, event.unit)
    if not event.sub_unit or event.sub_unit == event.unit:
        raise UnitRequired("请指定下级承办单位")
    return replace(state, sub_unit=event.sub_unit)


@_rule(ev.ExtensionRequest, Status.IN_PROGRESS)
def _extension_request(state, event):
    _require_lead(state, event.unit)
    _require_text(event.reason, "延期理由")
    if state.extension_until is not None:
        raise ExtensionPending("已有延期申请在审批中")
    if event.until is None or (state.deadline and event.until <= state.deadline):
        raise ExtensionNotLater("申请的办理期限必须晚于当前期限")
    return replace(state, extension_until=event.until)


@_rule(ev.ExtensionDecide, Status.IN_PROGRESS, Status.REPLIED)
def _extension_decision(state, event):
    if state.extension_until is None:
        raise NoExtensionPending("没有待审批的延期申请")
    if event.decision is ExtensionDecision.GRANTED:
        return replace(
            state,
            deadline=state.extension_until,
            extension_until=None,
            extensions=state.extensions + 1,
        )
    return replace(state, extension_until=None)


def _stop_clock(state: OrderState, at: datetime, until: datetime | None) -> OrderState:
    return replace(state, paused_at=at, pause_until=until, stopped_since=state.stopped_since or at)


@_rule(ev.Pause, Status.DISPATCHED, Status.IN_PROGRESS)
def _pause(state, event):
    _require_clock_keeper(state, event.unit)
    _require_text(event.reason, "暂停理由")
    if state.paused_at is not None:
        raise OrderPaused("工单已处于暂停计时状态")
    if state.pause_request is not None:
        raise PausePending("已有暂停计时申请在审批中")
    if event.until is not None and event.until <= event.at:
        raise PauseNotLater("计划恢复计时的时间必须晚于暂停时间")
    if event.approval:
        if event.until is None:
            raise DeadlineRequired("需审批的暂停计时须写明计划恢复日期")
        # SPEC 4 (2026-12): a long pause is a request; the clock runs until it is granted.
        return replace(state, pause_request=event.until)
    return _stop_clock(state, event.at, event.until)


@_rule(ev.PauseDecide, Status.DISPATCHED, Status.IN_PROGRESS)
def _pause_decision(state, event):
    if state.pause_request is None:
        raise NoPausePending("没有待审批的暂停计时申请")
    if event.decision is PauseDecision.GRANTED:
        return _stop_clock(replace(state, pause_request=None), event.at, state.pause_request)
    return replace(state, pause_request=None)


@_rule(ev.Resume, Status.DISPATCHED, Status.IN_PROGRESS)
def _resume(state, event):
    _require_clock_keeper(state, event.unit)
    if state.paused_at is None:
        raise OrderNotPaused("工单没有可恢复的暂停")
    return _restart_if_idle(replace(state, paused_at=None, pause_until=None), event.deadline)


@_rule(ev.ConsultationOpen, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS)
def _consultation_open(state, event):
    if not state.difficult:
        raise NotDifficult("只有疑难工单才能发起会商")
    if state.consultation:
        raise ConsultationAlreadyOpen("会商已在进行中")
    return replace(state, consultation=True, stopped_since=state.stopped_since or event.at)


@_rule(ev.ConsultationClose, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS)
def _consultation_close(state, event):
    if not state.consultation:
        raise NoConsultationOpen("没有进行中的会商")
    _require_text(event.decision, "会商结论")
    return _restart_if_idle(replace(state, consultation=False), event.deadline)


@_rule(ev.Reply, Status.IN_PROGRESS)
def _reply(state, event):
    if event.unit not in (state.lead, state.sub_unit):
        raise NotLeadUnit(f"「{event.unit}」不是该工单的主办单位，不能答复")
    _require_text(event.text, "答复内容")
    _require_not_paused(state)
    # A pause asked for and not yet decided is moot once the unit has replied.
    return replace(
        state,
        status=Status.REPLIED,
        replied_at=event.at,
        pause_request=None,
        reply_resolved=event.resolved,
    )


@_rule(ev.CoReply, Status.DISPATCHED, Status.IN_PROGRESS)
def _co_reply(state, event):
    if event.unit not in state.co_units:
        raise NotCoUnit(f"「{event.unit}」不是该工单的协办单位")
    _require_text(event.text, "协办意见")
    return state


def _rework(state: OrderState, deadline: datetime | None) -> OrderState:
    return replace(
        state,
        status=Status.IN_PROGRESS,
        reworks=state.reworks + 1,
        concluded_at=None,
        on_time=None,
        replied_at=None,
        deadline=deadline or state.deadline,
        overdue=False,  # rework is a fresh handling period (SPEC 4)
    )


@_rule(ev.Review, Status.REPLIED)
def _review(state, event):
    if event.decision is ReviewDecision.REWORK:
        _require_text(event.note, "返工意见")
        return _rework(state, event.deadline)
    return replace(
        state,
        status=Status.CONCLUDED,
        concluded_at=event.at,
        on_time=_in_time(state),
        extension_until=None,
    )


def _in_time(state: OrderState) -> bool:
    # SPEC 7: on time when the accepted reply came at or before the deadline in force;
    # SPEC 4 (2026-12): never when that deadline passed earlier, whatever moved it since.
    if state.overdue:
        return False
    replied_at, deadline = state.replied_at, state.deadline
    return deadline is None or (replied_at is not None and replied_at <= deadline)


def _record_result(state: OrderState, result: CallbackResult) -> OrderState:
    unhappy = int(result is CallbackResult.UNSATISFIED)
    return replace(
        state,
        callback=result,
        unsatisfied=state.unsatisfied + unhappy,
        appealable=state.appealable + unhappy,
    )


class MergedRework(LifecycleError):
    code = "merged_rework"


@_rule(ev.Callback, Status.CONCLUDED, Status.CLOSED, Status.MERGED)
def _callback(state, event):
    if state.status is Status.CLOSED and state.disposition is not Disposition.ANSWERED:
        # Callbacks on closed orders exist only for those answered at intake (SPEC 4 scope).
        raise OrderClosed(event, state.status)
    if state.status is Status.MERGED and event.rework:
        # SPEC 3 (2026-12): each merged caller is called back with the main order's
        # reply; sending the matter back is done on the main order.
        raise MergedRework("并单工单随主工单办理，不能单独返工，请在主工单上处理")
    # The callback made ends its assignment: a later one (after a rework) is assigned anew.
    state = replace(state, callback_agent="")
    if event.rework:
        if event.result is not CallbackResult.UNSATISFIED:
            raise ReworkNeedsUnsatisfied("只有回访不满意的工单才能返工")
        if state.status is Status.CLOSED:
            raise OrderClosed(event, state.status)
        return _rework(_record_result(state, event.result), event.deadline)
    return _record_result(state, event.result)


@_rule(ev.CallbackAssign, Status.CONCLUDED, Status.MERGED)
def _callback_assign(state, event):
    """A concluded order, or a merged caller, awaiting its callback; whether the callback
    is still awaited (not made since the conclusion) the service asks of the records."""
    if event.agent == state.callback_agent:
        raise CallbackAgentUnchanged(
            "该工单已分配给这位回访员" if event.agent else "该工单尚未分配回访员，无需退回"
        )
    return replace(state, callback_agent=event.agent)


@_rule(ev.SpotCheck, Status.CONCLUDED, Status.CLOSED)
def _spot_check(state, event):
    if state.disposition not in (Disposition.DISPATCHED, Disposition.ANSWERED):
        raise OrderClosed(event, state.status)
    return _record_result(state, event.result)


@_rule(ev.Appeal, *Status)
def _appeal(state, event):
    if state.appealable == 0:
        raise NothingToAppeal("该工单没有可申诉的不满意评价")
    upheld = int(event.decision is AppealDecision.UPHELD)
    return replace(
        state,
        appealable=state.appealable - 1,
        upheld_appeals=state.upheld_appeals + upheld,
        appeals_filed=max(0, state.appeals_filed - 1),
    )


@_rule(ev.AppealFile, *Status)
def _appeal_file(state, event):
    """SPEC 4 (2026-12): the lead unit files one appeal per unsatisfied result; a result
    already appealed — pending or decided — cannot be appealed again."""
    if event.unit != state.lead:
        raise NotLeadUnit(f"「{event.unit}」不是该工单的主办单位，不能申诉")
    if state.appealable == 0:
        raise NothingToAppeal("该工单没有可申诉的不满意评价")
    if state.appealable - state.appeals_filed <= 0:
        raise AppealAlreadyFiled("该不满意评价已提出申诉，不能重复申诉")
    _require_text(event.reason, "申诉理由")
    return replace(state, appeals_filed=state.appeals_filed + 1)


@_rule(ev.Supervise, *HANDLING)
def _supervise(state, event):
    stronger = _stronger(state.supervision, event.level)
    if event.deadline is None:  # older histories: a supervision that asked no answer
        return replace(state, supervision=stronger)
    return replace(
        state,
        supervision=stronger,
        supervision_unit=state.lead,
        supervision_due=event.deadline,
        supervision_leader=False,
    )


def _require_awaiting(state: OrderState) -> None:
    if state.supervision_unit is None:
        raise NoSupervisionAwaiting("该工单没有待回复的督办")


@_rule(ev.SupervisionReply, *HANDLING, Status.CONCLUDED)
def _supervision_reply(state, event):
    # SPEC 4 (2026-12): only the supervised unit answers its supervision.
    _require_awaiting(state)
    if event.unit != state.supervision_unit:
        raise NotSupervisedUnit(f"「{event.unit}」不是被督办单位，不能回复该督办")
    _require_text(event.text, "督办回复内容")
    return replace(state, supervision_unit=None, supervision_due=None, supervision_leader=False)


@_rule(ev.SupervisionEscalate, *HANDLING)
def _supervision_escalate(state, event):
    _require_awaiting(state)
    if event.leader:
        return replace(state, supervision_due=None, supervision_leader=True)
    if event.deadline is None:
        raise DeadlineRequired("督办升级须确定新的回复期限")
    return replace(
        state,
        supervision=_stronger(state.supervision, event.level),
        supervision_due=event.deadline,
    )


_LEVELS = list(SupervisionLevel)


def _stronger(a: SupervisionLevel | None, b: SupervisionLevel) -> SupervisionLevel:
    return b if a is None or _LEVELS.index(b) > _LEVELS.index(a) else a


@_rule(ev.Instruct, *Status)
def _instruct(state, event):
    _require_text(event.text, "批示内容")
    return state


@_rule(ev.RecordViolation, *Status)
def _record_violation(state, event):
    if not event.unit:
        raise UnitRequired("请指定违规单位")
    return state


@_rule(ev.DecideViolation, *Status)
def _decide_violation(state, event):
    if not event.unit:
        raise UnitRequired("请指定违规单位")
    return state


@_rule(ev.Close, Status.REPLIED, Status.CONCLUDED, Status.MERGED)
def _close(state, event):
    if state.status is Status.REPLIED:
        # SPEC 7: a close straight after a reply concludes it (histories without review).
        state = replace(state, concluded_at=event.at, on_time=_in_time(state))
    # An order closed without its callback takes its assignment out of the queue too.
    return replace(
        state,
        status=Status.CLOSED,
        closed_at=event.at,
        extension_until=None,
        callback_agent="",
    )


@_rule(ev.Recalendar, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS, Status.REPLIED)
def _recalendar(state, event):
    # SPEC 4 (2026-12): only the clock's end moves; the service computed it.
    if event.sign_by is None and event.deadline is None:
        raise DeadlineRequired("请给出重算后的签收时限或办理时限")
    return replace(
        state, sign_by=event.sign_by or state.sign_by, deadline=event.deadline or state.deadline
    )


CONTACT_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED)


def _require_assigned(state: OrderState, unit: str) -> None:
    if not unit or unit not in (state.lead, *state.co_units, state.sub_unit):
        raise NotAssignedUnit(f"「{unit}」不是该工单的承办单位，不能联系诉求人")


@_rule(ev.Contact, *CONTACT_STATUSES)
def _contact(state, event):
    # SPEC 4: any unit on the order may contact the citizen, before or after signing.
    _require_assigned(state, event.unit)
    return state


@_rule(ev.ThreeWayRequest, *CONTACT_STATUSES)
def _three_way_request(state, event):
    _require_assigned(state, event.unit)
    if event.unit in state.three_way_pending:
        raise ThreeWayPending("已申请三方通话，请等待热线办接通")
    return replace(state, three_way_pending=(*state.three_way_pending, event.unit))


@_rule(ev.ThreeWayCall, *CONTACT_STATUSES)
def _three_way_call(state, event):
    if event.unit not in state.three_way_pending:
        raise NoThreeWayPending("该单位没有待接通的三方通话申请")
    pending = tuple(u for u in state.three_way_pending if u != event.unit)
    return replace(state, three_way_pending=pending)


# SPEC 3 (2026-12): corrections before closing (who may correct when is
# ``domain.correction``'s rule).
CORRECTABLE = (
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.RETURNED,
    Status.IN_PROGRESS,
    Status.REPLIED,
    Status.CONCLUDED,
)
_VALUES = {CorrectionField.APPEAL_TYPE: AppealType, CorrectionField.URGENCY: Urgency}


@_rule(ev.Correct, *CORRECTABLE)
def _correct(state, event):
    _require_text(event.reason, "修正理由")
    _require_text(event.value, f"修正后的{event.field.label}")
    if event.value == event.old:
        raise InvalidCorrection(f"修正后的{event.field.label}与原值相同")
    vocabulary = _VALUES.get(event.field)
    if vocabulary is not None:
        try:
            value = vocabulary.parse(event.value)
        except ValueError:
            raise InvalidCorrection(f"{event.field.label}「{event.value}」不在可选范围内") from None
        if event.field is CorrectionField.URGENCY:
            return _recounted(state, event, urgent=value is Urgency.URGENT)
    if event.field is CorrectionField.SUMMARY:
        return replace(state, summary=event.value)
    if event.overdue is not None:  # an appeal type or category that moved the clock
        return _recounted(state, event, urgent=state.urgent)
    return state


def _recounted(state: OrderState, event: ev.Correct, *, urgent: bool) -> OrderState:
    """The urgency, and the appeal type and category by the reply's working days, decide
    the clock (SPEC 3, 4): the event carries the deadlines the service counted again
    (``domain.correction.corrected_clock``)."""
    if state.status is Status.CONCLUDED:
        raise InvalidCorrection(f"工单已办结，办理时限已经用完，不能再修正{event.field.label}")
    if state.extension_until is not None:
        raise InvalidCorrection(
            f"该工单有待审批的延期申请，请先审批延期，再修正{event.field.label}"
        )
    return replace(
        state,
        urgent=urgent,
        sign_by=event.sign_by or state.sign_by,
        deadline=event.deadline or state.deadline,
        overdue=state.overdue if event.overdue is None else event.overdue,
    )


# --- the two entry points -------------------------------------------------------------


def start(event: ev.Register) -> OrderState:
    # A copy of the blank state rather than ``__init__``, which sets each of the
    # state's fields one by one (a frozen dataclass's way), once per order.
    return replace(
        _BLANK,
        registered_at=event.at,
        last_at=event.at,
        urgent=event.urgent,
        in_review=event.review,
    )


_BLANK = OrderState(status=Status.REGISTERED, registered_at=datetime.min, last_at=datetime.min)


def apply(state: OrderState | None, event: ev.Event) -> OrderState:
    """The state after ``event``, or a named refusal; ``state`` is never changed."""
    if isinstance(event, ev.Register):
        if state is not None:
            raise AlreadyRegistered("工单已登记")
        return start(event)
    if state is None:
        raise InvalidTransition(event, None)
    if event.at < state.last_at:
        raise EventOutOfOrder(
            f"「{event.label}」的时间 {event.at.isoformat()} 早于上一步 {state.last_at.isoformat()}"
        )
    allowed, handler = _RULES[type(event)]
    if state.status not in allowed:
        if state.status in TERMINAL:
            raise OrderClosed(event, state.status)
        raise InvalidTransition(event, state.status)
    new = handler(_note_overdue(state, event), event)
    if new is state:
        return replace(state, last_at=event.at)
    # Made by this step and held by nobody else yet: it takes the step's time in place
    # rather than through one more copy.
    new.__dict__["last_at"] = event.at
    return new


def _note_overdue(state: OrderState, event: ev.Event) -> OrderState:
    """SPEC 4 (2026-12): anything that happens to an order in progress after its
    deadline in force, while its clock runs, shows the deadline has passed unreplied —
    an extension asked or granted, or a pause begun, then no longer erases it. Events
    carry their time, so this needs no clock."""
    if state.overdue or not passed_while_running(state, event.at):
        return state
    return replace(state, overdue=True)


def passed_while_running(state: OrderState, at: datetime) -> bool:
    """The deadline in force had passed at ``at``, the order in progress with its clock
    running (the moment ``overdue`` is noted)."""
    return (
        state.status is Status.IN_PROGRESS
        and state.deadline is not None
        and state.stopped_since is None
        and at > state.deadline
    )


def closed_order_takes() -> frozenset[type[ev.Event]]:
    """The follow-ups a closed order still records (SPEC 4: spot checks and appeals
    come after closing, instructions at any time, callbacks on intake answers)."""
    return frozenset(t for t, (statuses, _) in _RULES.items() if Status.CLOSED in statuses)


def replay(log: Iterable[ev.Event]) -> OrderState:
    state = None
    for event in log:
        state = apply(state, event)
    if state is None:
        raise EmptyHistory("工单没有任何办理记录")
    return state
