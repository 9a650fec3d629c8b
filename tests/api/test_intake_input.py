"""The registration's input: every refusal answers as the API answered before the plain
reader (``api/intake_input``) came in — status, code, field and message pinned to the
letter — every form DRF accepts still registers, and the plain reader gives what
``IntakeIn`` gives for every input it reads itself."""

import json

import pytest

from hotline.api.intake_input import plain_intake
from hotline.api.orders import IntakeIn
from hotline.directory.models import Tag
from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from tests.api.cases_intake_input import ACCEPTED, REFUSED, citizen, good
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

BAD_PHONE = "电话号码格式不正确（如 13800000000 或 0731-58581234）"


# name: (status, code, field, message), as the API answered with DRF's serializer.
ANSWERS = {
    "empty object": (400, "invalid", "channel", "该字段是必填项。"),
    "a list": (400, "invalid", None, "无效数据。期待为字典类型，得到的是 list 。"),
    "a string": (400, "invalid", None, "无效数据。期待为字典类型，得到的是 str 。"),
    "a number": (400, "invalid", None, "无效数据。期待为字典类型，得到的是 int 。"),
    "null": (400, "invalid", None, "No data provided"),
    "channel missing": (400, "invalid", "channel", "该字段是必填项。"),
    "channel unknown": (400, "invalid", "channel", "“fax” 不是合法选项。"),
    "channel empty": (400, "invalid", "channel", "“” 不是合法选项。"),
    "channel null": (400, "invalid", "channel", "该字段不能为 null。"),
    "channel a number": (400, "invalid", "channel", "“1” 不是合法选项。"),
    "channel a list": (400, "invalid", "channel", "“['phone']” 不是合法选项。"),
    "appeal type missing": (400, "invalid", "appeal_type", "该字段是必填项。"),
    "appeal type unknown": (400, "invalid", "appeal_type", "“praise-ish” 不是合法选项。"),
    "appeal type in Chinese": (400, "invalid", "appeal_type", "“投诉” 不是合法选项。"),
    "content missing": (400, "invalid", "content", "该字段是必填项。"),
    "content empty": (400, "invalid", "content", "该字段不能为空。"),
    "content blank": (400, "invalid", "content", "该字段不能为空。"),
    "content invisible": (400, "invalid", "content", "该字段不能为空。"),
    "content null": (400, "invalid", "content", "该字段不能为 null。"),
    "content a list": (400, "invalid", "content", "不是有效的字符串。"),
    "content an object": (400, "invalid", "content", "不是有效的字符串。"),
    "content true": (400, "invalid", "content", "不是有效的字符串。"),
    "content too long": (400, "invalid", "content", "请确保这个字段不能超过 5000 个字符。"),
    "category unknown": (400, "invalid", "category", "事项分类编码「9999」不存在"),
    "category blank": (400, "invalid", "category", "事项分类编码「」不存在"),
    "category a list": (400, "invalid", "category", "事项分类编码「['0501']」不存在"),
    "category an object": (400, "invalid", "category", "事项分类编码「{'code': '0501'}」不存在"),
    "category a number": (400, "invalid", "category", "事项分类编码「501」不存在"),
    "region unknown": (400, "invalid", "region", "区划编码「430399999」不存在"),
    "region a list": (400, "invalid", "region", "区划编码「[]」不存在"),
    "address too long": (400, "invalid", "address", "请确保这个字段不能超过 200 个字符。"),
    "address null": (400, "invalid", "address", "该字段不能为 null。"),
    "address a list": (400, "invalid", "address", "不是有效的字符串。"),
    "citizen a string": (400, "invalid", "citizen", "无效数据。期待为字典类型，得到的是 str 。"),
    "citizen a list": (400, "invalid", "citizen", "无效数据。期待为字典类型，得到的是 list 。"),
    "citizen phone short": (400, "invalid", "citizen.phone", BAD_PHONE),
    "citizen phone long": (400, "invalid", "citizen.phone", BAD_PHONE),
    "citizen phone with words": (400, "invalid", "citizen.phone", BAD_PHONE),
    "citizen phone service line": (400, "invalid", "citizen.phone", BAD_PHONE),
    "citizen phone too long": (400, "invalid", "citizen.phone", BAD_PHONE),
    "citizen phone null": (400, "invalid", "citizen.phone", "该字段不能为 null。"),
    "citizen name too long": (400, "invalid", "citizen.name", "请确保这个字段不能超过 50 个字符。"),
    "citizen name a list": (400, "invalid", "citizen.name", "不是有效的字符串。"),
    "citizen id number too long": (
        400,
        "invalid",
        "citizen.id_number",
        "请确保这个字段不能超过 30 个字符。",
    ),
    "citizen kind unknown": (400, "invalid", "citizen.kind", "“alien” 不是合法选项。"),
    "citizen kind empty": (400, "invalid", "citizen.kind", "“” 不是合法选项。"),
    "citizen kind null": (400, "invalid", "citizen.kind", "该字段不能为 null。"),
    "confidential maybe": (400, "invalid", "confidential", "必须是有效的布尔值。"),
    "confidential null": (400, "invalid", "confidential", "该字段不能为 null。"),
    "confidential two": (400, "invalid", "confidential", "必须是有效的布尔值。"),
    "urgent a list": (400, "invalid", "urgent", "必须是有效的布尔值。"),
    "tags a string": (400, "invalid", "tags", "期望为一个包含物件的列表，得到的类型是“str”。"),
    "tags null": (400, "invalid", "tags", "该字段不能为 null。"),
    "tags unknown": (400, "invalid", "tags", "专项标签「不存在的标签」不存在"),
    "tags with null": (400, "invalid", "tags", "专项标签「None」不存在"),
    "tags with a number": (400, "invalid", "tags", "专项标签「7」不存在"),
    "tags an object": (400, "invalid", "tags", "专项标签「name」不存在"),
    "call id too long": (400, "invalid", "call_id", "请确保这个字段不能超过 40 个字符。"),
    "call id a number list": (400, "invalid", "call_id", "不是有效的字符串。"),
    "external ref too long": (400, "invalid", "external_ref", "请确保这个字段不能超过 40 个字符。"),
    "deputy level unknown": (400, "invalid", "deputy_level", "“mayor” 不是合法选项。"),
    "deputy level county on a phone order": (
        400,
        "invalid_intake",
        "deputy_level",
        "只有人大代表专席的工单登记人大代表级别（本工单为电话）",
    ),
    "deputy level null": (400, "invalid", "deputy_level", "该字段不能为 null。"),
    "deputy level on a phone order": (
        400,
        "invalid_intake",
        "deputy_level",
        "只有人大代表专席的工单登记人大代表级别（本工单为电话）",
    ),
    "lat too big": (400, "invalid", "lat", "请确保该值小于或者等于 90。"),
    "lat too small": (400, "invalid", "lat", "请确保该值大于或者等于 -90。"),
    "lat words": (400, "invalid", "lat", "请填写合法的数字。"),
    "lat a list": (400, "invalid", "lat", "请填写合法的数字。"),
    "long too big": (400, "invalid", "long", "请确保该值小于或者等于 180。"),
    "long too small": (400, "invalid", "long", "请确保该值大于或者等于 -180。"),
    "two fields wrong, channel first": (400, "invalid", "channel", "“fax” 不是合法选项。"),
    "two fields wrong, content first": (400, "invalid", "content", "该字段不能为空。"),
    "citizen and lat wrong": (400, "invalid", "citizen.phone", BAD_PHONE),
    "tags and call id wrong": (400, "invalid", "tags", "专项标签「不存在」不存在"),
}

# Bodies that are not a JSON object: (raw body, content type, status, code, field, message).
RAW = {
    "not JSON": (
        b"channel=phone",
        "application/json",
        400,
        "parse_error",
        None,
        "请求内容不是合法的 JSON",
    ),
    "broken JSON": (
        b'{"channel": "phone",',
        "application/json",
        400,
        "parse_error",
        None,
        "请求内容不是合法的 JSON",
    ),
    "NaN": (
        b'{"channel": "phone", "appeal_type": "complaint", "content": "x", "lat": NaN}',
        "application/json",
        400,
        "parse_error",
        None,
        "请求内容不是合法的 JSON",
    ),
    "form encoded": (
        b"channel=phone",
        "application/x-www-form-urlencoded",
        415,
        "unsupported_media_type",
        None,
        "请以 application/json 提交",
    ),
    "plain text": (
        b"{}",
        "text/plain",
        415,
        "unsupported_media_type",
        None,
        "请以 application/json 提交",
    ),
    "empty body": (
        b"",
        "application/json",
        400,
        "invalid",
        "channel",
        "该字段是必填项。",
    ),
    "too deep": (
        b"[" * 200 + b"]" * 200,
        "application/json",
        400,
        "too_deep",
        None,
        "JSON 嵌套层数过多（最多 32 层）",
    ),
}

# The forms a client normally sends: read by the plain reader, not by the serializer.
COMMON = {
    "the least": good(category=..., region=...),
    "everything": citizen(kind="rural", id_number="430302199001011234")
    | {
        "address": "书院路12号",
        "confidential": True,
        "urgent": False,
        "tags": ["夜间施工"],
        "call_id": "CALL-7",
        "external_ref": "SX-2026-1",
        "lat": 27.83,
        "long": 112,
    },
    "a deputy's order": good(channel="npc_deputy_line", deputy_level="municipal"),
    "typed by hand": citizen(phone="１３８-００００-０００１", name=" 李\u202e先生 ")
    | {
        "content": "  书院路\u200b１２号夜间施工\r\n\r\n\r\n噪音扰民\x00  ",
        "address": "岳塘区\n书院路",
    },
    "nulls": good(category=None, region=None, citizen=None, lat=None, long=None),
}


@pytest.fixture
def operator(city, client_for):
    Tag.objects.create(name="夜间施工")
    return client_for(Role.OPERATOR)


def test_every_refused_input_is_pinned():
    assert set(ANSWERS) == set(REFUSED)


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_refused_registration_answers_as_before_and_writes_nothing(operator, name):
    response = operator.post(
        "/api/orders/",
        json.dumps(REFUSED[name], ensure_ascii=False),
        content_type="application/json",
    )
    status, code, field, message = ANSWERS[name]
    assert response.status_code == status
    assert error_of(response) == {"code": code, "field": field, "message": message}
    assert not Order.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize("name", list(RAW))
def test_a_body_that_is_not_a_json_object_answers_as_before(operator, name):
    raw, content_type, status, code, field, message = RAW[name]
    response = operator.post("/api/orders/", raw, content_type=content_type)
    assert response.status_code == status
    assert error_of(response) == {"code": code, "field": field, "message": message}
    assert not Order.objects.exists()


@pytest.mark.parametrize("name", list(ACCEPTED) + list(COMMON))
def test_every_form_drf_accepts_still_registers(operator, name):
    body = {**ACCEPTED, **COMMON}[name]
    response = operator.post(
        "/api/orders/", json.dumps(body, ensure_ascii=False), content_type="application/json"
    )
    assert response.status_code == 201, response.json()


def _drf(body) -> dict | None:
    serializer = IntakeIn(data=body)
    if not serializer.is_valid():
        return None
    data = dict(serializer.validated_data)
    if data["citizen"] is not None:
        data["citizen"] = dict(data["citizen"])
    return data


@pytest.mark.parametrize("name", list(REFUSED) + list(ACCEPTED) + list(COMMON))
def test_the_plain_reader_gives_what_the_serializer_gives_or_leaves_it_to_it(operator, name):
    body = {**REFUSED, **ACCEPTED, **COMMON}[name]
    plain = plain_intake(body)
    if plain is not None:
        assert plain == _drf(body)
        assert [type(value) for value in plain.values()] == [
            type(value) for value in _drf(body).values()
        ]


@pytest.mark.parametrize("name", list(COMMON))
def test_the_common_forms_are_read_without_the_serializer(operator, name, monkeypatch):
    expected = _drf(COMMON[name])
    assert expected is not None and plain_intake(COMMON[name]) == expected

    def refuse(*args, **kwargs):
        raise AssertionError("the serializer read a plainly valid registration")

    monkeypatch.setattr("hotline.api.orders.IntakeIn", refuse)
    response = operator.post(
        "/api/orders/",
        json.dumps(COMMON[name], ensure_ascii=False),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
