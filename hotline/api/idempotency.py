"""The ``Idempotency-Key`` header of the registration endpoints, as the API reads,
documents and answers it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from hotline.orders.services.intake_once import KEY_MAX, Answer, idempotency_key

HEADER = "Idempotency-Key"

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=f"客户端为每次登记生成的唯一键（不超过 {KEY_MAX} 个可见 ASCII 字符），重发时不变",
)


def request_key(request) -> str:
    return idempotency_key(request.headers.get(HEADER, ""))


def replay_headers(answer: Answer) -> dict[str, str]:
    return {"Idempotent-Replayed": "true"} if answer.replayed else {}
