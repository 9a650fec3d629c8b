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
    CallbackResult,
    Disposition,
    ExtensionDecision,
    RejectReason,
    ReturnDecision,
    ReviewDecision,
    Status,
    SupervisionLevel,
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


class ConsultationAlreadyOpen(LifecycleError):
    code = "consultation_open"


class NoConsultationOpen(LifecycleError):
    code = "no_consultation_open"


class ReworkNeedsUnsatisfied(LifecycleError):
    code = "rework_needs_unsatisfied"


class NothingToAppeal(LifecycleError):
    code = "nothing_to_appeal"


class DeadlineRequired(LifecycleError):
    code = "deadline_required"


class EmptyText(LifecycleError):
    code = "empty_text"


class InvalidSplit(LifecycleError):
    code = "invalid_split"


class EmptyHistory(LifecycleError):
    code = "empty_history"


class NotAssignedUnit(LifecycleError):
    code = "not_assigned_unit"


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
    respond_by: datetime | None = None  # SPEC 5: first contact due by (set at sign-for)
    reply_resolved: bool | None = None  # SPEC 6: the latest reply said resolved

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
        returned_from=None,
        designated=state.designated or designated,
    )


def _close_at_intake(state: OrderState, event: ev.Event, disposition: Disposition) -> OrderState:
    return replace(state, status=Status.CLOSED, disposition=disposition, closed_at=event.at)


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
        state, status=Status.MERGED, disposition=Disposition.MERGED, merged_into=event.into
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


@_rule(ev.Pause, Status.DISPATCHED, Status.IN_PROGRESS)
def _pause(state, event):
    _require_text(event.reason, "暂停理由")
    if state.paused_at is not None:
        raise OrderPaused("工单已处于暂停计时状态")
    return replace(state, paused_at=event.at, stopped_since=state.stopped_since or event.at)


@_rule(ev.Resume, Status.DISPATCHED, Status.IN_PROGRESS)
def _resume(state, event):
    if state.paused_at is None:
        raise OrderNotPaused("工单没有可恢复的暂停")
    return _restart_if_idle(replace(state, paused_at=None), event.deadline)


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
    return replace(state, status=Status.REPLIED, replied_at=event.at, reply_resolved=event.resolved)


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
        on_time=_in_time(state.replied_at, state.deadline),
        extension_until=None,
    )


def _in_time(replied_at: datetime | None, deadline: datetime | None) -> bool:
    # SPEC 7: on time when the accepted reply came at or before the deadline in force.
    return deadline is None or (replied_at is not None and replied_at <= deadline)


def _record_result(state: OrderState, result: CallbackResult) -> OrderState:
    unhappy = int(result is CallbackResult.UNSATISFIED)
    return replace(
        state,
        callback=result,
        unsatisfied=state.unsatisfied + unhappy,
        appealable=state.appealable + unhappy,
    )


@_rule(ev.Callback, Status.CONCLUDED, Status.CLOSED)
def _callback(state, event):
    if state.status is Status.CLOSED and state.disposition is not Disposition.ANSWERED:
        # Callbacks on closed orders exist only for those answered at intake (SPEC 4 scope).
        raise OrderClosed(event, state.status)
    if event.rework:
        if event.result is not CallbackResult.UNSATISFIED:
            raise ReworkNeedsUnsatisfied("只有回访不满意的工单才能返工")
        if state.status is Status.CLOSED:
            raise OrderClosed(event, state.status)
        return _rework(_record_result(state, event.result), event.deadline)
    return _record_result(state, event.result)


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
        state, appealable=state.appealable - 1, upheld_appeals=state.upheld_appeals + upheld
    )


@_rule(ev.Supervise, *HANDLING)
def _supervise(state, event):
    return replace(state, supervision=_stronger(state.supervision, event.level))


_LEVELS = list(SupervisionLevel)


def _stronger(a: SupervisionLevel | None, b: SupervisionLevel) -> SupervisionLevel:
    return b if a is None or _LEVELS.index(b) > _LEVELS.index(a) else a


@_rule(ev.Instruct, *Status)
def _instruct(state, event):
    _require_text(event.text, "批示内容")
    return state


@_rule(ev.Close, Status.REPLIED, Status.CONCLUDED, Status.MERGED)
def _close(state, event):
    if state.status is Status.REPLIED:
        # SPEC 7: a close straight after a reply concludes it (histories without review).
        state = replace(
            state, concluded_at=event.at, on_time=_in_time(state.replied_at, state.deadline)
        )
    return replace(state, status=Status.CLOSED, closed_at=event.at, extension_until=None)


@_rule(ev.Contact, Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED)
def _contact(state, event):
    # SPEC 4: any unit on the order may contact the citizen, before or after signing.
    if not event.unit or event.unit not in (state.lead, *state.co_units, state.sub_unit):
        raise NotAssignedUnit(f"「{event.unit}」不是该工单的承办单位，不能记录联系情况")
    return state


# --- the two entry points -------------------------------------------------------------


def start(event: ev.Register) -> OrderState:
    return OrderState(
        status=Status.REGISTERED,
        registered_at=event.at,
        last_at=event.at,
        urgent=event.urgent,
    )


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
    return replace(handler(state, event), last_at=event.at)


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
