"""Open311 GeoReport v2: services, posting a request, and following it."""

import json
from xml.etree import ElementTree

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from hotline.directory.models import CatalogueEntry
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.selectors import visible_orders
from hotline.orders.services import dispatch, handling, intake, review
from tests import factories
from tests.conftest import local

V2 = "/open311/v2"


def _xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ElementTree.fromstring(response.content)


def _standard_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and len(body) == 1
    assert set(body[0]) == {"code", "description"} and body[0]["code"] == status
    return body[0]["description"]


def _post(client, **fields):
    fields.setdefault("service_code", "0501")
    fields.setdefault("description", "书院路夜间施工噪音，我电话13800000009")
    fields.setdefault("address_string", "岳塘区书院路12号")
    return client.post(f"{V2}/requests.json", fields)


def test_services_one_per_category_in_json_and_xml(city):
    entry = CatalogueEntry.objects.get(category=city.noise, region=city.yuetang)
    entry.keywords = "施工;夜间"
    entry.save()
    services = Client().get(f"{V2}/services.json").json()
    by_code = {s["service_code"]: s for s in services}
    # Only leaves are services: 03 and 05 are groups.
    assert set(by_code) == {"0301", "0501"}
    assert by_code["0501"] == {
        "service_code": "0501",
        "service_name": "噪音扰民",
        "description": "生态环境 / 噪音扰民",
        "metadata": False,
        "type": "realtime",
        "keywords": "施工,夜间",
        "group": "生态环境",
    }
    root = _xml(Client().get(f"{V2}/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert codes == ["0301", "0501"]
    water = root.findall("service")[0]
    assert (water.findtext("group"), water.findtext("metadata")) == ("公用事业", "false")


def test_the_discovery_document_points_at_v2(db):
    (endpoint,) = Client().get("/open311/discovery.json").json()["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = _xml(Client().get("/open311/discovery.xml"))
    formats = root.find("endpoints").find("endpoint").find("formats")
    assert [f.text for f in formats.findall("format")] == ["application/json", "text/xml"]


def test_a_service_definition(city):
    assert Client().get(f"{V2}/services/0501.json").json() == {
        "service_code": "0501",
        "attributes": [],
    }
    root = _xml(Client().get(f"{V2}/services/0501.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "0501"
    assert "不存在" in _standard_error(Client().get(f"{V2}/services/9999.json"), 404)
    assert _standard_error(Client().get(f"{V2}/services/05.json"), 404)


def test_posting_a_request_registers_a_website_order_in_the_operators_queue(city, api_key, clock):
    response = _post(
        Client(),
        api_key=api_key,
        jurisdiction_id="xiangtan",
        first_name="四",
        last_name="李",
        phone="13800000009",
        email="li@example.com",
    )
    assert response.status_code == 201
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    order = Order.objects.get(number=created["service_request_id"])
    assert (order.channel, order.appeal_type, order.category, order.status) == (
        "website",
        "other",
        city.noise,
        "registered",
    )
    assert (order.citizen.name, order.citizen.phone) == ("李四", "13800000009")
    assert order.address == "岳塘区书院路12号"
    queue = visible_orders(viewer=city.users[Role.OPERATOR]).filter(status="registered")
    assert order in queue


def test_a_json_body_with_an_appeal_type_attribute(city, api_key, clock):
    body = {
        "api_key": api_key,
        "service_code": "0301",
        "description": "小区停水三天",
        "lat": 27.8297,
        "long": 112.9441,
        "attribute": {"appeal_type": "complaint"},
    }
    response = Client().post(f"{V2}/requests.json", body, content_type="application/json")
    assert response.status_code == 201, response.content
    order = Order.objects.get(number=response.json()[0]["service_request_id"])
    assert (order.appeal_type, order.address) == ("complaint", "经纬度 27.829700,112.944100")
    assert order.citizen is None


def test_posting_as_xml_answers_in_xml(city, api_key, clock):
    response = Client().post(
        f"{V2}/requests.xml",
        {"api_key": api_key, "service_code": "0501", "description": "噪音", "lat": 1, "long": 2},
    )
    root = _xml(response)
    assert response.status_code == 201
    assert root.tag == "service_requests"
    assert root.find("request").findtext("service_request_id") == "20260000001"


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({}, 400, "api_key"),
        ({"api_key": "0" * 40}, 403, "api_key"),
        ({"api_key": "x\x00y"}, 403, "api_key"),
        ({"api_key": "KEY", "service_code": "9999"}, 400, "service_code"),
        ({"api_key": "KEY", "service_code": "05"}, 400, "末级分类"),
        ({"api_key": "KEY+"}, 403, "api_key"),
        ({"api_key": "KEY", "address_string": ""}, 400, "位置"),
        ({"api_key": "KEY", "description": ""}, 400, "description"),
        ({"api_key": "KEY", "appeal_type": "whining"}, 400, "appeal_type"),
        ({"api_key": "KEY", "jurisdiction_id": "changsha"}, 400, "jurisdiction_id"),
    ],
)
def test_refused_posts_use_the_standard_error_shape(city, api_key, clock, fields, status, says):
    if fields.get("api_key", "").startswith("KEY"):
        # KEY+: the key with one more character is no key (exact match only).
        fields["api_key"] = fields["api_key"].replace("KEY+", api_key + "0").replace("KEY", api_key)
    if "appeal_type" in fields:
        fields["attribute[appeal_type]"] = fields.pop("appeal_type")
    response = _post(Client(), **fields)
    assert says in _standard_error(response, status)
    assert not Order.objects.exists()


def test_a_user_who_may_not_register_gets_403(city, clock):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=city.users[Role.LEADER]).key
    assert "无权" in _standard_error(_post(Client(), api_key=key), 403)


def test_bad_jurisdiction_is_a_standard_error_in_either_format(city):
    assert "xiangtan" in _standard_error(
        Client().get(f"{V2}/services.json?jurisdiction_id=changsha"), 400
    )
    response = Client().get(f"{V2}/requests.xml?jurisdiction_id=changsha")
    assert response.status_code == 400
    root = _xml(response)
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "400"
    assert "jurisdiction_id" in root.find("error").findtext("description")
    assert Client().get(f"{V2}/services.json?jurisdiction_id=xiangtan").status_code == 200


def test_posts_are_rate_limited_per_client_address(city, api_key, clock, settings):
    settings.HOTLINE_OPEN311_POST_LIMIT = 2
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert _post(client, api_key=api_key).status_code == 201
    assert _post(client, api_key=api_key).status_code == 201
    assert "频繁" in _standard_error(_post(client, api_key=api_key), 429)
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert _post(other, api_key=api_key).status_code == 201
    assert Order.objects.count() == 3


def test_unknown_format_and_method(city):
    assert _standard_error(Client().get(f"{V2}/services.csv"), 400)
    assert _standard_error(Client().post(f"{V2}/services.json"), 405)
    not_an_object = Client().post(f"{V2}/requests.json", "[1]", content_type="application/json")
    assert "JSON" in _standard_error(not_an_object, 400)


def _follow(client, number, fmt="json"):
    return client.get(f"{V2}/requests/{number}.{fmt}")


def test_a_request_is_followed_through_its_handling_without_revealing_the_citizen(
    city, api_key, clock, public_reads
):
    client = Client()
    number = _post(client, api_key=api_key, last_name="李", first_name="四", phone="13800000009")
    number = number.json()[0]["service_request_id"]

    (row,) = _follow(client, number).json()
    assert row["service_request_id"] == number
    assert (row["status"], row["extended_attributes"]) == ("open", {"status": "open"})
    assert row["service_code"] == "0501" and row["service_name"] == "噪音扰民"
    assert row["description"] == "书院路夜间施工噪音，我电话138****0009"
    assert row["requested_datetime"] == "2026-03-02T09:00:00+08:00"
    assert row["agency_responsible"] is None and row["status_notes"] is None
    shown = [_follow(client, number, fmt).content.decode() for fmt in ("json", "xml")]
    text = "".join(shown)
    assert "13800000009" not in text and "李四" not in text

    order = Order.objects.get(number=number)
    order = dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=clock.tick())
    (row,) = _follow(client, number).json()
    assert row["extended_attributes"]["status"] == "action_scheduled"
    assert row["agency_responsible"] == "岳塘区"
    assert row["updated_datetime"] == "2026-03-02T09:05:00+08:00"

    order = handling.order_sign(order=order, actor=None, unit=city.district, at=clock.tick())
    assert _follow(client, number).json()[0]["extended_attributes"]["status"] == "in_progress"
    # "other" appeals get 10 working days from sign-for.
    assert _follow(client, number).json()[0]["expected_datetime"] == "2026-03-16T23:59:59+08:00"
    reply = "已责令停工。联系人电话13900000000"
    order = handling.order_reply(
        order=order, text=reply, actor=None, unit=city.district, at=clock.tick()
    )
    assert _follow(client, number).json()[0]["status_notes"] is None
    order = review.order_review(order=order, decision="accept", actor=None, at=clock.tick())
    (row,) = _follow(client, number).json()
    assert (row["status"], row["extended_attributes"]["status"]) == ("open", "fixed")
    assert row["status_notes"] == "已责令停工。联系人电话139****0000"
    review.order_close(order=order, actor=None, at=clock.tick())

    root = _xml(_follow(client, number, "xml"))
    request = root.find("request")
    assert request.findtext("status") == "closed"
    assert request.find("extended_attributes").findtext("status") == "fixed"
    assert request.findtext("agency_responsible") == "岳塘区"
    assert request.findtext("lat") is None or request.findtext("lat") == ""


def test_confidential_orders_and_reports_are_never_shown(city, clock, public_reads):
    secret = factories.register(city, clock.at, confidential=True)
    report = factories.register(city, clock.at, appeal_type="report")
    shown = factories.register(city, clock.at)
    for hidden in (secret, report):
        assert _standard_error(_follow(Client(), hidden.number), 404)
    listed = [r["service_request_id"] for r in Client().get(f"{V2}/requests.json").json()]
    assert listed == [shown.number]
    asked = f"service_request_id={secret.number},{report.number},{shown.number}"
    listed = [r["service_request_id"] for r in Client().get(f"{V2}/requests.json?{asked}").json()]
    assert listed == [shown.number]


def test_unpublished_orders(city, clock, public_reads):
    harassment = factories.register(city, clock.at)
    intake.order_harassment(order=harassment, actor=None, at=clock.at)
    assert _standard_error(_follow(Client(), harassment.number), 404)
    assert _standard_error(_follow(Client(), "abc"), 404)


def test_the_request_list_and_its_filters(city, clock, public_reads):
    def made(day, **fields):
        return factories.register(city, local(2026, 3, day, 9, 0), **fields).number

    noise, water, answered = made(1), made(2, category=city.water_supply), made(3)
    intake.order_answer(
        order=Order.objects.get(number=answered), actor=None, at=local(2026, 3, 3, 9, 5)
    )
    old = factories.register(city, local(2025, 11, 1, 9, 0)).number

    def listed(query=""):
        response = Client().get(f"{V2}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    # Without dates: the last 90 days, newest first.
    assert listed() == [answered, water, noise]
    assert listed("status=closed") == [answered]
    assert listed("status=open") == [water, noise]
    assert listed("service_code=0301") == [water]
    assert listed("service_code=0301,0501&status=open") == [water, noise]
    assert listed("start_date=2025-10-01T00:00:00%2B08:00&end_date=2026-03-01T23:59:59Z") == [
        noise,
        old,
    ]
    assert listed(f"service_request_id={old},{water}") == [water, old]
    assert "status" in _standard_error(Client().get(f"{V2}/requests.json?status=pending"), 400)
    assert _standard_error(Client().get(f"{V2}/requests.json?start_date=yesterday"), 400)
    root = _xml(Client().get(f"{V2}/requests.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        answered,
        water,
        noise,
    ]
    assert json.loads(Client().get(f"{V2}/requests.json?service_code=9999").content) == []


def test_every_written_form_of_citizen_data_is_redacted_in_the_public_description(
    city, api_key, clock, public_reads
):
    client = Client()
    description = "我是王建国，电话+86 139-1234-5678，身份证430302 19900101 1234，家住3栋201室"
    number = _post(client, api_key=api_key, description=description).json()[0]
    (row,) = _follow(client, number["service_request_id"]).json()
    assert row["description"] == "我是王某，电话139****5678，身份证430***********1234，家住*栋*室"


def test_a_name_phone_and_id_number_told_in_passing_are_redacted_everywhere(
    city, api_key, clock, public_reads
):
    description = "我是3栋201的王建国，电话+8613912345678，身份证 430302 19900101 1234"
    posted = _post(
        Client(), api_key=api_key, description=description, address_string="岳塘区书院路3栋201室"
    )
    number = posted.json()[0]["service_request_id"]
    shown = [_follow(Client(), number, fmt).content.decode() for fmt in ("json", "xml")]
    listed = [Client().get(f"{V2}/requests.{fmt}").content.decode() for fmt in ("json", "xml")]
    for text in shown + listed:
        for secret in ("王建国", "13912345678", "430302", "19900101", "201"):
            assert secret not in text
    (row,) = json.loads(shown[0])
    assert row["description"] == "我是*栋*的王某，电话139****5678，身份证 430***********1234"
    assert row["address"] == "岳塘区书院路*栋*室"


@pytest.mark.parametrize("path", ["requests.json", "requests/20260000001.json"])
def test_requests_are_not_public_by_default(city, api_key, clock, path):
    _post(Client(), api_key=api_key)
    assert "未开放" in _standard_error(Client().get(f"{V2}/{path}"), 403)
    root = _xml(Client().get(f"{V2}/{path.replace('.json', '.xml')}"))
    assert (root.tag, root.find("error").findtext("code")) == ("errors", "403")
    # The system that posts them reads them back with its key; a wrong key is refused.
    assert Client().get(f"{V2}/{path}?api_key={api_key}").status_code == 200
    assert _standard_error(Client().get(f"{V2}/{path}?api_key={api_key}0"), 403)
    leader = Token.objects.create(user=city.users[Role.LEADER]).key
    assert "无权" in _standard_error(Client().get(f"{V2}/{path}?api_key={leader}"), 403)
    # Services stay public.
    assert Client().get(f"{V2}/services.json").status_code == 200


def test_a_georeport_client_posts_with_the_key_in_the_query_and_reads_its_location_back(
    city, api_key, clock
):
    """As GeoReport clients do: the key in the query string, a form body with a point."""
    body = {
        "service_code": "0301",
        "description": "小区停水三天",
        "lat": "27.8297",
        "long": "112.9441",
    }
    response = Client().post(f"{V2}/requests.json?api_key={api_key}", body)
    assert response.status_code == 201, response.content
    number = response.json()[0]["service_request_id"]
    order = Order.objects.get(number=number)
    assert (order.latitude, order.longitude) == (27.8297, 112.9441)
    (row,) = Client().get(f"{V2}/requests/{number}.json?api_key={api_key}").json()
    assert (row["lat"], row["long"]) == (27.8297, 112.9441)
    request = _xml(Client().get(f"{V2}/requests/{number}.xml?api_key={api_key}")).find("request")
    assert (request.findtext("lat"), request.findtext("long")) == ("27.8297", "112.9441")
    # Given twice, the key must be the same key.
    twice = Client().post(f"{V2}/requests.json?api_key={api_key}", {**body, "api_key": "0" * 40})
    assert "不一致" in _standard_error(twice, 400)
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    "path", ["v2/tokens/abc123.json", "v2/tokens/abc123.xml", "v2/nothing.json", "v3/requests"]
)
def test_every_path_answers_in_the_error_shape(db, path):
    response = Client().get(f"/open311/{path}")
    if path.endswith(".xml"):
        root = _xml(response)
        assert response.status_code == 404 and root.find("error").findtext("code") == "404"
    else:
        assert _standard_error(response, 404)
    assert _standard_error(Client().post("/open311/v2/tokens/abc.json"), 405)
