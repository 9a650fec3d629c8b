"""An order's events as its page reads them: who did what when, each item of an event's
content with its label, units by name, discipline facts left out for the units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotline.accounts.models import User
from hotline.directory.models import Category, Region, Unit
from hotline.domain import enums
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.events import EVENT_TYPES, event_from_data
from hotline.domain.outcomes import told
from hotline.orders.models import Event

SYSTEM = "系统"


@dataclass(frozen=True)
class Fact:
    """One item of an event's content, readable: a label and a text, or order numbers."""

    label: str
    text: str = ""
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    at: datetime
    type: str
    label: str
    actor: str
    from_status: str
    to_status: str
    facts: tuple[Fact, ...]


def person(user) -> str:
    if user is None:
        return SYSTEM
    return user.first_name or user.username


_UNIT_KEYS = ("unit", "sub_unit")
_LABELS = {
    "urgent": "急办件",
    "article": "知识库条目",
    "into": "并入工单",
    "parts": "拆出工单",
    "unit": "单位",
    "co_units": "协办单位",
    "sign_by": "签收时限",
    "deadline": "办理时限",
    "sub_unit": "下级单位",
    "until": "申请延至",
    "reason": "理由",
    "decision": "决定",
    "note": "意见",
    "text": "内容",
    "contacted": "已联系诉求人",
    "result": "结果",
    "rework": "返工",
    "kind": "类型",
    "outcome": "处理结果",
    "pressured": "被要求撤诉",
    "leaked": "信息被泄露",
    "level": "级别",
    "year": "年份",
    "old_sign_by": "原签收时限",
    "old_deadline": "原办理时限",
    "way": "联系方式",
    "solved": "问题是否解决",
    "unit_contacted": "承办单位已联系",
    "resolved": "问题已解决",
    "respond_by": "响应时限",
    "review": "待网上受理审核",
    "category": "事项分类",
    "region": "区域",
    "appeal_type": "诉求类型",
    "address": "更正地址",
    "to": "转办对象",
    "agent": "回访员",
}
# Per event type, the fields whose values are a closed vocabulary and their label.
_VOCABULARIES = {
    ("reject", "reason"): enums.RejectReason,
    ("return_review", "decision"): enums.ReturnDecision,
    ("extension_decision", "decision"): enums.ExtensionDecision,
    ("review", "decision"): enums.ReviewDecision,
    ("callback", "result"): enums.CallbackResult,
    ("spot_check", "result"): enums.CallbackResult,
    ("appeal", "decision"): enums.AppealDecision,
    ("supervision", "level"): enums.SupervisionLevel,
    ("supervision_escalation", "level"): enums.SupervisionLevel,
    ("violation", "kind"): enums.ViolationKind,
    ("violation", "outcome"): enums.ViolationOutcome,
    ("violation_outcome", "kind"): enums.ViolationKind,
    ("violation_outcome", "outcome"): enums.ViolationOutcome,
    ("contact", "way"): enums.ContactWay,
    ("contact", "outcome"): enums.ContactOutcome,
    ("three_way_call", "outcome"): enums.ContactOutcome,
    ("callback", "solved"): enums.Solved,
    ("transfer", "to"): enums.EmergencyService,
    ("classify", "appeal_type"): enums.AppealType,
}
# Per event type, labels that say more than the general one.
_SPECIFIC = {
    ("return", "reason"): "退单理由",
    ("pause", "reason"): "暂停理由",
    ("extension_request", "reason"): "延期理由",
    ("reject", "reason"): "不予受理理由",
    ("appeal", "reason"): "申诉理由",
    ("consultation_close", "decision"): "会商结论",
    ("consultation_open", "note"): "会商事由",
    ("review", "note"): "审核意见",
    ("supervision", "note"): "督办意见",
    ("contact", "outcome"): "联系结果",
    ("three_way_call", "outcome"): "联系结果",
    ("three_way_request", "unit"): "申请单位",
    ("three_way_request", "note"): "说明",
    ("supervision", "deadline"): "回复期限",
    ("supervision_reply", "text"): "督办回复",
    ("supervision_escalation", "deadline"): "回复期限",
    ("supervision_escalation", "leader"): "告知单位领导",
    ("violation", "unit"): "违规单位",
    ("violation_outcome", "unit"): "违规单位",
    ("violation", "note"): "违规情况",
    ("reply", "text"): "答复内容",
    ("co_reply", "text"): "协办意见",
    ("instruction", "text"): "批示内容",
    ("return_review", "unit"): "改派单位",
    ("dispatch", "unit"): "主办单位",
    ("redispatch", "unit"): "主办单位",
    ("designate", "unit"): "主办单位",
    ("recalendar", "sign_by"): "调整后签收时限",
    ("recalendar", "deadline"): "调整后办理时限",
    ("contact", "unit"): "联系单位",
    ("callback", "note"): "回访备注",
    ("transfer", "note"): "转办说明",
    ("answer", "text"): "网上答复",
}
# Flags shown only when set (a "否" for each would drown the timeline).
_ONLY_WHEN_SET = frozenset({"urgent", "rework", "pressured", "leaked", "leader", "review"})
# (2026-12) The intake review names a category and a region by code; shown by name.
_DIRECTORY_KEYS = {"category": Category, "region": Region}
_DISCIPLINE = frozenset({"pressured", "leaked"})


def event_unit_codes(events) -> set[str]:
    """The units the events name by code, and (as "category:<code>", "region:<code>",
    "user:<user name>") the categories, regions and callback agents."""
    codes = set()
    for event in events:
        data = event.data or {}
        codes.update(data[k] for k in _UNIT_KEYS if isinstance(data.get(k), str) and data[k])
        codes.update(c for c in data.get("co_units") or () if isinstance(c, str))
        codes.update(
            f"{key}:{data[key]}"
            for key in _DIRECTORY_KEYS
            if event.type == "classify" and isinstance(data.get(key), str)
        )
        if event.type == "callback_assign" and isinstance(data.get("agent"), str):
            codes.add(f"user:{data['agent']}")
    return codes


def unit_names(codes) -> dict[str, str]:
    """Names by code of the units (and the prefixed categories and regions) named."""
    codes = [c for c in codes if c]
    if not codes:
        return {}
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    for key, model in _DIRECTORY_KEYS.items():
        wanted = [c.removeprefix(f"{key}:") for c in codes if c.startswith(f"{key}:")]
        if wanted:
            found = model.objects.filter(code__in=wanted).values_list("code", "name")
            names.update((f"{key}:{code}", name) for code, name in found)
    agents = [c.removeprefix("user:") for c in codes if c.startswith("user:")]
    for username, full_name in User.objects.filter(username__in=agents).values_list(
        "username", "first_name"
    ):
        names[f"user:{username}"] = full_name or username
    return names


def _when(value) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _fact(kind: str, key: str, value, names: dict[str, str]) -> Fact | None:
    if value in (None, "", [], ()):
        return None
    label = _SPECIFIC.get((kind, key)) or _LABELS.get(key, key)
    vocabulary = _VOCABULARIES.get((kind, key))
    if vocabulary is not None:
        try:
            return Fact(label, vocabulary.parse(value).label)
        except ValueError:
            return Fact(label, str(value))
    if key in _UNIT_KEYS:
        return Fact(label, names.get(value, value))
    if kind == "callback_assign" and key == "agent":
        return Fact(label, names.get(f"user:{value}", value))
    if kind == "classify" and key in _DIRECTORY_KEYS:
        return Fact(label, names.get(f"{key}:{value}", value))
    if key == "co_units":
        return Fact(label, "、".join(names.get(c, c) for c in value))
    if key in ("sign_by", "deadline", "until", "old_sign_by", "old_deadline"):
        return Fact(label, _when(value))
    if key == "into":
        return Fact(label, numbers=(str(value),))
    if key == "parts":
        return Fact(label, numbers=tuple(str(v) for v in value))
    if isinstance(value, bool):
        if key in _ONLY_WHEN_SET and not value:
            return None
        return Fact(label, "是" if value else "否")
    return Fact(label, str(value))


def _correction_facts(data: dict) -> tuple[Fact, ...]:
    """SPEC 3 (2026-12): what was corrected, from what to what, and why; categories and
    regions by name."""
    try:
        field = enums.CorrectionField.parse(data.get("field"))
    except ValueError:
        return (Fact("修正项", str(data.get("field"))),)
    shown = {value: value for value in (data.get("old"), data.get("value")) if value}
    if field is enums.CorrectionField.CATEGORY:
        shown.update(Category.objects.filter(code__in=list(shown)).values_list("code", "name"))
    elif field is enums.CorrectionField.REGION:
        shown.update(Region.objects.filter(code__in=list(shown)).values_list("code", "name"))
    elif field in (enums.CorrectionField.APPEAL_TYPE, enums.CorrectionField.URGENCY):
        vocabulary = (
            enums.AppealType if field is enums.CorrectionField.APPEAL_TYPE else enums.Urgency
        )
        labels = dict(vocabulary.choices())
        shown = {value: labels.get(value, value) for value in shown}
    # An urgency correction counted the deadlines again: before and after.
    clock = tuple(Fact(label, _when(data[key])) for key, label in _CORRECTED_CLOCK if data.get(key))
    return (
        Fact("修正项", field.label),
        Fact("原值", shown.get(data.get("old"), "（空）")),
        Fact("修正为", shown.get(data.get("value"), "")),
        Fact("修正理由", str(data.get("reason", ""))),
        *clock,
        *((Fact("超期", "仍计超期"),) if data.get("overdue") else ()),
    )


_CORRECTED_CLOCK = (
    ("old_sign_by", "原签收时限"),
    ("sign_by", "修正后签收时限"),
    ("old_deadline", "原办理时限"),
    ("deadline", "修正后办理时限"),
)


def describe(kind: str, data: dict, names: dict[str, str], *, discipline: bool = True):
    """An event's stored content as readable facts: units by name, times local,
    vocabularies in Chinese."""
    if kind == "correct":
        return _correction_facts(data or {})
    facts = []
    for key, value in (data or {}).items():
        if key in _DISCIPLINE and not discipline:
            continue
        fact = _fact(kind, key, value, names)
        if fact is not None:
            facts.append(fact)
    return tuple(facts)


def _status_label(value: str) -> str:
    if not value:
        return ""
    try:
        return enums.Status.parse(value).label
    except ValueError:
        return value


def timeline_entry(event, names: dict[str, str], *, discipline: bool = True) -> TimelineEntry:
    kind = EVENT_TYPES.get(event.type)
    return TimelineEntry(
        seq=event.seq,
        at=event.at,
        type=event.type,
        label=kind.label if kind else event.type,
        actor=person(event.actor),
        from_status=_status_label(event.from_status),
        to_status=_status_label(event.to_status),
        facts=describe(event.type, event.data, names, discipline=discipline),
    )


def event_told(*, order, seq: int) -> str:
    """What the order's event ``seq`` did, in the words its actor reads next."""
    row = Event.objects.get(order=order, seq=seq)
    event = event_from_data(row.type, row.at, row.data)
    return told(event, unit_names(event_unit_codes([row])))
