"""Orders: the list (keyset-paginated, filtered), registration, and the detail."""

from dataclasses import replace

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api import pagination
from hotline.api.declared import DeclaredOnce
from hotline.api.fields import (
    CategoryCodeField,
    DateIn,
    DateTimeIn,
    FreeText,
    PhoneText,
    RegionCodeField,
    SingleLineText,
    TagNameField,
    looks_like_number,
)
from hotline.api.idempotency import IDEMPOTENCY_KEY, replay_headers, request_key
from hotline.api.intake_input import plain_intake
from hotline.api.order_output import OrderDetailOut, OrderItemOut, order_detail
from hotline.api.rendered import rendered
from hotline.api.schema import NUMBER, READ_ERRORS, errors
from hotline.api.selectors import OrderFilters, order_list
from hotline.domain.enums import (
    AppealType,
    Channel,
    CitizenKind,
    DeputyLevel,
    Disposition,
    Status,
)
from hotline.domain.intake import (
    ADDRESS_MAX,
    CALL_ID_MAX,
    CITIZEN_NAME_MAX,
    CONTENT_MAX,
    EXTERNAL_REF_MAX,
    ID_NUMBER_MAX,
    PHONE_INPUT_MAX,
)
from hotline.orders.models import Order
from hotline.orders.selectors import order_get
from hotline.orders.services.intake import CitizenInput, Intake
from hotline.orders.services.intake_once import (
    natural_key,
    order_register_once,
    request_fingerprint,
)


def visible_order(number: str, viewer) -> Order:
    """The order by number, or 404 when it does not exist or the viewer may not see it."""
    if not looks_like_number(number):
        raise NotFound
    return order_get(number=number, viewer=viewer)


def detail(order: Order, viewer) -> dict:
    return OrderDetailOut(order, context={"viewer": viewer}).data


class OrderFiltersIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices(), required=False)
    disposition = serializers.ChoiceField(choices=Disposition.choices(), required=False)
    channel = serializers.ChoiceField(choices=Channel.choices(), required=False)
    appeal_type = serializers.ChoiceField(choices=AppealType.choices(), required=False)
    lead_unit = serializers.CharField(max_length=40, required=False, help_text="主办单位编码")
    category = serializers.CharField(
        max_length=20, required=False, help_text="事项分类编码（含其下级分类）"
    )
    region = serializers.CharField(
        max_length=20, required=False, help_text="区划代码（含其下级区划）"
    )
    received_from = DateIn(required=False, help_text="受理日期起（含），本地日期")
    received_to = DateIn(required=False, help_text="受理日期止（含），本地日期")
    updated_since = DateTimeIn(
        required=False, help_text="只列出此时刻之后有办理记录的工单（增量同步）"
    )
    number = serializers.CharField(max_length=20, required=False, help_text="工单编号")
    external_ref = serializers.CharField(
        max_length=EXTERNAL_REF_MAX, required=False, help_text="来源平台的工单号"
    )
    text = SingleLineText(
        max_length=100,
        required=False,
        help_text="诉求内容或答复中的字词，多个词用空格分开、须同时出现（如「施工 噪音」）",
    )
    cursor = pagination.CursorField(required=False, help_text="上一页返回的 next 链接中的游标")
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=pagination.MAX_PAGE_SIZE,
        default=pagination.PAGE_SIZE,
        help_text=f"每页条数，默认 {pagination.PAGE_SIZE}，最多 {pagination.MAX_PAGE_SIZE}",
    )


class OrderPageOut(pagination.PageOut):
    results = OrderItemOut(many=True)


class CitizenIn(serializers.Serializer):
    name = SingleLineText(max_length=CITIZEN_NAME_MAX, required=False, allow_blank=True, default="")
    phone = PhoneText(max_length=PHONE_INPUT_MAX, required=False, allow_blank=True, default="")
    id_number = SingleLineText(
        max_length=ID_NUMBER_MAX, required=False, allow_blank=True, default=""
    )
    kind = serializers.ChoiceField(choices=CitizenKind.choices(), default=CitizenKind.URBAN.value)


class IntakeIn(DeclaredOnce, serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices())
    appeal_type = serializers.ChoiceField(choices=AppealType.choices())
    content = FreeText(max_length=CONTENT_MAX)
    category = CategoryCodeField(required=False, allow_null=True, default=None)
    region = RegionCodeField(required=False, allow_null=True, default=None)
    address = SingleLineText(max_length=ADDRESS_MAX, required=False, allow_blank=True, default="")
    citizen = CitizenIn(required=False, allow_null=True, default=None)
    confidential = serializers.BooleanField(default=False)
    urgent = serializers.BooleanField(default=False)
    tags = TagNameField(many=True, required=False, default=list, help_text="专项标签名称")
    call_id = SingleLineText(max_length=CALL_ID_MAX, required=False, allow_blank=True, default="")
    external_ref = SingleLineText(
        max_length=EXTERNAL_REF_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="来源平台（如省级 12345 平台）自己的工单号；同一渠道内唯一，重发时登记为同一工单",
    )
    deputy_level = serializers.ChoiceField(
        choices=DeputyLevel.choices(),
        required=False,
        allow_blank=True,
        default="",
        help_text="人大代表级别：人大代表专席的工单必填，其他渠道不得填写",
    )
    lat = serializers.FloatField(
        min_value=-90, max_value=90, required=False, allow_null=True, default=None
    )
    long = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True, default=None
    )


def intake_from(data: dict) -> Intake:
    citizen = data["citizen"]
    return Intake(
        channel=data["channel"],
        appeal_type=data["appeal_type"],
        content=data["content"],
        category=data["category"],
        region=data["region"],
        address=data["address"],
        citizen=CitizenInput(**citizen) if citizen else None,
        confidential=data["confidential"],
        urgent=data["urgent"],
        tags=tuple(data["tags"]),
        call_id=data["call_id"],
        external_ref=data["external_ref"],
        deputy_level=data["deputy_level"],
        latitude=data["lat"],
        longitude=data["long"],
    )


class OrdersApi(APIView):
    @extend_schema(
        operation_id="orders_list",
        summary="工单列表",
        description="按受理时间、编号排序的键集分页；承办单位只看到本单位的工单。",
        parameters=[OrderFiltersIn],
        responses={200: OrderPageOut, **READ_ERRORS},
        tags=["orders"],
    )
    def get(self, request):
        query = OrderFiltersIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        after, size = params.pop("cursor", None), params.pop("page_size")
        orders = order_list(viewer=request.user, filters=OrderFilters(**params))
        rows, key = pagination.keyset_page(orders, after=after, size=size)
        return Response(
            {
                "next": pagination.next_link(request, key),
                "results": OrderItemOut(rows, many=True, context={"viewer": request.user}).data,
            }
        )

    @extend_schema(
        operation_id="orders_register",
        summary="登记工单",
        description=(
            "带 `Idempotency-Key` 请求头（或 `external_ref`、`call_id`）重发同一请求时，"
            "不再登记新工单，返回首次登记的应答（响应头 `Idempotent-Replayed: true`）；"
            "同一个键、不同的请求内容答 409，不登记。"
            "网上渠道（网站、微信、移动应用、信箱、留言板、省级平台、110转入）的工单"
            "先进入话务员的受理审核队列。"
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=IntakeIn,
        responses={201: OrderDetailOut, **errors(400, 401, 403, 409)},
        tags=["orders"],
    )
    def post(self, request):
        fields = plain_intake(request.data)
        if fields is None:  # not plainly valid: the serializer reads it and says what is wrong
            data = IntakeIn(data=request.data)
            data.is_valid(raise_exception=True)
            fields = data.validated_data
        # SPEC 3 (2026-12): what an online channel's system sends waits for intake review.
        intake = replace(intake_from(fields), review=True)
        key = request_key(request) or natural_key(intake)
        answer = order_register_once(
            actor=request.user,
            intake=intake,
            key=key,
            answer=lambda order: order_detail(order, request.user),
            # Only a request with a key can be a repeat whose content is compared.
            fingerprint=request_fingerprint(request.data) if key else "",
        )
        return rendered(
            request, answer.body, status=status.HTTP_201_CREATED, headers=replay_headers(answer)
        )


class OrderDetailApi(APIView):
    @extend_schema(
        operation_id="orders_detail",
        summary="工单详情与办理记录",
        parameters=[NUMBER],
        responses={200: OrderDetailOut, **errors(401, 404)},
        tags=["orders"],
    )
    def get(self, request, number: str):
        return Response(detail(visible_order(number, request.user), request.user))
