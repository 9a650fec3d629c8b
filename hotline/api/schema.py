"""OpenAPI pieces shared by the API's views (drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from hotline.api.errors import ErrorOut


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses an operation can give, all in the one error shape."""
    meaning = {
        400: "请求内容不正确，或业务规则拒绝（code 说明原因）",
        401: "未登录或令牌无效",
        403: "无权执行（角色或单位不符）",
        404: "不存在或无权查看",
        409: "工单已被他人改动（version 过期），或外部工单号、幂等键已用于另一次登记",
    }
    return {s: OpenApiResponse(ErrorOut, description=meaning[s]) for s in statuses}


READ_ERRORS = errors(400, 401, 403)
WRITE_ERRORS = errors(400, 401, 403, 404, 409)

NUMBER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="工单编号，如 20260000001",
    examples=[OpenApiExample("工单编号", value="20260000001")],
)
