"""GeoReport v2 endpoints. Services are public; requests are read by anyone only when
the office turns public reads on (SPEC 11, 2026-12), otherwise with the ``api_key`` of
a system that posts them. Posting a request needs an ``api_key`` (a REST API token of a
user allowed to register orders), in the query string or the body, and is rate-limited
per client address. Every refusal, on any path under ``/open311/``, is in the
standard's error shape."""

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
from hotline.configuration.selectors import open311_public_reads
from hotline.directory.models import Category
from hotline.domain.enums import AppealType, Channel
from hotline.domain.errors import DomainError
from hotline.domain.permissions import may
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
from hotline.orders.services.intake_once import order_register_once, request_fingerprint
from hotline.security import ratelimit
from hotline.security.json_depth import nests_deeper_than

# DRF's tokens are 40 characters.
TOKEN_LENGTH = Token._meta.get_field("key").max_length


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
    _check_reader(request)
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
    _check_reader(request)
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
    user = _api_user(_api_key(request, body))
    form = NewRequestForm(body)
    if not form.is_valid():
        raise Refusal(400, first_problem(form))
    data = form.cleaned_data
    try:
        category = service_get(code=data["service_code"])
    except Category.DoesNotExist:
        raise Refusal(400, f"service_code「{data['service_code']}」不存在或不是末级分类") from None
    citizen = CitizenInput(name=form.citizen_name(), phone=data["phone"])
    intake = Intake(
        channel=Channel.WEBSITE.value,
        appeal_type=data["appeal_type"] or AppealType.OTHER.value,
        content=data["description"],
        category=category,
        address=form.address(),
        citizen=citizen,
        latitude=data["lat"],
        longitude=data["long"],
        review=True,  # SPEC 3 (2026-12): the operators classify it first
    )
    sent = {k: v for k, v in body.items() if k != "api_key"}
    try:
        answer = order_register_once(
            actor=user,
            intake=intake,
            key=request_key(request),
            answer=created_row,
            fingerprint=request_fingerprint(sent),
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


def _api_key(request, body) -> str | None:
    """The key from the query string or the body (clients put it in either); the two
    must agree when both are given."""
    in_query, in_body = request.GET.get("api_key"), body.get("api_key")
    if in_query and in_body and in_query != in_body:
        raise Refusal(400, "查询串与请求体中的 api_key 不一致")
    return in_query or in_body


def _api_user(key):
    if not key or not isinstance(key, str):
        raise Refusal(400, "缺少 api_key")
    try:
        # The whole key, exactly: a longer string that starts with a key is no key.
        if not (key.isascii() and key.isalnum() and len(key) <= TOKEN_LENGTH):
            raise Token.DoesNotExist
        token = Token.objects.select_related("user").get(key=key)
    except Token.DoesNotExist:
        raise Refusal(403, "api_key 无效") from None
    if not token.user.is_active:
        raise Refusal(403, "api_key 已停用")
    return token.user


def _check_reader(request) -> None:
    """SPEC 11 (2026-12): requests are public only when the office says so; otherwise
    only a system that may post them reads them back, with its api_key."""
    if open311_public_reads():
        return
    if not request.GET.get("api_key"):
        raise Refusal(403, "本热线未开放工单公开查询；接入系统请附 api_key 查询")
    if not may(_api_user(request.GET["api_key"]).role, "register"):
        raise Refusal(403, "该 api_key 无权查询工单")


@georeport("GET")
def token(request, fmt, token_id):
    """GeoReport v2 ``tokens/{id}``: this service answers a post with its
    service_request_id at once, so it never hands out a token to look up later."""
    raise Refusal(404, f"token「{token_id[:40]}」不存在：本服务提交后即返回 service_request_id")


@csrf_exempt
def unknown(request, path):
    """Any other path under /open311/: a GeoReport client still gets the error shape."""
    fmt = "xml" if path.endswith(".xml") else "json"
    return formats.error(fmt, 404, "没有这个 Open311 接口，请见 discovery.json")
