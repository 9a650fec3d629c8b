"""Call records from the telephony system (SPEC 8 and 11): one record or a list,
stored all together or not at all."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api.fields import DateTimeIn, SingleLineText
from hotline.api.permissions import CanImportCalls
from hotline.api.schema import errors
from hotline.calls.services import calls_record
from hotline.interchange.call_records import MAX_SECONDS, CallRecord

MAX_RECORDS = 10_000


class CallRecordIn(serializers.Serializer):
    id = SingleLineText(max_length=40, help_text="话务系统的来电编号，唯一")
    started_at = DateTimeIn(help_text="来电时间，ISO 8601 带时区偏移")
    caller = SingleLineText(max_length=20, help_text="来电号码")
    answered = serializers.BooleanField(help_text="是否接听（true/false 或 1/0）")
    agent = SingleLineText(max_length=40, required=False, allow_blank=True, default="")
    wait_seconds = serializers.IntegerField(
        min_value=0, max_value=MAX_SECONDS, required=False, allow_null=True, default=None
    )
    talk_seconds = serializers.IntegerField(
        min_value=0, max_value=MAX_SECONDS, required=False, allow_null=True, default=None
    )


class CallsStoredOut(serializers.Serializer):
    count = serializers.IntegerField(help_text="写入的来电记录数")


def call_records(rows: list[dict]) -> list[CallRecord]:
    return [CallRecord(**row, line=index) for index, row in enumerate(rows, start=1)]


class CallsApi(APIView):
    permission_classes = [CanImportCalls]

    @extend_schema(
        operation_id="calls_record",
        summary="提交来电记录",
        description=(
            "一条记录（对象）或多条（数组）；任何一条有误或编号重复则全部不写入。"
            f"每次最多 {MAX_RECORDS} 条。仅限热线办、系统管理员和接口系统的令牌。"
        ),
        request=PolymorphicProxySerializer(
            component_name="CallRecordsIn",
            serializers=[CallRecordIn, CallRecordIn(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={201: CallsStoredOut, **errors(400, 401, 403)},
        tags=["calls"],
    )
    def post(self, request):
        many = isinstance(request.data, list)
        data = CallRecordIn(
            data=request.data,
            many=many,
            **({"allow_empty": False, "max_length": MAX_RECORDS} if many else {}),
        )
        data.is_valid(raise_exception=True)
        rows = data.validated_data if many else [data.validated_data]
        count = calls_record(records=call_records(rows))
        return Response({"count": count}, status=status.HTTP_201_CREATED)
