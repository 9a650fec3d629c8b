"""The call-event interface for the switch (SPEC 8, 2026-12): one POST per event —
ringing, answered (at a seat), ended, missed — with the switch's own token.

A repeated event is absorbed (200, ``duplicate: true``) and an event arriving before
the ones it follows is kept and the call recomputed, so a switch may retry freely.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api.fields import DateTimeIn, SingleLineText
from hotline.api.permissions import BearerTokenAuthentication, HasSystemToken
from hotline.api.schema import errors
from hotline.calls.live import call_event_record
from hotline.calls.selectors import seat_holder, switch_by_token
from hotline.domain.telephony import CallEvent, CallEventKind
from hotline.domain.text_input import phone_input


class SwitchTokenAuthentication(BearerTokenAuthentication):
    """A switch's token issued by the administrator."""

    def find(self, token: str):
        return switch_by_token(token=token)


class IsSwitch(HasSystemToken):
    missing = "请以交换机的令牌提交：Authorization: Bearer <令牌>"


def caller_number(text: str) -> str:
    """Digits only when it is a phone number (the form orders keep), else as sent
    (``anonymous``)."""
    return phone_input(text) or text if text else ""


class CallEventIn(serializers.Serializer):
    call_id = SingleLineText(max_length=40, help_text="交换机的来电编号（同一通电话的各事件相同）")
    event = serializers.ChoiceField(
        choices=[k.value for k in CallEventKind],
        help_text="ringing 振铃/排队 · answered 接听 · ended 结束 · missed 未接（呼损）",
        error_messages={"invalid_choice": "事件只能是 ringing、answered、ended 或 missed"},
    )
    at = DateTimeIn(help_text="事件发生时间，ISO 8601 带时区偏移")
    caller = SingleLineText(max_length=20, required=False, allow_blank=True, default="")
    callee = SingleLineText(max_length=20, required=False, allow_blank=True, default="")
    queue = SingleLineText(max_length=40, required=False, allow_blank=True, default="")
    seat = SingleLineText(
        max_length=40, required=False, allow_blank=True, default="", help_text="接听坐席（分机号）"
    )
    recording = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="录音地址（http/https），通常随 ended 事件",
    )

    def validate(self, data):
        if data["event"] == CallEventKind.ANSWERED and not data["seat"]:
            raise serializers.ValidationError({"seat": "接听事件须注明坐席（seat）"})
        return data


class CallEventOut(serializers.Serializer):
    call_id = serializers.CharField()
    event = serializers.CharField()
    duplicate = serializers.BooleanField(help_text="该来电的该事件此前已收到，本次未改变记录")
    status = serializers.CharField(help_text="来电当前状态：ringing、answered、ended、missed")
    seat_signed_in = serializers.BooleanField(
        allow_null=True, help_text="answered 事件：该坐席是否有话务员签入（签入才会弹屏）"
    )


class CallEventsApi(APIView):
    authentication_classes = [SwitchTokenAuthentication]
    permission_classes = [IsSwitch]

    @extend_schema(
        operation_id="call_event",
        summary="交换机上报话务事件",
        description=(
            "每个事件一次 POST。同一来电同一事件重复上报被吸收（200，duplicate 为 true）；"
            "事件先后颠倒也按时间重算来电记录。令牌由系统管理员在「交换机」中签发。"
        ),
        request=CallEventIn,
        responses={201: CallEventOut, 200: CallEventOut, **errors(400, 401)},
        examples=[
            OpenApiExample(
                "接听",
                request_only=True,
                value={
                    "call_id": "1733450000.42",
                    "event": "answered",
                    "at": "2026-12-07T09:30:12+08:00",
                    "caller": "13800000001",
                    "callee": "12345",
                    "queue": "hotline",
                    "seat": "8001",
                },
            )
        ],
        tags=["calls"],
    )
    def post(self, request):
        data = CallEventIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        event = CallEvent(
            call_id=d["call_id"],
            kind=CallEventKind(d["event"]),
            at=d["at"],
            caller=caller_number(d["caller"]),
            callee=d["callee"],
            queue=d["queue"],
            seat=d["seat"],
            recording=d["recording"],
        )
        outcome = call_event_record(switch=request.auth, event=event)
        signed_in = None
        if event.kind is CallEventKind.ANSWERED:
            signed_in = seat_holder(extension=event.seat) is not None
        body = {
            "call_id": event.call_id,
            "event": event.kind.value,
            "duplicate": outcome.duplicate,
            "status": outcome.call.status,
            "seat_signed_in": signed_in,
        }
        return Response(body, status=status.HTTP_200_OK if outcome.duplicate else 201)
