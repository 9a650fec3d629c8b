"""The order pages' reads: one order in full (fields, assignments, side records and a
readable timeline) and the search that finds orders. Both start from the viewer, so a
unit handler can neither open nor find another unit's order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet

from hotline.directory.models import Category, Region, Unit
from hotline.directory.selectors import catalogue_suggestion
from hotline.domain import enums
from hotline.domain.available_actions import available_actions
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.discipline import forwarding_only
from hotline.domain.events import EVENT_TYPES
from hotline.domain.lifecycle import OrderState
from hotline.domain.masking import PHONE_SEARCH_REFUSED, may_search_by_phone
from hotline.orders.models import Assignment, Order
from hotline.orders.selectors import order_history, order_state, visible_orders

SYSTEM = "系统"
# The orders merged into or split from one order that its page lists at most.
LINKED_MAX = 100


# --- one order in full ----------------------------------------------------------------


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


@dataclass
class OrderDetail:
    order: Order
    state: OrderState
    category_path: list[str]
    region_path: list[str]
    assignments: list[Assignment]
    co_units: list[str]  # names, from the state
    timeline: list[TimelineEntry]
    replies: list = field(default_factory=list)
    callbacks: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    supervisions: list = field(default_factory=list)
    instructions: list = field(default_factory=list)
    violations: list | None = None  # None: not shown to this viewer
    merged_orders: list[str] = field(default_factory=list)
    split_orders: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    discipline_shown: bool = True
    # The citizen's own rating from the portal (not a callback); None until given.
    citizen_rating: object | None = None
    # SPEC 4 (2026-12): the units' contacts with the citizen, first first.
    contacts: list = field(default_factory=list)

    @property
    def forwarding_flag(self) -> bool:
        """SPEC 6 (2026-12): the reply under review reads as 二传手, for the reviewer
        to confirm or not."""
        return (
            self.state.status is enums.Status.REPLIED
            and bool(self.replies)
            and forwarding_only(self.replies[-1].text)
        )


# The lead first, then the co-units, then the sub-unit handling it for the lead.
_ROLE_ORDER = {role.value: rank for rank, role in enumerate(enums.AssignmentRole)}


def person(user) -> str:
    if user is None:
        return SYSTEM
    return user.first_name or user.username


def _path(item) -> list[str]:
    names = []
    while item is not None:
        names.append(item.name)
        item = item.parent
    return names[::-1]


def _sees_discipline(viewer) -> bool:
    """SPEC 6: what the citizen said about pressure or leaks, and the violations it
    raised, stay with the office; the unit concerned does not see who said what."""
    return viewer.role != enums.Role.UNIT_HANDLER


def order_detail(*, number: str, viewer) -> OrderDetail:
    """Raises ``Order.DoesNotExist`` for an order the viewer may not see."""
    # The paths up the two trees come along (categories are 3 deep, regions 4).
    order = (
        visible_orders(viewer=viewer)
        .select_related(
            "category__parent__parent",
            "region__parent__parent__parent",
            "lead_unit",
            "sub_unit",
            "citizen",
            "merged_into",
            "split_from",
            "citizen_rating",
        )
        .prefetch_related("tags")
        .get(number=number)
    )
    state = order_state(order)
    events = list(order_history(order=order))
    names = unit_names(_unit_codes(events) | set(state.co_units))
    discipline = _sees_discipline(viewer)
    visible = visible_orders(viewer=viewer)
    detail = OrderDetail(
        order=order,
        state=state,
        category_path=_path(order.category),
        region_path=_path(order.region),
        assignments=sorted(
            order.assignments.filter(ended_at__isnull=True).select_related("unit"),
            key=lambda a: (_ROLE_ORDER.get(a.role, 9), a.assigned_at, a.pk),
        ),
        co_units=[names.get(code, code) for code in state.co_units],
        timeline=[timeline_entry(e, names, discipline=discipline) for e in events],
        replies=list(order.replies.select_related("unit").order_by("at", "id")),
        callbacks=list(order.callbacks.select_related("unit", "agent").order_by("at", "id")),
        extensions=list(order.extensions.select_related("unit").order_by("requested_at", "id")),
        supervisions=list(order.supervisions.select_related("by", "unit").order_by("at", "id")),
        instructions=list(order.instructions.select_related("by").order_by("at", "id")),
        contacts=list(order.contacts.select_related("unit").order_by("at", "id")),
        violations=(
            list(order.violations.select_related("unit").order_by("at", "id"))
            if discipline
            else None
        ),
        merged_orders=list(
            visible.filter(merged_into=order)
            .order_by("received_at", "id")
            .values_list("number", flat=True)[:LINKED_MAX]
        ),
        split_orders=list(
            visible.filter(split_from=order)
            .order_by("received_at", "id")
            .values_list("number", flat=True)[:LINKED_MAX]
        ),
        tags=[tag.name for tag in order.tags.all()],
        discipline_shown=discipline,
        # A missing one-to-one row raises an AttributeError subclass: None then.
        citizen_rating=getattr(order, "citizen_rating", None),
    )
    return detail


# --- the timeline ---------------------------------------------------------------------

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
    ("callback", "solved"): enums.Solved,
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
}
# Flags shown only when set (a "否" for each would drown the timeline).
_ONLY_WHEN_SET = frozenset({"urgent", "rework", "pressured", "leaked", "leader"})
_DISCIPLINE = frozenset({"pressured", "leaked"})


def _unit_codes(events) -> set[str]:
    codes = set()
    for event in events:
        data = event.data or {}
        codes.update(data[k] for k in _UNIT_KEYS if isinstance(data.get(k), str) and data[k])
        codes.update(c for c in data.get("co_units") or () if isinstance(c, str))
    return codes


def unit_names(codes) -> dict[str, str]:
    codes = [c for c in codes if c]
    if not codes:
        return {}
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


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


def describe(kind: str, data: dict, names: dict[str, str], *, discipline: bool = True):
    """An event's stored content as readable facts: units by name, times local,
    vocabularies in Chinese."""
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


# --- search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    number: str = ""
    phone: str = ""
    status: str = ""
    appeal_type: str = ""
    category_ids: tuple[int, ...] | None = None  # None: any category
    region_ids: tuple[int, ...] | None = None
    lead_unit_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None


def _subtree_ids(model, roots: list[int]) -> tuple[int, ...]:
    """The items and everything below them (a few small queries, one per level)."""
    found, frontier = list(roots), list(roots)
    while frontier:
        frontier = list(model.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    return tuple(dict.fromkeys(found))


def category_subtree(text: str) -> tuple[int, ...]:
    """Categories whose code or exact name is ``text``, with their sub-categories;
    empty when none matches."""
    text = text.strip()
    roots = list(Category.objects.filter(Q(code=text) | Q(name=text)).values_list("id", flat=True))
    return _subtree_ids(Category, roots) if roots else ()


def region_subtree(text: str) -> tuple[int, ...]:
    text = text.strip()
    roots = list(Region.objects.filter(Q(code=text) | Q(name=text)).values_list("id", flat=True))
    return _subtree_ids(Region, roots) if roots else ()


def unit_choices() -> QuerySet[Unit]:
    return Unit.objects.filter(active=True).order_by("code")


def unit_find(text: str) -> Unit | None:
    text = text.strip()
    return Unit.objects.filter(Q(code=text) | Q(name=text)).order_by("id").first()


# A directory filter matching at least this many orders counts as common (see below);
# telling takes one index read of at most this many entries.
COMMON_MATCHES = 2000


def _common(orders: QuerySet[Order]) -> bool:
    return orders.values("pk")[:COMMON_MATCHES].count() >= COMMON_MATCHES


def _column(name: str):
    """The column as an expression no index answers (``column + 0``)."""
    return ExpressionWrapper(F(name) + 0, output_field=BigIntegerField())


def _by_directory(orders: QuerySet[Order], filters: SearchFilters, *, through_index: bool):
    """The category, region and lead unit filters; each subtree was resolved to ids
    first, so that the (category, received_at) and (region, received_at) indexes serve
    a rare one."""
    wanted = {
        "category_id": filters.category_ids,
        "region_id": filters.region_ids,
        "lead_unit_id": (filters.lead_unit_id,) if filters.lead_unit_id is not None else None,
    }
    for name, ids in wanted.items():
        if ids is None:
            continue
        if through_index:
            orders = orders.filter(**{f"{name}__in": ids})
        else:
            alias = f"plain_{name}"
            orders = orders.alias(**{alias: _column(name)}).filter(**{f"{alias}__in": ids})
    return orders


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def order_search(*, viewer, filters: SearchFilters) -> QuerySet[Order]:
    """Orders the viewer may see that match every given filter; the caller pages them
    by ``received_at`` (indexed alone and after status, category and region)."""
    # A role that sees phones masked (a confidential order's citizen hidden from units
    # among them) could otherwise confirm guesses of a number.
    if filters.phone and not may_search_by_phone(viewer.role):
        raise PermissionDenied(PHONE_SEARCH_REFUSED)
    orders = visible_orders(viewer=viewer)
    exact = {
        "number": filters.number,
        "status": filters.status,
        "appeal_type": filters.appeal_type,
        "citizen__phone": filters.phone,
    }
    orders = orders.filter(**{name: value for name, value in exact.items() if value})
    # Dates are the hotline's local calendar days, both ends included.
    if filters.received_from:
        orders = orders.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to:
        end = _local_midnight(filters.received_to + timedelta(days=1))
        orders = orders.filter(received_at__lt=end)
    narrowed = _by_directory(orders, filters, through_index=True)
    if narrowed is not orders and _common(narrowed):
        # Many orders match: reading the newest orders in received_at order finds a page
        # at once, whereas gathering every match through its own index and sorting them
        # grows with their number. The directory filters are then applied as plain
        # conditions (their columns wrapped, so that no index is taken for them).
        narrowed = _by_directory(orders, filters, through_index=False)
    return narrowed.select_related("category", "region", "lead_unit")


# --- what the viewer may do now -------------------------------------------------------

_ASSIGNING = frozenset({"dispatch", "redispatch", "designate", "return_review"})


@dataclass(frozen=True)
class ActionPanel:
    actions: tuple[str, ...]
    units: list[Unit] = field(default_factory=list)  # to pick a lead or co-units from
    sub_units: list[Unit] = field(default_factory=list)  # the viewer's own sub-units
    suggested_lead: Unit | None = None  # the dispatch catalogue's choice
    suggested_co_units: tuple[int, ...] = ()


def action_panel(*, detail: OrderDetail, viewer) -> ActionPanel:
    """The actions the viewer's role may take on the order now (permission and state
    machine together), with what their forms offer to pick from."""
    unit = viewer.unit if viewer.role == enums.Role.UNIT_HANDLER else None
    sub_units = list(Unit.objects.filter(parent=unit, active=True).order_by("code")) if unit else []
    actions = available_actions(
        detail.state,
        role=viewer.role,
        unit=unit.code if unit else None,
        has_sub_units=bool(sub_units),
    )
    if not _ASSIGNING & set(actions):
        return ActionPanel(actions, sub_units=sub_units)
    suggestion = catalogue_suggestion(category=detail.order.category, region=detail.order.region)
    lead, co_units = suggestion if suggestion else (None, [])
    return ActionPanel(
        actions,
        units=list(unit_choices()),
        sub_units=sub_units,
        suggested_lead=lead,
        suggested_co_units=tuple(u.pk for u in co_units),
    )
