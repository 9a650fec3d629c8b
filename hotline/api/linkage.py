"""The 110 system's interface (SPEC 3, 2026-12: 12345–110 联动): one POST per matter 110
hands over to 12345, with the 110 system's own token. The matter becomes a
``police_110`` order in the operators' intake review; when it is concluded, the result
is posted back to the 110 system's endpoint (``linkage.services``, docs/operations.md).

A matter sent again under the same 110 reference gets the same order (200,
``repeated: true``), so 110 may retry freely.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api.fields import FreeText, PhoneText, RegionCodeField, SingleLineText
from hotline.api.permissions import BearerTokenAuthentication, HasSystemToken
from hotline.api.schema import errors
from hotline.domain.enums import AppealType, Status
from hotline.domain.intake import ADDRESS_MAX, CONTENT_MAX
from hotline.linkage.selectors import police_line_by_token
from hotline.linkage.services import HandoverRequest, police_handover


class PoliceTokenAuthentication(BearerTokenAuthentication):
    """A 110 system's token, issued with ``hotline linkage token``."""

    def find(self, token: str):
        return police_line_by_token(token=token)


class IsPoliceLine(HasSystemToken):
    missing = "请以110系统的令牌提交：Authorization: Bearer <令牌>"


class CallerIn(serializers.Serializer):
    name = SingleLineText(max_length=50, required=False, allow_blank=True, default="")
    phone = PhoneText(max_length=30, required=False, allow_blank=True, default="")


class HandoverIn(serializers.Serializer):
    police_ref = SingleLineText(
        max_length=40, help_text="110警情编号（同一编号重复提交不会重复登记）"
    )
    content = FreeText(max_length=CONTENT_MAX, help_text="诉求内容（来电人反映的情况）")
    appeal_type = serializers.ChoiceField(
        choices=AppealType.choices(), default=AppealType.OTHER.value
    )
    address = SingleLineText(max_length=ADDRESS_MAX, required=False, allow_blank=True, default="")
    region = RegionCodeField(required=False, allow_null=True, default=None, help_text="区划代码")
    caller = CallerIn(required=False, default=None, allow_null=True)
    note = FreeText(
        max_length=CONTENT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="110接警员的说明",
    )
    urgent = serializers.BooleanField(default=False)


class HandoverOut(serializers.Serializer):
    number = serializers.CharField(help_text="12345工单编号")
    police_ref = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices())
    status_label = serializers.CharField()
    repeated = serializers.BooleanField(help_text="该警情编号此前已转入，返回原工单")


class PoliceHandoverApi(APIView):
    authentication_classes = [PoliceTokenAuthentication]
    permission_classes = [IsPoliceLine]

    @extend_schema(
        operation_id="police_110_handover",
        summary="110转入12345",
        description=(
            "110 将非警务类诉求转交12345：登记为「110转入」渠道的工单，进入话务员受理审核；"
            "办结后结果推送至110（见运维文档）。令牌由系统管理员用 `hotline linkage token` 签发。"
        ),
        request=HandoverIn,
        responses={201: HandoverOut, 200: HandoverOut, **errors(400, 401)},
        examples=[
            OpenApiExample(
                "路灯不亮",
                request_only=True,
                value={
                    "police_ref": "JQ20261207000123",
                    "content": "来电人反映书院路88号路灯不亮已一周，非警情，转12345。",
                    "address": "岳塘区书院路88号",
                    "caller": {"name": "周女士", "phone": "13800000009"},
                    "note": "接警员 8012",
                },
            )
        ],
        tags=["linkage"],
    )
    def post(self, request):
        data = HandoverIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        caller = d["caller"] or {"name": "", "phone": ""}
        handed = police_handover(
            line=request.auth,
            request=HandoverRequest(
                police_ref=d["police_ref"],
                content=d["content"],
                appeal_type=d["appeal_type"],
                address=d["address"],
                region=d["region"],
                caller_name=caller["name"],
                caller_phone=caller["phone"],
                note=d["note"],
                urgent=d["urgent"],
            ),
        )
        order = handed.handover.order
        body = {
            "number": order.number,
            "police_ref": handed.handover.police_ref,
            "status": order.status,
            "status_label": Status(order.status).label,
            "repeated": handed.repeated,
        }
        return Response(body, status=status.HTTP_200_OK if handed.repeated else 201)
