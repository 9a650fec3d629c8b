"""What the API shows of an order: the list row, the detail with its timeline.

The citizen's identity is masked, or hidden from a unit on a confidential order
(``hotline.domain.masking``); a role that may see it in full asks for it through the
logged reveal. The serializers need ``context["viewer"]``.

The serializers declare the documents (the OpenAPI schema is made from them) and render
the lists and the detail. The answer to a registration is rendered by ``order_detail``,
plain code over the same helpers: DRF's per-field machinery (a field object, its
``get_attribute`` and ``to_representation`` for each of 45 fields and each event's 8)
was a sixth of a registration's CPU. ``tests/api/test_order_output.py`` holds the two
renderings equal, field by field, for orders in every state and for every role.
"""

import functools
from collections.abc import Callable
from datetime import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hotline.api.declared import DeclaredOnce
from hotline.api.selectors import units_by_code
from hotline.configuration.selectors import working_calendar
from hotline.domain.deadlines import is_provisional
from hotline.domain.enums import (
    AppealType,
    Channel,
    CitizenKind,
    DeputyLevel,
    Disposition,
    RejectReason,
    Status,
    SupervisionLevel,
)
from hotline.domain.events import EVENT_TYPES
from hotline.domain.lifecycle import OrderState
from hotline.domain.masking import Identity, shown_identity, shown_name, shown_phone
from hotline.orders.selectors import online_answer, order_history, order_state


def _blank_or(vocabulary) -> list[tuple[str, str]]:
    return [("", "（无）"), *vocabulary.choices()]


# DRF's rendering of a moment (ISO 8601 in the current time zone), shared by the plain
# renderer and the method fields: a field keeps no state of what it renders.
_MOMENT = serializers.DateTimeField()


def _moment(value: datetime | None) -> str | None:
    return _MOMENT.to_representation(value) if value else None


def _citizen(order, viewer) -> dict | None:
    citizen = order.citizen
    if citizen is None:
        return None
    identity = shown_identity(viewer.role, confidential=order.confidential)
    return {
        "name": shown_name(citizen.name, identity),
        "phone": shown_phone(citizen.phone, identity),
        "kind": citizen.kind,
        "identity": identity.value,
    }


def _provisional(moment: datetime | None, urgent: bool, calendar: Callable) -> bool:
    # Without a deadline yet (a registration's answer) there is no calendar to read.
    return moment is not None and is_provisional(moment, urgent=urgent, calendar=calendar())


def _co_units(state: OrderState) -> list[dict]:
    codes = state.co_units
    units = units_by_code(codes) if codes else {}
    return [{"code": code, "name": units[code].name if code in units else code} for code in codes]


def _supervision_answer(state: OrderState) -> dict | None:
    if state.supervision_unit is None:
        return None
    return {
        "unit": state.supervision_unit,
        "due": _moment(state.supervision_due),
        "leader_told": state.supervision_leader,
    }


def _answer(order) -> str | None:
    given = online_answer(order=order)
    return given[0] if given else None


def _event_label(event) -> str:
    kind = EVENT_TYPES.get(event.type)
    return kind.label if kind else event.type


class CitizenOut(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    kind = serializers.ChoiceField(choices=CitizenKind.choices())
    identity = serializers.ChoiceField(
        choices=[(i.value, i.value) for i in Identity],
        help_text="full 完整；masked 已脱敏；hidden 保密工单对承办单位不显示",
    )


class UnitRefOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SupervisionAnswerOut(serializers.Serializer):
    """SPEC 4 (2026-12): the answer a supervision still asks of a unit."""

    unit = serializers.CharField()
    due = serializers.DateTimeField(allow_null=True)
    leader_told = serializers.BooleanField()


class OrderItemOut(serializers.Serializer):
    number = serializers.CharField()
    received_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices())
    appeal_type = serializers.ChoiceField(choices=AppealType.choices())
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    category_name = serializers.CharField(source="category.name", allow_null=True, default=None)
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    region_name = serializers.CharField(source="region.name", allow_null=True, default=None)
    address = serializers.CharField()
    lat = serializers.FloatField(source="latitude", allow_null=True)
    long = serializers.FloatField(source="longitude", allow_null=True)
    content = serializers.CharField()
    external_ref = serializers.CharField(help_text="来源平台（如省级 12345 平台）的工单号")
    deputy_level = serializers.ChoiceField(
        choices=_blank_or(DeputyLevel), help_text="人大代表级别（人大代表专席的工单）"
    )
    citizen = serializers.SerializerMethodField()
    confidential = serializers.BooleanField()
    urgent = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Status.choices())
    status_label = serializers.SerializerMethodField()
    disposition = serializers.ChoiceField(choices=_blank_or(Disposition))
    lead_unit = serializers.CharField(source="lead_unit.code", allow_null=True, default=None)
    lead_unit_name = serializers.CharField(source="lead_unit.name", allow_null=True, default=None)
    sign_by = serializers.DateTimeField(allow_null=True)
    sign_by_provisional = serializers.SerializerMethodField(
        help_text="签收时限落在节假日安排尚未录入的年份（按临时日历计算，录入后可能调整）"
    )
    deadline = serializers.DateTimeField(allow_null=True)
    deadline_provisional = serializers.SerializerMethodField(
        help_text="办理时限落在节假日安排尚未录入的年份（按临时日历计算，录入后可能调整）"
    )
    difficult = serializers.BooleanField()
    supervision = serializers.ChoiceField(choices=_blank_or(SupervisionLevel))
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(CitizenOut(allow_null=True))
    def get_citizen(self, order) -> dict | None:
        return _citizen(order, self.context["viewer"])

    def get_status_label(self, order) -> str:
        return Status(order.status).label

    def get_sign_by_provisional(self, order) -> bool:
        return _provisional(order.sign_by, order.urgent, self._calendar)

    def get_deadline_provisional(self, order) -> bool:
        return _provisional(order.deadline, order.urgent, self._calendar)

    def _calendar(self):
        # SPEC 4 (2026-12): read once per answer, however many orders it lists.
        if "_calendar" not in self.context:
            self.context["_calendar"] = working_calendar()
        return self.context["_calendar"]


class EventOut(DeclaredOnce, serializers.Serializer):
    seq = serializers.IntegerField()
    type = serializers.CharField()
    label = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    from_status = serializers.CharField(help_text="登记事件为空字符串")
    to_status = serializers.CharField()
    data = serializers.DictField(help_text="事件内容（单位以编码表示）")

    def get_label(self, event) -> str:
        return _event_label(event)


class OrderDetailOut(DeclaredOnce, OrderItemOut):
    reject_reason = serializers.ChoiceField(choices=_blank_or(RejectReason))
    tags = serializers.SerializerMethodField()
    call_id = serializers.CharField()
    co_units = serializers.SerializerMethodField()
    sub_unit = serializers.CharField(source="sub_unit.code", allow_null=True, default=None)
    signed_at = serializers.SerializerMethodField()
    extension_until = serializers.SerializerMethodField()
    paused = serializers.BooleanField()
    pause_request = serializers.SerializerMethodField(
        help_text="待审批的暂停计时申请的计划恢复时间（无则为 null）"
    )
    overdue = serializers.SerializerMethodField(
        help_text="办理时限曾在办理中届满（延期、暂停不改变）"
    )
    concluded_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.CharField(source="merged_into.number", allow_null=True, default=None)
    split_from = serializers.CharField(source="split_from.number", allow_null=True, default=None)
    split_into = serializers.SerializerMethodField()
    supervision_answer = serializers.SerializerMethodField(
        help_text="督办待回复时：被督办单位编码与回复期限（已告知单位领导时 due 为空）"
    )
    summary = serializers.SerializerMethodField(
        help_text="修正后的诉求摘要（工单修正；市民原话见 content，从不修改）"
    )
    callback_agent = serializers.CharField(
        help_text="回访分配：负责该工单回访的回访员用户名（空为未分配）"
    )
    answer = serializers.SerializerMethodField(
        help_text="网上答复内容：受理审核时当场答复并写明的答复，经原渠道回复市民（无则为 null）"
    )
    events = serializers.SerializerMethodField()

    def _state(self, order):
        cache = self.context.setdefault("_states", {})
        if order.pk not in cache:
            cache[order.pk] = order_state(order)
        return cache[order.pk]

    def get_tags(self, order) -> list[str]:
        return [tag.name for tag in order.tags.all()]

    @extend_schema_field(UnitRefOut(many=True))
    def get_co_units(self, order) -> list[dict]:
        return _co_units(self._state(order))

    @extend_schema_field(SupervisionAnswerOut(allow_null=True))
    def get_supervision_answer(self, order) -> dict | None:
        return _supervision_answer(self._state(order))

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_signed_at(self, order):
        return _moment(self._state(order).signed_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_pause_request(self, order):
        return _moment(self._state(order).pause_request)

    def get_overdue(self, order) -> bool:
        return self._state(order).overdue

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_extension_until(self, order):
        return _moment(self._state(order).extension_until)

    def get_summary(self, order) -> str:
        return self._state(order).summary

    def get_split_into(self, order) -> list[str]:
        return list(self._state(order).split_into)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_answer(self, order):
        return _answer(order)

    @extend_schema_field(EventOut(many=True))
    def get_events(self, order) -> list[dict]:
        return EventOut(order_history(order=order), many=True).data


def order_detail(order, viewer) -> dict:
    """``OrderDetailOut``'s document of ``order`` as ``viewer`` sees it, without DRF's
    field objects. Each value is what the serializer's field makes of it: a character
    field's string, a moment by ``_moment``, a vocabulary's value as stored."""
    state = order_state(order)
    category, region, lead, sub_unit = order.category, order.region, order.lead_unit, order.sub_unit
    merged_into, split_from = order.merged_into, order.split_from
    # The calendar is read only for an order that has a deadline, and then once.
    calendar = functools.cache(working_calendar)
    return {
        "number": order.number,
        "received_at": _moment(order.received_at),
        "channel": order.channel,
        "appeal_type": order.appeal_type,
        "category": category.code if category else None,
        "category_name": category.name if category else None,
        "region": region.code if region else None,
        "region_name": region.name if region else None,
        "address": order.address,
        "lat": _float(order.latitude),
        "long": _float(order.longitude),
        "content": order.content,
        "external_ref": order.external_ref,
        "deputy_level": order.deputy_level,
        "citizen": _citizen(order, viewer),
        "confidential": order.confidential,
        "urgent": order.urgent,
        "status": order.status,
        "status_label": Status(order.status).label,
        "disposition": order.disposition,
        "lead_unit": lead.code if lead else None,
        "lead_unit_name": lead.name if lead else None,
        "sign_by": _moment(order.sign_by),
        "sign_by_provisional": _provisional(order.sign_by, order.urgent, calendar),
        "deadline": _moment(order.deadline),
        "deadline_provisional": _provisional(order.deadline, order.urgent, calendar),
        "difficult": order.difficult,
        "supervision": order.supervision,
        "version": order.version,
        "updated_at": _moment(order.updated_at),
        "reject_reason": order.reject_reason,
        "tags": [tag.name for tag in order.tags.all()],
        "call_id": order.call_id,
        "co_units": _co_units(state),
        "sub_unit": sub_unit.code if sub_unit else None,
        "signed_at": _moment(state.signed_at),
        "extension_until": _moment(state.extension_until),
        "paused": order.paused,
        "pause_request": _moment(state.pause_request),
        "overdue": state.overdue,
        "concluded_at": _moment(order.concluded_at),
        "on_time": order.on_time,
        "closed_at": _moment(order.closed_at),
        "merged_into": merged_into.number if merged_into else None,
        "split_from": split_from.number if split_from else None,
        "split_into": list(state.split_into),
        "supervision_answer": _supervision_answer(state),
        "summary": state.summary,
        "callback_agent": order.callback_agent,
        "answer": _answer(order),
        "events": [
            {
                "seq": event.seq,
                "type": event.type,
                "label": _event_label(event),
                "at": _moment(event.at),
                "actor": event.actor.username if event.actor_id else None,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "data": {str(key): value for key, value in event.data.items()},
            }
            for event in order_history(order=order)
        ],
    }


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
