"""What the portal shows a citizen about their own order.

The citizen has no account: the order number together with the phone given at intake
is the key. A wrong pair and an unknown number look the same (``None``), so the portal
cannot be used to learn which numbers exist. What is shown is in the citizen's terms:
no staff names, no unit-internal notes (return reasons, extension requests, review
notes, instructions, appeals), and phone or ID numbers in texts masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotline.directory.models import Unit
from hotline.domain.citizen_rating import may_rate
from hotline.domain.enums import (
    CallbackResult,
    Channel,
    Disposition,
    EmergencyService,
    RejectReason,
    ReviewDecision,
    Status,
)
from hotline.domain.redaction import redact
from hotline.orders.models import Order, Reply
from hotline.orders.selectors import online_answer
from hotline.portal.forms import contact_phone
from hotline.portal.models import CitizenRating

# Where an order stands, as a citizen would put it.
_STATUS = {
    Status.REGISTERED: "已受理，等待转办",
    Status.DISPATCHED: "已转交承办单位",
    Status.RETURNED: "正在确定承办单位",
    Status.IN_PROGRESS: "办理中",
    Status.REPLIED: "承办单位已答复，热线办审核中",
    Status.CONCLUDED: "已办结",
    Status.MERGED: "已与同一事项的工单合并办理",
    Status.CLOSED: "已办结",
}
_CLOSED_AT_INTAKE = {
    Disposition.ANSWERED: "已当场答复",
    Disposition.REJECTED: "不予受理",
    Disposition.TRANSFERRED: "已转交紧急服务部门处理",
    Disposition.HARASSMENT: "已结束受理",
    Disposition.INVALID: "已结束受理",
}


_NOT_ACCEPTED = frozenset(
    d.value for d in (Disposition.REJECTED, Disposition.HARASSMENT, Disposition.INVALID)
)


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


@dataclass(frozen=True)
class Tracking:
    order: Order
    status: str
    steps: list[Step]
    reply: str | None  # the accepted reply once concluded, or the written intake answer
    reply_at: datetime | None
    may_rate: bool
    rating: CitizenRating | None  # the citizen's own rating, once given
    merged_into: Tracking | None = None


def tracked_order(*, number: str, phone: str) -> Order | None:
    """The order with this number whose citizen gave this phone; None otherwise."""
    wanted = contact_phone(phone)
    if not wanted or not (number.isascii() and number.isdigit()):
        return None
    order = Order.objects.select_related("citizen", "merged_into").filter(number=number).first()
    if order is None or order.citizen is None:
        return None
    if contact_phone(order.citizen.phone) != wanted:
        return None
    return order


def citizen_status(order: Order) -> str:
    status = Status(order.status)
    if status is Status.CLOSED and order.disposition in _CLOSED_AT_INTAKE:
        text = _CLOSED_AT_INTAKE[Disposition(order.disposition)]
        if order.reject_reason:
            text += f"（{RejectReason(order.reject_reason).label}）"
        return text
    return _STATUS[status]


def _unit_name(names: dict[str, str], code: str) -> str:
    return names.get(code, "承办单位")


def _step_text(kind: str, data: dict, names: dict[str, str]) -> str | None:
    """One event in the citizen's terms; None for what stays inside the office."""
    match kind:
        case "answer":
            return "已当场答复"
        case "reject":
            try:
                return f"不予受理：{RejectReason(data.get('reason')).label}"
            except ValueError:
                return "不予受理"
        case "transfer":
            try:
                return f"已即时转交{EmergencyService(data.get('to')).label}处理"
            except ValueError:
                return "已即时转交紧急服务部门处理"
        case "harassment" | "invalid":
            return "已结束受理"
        case "merge":
            return "与同一事项的工单合并办理"
        case "split":
            return "按不同诉求拆分为多张工单办理：" + "、".join(data.get("parts") or ())
        case "dispatch" | "redispatch" | "designate":
            return f"已转交{_unit_name(names, data.get('unit', ''))}办理"
        case "return_review" if data.get("decision") == "accept":
            return f"已改由{_unit_name(names, data.get('unit', ''))}办理"
        case "sign":
            return "承办单位已签收，正在办理"
        case "sub_dispatch":
            return "承办单位已安排具体办理"
        case "extension_decision" if data.get("decision") == "granted":
            return "办理期限已延长"
        case "pause":
            return "等待补充材料，暂停计时"
        case "resume":
            return "恢复办理"
        case "consultation_open":
            return "相关单位正在会商"
        case "consultation_close":
            return "会商完成，继续办理"
        case "reply":
            return "承办单位已答复"
        case "review" if data.get("decision") == ReviewDecision.ACCEPT.value:
            return "答复已通过审核，工单办结"
        case "review":
            return "答复需进一步办理，已退回承办单位"
        case "callback":
            try:
                return f"回访评价：{CallbackResult(data.get('result')).label}"
            except ValueError:
                return "已回访"
        case "supervision":
            return "热线办已督促承办单位加快办理"
        case "close":
            return "工单已归档"
    return None


def _received(order: Order) -> str:
    """The first step: an order refused at intake or after (不予受理, a harassing or
    invalid call) was received, never "accepted" (受理)."""
    what = "网上诉求" if order.channel == Channel.WEBSITE.value else "诉求"
    if order.disposition in _NOT_ACCEPTED:
        return f"已收到您的{what}"
    return f"您的{what}已受理"


def _steps(order: Order) -> list[Step]:
    events = list(order.events.order_by("seq").values("type", "at", "data"))
    codes = {e["data"].get("unit") for e in events if isinstance(e["data"].get("unit"), str)}
    names = dict(Unit.objects.filter(code__in=codes - {""}).values_list("code", "name"))
    steps = []
    for event in events:
        if event["type"] == "register":
            text = _received(order)
        else:
            text = _step_text(event["type"], event["data"] or {}, names)
        if text is not None:
            steps.append(Step(event["at"], text))
    return steps


def _accepted_reply(order: Order) -> Reply | None:
    if order.concluded_at is None:
        return None
    return (
        Reply.objects.filter(order=order, decision=ReviewDecision.ACCEPT.value)
        .order_by("-at", "-id")
        .first()
    )


def _reply(order: Order) -> tuple[str, datetime] | None:
    """The accepted reply, or (SPEC 3, 2026-12) the answer written at intake review:
    what answers the citizen, back through the channel they wrote in."""
    reply = _accepted_reply(order)
    if reply is not None:
        return reply.text, reply.at
    if order.disposition == Disposition.ANSWERED:
        return online_answer(order=order)
    return None


def tracking(order: Order, *, follow_merge: bool = True) -> Tracking:
    reply = _reply(order)
    rating = CitizenRating.objects.filter(order=order).first()
    merged = None
    if follow_merge and order.merged_into is not None:
        merged = tracking(order.merged_into, follow_merge=False)
    return Tracking(
        order=order,
        status=citizen_status(order),
        steps=_steps(order),
        reply=redact(reply[0]) if reply else None,
        reply_at=reply[1] if reply else None,
        may_rate=may_rate(
            status=order.status, disposition=order.disposition, rated=rating is not None
        ),
        rating=rating,
        merged_into=merged,
    )
