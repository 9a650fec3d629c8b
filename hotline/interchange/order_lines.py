"""The order-history JSON Lines format (SPEC 11, docs/interchange.md), both ways.

``read_order`` turns one line into a checked order: its fields and its domain events,
replayed through the same state machine as live work, with deadlines the line leaves
out computed by the office's policy. ``write_order`` is its inverse for export. Both
are pure: directory look-ups, the policy and the calendar are passed in.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from hotline.domain import deadlines, lifecycle
from hotline.domain import events as ev
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.clock_stops import deadline_after_stop
from hotline.domain.correction import (
    CLOCK_FIELDS,
    CLOCKED,
    clock_fields,
    corrected_clock,
    moves_the_clock,
)
from hotline.domain.deadlines import LOCAL_TZ, DeadlinePolicy
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AppealType,
    CallbackResult,
    Channel,
    CitizenKind,
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
    Solved,
    SupervisionLevel,
    Urgency,
    ViolationKind,
    ViolationOutcome,
    Vocabulary,
)
from hotline.domain.errors import DomainError
from hotline.domain.intake import (
    ADDRESS_MAX,
    CALL_ID_MAX,
    CITIZEN_NAME_MAX,
    EXTERNAL_REF_MAX,
    PHONE_MAX,
    InvalidIntake,
    check_deputy_level,
)
from hotline.domain.lifecycle import OrderState
from hotline.domain.numbering import parse_number


class LineError(DomainError):
    code = "invalid_line"

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.rule = message


class _Refused(Exception):
    """A problem inside one line; the caller adds the line number."""


@dataclass(frozen=True)
class Lookups:
    """Directory references by code or exact name → code, plus what deadlines need."""

    units: Mapping[str, str]
    categories: Mapping[str, str]
    category_parents: Mapping[str, str | None]  # code → parent code
    regions: Mapping[str, str]
    policy: DeadlinePolicy
    calendar: WorkingCalendar

    def category_chain(self, code: str | None) -> list[str]:
        chain = []
        while code:
            chain.append(code)
            code = self.category_parents.get(code)
        return chain


@dataclass(frozen=True)
class Citizen:
    name: str = ""
    phone: str = ""
    kind: CitizenKind = CitizenKind.URBAN


@dataclass
class ImportedOrder:
    line: int
    number: str | None
    channel: Channel
    received_at: datetime
    appeal_type: AppealType
    category: str | None
    region: str | None
    address: str
    content: str
    citizen: Citizen | None
    confidential: bool
    urgent: bool
    tags: tuple[str, ...]
    call_id: str
    merged_into: str | None
    split_from: str | None
    external_ref: str = ""
    # SPEC 7 (2026-12): the deputy's level on 人大代表专席 ("": none recorded).
    deputy_level: str = ""
    # (state before, event, state after) for every event, register first
    steps: list[tuple[OrderState | None, ev.Event, OrderState]] = field(default_factory=list)
    state: OrderState | None = None

    @property
    def events(self) -> list[ev.Event]:
        return [event for _, event, _ in self.steps]


# --- reading --------------------------------------------------------------------------


def read_order(text: str, line: int, lookups: Lookups) -> ImportedOrder:
    try:
        return _read(text, line, lookups)
    except _Refused as problem:
        raise LineError(line, str(problem)) from None


def _read(text: str, line: int, lookups: Lookups) -> ImportedOrder:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Refused(f"不是合法的 JSON（{error.msg}，第 {error.colno} 列）") from None
    if not isinstance(data, dict):
        raise _Refused("每行必须是一个 JSON 对象")
    number = _optional_str(data, "number")
    if number is not None:
        try:
            parse_number(number)
        except DomainError as error:
            raise _Refused(error.message) from None
    citizen_data = data.get("citizen") or {}
    if not isinstance(citizen_data, dict):
        raise _Refused("citizen 必须是对象")
    order = ImportedOrder(
        line=line,
        number=number,
        channel=_enum(Channel, data, "channel"),
        received_at=_time(data, "received_at"),
        appeal_type=_enum(AppealType, data, "appeal_type"),
        category=_reference(lookups.categories, data, "category", "事项分类"),
        region=_reference(lookups.regions, data, "region", "区划"),
        address=_optional_str(data, "address", limit=ADDRESS_MAX) or "",
        content=_required_str(data, "content"),
        citizen=_citizen(citizen_data),
        confidential=_flag(citizen_data, "confidential"),
        urgent=_flag(data, "urgent"),
        tags=tuple(_string_list(data, "tags")),
        call_id=_optional_str(data, "call_id", limit=CALL_ID_MAX) or "",
        merged_into=_optional_str(data, "merged_into"),
        split_from=_optional_str(data, "split_from"),
        external_ref=(_optional_str(data, "external_ref", limit=EXTERNAL_REF_MAX) or "").strip(),
    )
    order.deputy_level = _deputy_level(order.channel, data)
    # Left out only for an order still waiting for its intake decision (extension).
    disposition = _enum(Disposition, data, "disposition") if "disposition" in data else None
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list) or not all(isinstance(e, dict) for e in raw_events):
        raise _Refused("events 必须是对象数组")
    _replay(order, disposition, data, raw_events, lookups)
    return order


def _deputy_level(channel: Channel, data: dict) -> str:
    """An order registered before levels were recorded has none: not required here."""
    try:
        return check_deputy_level(
            channel, _optional_str(data, "deputy_level") or "", required=False
        )
    except InvalidIntake as problem:
        raise _Refused(f"deputy_level {problem.message}") from None


def _replay(order, disposition, data, raw_events, lookups) -> None:
    # An order classified at intake review came in through it (SPEC 3, 2026-12).
    review = any(raw.get("type") == "classify" for raw in raw_events)
    register = ev.Register(at=order.received_at, urgent=order.urgent, review=review)
    state = _apply(order, None, register, 0)
    expanded = _expand(raw_events)
    if disposition not in (None, Disposition.DISPATCHED) and not any(
        e["type"] in _INTAKE_TYPES for _, e in expanded
    ):
        # SPEC 11 files carry the intake outcome only in ``disposition``.
        expanded.insert(0, (0, _intake_event(disposition, data, order)))
    for index, raw in expanded:
        state = _apply(order, state, _event(raw, state, order, lookups, index), index)
    if state.disposition is not disposition:
        said = disposition.value if disposition else "（未填）"
        got = state.disposition.value if state.disposition else "未处置"
        raise _Refused(f"disposition 为 {said}，但事件记录的结果是 {got}")
    if data.get("transferred_to") is not None and state.transferred_to is not _enum(
        EmergencyService, data, "transferred_to"
    ):
        raise _Refused("transferred_to 与即时转办事件的转办对象不一致")
    order.state = state


def _apply(order, state, event, index) -> OrderState:
    try:
        new = lifecycle.apply(state, event)
    except DomainError as error:
        where = f"第 {index} 个事件（{event.type}）：" if index else ""
        raise _Refused(f"{where}{error.message}") from None
    order.steps.append((state, event, new))
    return new


def _expand(raw_events: list[dict]) -> list[tuple[int, dict]]:
    """Splits the SPEC's combined ``extension`` into its request and its decision.

    The decision goes after the request and after every later event that is not later
    than it, so the sequence stays in time order; nothing else is reordered, since a
    file out of time order is refused by the state machine.
    """
    out: list[tuple[int, dict]] = []
    decisions: list[tuple[int, dict]] = []
    for index, raw in enumerate(raw_events, start=1):
        if raw.get("type") == "extension" and raw.get("decision") is not None:
            out.append(
                (index, {k: v for k, v in raw.items() if k not in ("decision", "decided_at")})
            )
            decision = {"type": "extension_decision", "decision": raw["decision"]}
            decision["at"] = raw.get("decided_at", raw.get("at"))
            decisions.append((index, decision))
        else:
            out.append((index, raw))
    for index, decision in decisions:
        position = next(i for i, (n, _) in enumerate(out) if n == index) + 1
        when = _sort_time(decision)
        while position < len(out) and _sort_time(out[position][1]) <= when:
            position += 1
        out.insert(position, (index, decision))
    return out


def _sort_time(raw: dict) -> datetime:
    try:
        return _parse_time(raw.get("at"))
    except _Refused:
        return datetime.max.replace(tzinfo=LOCAL_TZ)


_INTAKE_TYPES = frozenset({"answer", "reject", "harassment", "invalid", "merge", "transfer"})
# An emergency transfer in a file that gives only the disposition has no operator's note.
_NO_NOTE = "（历史数据未记录说明）"


def _intake_event(disposition: Disposition, data: dict, order: ImportedOrder) -> dict:
    at = data["received_at"]
    if disposition is Disposition.REJECTED:
        return {"type": "reject", "at": at, "reason": data.get("reject_reason")}
    if disposition is Disposition.MERGED:
        return {"type": "merge", "at": at, "into": order.merged_into}
    if disposition is Disposition.TRANSFERRED:
        return {"type": "transfer", "at": at, "to": data.get("transferred_to"), "note": _NO_NOTE}
    return {"type": _INTAKE_EVENT[disposition], "at": at}


_INTAKE_EVENT = {
    Disposition.ANSWERED: "answer",
    Disposition.HARASSMENT: "harassment",
    Disposition.INVALID: "invalid",
}


def _event(raw: dict, state: OrderState, order: ImportedOrder, lookups: Lookups, index: int):
    kind = raw.get("type")
    build = _BUILDERS.get(kind) if isinstance(kind, str) else None
    if build is None:
        raise _Refused(f"第 {index} 个事件的类型「{kind}」未知")
    try:
        return build(raw, state, order, lookups)
    except _Refused as problem:
        raise _Refused(f"第 {index} 个事件（{kind}）：{problem}") from None


def _unit(lookups: Lookups, raw: dict, key: str = "unit") -> str:
    return _reference(lookups.units, raw, key, "单位", required=True)


def _units(lookups: Lookups, raw: dict, key: str = "co_units") -> tuple[str, ...]:
    return tuple(_lookup(lookups.units, name, "单位") for name in _string_list(raw, key))


def _sign_by(raw, order, lookups, at) -> datetime:
    if raw.get("sign_by") is not None:
        return _time(raw, "sign_by")
    return deadlines.sign_by(
        at, urgent=order.urgent, policy=lookups.policy, calendar=lookups.calendar
    )


def _reply_deadline(raw, order, lookups, at, key="deadline") -> datetime:
    if raw.get(key) is not None:
        return _time(raw, key)
    return deadlines.reply_deadline(
        at,
        urgent=order.urgent,
        appeal_type=order.appeal_type.value,
        category_codes=lookups.category_chain(order.category),
        policy=lookups.policy,
        calendar=lookups.calendar,
    )


def _resumed_deadline(raw, state: OrderState, lookups, at) -> datetime | None:
    if raw.get("deadline") is not None:
        return _time(raw, "deadline")
    return deadline_after_stop(state, at, lookups.calendar)


def _assignment(cls):
    def build(raw, state, order, lookups):
        at = _time(raw, "at")
        return cls(
            at=at,
            unit=_unit(lookups, raw),
            co_units=_units(lookups, raw),
            sign_by=_sign_by(raw, order, lookups, at),
        )

    return build


def _return_review(raw, state, order, lookups):
    at = _time(raw, "at")
    decision = _enum(ReturnDecision, raw, "decision")
    if decision is ReturnDecision.REFUSE:
        return ev.ReturnReview(at=at, decision=decision)
    return ev.ReturnReview(
        at=at,
        decision=decision,
        unit=_unit(lookups, raw),
        co_units=_units(lookups, raw),
        sign_by=_sign_by(raw, order, lookups, at),
    )


def _sign(raw, state, order, lookups):
    at = _time(raw, "at")
    return ev.Sign(
        at=at,
        unit=_unit(lookups, raw),
        deadline=_reply_deadline(raw, order, lookups, at),
        # Kept only when the line has it: a history from before contacts were recorded
        # has no response time, and its orders do not count in the response rate.
        respond_by=_time(raw, "respond_by") if raw.get("respond_by") is not None else None,
    )


def _review(raw, state, order, lookups):
    at = _time(raw, "at")
    decision = _enum(ReviewDecision, raw, "decision")
    rework = decision is ReviewDecision.REWORK
    return ev.Review(
        at=at,
        decision=decision,
        note=_optional_str(raw, "note") or "",
        deadline=_reply_deadline(raw, order, lookups, at) if rework else None,
    )


def _callback(raw, state, order, lookups):
    at = _time(raw, "at")
    rework = _flag(raw, "rework")
    return ev.Callback(
        at=at,
        result=_enum(CallbackResult, raw, "result"),
        rework=rework,
        pressured=_flag(raw, "pressured"),
        leaked=_flag(raw, "leaked"),
        deadline=_reply_deadline(raw, order, lookups, at) if rework else None,
        solved=_enum(Solved, raw, "solved") if raw.get("solved") is not None else None,
        unit_contacted=_optional_flag(raw, "unit_contacted"),
        note=_optional_str(raw, "note") or "",
    )


def _consultation_close(raw, state, order, lookups):
    at = _time(raw, "at")
    return ev.ConsultationClose(
        at=at,
        decision=_required_str(raw, "decision"),
        deadline=_resumed_deadline(raw, state, lookups, at),
    )


def _correct(raw, state, order, lookups):
    """SPEC 11 (2026-12) ``correct {field, value, reason}`` (``old`` as exported, else the
    value the order had). The order's fields follow each correction, so that a file
    whose line carries the registered values ends with the corrected ones, and an
    exported line (which carries the current values) comes back unchanged."""
    field = _enum(CorrectionField, raw, "field")
    attribute, value, kept = _corrected(field, raw, lookups)
    old = _optional_str(raw, "old")
    if old is None:
        old = state.summary if attribute is None else _kept_value(field, getattr(order, attribute))
    if attribute is not None:
        setattr(order, attribute, value)
    at = _time(raw, "at")
    correction = ev.Correct(
        at=at, field=field, old=old, value=kept, reason=_required_str(raw, "reason")
    )
    if field not in CLOCK_FIELDS or state.status not in CLOCKED or old == kept:
        return correction
    return dataclasses.replace(correction, **_clock(raw, field, old, state, order, lookups, at))


_CLOCK_TIMES = ("old_sign_by", "sign_by", "old_deadline", "deadline")


def _clock(raw, field, old, state, order, lookups, at) -> dict:
    """The deadlines a correction moved: as the line gives them (export writes those
    that moved, and ``overdue`` when it stays), else counted as live work counts them,
    where the corrected field moves the clock (``domain.correction.moves_the_clock``)."""
    given = {key: _time(raw, key) for key in _CLOCK_TIMES if raw.get(key) is not None}
    if given or raw.get("overdue") is not None:
        return {**given, "overdue": _flag(raw, "overdue")}
    appeal_type = order.appeal_type.value
    chain = lookups.category_chain(order.category)
    if not moves_the_clock(
        field,
        urgent=order.urgent,
        appeal_types=(old if field is CorrectionField.APPEAL_TYPE else appeal_type, appeal_type),
        category_chains=(
            lookups.category_chain(old) if field is CorrectionField.CATEGORY else chain,
            chain,
        ),
        policy=lookups.policy,
    ):
        return {}
    clock = corrected_clock(
        [event for _, event, _ in order.steps],
        urgent=order.urgent,
        at=at,
        appeal_type=appeal_type,
        category_codes=chain,
        policy=lookups.policy,
        calendar=lookups.calendar,
    )
    return clock_fields(clock, state)


def _corrected(field: CorrectionField, raw: dict, lookups: Lookups):
    """(the order's attribute or None, its new value, the value as the event keeps it)."""
    match field:
        case CorrectionField.CATEGORY:
            code = _reference(lookups.categories, raw, "value", "事项分类", required=True)
            return "category", code, code
        case CorrectionField.REGION:
            code = _reference(lookups.regions, raw, "value", "区划", required=True)
            return "region", code, code
        case CorrectionField.APPEAL_TYPE:
            appeal_type = _enum(AppealType, raw, "value")
            return "appeal_type", appeal_type, appeal_type.value
        case CorrectionField.URGENCY:
            urgency = _enum(Urgency, raw, "value")
            return "urgent", urgency is Urgency.URGENT, urgency.value
        case CorrectionField.ADDRESS:
            text = _required_str(raw, "value")
            if len(text) > ADDRESS_MAX:
                raise _Refused(f"value 过长（最多 {ADDRESS_MAX} 个字符）")
            return "address", text, text
    return None, None, _required_str(raw, "value")


def _kept_value(field: CorrectionField, value) -> str:
    if field is CorrectionField.URGENCY:
        return (Urgency.URGENT if value else Urgency.NORMAL).value
    if isinstance(value, Vocabulary):
        return value.value
    return value or ""


_BUILDERS: dict[str, Callable] = {
    "answer": lambda r, s, o, lk: ev.Answer(
        at=_time(r, "at"),
        article=_optional_str(r, "article") or "",
        text=_optional_str(r, "text") or "",
    ),
    # (2026-12) SPEC 3: the emergency transfer and the intake review of online orders.
    "transfer": lambda r, s, o, lk: ev.Transfer(
        at=_time(r, "at"), to=_enum(EmergencyService, r, "to"), note=_required_str(r, "note")
    ),
    "classify": lambda r, s, o, lk: ev.Classify(
        at=_time(r, "at"),
        category=_reference(lk.categories, r, "category", "事项分类"),
        region=_reference(lk.regions, r, "region", "区划"),
        appeal_type=_enum(AppealType, r, "appeal_type"),
        address=_optional_str(r, "address", limit=ADDRESS_MAX) or "",
    ),
    "reject": lambda r, s, o, lk: ev.Reject(
        at=_time(r, "at"), reason=_enum(RejectReason, r, "reason")
    ),
    "harassment": lambda r, s, o, lk: ev.MarkHarassment(at=_time(r, "at")),
    "invalid": lambda r, s, o, lk: ev.MarkInvalid(at=_time(r, "at")),
    "merge": lambda r, s, o, lk: ev.Merge(at=_time(r, "at"), into=_required_str(r, "into")),
    "split": lambda r, s, o, lk: ev.Split(at=_time(r, "at"), parts=tuple(_string_list(r, "parts"))),
    "dispatch": _assignment(ev.Dispatch),
    "redispatch": _assignment(ev.Redispatch),
    "designate": _assignment(ev.Designate),
    "sign": _sign,
    "return": lambda r, s, o, lk: ev.Return(
        at=_time(r, "at"), unit=_unit(lk, r), reason=_required_str(r, "reason")
    ),
    "return_review": _return_review,
    "sub_dispatch": lambda r, s, o, lk: ev.SubDispatch(
        at=_time(r, "at"), unit=_unit(lk, r), sub_unit=_unit(lk, r, "sub_unit")
    ),
    "extension": lambda r, s, o, lk: ev.ExtensionRequest(
        at=_time(r, "at"),
        unit=_unit(lk, r),
        until=_time(r, "until"),
        reason=_optional_str(r, "reason") or "（历史数据未记录理由）",
    ),
    "extension_decision": lambda r, s, o, lk: ev.ExtensionDecide(
        at=_time(r, "at"), decision=_enum(ExtensionDecision, r, "decision")
    ),
    # SPEC 11: unit, until and approval are optional (older files pause for the office).
    "pause": lambda r, s, o, lk: ev.Pause(
        at=_time(r, "at"),
        reason=_required_str(r, "reason"),
        unit=_reference(lk.units, r, "unit", "单位") or "",
        until=_time(r, "until") if r.get("until") is not None else None,
        approval=_flag(r, "approval"),
    ),
    "resume": lambda r, s, o, lk: ev.Resume(
        at=_time(r, "at"),
        deadline=_resumed_deadline(r, s, lk, _time(r, "at")),
        unit=_reference(lk.units, r, "unit", "单位") or "",
    ),
    "pause_decision": lambda r, s, o, lk: ev.PauseDecide(
        at=_time(r, "at"), decision=_enum(PauseDecision, r, "decision")
    ),
    "consultation_open": lambda r, s, o, lk: ev.ConsultationOpen(
        at=_time(r, "at"), note=_optional_str(r, "note") or ""
    ),
    "consultation_close": _consultation_close,
    "reply": lambda r, s, o, lk: ev.Reply(
        at=_time(r, "at"),
        unit=_unit(lk, r),
        text=_required_str(r, "text"),
        contacted=r.get("contacted", True) is not False,
        resolved=_optional_flag(r, "resolved"),
    ),
    "co_reply": lambda r, s, o, lk: ev.CoReply(
        at=_time(r, "at"), unit=_unit(lk, r), text=_required_str(r, "text")
    ),
    "review": _review,
    "callback": _callback,
    # The callback agent by user name; none: released to the shared queue.
    "callback_assign": lambda r, s, o, lk: ev.CallbackAssign(
        at=_time(r, "at"), agent=_optional_str(r, "agent", limit=150) or ""
    ),
    "spot_check": lambda r, s, o, lk: ev.SpotCheck(
        at=_time(r, "at"), result=_enum(CallbackResult, r, "result")
    ),
    "appeal": lambda r, s, o, lk: ev.Appeal(
        at=_time(r, "at"),
        decision=_enum(AppealDecision, r, "decision"),
        reason=_optional_str(r, "reason") or "",
    ),
    "supervision": lambda r, s, o, lk: ev.Supervise(
        at=_time(r, "at"),
        level=_enum(SupervisionLevel, r, "level"),
        note=_optional_str(r, "note") or "",
        deadline=_optional_time(r, "deadline"),
    ),
    "instruction": lambda r, s, o, lk: ev.Instruct(
        at=_time(r, "at"), text=_required_str(r, "text")
    ),
    "close": lambda r, s, o, lk: ev.Close(at=_time(r, "at")),
    "recalendar": lambda r, s, o, lk: ev.Recalendar(
        at=_time(r, "at"),
        year=_year(r),
        **{k: _time(r, k) for k in _RECOUNTED if r.get(k) is not None},
    ),
    "appeal_file": lambda r, s, o, lk: ev.AppealFile(
        at=_time(r, "at"),
        unit=_unit(lk, r),
        kind=_enum(AppealKind, r, "kind"),
        reason=_required_str(r, "reason"),
    ),
    # (2026-12) SPEC 11's additions, all optional in older files.
    "supervision_reply": lambda r, s, o, lk: ev.SupervisionReply(
        at=_time(r, "at"), unit=_unit(lk, r), text=_required_str(r, "text")
    ),
    "supervision_escalation": lambda r, s, o, lk: ev.SupervisionEscalate(
        at=_time(r, "at"),
        level=_enum(SupervisionLevel, r, "level"),
        leader=_flag(r, "leader"),
        unit=_unit(lk, r),
        deadline=_optional_time(r, "deadline"),
    ),
    "violation": lambda r, s, o, lk: ev.RecordViolation(
        at=_time(r, "at"),
        kind=_enum(ViolationKind, r, "kind"),
        unit=_unit(lk, r),
        outcome=_enum(ViolationOutcome, r, "outcome") if r.get("outcome") is not None else None,
        note=_optional_str(r, "note") or "",
    ),
    "violation_outcome": lambda r, s, o, lk: ev.DecideViolation(
        at=_time(r, "at"),
        kind=_enum(ViolationKind, r, "kind"),
        unit=_unit(lk, r),
        outcome=_enum(ViolationOutcome, r, "outcome"),
    ),
    "contact": lambda r, s, o, lk: ev.Contact(
        at=_time(r, "at"),
        unit=_unit(lk, r),
        way=_enum(ContactWay, r, "way"),
        outcome=_enum(ContactOutcome, r, "outcome"),
    ),
    "three_way_request": lambda r, s, o, lk: ev.ThreeWayRequest(
        at=_time(r, "at"), unit=_unit(lk, r), note=_optional_str(r, "note") or ""
    ),
    "three_way_call": lambda r, s, o, lk: ev.ThreeWayCall(
        at=_time(r, "at"), unit=_unit(lk, r), outcome=_enum(ContactOutcome, r, "outcome")
    ),
    "correct": _correct,
}
# SPEC 4 (2026-12): the deadlines a year's entered schedule moved, old and new.
_RECOUNTED = ("old_sign_by", "sign_by", "old_deadline", "deadline")


def _year(data: dict) -> int:
    value = data.get("year")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Refused(f"「year」应为年份整数，而不是 {value!r}")
    return value


# --- field readers --------------------------------------------------------------------


def _required_str(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Refused(f"缺少字段 {key}" if value is None else f"{key} 必须是非空字符串")
    return _storable(value, key)


def _storable(value: str, key: str) -> str:
    # History is kept as written, so nothing is cleaned; but PostgreSQL's text cannot
    # hold the NUL character, and the whole COPY would fail on it instead of this line.
    if "\x00" in value:
        raise _Refused(f"{key} 含有空字符（\\u0000），无法保存")
    return value


def _optional_str(data: dict, key: str, *, limit: int | None = None) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Refused(f"{key} 必须是字符串")
    _storable(value, key)
    if limit is not None and len(value) > limit:
        # The columns these land in are bounded; PostgreSQL would refuse the whole COPY.
        raise _Refused(f"{key} 过长（最多 {limit} 个字符，实际 {len(value)} 个）")
    return value


def _flag(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _Refused(f"{key} 必须是 true 或 false")
    return value


def _optional_flag(data: dict, key: str) -> bool | None:
    """A yes/no answer that may not have been asked: absent or null is None."""
    return None if data.get(key) is None else _flag(data, key)


def _string_list(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Refused(f"{key} 必须是字符串数组")
    return value


def _enum(vocabulary: type[Vocabulary], data: dict, key: str):
    value = _required_str(data, key)
    try:
        return vocabulary.parse(value)
    except ValueError:
        allowed = "、".join(m.value for m in vocabulary)
        raise _Refused(f"{key} 的值「{value}」无效，可选：{allowed}") from None


def _parse_time(value) -> datetime:
    if not isinstance(value, str):
        raise _Refused("时间必须是 ISO 8601 字符串")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Refused(f"时间「{value}」不是合法的 ISO 8601 格式") from None
    if parsed.tzinfo is None:
        raise _Refused(f"时间「{value}」缺少时区偏移（如 +08:00）")
    return parsed


def _time(data: dict, key: str) -> datetime:
    value = data.get(key)
    if type(value) is str:
        # The common case first, in one call (a history holds millions of times); any
        # doubt takes the checks below, which name the problem.
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    if value is None:
        raise _Refused(f"缺少字段 {key}")
    try:
        return _parse_time(data[key])
    except _Refused as problem:
        raise _Refused(f"{key}：{problem}") from None


def _optional_time(data: dict, key: str) -> datetime | None:
    return None if data.get(key) is None else _time(data, key)


def _lookup(table: Mapping[str, str], name: str, what: str) -> str:
    code = table.get(name)
    if code is None:
        raise _Refused(f"{what}「{name}」不存在")
    return code


def _reference(table, data: dict, key: str, what: str, *, required: bool = False):
    value = _required_str(data, key) if required else _optional_str(data, key)
    return None if value is None else _lookup(table, value, what)


def _citizen(data: dict) -> Citizen | None:
    name = _optional_str(data, "name", limit=CITIZEN_NAME_MAX) or ""
    phone = _optional_str(data, "phone", limit=PHONE_MAX) or ""
    if not (name or phone):
        return None
    kind = _enum(CitizenKind, data, "kind") if data.get("kind") else CitizenKind.URBAN
    return Citizen(name=name, phone=phone, kind=kind)


# --- writing --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedOrder:
    """What export knows about an order, with directory references already as codes."""

    number: str
    channel: str
    received_at: datetime
    appeal_type: str
    category: str | None
    region: str | None
    address: str
    content: str
    citizen: Citizen | None
    confidential: bool
    urgent: bool
    tags: Sequence[str]
    call_id: str
    disposition: str
    reject_reason: str
    merged_into: str | None
    split_from: str | None
    events: Sequence[ev.Event]
    external_ref: str = ""
    deputy_level: str = ""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).isoformat()


def write_order(order: ExportedOrder) -> str:
    """One line of the format, without the newline; deterministic for the same order."""
    data: dict[str, object] = {"number": order.number, "channel": order.channel}
    data["received_at"] = _stamp(order.received_at)
    data["appeal_type"] = order.appeal_type
    _put(data, "category", order.category)
    _put(data, "region", order.region)
    _put(data, "address", order.address)
    data["content"] = order.content
    citizen: dict[str, object] = {}
    if order.citizen is not None:
        _put(citizen, "name", order.citizen.name)
        _put(citizen, "phone", order.citizen.phone)
        citizen["kind"] = order.citizen.kind.value
    _put(citizen, "confidential", order.confidential)
    _put(data, "citizen", citizen)
    _put(data, "urgent", order.urgent)
    _put(data, "tags", list(order.tags))
    _put(data, "call_id", order.call_id)
    _put(data, "external_ref", order.external_ref)
    _put(data, "deputy_level", order.deputy_level)
    _put(data, "disposition", order.disposition)
    _put(data, "reject_reason", order.reject_reason)
    _put(data, "transferred_to", _transferred_to(order.events))
    _put(data, "merged_into", order.merged_into)
    _put(data, "split_from", order.split_from)
    data["events"] = _written_events(order.events)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _transferred_to(events: Sequence[ev.Event]) -> str | None:
    return next((e.to.value for e in events if isinstance(e, ev.Transfer)), None)


def _put(data: dict, key: str, value) -> None:
    if value not in (None, "", False, [], {}):
        data[key] = value


def _written_events(events: Sequence[ev.Event]) -> list[dict]:
    out: list[dict] = []
    pending: dict | None = None  # the last extension request, awaiting its decision
    for event in events:
        if isinstance(event, ev.Register):
            continue
        if isinstance(event, ev.ExtensionDecide) and pending is not None:
            pending["decision"] = event.decision.value
            if _stamp(event.at) != pending["at"]:
                pending["decided_at"] = _stamp(event.at)
            pending = None
            continue
        raw = {"type": "extension" if isinstance(event, ev.ExtensionRequest) else event.type}
        raw["at"] = _stamp(event.at)
        for key, value in event.to_data().items():
            if key == "contacted":
                continue  # written below only when false: true is the format's default
            if isinstance(value, str) and key in _TIME_KEYS:
                value = _stamp(datetime.fromisoformat(value))
            if key in _ANSWER_KEYS and value is not None:
                raw[key] = value  # a "no" is an answer too; only an unasked question is left out
                continue
            if key == "old":
                raw[key] = value  # a correction of an empty field says so
                continue
            _put(raw, key, value)
        if isinstance(event, ev.Reply) and not event.contacted:
            raw["contacted"] = False
        out.append(raw)
        if isinstance(event, ev.ExtensionRequest):
            pending = raw
    return out


_TIME_KEYS = frozenset(
    {"sign_by", "deadline", "until", "old_sign_by", "old_deadline", "respond_by"}
)
_ANSWER_KEYS = frozenset({"resolved", "unit_contacted"})
