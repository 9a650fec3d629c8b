"""GeoReport v2 endpoints. Reads are public; posting a request needs an ``api_key``
(a REST API token of a user allowed to register orders) and is rate-limited per
client address. Every refusal is in the standard's error shape."""

import json
from datetime import timedelta

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.models import Token

from hotline.api.errors import DOMAIN_STATUS
from hotline.api.idempotency import replay_headers, request_key
from hotline.api.parsers import TOO_DEEP
from hotline.api.selectors import catalogue_keywords
from hotline.directory.models import Category
from hotline.domain.enums import AppealType, Channel
from hotline.domain.errors import DomainError
from hotline.open311 import formats
from hotline.open311.forms import NewRequestForm, RequestQueryForm, first_problem
from hotline.open311.representation import (
    created_row,
    request_row,
    service_definition,
    service_row,
)
from hotline.open311.selectors import (
    RequestFilters,
    request_get,
    request_list,
    service_get,
    service_list,
)
from hotline.orders.models import Order
from hotline.orders.services.intake import CitizenInput, Intake
from hotline.orders.services.intake_once import order_register_once
from hotline.security import ratelimit
from hotline.security.json_depth import nests_deeper_than


class Refusal(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def georeport(*methods: str):
    """Checks the method, the format and the jurisdiction; turns refusals into errors."""

    def decorate(view):
        @csrf_exempt
        def wrapped(request, fmt: str, **kwargs):
            try:
                if fmt not in formats.FORMATS:
                    raise Refusal(400, f"不支持的格式「{fmt[:20]}」，请用 .json 或 .xml")
                if request.method not in methods:
                    raise Refusal(405, f"不支持 {request.method} 请求")
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Refusal as refusal:
                return formats.error(fmt, refusal.status, refusal.description)

        return wrapped

    return decorate


def _check_jurisdiction(request) -> None:
    body = _body(request)  # read (and its depth checked) whatever the query says
    given = request.GET.get("jurisdiction_id") or body.get("jurisdiction_id")
    if given and given != settings.HOTLINE_OPEN311_JURISDICTION:
        raise Refusal(
            400, f"jurisdiction_id 不正确，本服务为「{settings.HOTLINE_OPEN311_JURISDICTION}」"
        )


def _body(request) -> QueryDict | dict:
    """Form fields or a JSON object (POST only); ``attribute[x]`` keys flattened to ``x``."""
    if request.method != "POST":
        return {}
    if not hasattr(request, "_open311_body"):
        if request.content_type == "application/json":
            if nests_deeper_than(request.body):
                raise Refusal(400, TOO_DEEP)
            try:
                data = json.loads(request.body or b"{}")
            except (UnicodeDecodeError, ValueError):
                raise Refusal(400, "请求内容不是合法的 JSON") from None
            if not isinstance(data, dict):
                raise Refusal(400, "请求内容须为 JSON 对象")
            attributes = data.pop("attribute", None)
            data = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
            if isinstance(attributes, dict):
                data.update({f"attribute[{k}]": v for k, v in attributes.items()})
        else:
            data = request.POST.dict()
        request._open311_body = {
            key.removeprefix("attribute[").removesuffix("]"): value for key, value in data.items()
        }
    return request._open311_body


# When this interface last changed, for clients that cache the discovery document.
CHANGESET = "2026-03-01T00:00:00+08:00"


@georeport("GET")
def discovery(request, fmt):
    """GeoReport v2 service discovery: where the endpoint is and what it speaks."""
    endpoint = request.build_absolute_uri("/open311/v2/")
    document = {
        "changeset": CHANGESET,
        "contact": "12345 政务服务便民热线",
        "key_service": "api_key 即 REST API 的令牌，由热线办系统管理员发放（见 docs/api.md）",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": endpoint,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return formats.document(fmt, document, root="discovery", item=None)


@georeport("GET")
def services(request, fmt):
    keywords = catalogue_keywords()
    rows = [service_row(c, keywords.get(c.code, [])) for c in service_list()]
    return formats.document(fmt, rows, root="services", item="service")


@georeport("GET")
def service(request, fmt, code):
    try:
        if not code.isprintable():
            raise Category.DoesNotExist
        category = service_get(code=code)
    except Category.DoesNotExist:
        raise Refusal(404, f"service_code「{code[:20]}」不存在") from None
    return formats.document(fmt, service_definition(category), root="service_definition", item=None)


@georeport("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    query = RequestQueryForm(request.GET)
    if not query.is_valid():
        raise Refusal(400, first_problem(query))
    data = query.cleaned_data
    start, end = data["start_date"], data["end_date"]
    if not (start or end or data["service_request_id"]):
        # GeoReport v2: without a date range, the most recent days.
        start = timezone.now() - timedelta(days=settings.HOTLINE_OPEN311_DEFAULT_DAYS)
    filters = RequestFilters(
        numbers=data["service_request_id"],
        service_codes=data["service_code"],
        start=start,
        end=end,
        statuses=data["status"],
    )
    rows = [request_row(order) for order in request_list(filters=filters)]
    return formats.document(fmt, rows, root="service_requests", item="request")


@georeport("GET")
def request_detail(request, fmt, number):
    try:
        if not (number.isascii() and number.isdigit()):
            raise Order.DoesNotExist
        order = request_get(number=number)
    except Order.DoesNotExist:
        raise Refusal(404, f"service_request_id「{number[:20]}」不存在") from None
    return formats.document(fmt, [request_row(order)], root="service_requests", item="request")


def _create(request, fmt):
    if not ratelimit.allow(
        "open311-post",
        ratelimit.client_address(request),
        limit=settings.HOTLINE_OPEN311_POST_LIMIT,
        window=settings.HOTLINE_OPEN311_POST_WINDOW,
    ):
        raise Refusal(429, "提交过于频繁，请稍后再试")
    body = _body(request)
    user = _api_user(body.get("api_key"))
    form = NewRequestForm(body)
    if not form.is_valid():
        raise Refusal(400, first_problem(form))
    data = form.cleaned_data
    try:
        category = service_get(code=data["service_code"])
    except Category.DoesNotExist:
        raise Refusal(400, f"service_code「{data['service_code']}」不存在") from None
    citizen = CitizenInput(name=form.citizen_name(), phone=data["phone"])
    intake = Intake(
        channel=Channel.WEBSITE.value,
        appeal_type=data["appeal_type"] or AppealType.OTHER.value,
        content=data["description"],
        category=category,
        address=form.address(),
        citizen=citizen,
        review=True,  # SPEC 3 (2026-12): the operators classify it first
    )
    try:
        answer = order_register_once(
            actor=user, intake=intake, key=request_key(request), answer=created_row
        )
    except DomainError as refusal:
        status = next((s for kind, s in DOMAIN_STATUS if isinstance(refusal, kind)), 400)
        raise Refusal(status, refusal.message) from None
    response = formats.document(
        fmt, [answer.body], root="service_requests", item="request", status=201
    )
    for name, value in replay_headers(answer).items():
        response.headers[name] = value
    return response


def _api_user(key):
    if not key or not isinstance(key, str):
        raise Refusal(400, "缺少 api_key")
    try:
        if not (key.isascii() and key.isalnum()):
            raise Token.DoesNotExist
        token = Token.objects.select_related("user").get(key=key[:40])
    except Token.DoesNotExist:
        raise Refusal(403, "api_key 无效") from None
    if not token.user.is_active:
        raise Refusal(403, "api_key 已停用")
    return token.user
