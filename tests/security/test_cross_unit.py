"""Authorization across units and roles, generated from the tables.

A unit handler of 岳塘区 tries every API endpoint (list with each filter, detail, every
action) and every staff URL that takes an order number against orders of 雨湖区 and an
undispatched order: reads are 404, actions 403 or 404, and nothing is written. Then
every role tries every staff URL its page does not allow (``access.PAGES``) and every
API action its role may not take (``permissions.ACTIONS`` via each class's ``action``)
on an order it can see: 403, nothing written.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver
from rest_framework import serializers

from hotline.api.fields import CategoryCodeField, RegionCodeField, UnitCodeField
from hotline.api.order_actions import ACTION_APIS
from hotline.attachments.models import Attachment
from hotline.attachments.services import reply_with_attachments
from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.domain.permissions import may
from hotline.orders.models import Callback, Event, Extension, Order, Reply, Supervision
from hotline.orders.services import dispatch, handling
from hotline.web.access import PAGES, may_open
from tests import factories
from tests.api.conftest import token_client
from tests.conftest import local

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def orders(city):
    """Ours (岳塘区, signed), theirs (雨湖区: one waiting to be signed, one replied with
    an attachment) and one nobody has been given yet."""
    other_handler = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    at = iter(local(2026, 3, 2, 9, minute) for minute in range(0, 60))

    def dispatched(unit):
        order = factories.register(city, next(at))
        return dispatch.order_dispatch(order=order, lead=unit, actor=None, at=next(at))

    ours = handling.order_sign(
        order=dispatched(city.district), actor=city.users[Role.UNIT_HANDLER], at=next(at)
    )
    ours_too = dispatched(city.district)
    waiting = dispatched(city.other_district)
    replied = handling.order_sign(
        order=dispatched(city.other_district), actor=other_handler, at=next(at)
    )
    reply_with_attachments(
        order=replied,
        actor=other_handler,
        text="已现场处理",
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        at=next(at),
    )
    undispatched = factories.register(city, next(at))
    return {
        "ours": ours,
        "ours_too": ours_too,
        "waiting": waiting,
        "replied": Order.objects.get(pk=replied.pk),
        "undispatched": undispatched,
        "attachment": Attachment.objects.get(order=replied),
    }


def snapshot() -> tuple:
    """Everything an action or a read with side effects could write."""
    rows = tuple(Order.objects.order_by("pk").values_list("pk", "version", "status", "updated_at"))
    tables = (Event, Reply, Callback, Extension, Supervision, Attachment, AuditRecord)
    return rows, tuple(model.objects.count() for model in tables)


def hidden(orders) -> list[Order]:
    return [orders["waiting"], orders["replied"], orders["undispatched"]]


# --- the API --------------------------------------------------------------------------


LIST_FILTERS = [
    {},
    {"lead_unit": "U-YH"},
    {"status": "dispatched"},
    {"status": "in_progress"},
    {"status": "replied"},
    {"status": "registered"},
    {"region": "430302"},
    {"region": "430300"},
    {"category": "05"},
    {"channel": "phone"},
    {"appeal_type": "complaint"},
    {"received_from": "2026-03-01", "received_to": "2026-03-31"},
    {"updated_since": "2026-03-01T00:00:00+08:00"},
    {"page_size": 100},
]


def test_the_api_list_never_shows_another_units_order(city, orders):
    unit = token_client(city.users[Role.UNIT_HANDLER])
    secret = {order.number for order in hidden(orders)}
    for query in LIST_FILTERS + [{"number": number} for number in secret]:
        response = unit.get("/api/orders/", query)
        assert response.status_code == 200, (query, response.json())
        listed = {row["number"] for row in response.json()["results"]}
        assert not listed & secret, query
    assert unit.get("/api/orders/").json()["results"][0]["number"] == orders["ours"].number


def test_the_api_detail_of_another_units_order_is_404(city, orders):
    unit = token_client(city.users[Role.UNIT_HANDLER])
    for order in hidden(orders):
        response = unit.get(f"/api/orders/{order.number}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert order.content not in response.content.decode()
    assert unit.get(f"/api/orders/{orders['ours'].number}/").status_code == 200


def valid_body(api, order: Order, other: Order, viewer) -> dict:
    """Input the action would accept, so that only the order or the role can refuse it."""
    body: dict = {"version": order.version}
    for name, field in api.Input().fields.items():
        if name == "version":
            continue
        if name == "parts":
            part = {"channel": "phone", "appeal_type": "complaint", "content": "一项诉求"}
            body[name] = [part, part | {"content": "另一项诉求"}]
        elif name == "into":
            body[name] = other.number
        elif name in ("until", "deadline"):
            body[name] = "2026-04-30"
        elif name == "sub_unit":
            body[name] = "U-YT-SYL"
        elif name == "category":
            body[name] = "0501"
        elif name == "region":
            body[name] = "430304"
        elif name == "contacted_at":
            body[name] = None  # now
        elif name == "agent":
            body[name] = ""  # no agent: the callback given back to the unassigned
        elif isinstance(field, serializers.ManyRelatedField):
            body[name] = []
        elif isinstance(field, UnitCodeField):
            body[name] = "U-YT"
        elif isinstance(field, CategoryCodeField):
            body[name] = "0501"
        elif isinstance(field, RegionCodeField):
            body[name] = "430304"
        elif isinstance(field, serializers.ChoiceField):
            body[name] = next(iter(field.choices))
        elif isinstance(field, serializers.BooleanField):
            body[name] = False
        else:
            body[name] = "情况说明"
    checked = api.Input(data=body, context={"viewer": viewer})
    assert checked.is_valid(), (api.slug, checked.errors)
    return body


@pytest.mark.parametrize("api", ACTION_APIS, ids=lambda a: a.slug)
def test_every_api_action_on_another_units_order_is_404(city, orders, api):
    unit = token_client(city.users[Role.UNIT_HANDLER])
    for order in hidden(orders):
        before = snapshot()
        response = unit.post(
            f"/api/orders/{order.number}/{api.slug}/",
            valid_body(api, order, orders["ours"], city.users[Role.UNIT_HANDLER]),
            format="json",
        )
        assert response.status_code == 404, (api.slug, response.status_code)
        assert response.json()["error"]["code"] == "not_found"
        assert snapshot() == before


REFUSED_ACTIONS = [
    pytest.param(role, api, id=f"{role.value}-{api.slug}")
    for role in Role
    for api in ACTION_APIS
    if not may(role, api.action)
]


@pytest.mark.parametrize(("role", "api"), REFUSED_ACTIONS)
def test_every_api_action_a_role_may_not_take_is_403(city, orders, role, api):
    # Orders the role can see: the unit handler's own, anyone else's any.
    order, viewer = orders["ours"], city.users[role]
    before = snapshot()
    response = token_client(viewer).post(
        f"/api/orders/{order.number}/{api.slug}/",
        valid_body(api, order, orders["ours_too"], viewer),
        format="json",
    )
    assert response.status_code == 403, (api.slug, role, response.json())
    assert response.json()["error"]["code"] == "not_permitted"
    assert snapshot() == before


# --- the staff pages --------------------------------------------------------------------


def web_patterns() -> list[URLPattern]:
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "web":
            return [p for p in pattern.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("no staff URLs")


def fill(route: str, *, number: str, pk: int, slug: str = "sign") -> str:
    values = {"number": number, "pk": str(pk), "target": str(pk), "slug": slug, "fmt": "html"}
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


NUMBERED = [p for p in web_patterns() if "<str:number>" in str(p.pattern)]
GUARDED = [p for p in web_patterns() if getattr(p.callback, "page_name", None)]


def test_the_numbered_pages_are_the_expected_ones():
    names = {p.name for p in NUMBERED}
    assert {
        "order_detail",
        "order_action",
        "identity_reveal",
        "order_split",
        "unit_reply",
        "attachment_download",
    } <= names


@pytest.mark.parametrize("pattern", NUMBERED, ids=lambda p: p.name)
def test_every_numbered_page_refuses_another_units_order(client, city, orders, pattern):
    handler = city.users[Role.UNIT_HANDLER]
    client.force_login(handler)
    page_name = pattern.callback.page_name
    slugs = [api.slug for api in ACTION_APIS] if pattern.name == "order_action" else ["sign"]
    for order in hidden(orders):
        for slug in slugs:
            url = fill(
                str(pattern.pattern), number=order.number, pk=orders["attachment"].pk, slug=slug
            )
            before = snapshot()
            got = {
                "GET": client.get(url).status_code,
                "POST": client.post(url, {"version": order.version, "reason": "x", "text": "x"}),
            }
            got["POST"] = got["POST"].status_code
            if not may_open(Role.UNIT_HANDLER, page_name):
                assert set(got.values()) == {403}, (url, got)
            elif pattern.name == "order_action":
                api = next(a for a in ACTION_APIS if a.slug == slug)
                refused = 404 if may(Role.UNIT_HANDLER, api.action) else 403
                assert got["POST"] == refused, (url, got)
                assert got["GET"] in (403, 404, 405), (url, got)
            else:
                # The wrong method may be refused as such; the right one finds nothing.
                assert set(got.values()) <= {404, 405} and 404 in got.values(), (url, got)
            assert snapshot() == before, url
    # Their own order, by contrast, opens.
    assert client.get(f"/orders/{orders['ours'].number}/").status_code == 200


def test_the_attachment_of_another_unit_cannot_be_fetched_through_our_order(client, city, orders):
    client.force_login(city.users[Role.UNIT_HANDLER])
    pk = orders["attachment"].pk
    assert client.get(f"/orders/{orders['ours'].number}/attachments/{pk}/").status_code == 404
    assert client.get(f"/orders/{orders['replied'].number}/attachments/{pk}/").status_code == 404
    client.force_login(city.users[Role.SUPERVISOR])
    response = client.get(f"/orders/{orders['replied'].number}/attachments/{pk}/")
    assert response.status_code == 200


def test_search_never_lists_another_units_order(client, city, orders):
    client.force_login(city.users[Role.UNIT_HANDLER])
    for query in ({}, {"lead_unit": "U-YH"}, {"status": "replied"}, {"phone": "13800000001"}):
        page = client.get("/orders/", query).content.decode()
        for order in hidden(orders):
            assert order.number not in page, query
    for order in hidden(orders):
        page = client.get("/orders/", {"number": order.number}).content.decode()
        assert f'href="/orders/{order.number}/"' not in page


REFUSED_PAGES = [
    pytest.param(role, pattern, id=f"{role.value}-{pattern.name}-{i}")
    for i, pattern in enumerate(GUARDED)
    for role in Role
    if not may_open(role, pattern.callback.page_name)
]


def test_every_guarded_url_names_a_page_of_the_table():
    assert {p.callback.page_name for p in GUARDED} <= set(PAGES)
    assert len(REFUSED_PAGES) > len(GUARDED)
    assert len(REFUSED_ACTIONS) > len(ACTION_APIS)


@pytest.mark.parametrize(("role", "pattern"), REFUSED_PAGES)
def test_every_page_a_role_may_not_open_is_403(client, city, orders, role, pattern):
    client.force_login(city.users[role])
    url = fill(str(pattern.pattern), number=orders["ours"].number, pk=orders["attachment"].pk)
    before = snapshot()
    assert client.get(url).status_code == 403, url
    assert client.post(url, {"version": orders["ours"].version}).status_code == 403, url
    assert snapshot() == before
