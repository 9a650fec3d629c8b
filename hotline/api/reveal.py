"""``POST /api/orders/{number}/reveal/``: the citizen's identity in full, for a role
whose work is talking to the citizen, with the purpose stated. Like the pages' reveal
button it leaves an audit record (``audit.services.identity_reveal``); without it the
API shows the identity masked."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api.fields import FreeText
from hotline.api.orders import visible_order
from hotline.api.schema import NUMBER, errors
from hotline.audit import services as audit

PURPOSE_MAX = 200


class RevealIn(serializers.Serializer):
    purpose = FreeText(max_length=PURPOSE_MAX, help_text="查看原因，如「回访」「联系市民补充材料」")


class RevealedOut(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    id_number = serializers.CharField()


class IdentityRevealApi(APIView):
    @extend_schema(
        operation_id="orders_identity_reveal",
        summary="查看市民完整信息（留痕）",
        description="话务员、回访员和热线办可查看；每次查看都记入审计日志。",
        parameters=[NUMBER],
        request=RevealIn,
        responses={200: RevealedOut, **errors(400, 401, 403, 404)},
        tags=["orders"],
    )
    def post(self, request, number: str):
        order = visible_order(number, request.user)
        data = RevealIn(data=request.data)
        data.is_valid(raise_exception=True)
        identity = audit.identity_reveal(
            order=order,
            actor=request.user,
            purpose=data.validated_data["purpose"],
            address=request.META.get("REMOTE_ADDR") or None,
        )
        return Response(RevealedOut(identity).data)
