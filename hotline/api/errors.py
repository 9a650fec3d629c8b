"""One error shape for the whole API: ``{"error": {"code", "message", "field"}}``.

Every refusal of the domain is a ``DomainError`` with a stable ``code`` and a Chinese
message; this handler only chooses the HTTP status. Bad input never reaches a
service unparsed, so it never becomes a 500. A database that cannot be reached is a
503 that the client may retry.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from hotline.domain.callback_assignment import AssignedElsewhere, OwnCallbacksOnly
from hotline.domain.errors import DomainError
from hotline.domain.permissions import NotPermitted
from hotline.orders.services.intake import ExternalRefTaken
from hotline.orders.services.intake_once import KeyReused
from hotline.orders.services.recording import StaleOrder, WrongUnit

# Refusals that are about who asks, or about a change someone else made first.
DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotPermitted, status.HTTP_403_FORBIDDEN),
    (WrongUnit, status.HTTP_403_FORBIDDEN),
    (StaleOrder, status.HTTP_409_CONFLICT),
    (ExternalRefTaken, status.HTTP_409_CONFLICT),
    (KeyReused, status.HTTP_409_CONFLICT),
    (OwnCallbacksOnly, status.HTTP_403_FORBIDDEN),
    (AssignedElsewhere, status.HTTP_409_CONFLICT),
)

NOT_FOUND_MESSAGE = "未找到该资源，或您无权查看"
DATABASE_UNAVAILABLE_MESSAGE = "数据库暂时不可用，本次请求未能完成，请稍后重试"
# Seconds a client should wait before sending the request again.
DATABASE_RETRY_AFTER = 5

logger = logging.getLogger(__name__)

_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "请先登录或提供有效的令牌（Token）"),
    exceptions.AuthenticationFailed: ("authentication_failed", "令牌无效或已停用"),
    exceptions.NotFound: ("not_found", NOT_FOUND_MESSAGE),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法"),
    exceptions.NotAcceptable: ("not_acceptable", "无法提供所请求的格式"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "请以 application/json 提交"),
    exceptions.ParseError: ("parse_error", "请求内容不是合法的 JSON"),
    exceptions.Throttled: ("throttled", "请求过于频繁，请稍后再试"),
}


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def exception_handler(exc, context):
    if isinstance(exc, OperationalError | InterfaceError):
        # The connection was lost or refused (restart, failover, a terminated backend).
        # Django drops the broken connection when the request ends; the next one reconnects.
        logger.warning("database unavailable: %s", exc)
        return Response(
            error_body("database_unavailable", DATABASE_UNAVAILABLE_MESSAGE),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    if isinstance(exc, DomainError):
        code = next((s for kind, s in DOMAIN_STATUS if isinstance(exc, kind)), 400)
        set_rollback()
        return Response(error_body(exc.code, exc.message, getattr(exc, "field", None)), status=code)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        field, message = first_error(exc.detail)
        set_rollback()
        return Response(error_body("invalid", message, field), status=400)
    if isinstance(exc, exceptions.APIException):
        known = next((pair for kind, pair in _DRF_CODES.items() if isinstance(exc, kind)), None)
        if exc.get_codes() == "too_deep":
            code, message = "too_deep", str(exc.detail)
        elif known:
            code, message = known
        elif isinstance(exc, exceptions.PermissionDenied):
            # The refusing permission (or the CSRF check) says why.
            code, message = "not_permitted", str(exc.detail)
        else:
            code, message = exc.default_code, str(exc.detail)
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        set_rollback()
        return Response(error_body(code, message), status=exc.status_code, headers=headers)
    return None


def first_error(detail, prefix: str = "") -> tuple[str | None, str]:
    """The dotted path of the first invalid field and its message."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                return first_error(value, prefix)
            if isinstance(key, int):  # the position of an item in a list
                return first_error(value, f"{prefix}[{key}]")
            return first_error(value, f"{prefix}.{key}" if prefix else str(key))
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                if value:
                    return first_error(value, f"{prefix}[{index}]")
                continue
            return prefix or None, str(value)
    if detail:
        return prefix or None, str(detail)
    return prefix or None, "请求内容不正确"


class ErrorDetailOut(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的错误代码，如 invalid_transition、stale_order")
    message = serializers.CharField(help_text="中文说明")
    field = serializers.CharField(allow_null=True, help_text="出错的字段（如有）")


class ErrorOut(serializers.Serializer):
    error = ErrorDetailOut()
