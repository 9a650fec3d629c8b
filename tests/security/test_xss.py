"""Hostile text typed by citizens and staff is shown as text: on every staff page that
can show it, on the citizen portal, in the API and Open311 answers and in the report
documents. Pages escape it (the raw markup never reaches the browser), JSON and XML
carry it as data, Word and Excel store it as text."""

import io
import json
import zipfile
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from hotline.configuration.services import setting_set
from hotline.directory.models import Tag
from hotline.domain.enums import Role
from hotline.orders.models import Order, Violation
from hotline.orders.services import dispatch, handling, review, supervision
from hotline.orders.services.intake import CitizenInput
from hotline.reports import services as report_services
from hotline.reports.editorial import Case, Editorial
from hotline.reports.rendering import render
from hotline.reports.selectors import case_prefill
from hotline.statistics.document import report_document
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
HOSTILE = SCRIPT + IMAGE + TEMPLATE
NAME = SCRIPT + TEMPLATE  # a citizen's name is at most 50 characters
TAG = "专项" + NAME  # and so is a tag's

# What must never reach a browser, and what the escaped text looks like.
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMAGE = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def hostile(what: str) -> str:
    return f"{what}{HOSTILE}"


def assert_escaped(body: bytes | str, *, shown: bool = True) -> str:
    page = body.decode() if isinstance(body, bytes) else body
    for raw in RAW:
        assert raw not in page
    if shown:
        assert ESCAPED in page
    return page


@pytest.fixture
def world(city, client):
    """Orders in every state whose pages show free text, each text hostile."""
    cache.clear()  # the portal's rate limits count per address across tests
    users = city.users
    office, unit = users[Role.DISPATCHER], users[Role.UNIT_HANDLER]
    water_handler = factories.user(Role.UNIT_HANDLER, unit=city.water)
    tag = Tag.objects.create(name=TAG)
    citizen = CitizenInput(name=NAME, phone="13800000001")
    now = timezone.now()
    tick = iter(range(1, 1000))

    def at():
        return now - timedelta(hours=3) + timedelta(seconds=next(tick))

    def new(what: str, **fields) -> Order:
        return factories.register(
            city,
            at(),
            content=hostile(what),
            address=hostile("地址"),
            citizen=citizen,
            tags=(tag,),
            **fields,
        )

    def dispatched(what: str, **fields) -> Order:
        return dispatch.order_dispatch(
            order=new(what), lead=city.district, actor=office, at=at(), **fields
        )

    def signed(what: str, **fields) -> Order:
        return handling.order_sign(order=dispatched(what, **fields), actor=unit, at=at())

    waiting = new("待派")
    dispatched("待签收")
    returned = dispatch.order_return(
        order=dispatched("退单"), reason=hostile("退单理由"), actor=unit, at=at()
    )
    extending = signed("延期")
    extending = handling.order_pause(order=extending, reason=hostile("暂停"), actor=unit, at=at())
    extending = handling.order_resume(order=extending, actor=unit, at=at())
    extending = handling.order_extension_request(
        order=extending,
        until=(now + timedelta(days=30)).date(),
        reason=hostile("延期理由"),
        actor=unit,
        at=at(),
    )
    reviewing = signed("审核", co_units=[city.water])
    reviewing = handling.order_co_reply(
        order=reviewing, text=hostile("协办意见"), actor=water_handler, at=at()
    )
    reviewing = supervision.order_supervise(
        order=reviewing,
        level="yellow",
        note=hostile("督办意见"),
        actor=users[Role.SUPERVISOR],
        at=at(),
    )
    reviewing = supervision.order_instruct(
        order=reviewing, text=hostile("批示"), actor=users[Role.LEADER], at=at()
    )
    reviewing = handling.order_reply(order=reviewing, text=hostile("答复"), actor=unit, at=at())
    reviewing = review.order_review(
        order=reviewing,
        decision="rework",
        note=hostile("返工意见"),
        actor=users[Role.SUPERVISOR],
        at=at(),
    )
    reviewing = handling.order_reply(order=reviewing, text=hostile("再答复"), actor=unit, at=at())
    calling = handling.order_reply(order=signed("回访"), text=hostile("答复"), actor=unit, at=at())
    calling = review.order_review(
        order=calling, decision="accept", actor=users[Role.SUPERVISOR], at=at()
    )
    pressured = handling.order_reply(
        order=signed("违规"), text=hostile("答复"), actor=unit, at=at()
    )
    pressured = review.order_review(
        order=pressured, decision="accept", actor=users[Role.SUPERVISOR], at=at()
    )
    pressured = review.order_callback(
        order=pressured,
        result="unsatisfied",
        pressured=True,
        actor=users[Role.CALLBACK_AGENT],
        at=at(),
    )
    violation = Violation.objects.get(order=pressured)
    supervision.violation_review(
        violation=violation, actor=users[Role.SUPERVISOR], note=hostile("违规说明")
    )
    # Returned by two units: a difficult order, on which the office opens a consultation.
    difficult = dispatch.order_return(
        order=dispatched("疑难"), reason=hostile("退单理由"), actor=unit, at=at()
    )
    difficult = dispatch.order_return_review(
        order=difficult, decision="accept", lead=city.other_district, actor=office, at=at()
    )
    difficult = dispatch.order_return(
        order=difficult,
        reason=hostile("再退单"),
        actor=factories.user(Role.UNIT_HANDLER, unit=city.other_district),
        at=at(),
    )
    difficult = dispatch.order_consultation_open(
        order=difficult, note=hostile("会商"), actor=users[Role.SUPERVISOR], at=at()
    )
    # The citizen's own submission, and the citizen's rating with a comment.
    posted = client.post(
        reverse("portal:submit"),
        {
            "appeal_type": "complaint",
            "content": hostile("网上"),
            "address": hostile("地址"),
            "name": NAME,
            "phone": "13900000002",
        },
    )
    assert posted.status_code == 302
    portal = Order.objects.get(channel="website")
    rated = client.post(
        reverse("portal:rate"),
        {
            "number": calling.number,
            "phone": "13800000001",
            "result": "unsatisfied",
            "comment": hostile("评价"),
        },
    )
    assert rated.status_code in (200, 302), rated.content.decode()
    client.logout()
    return {
        "waiting": waiting,
        "returned": returned,
        "extending": extending,
        "reviewing": reviewing,
        "calling": calling,
        "pressured": pressured,
        "difficult": difficult,
        "portal": portal,
        "tag": tag,
        "now": now,
    }


def period(world) -> tuple:
    """From the day of the first order to today (the orders are a few hours old)."""
    first = min(Order.objects.values_list("received_at", flat=True))
    return timezone.localtime(first).date(), timezone.localdate()


def _get(client, city, role, url, data=None):
    client.force_login(city.users[role])
    response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return response.content


# Every list page with its tabs, the role that works it, and whether the hostile text is
# on it (dashboards and empty tabs show no citizen text, but must carry no raw markup).
PAGES = [
    (Role.DISPATCHER, "web:dispatch_queue", {}, True),
    (Role.DISPATCHER, "web:dispatch_queue", {"tab": "returned"}, True),
    (Role.DISPATCHER, "web:dispatch_queue", {"tab": "difficult"}, True),
    (Role.DISPATCHER, "web:dispatch_queue", {"tab": "redispatch"}, True),
    (Role.UNIT_HANDLER, "web:unit_inbox", {"tab": "sign"}, True),
    (Role.UNIT_HANDLER, "web:unit_inbox", {"tab": "in_progress"}, True),
    (Role.UNIT_HANDLER, "web:unit_inbox", {"tab": "returned"}, False),
    (Role.UNIT_HANDLER, "web:unit_inbox", {"tab": "overdue"}, False),
    (Role.UNIT_HANDLER, "web:unit_progress", {}, False),
    (Role.CALLBACK_AGENT, "web:callback_queue", {"tab": "due"}, True),
    (Role.CALLBACK_AGENT, "web:callback_queue", {"tab": "done"}, False),
    (Role.CALLBACK_AGENT, "web:callback_queue", {"tab": "merged"}, False),
    (Role.CALLBACK_AGENT, "web:callback_queue", {"tab": "answered"}, False),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "review"}, True),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "extensions"}, True),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "difficult"}, True),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "supervision"}, False),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "supervision", "due": "three"}, False),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "spot_checks"}, False),
    (Role.SUPERVISOR, "web:supervision_desk", {"tab": "appeals"}, False),
    (Role.SUPERVISOR, "web:violations", {}, True),
    (Role.OPERATOR, "web:order_search", {}, True),
    (Role.OPERATOR, "web:order_search", {"phone": "13800000001"}, True),
    (Role.UNIT_HANDLER, "web:order_search", {}, True),
    (Role.OPERATOR, "web:intake", {}, False),
    (Role.OPERATOR, "web:caller_lookup", {"phone": "13800000001"}, True),
    (Role.LEADER, "web:leader_dashboard", {}, False),
    (Role.LEADER, "web:statistics_dashboard", {}, False),
    (Role.SUPERVISOR, "web:reports", {}, False),
    (Role.SUPERVISOR, "web:audit_trail", {}, False),
]


@pytest.mark.parametrize(("role", "name", "query", "shown"), PAGES)
def test_pages_show_hostile_text_as_text(client, city, world, role, name, query, shown):
    assert_escaped(_get(client, city, role, reverse(name), query), shown=shown)


@pytest.mark.parametrize(
    "which", ["waiting", "returned", "extending", "reviewing", "calling", "pressured", "difficult"]
)
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.UNIT_HANDLER, Role.LEADER])
def test_order_detail_shows_every_text_escaped(client, city, world, which, role):
    order = world[which]
    client.force_login(city.users[role])
    response = client.get(reverse("web:order_detail", args=[order.number]))
    if response.status_code == 404:  # not this unit's order: nothing to show
        assert role is Role.UNIT_HANDLER and which in ("waiting", "difficult")
        return
    page = assert_escaped(response.content)
    # The whole text, escaped, in one piece: the template expression stayed text.
    assert ESCAPED + ESCAPED_IMAGE + TEMPLATE in page


def test_order_detail_escapes_each_kind_of_text(client, city, world):
    texts = {
        "reviewing": ["答复", "再答复", "返工意见", "督办意见", "批示", "协办意见", "地址"],
        "extending": ["暂停", "延期理由"],
        "returned": ["退单理由"],
        "pressured": ["违规说明"],
        "difficult": ["会商", "再退单"],
        "calling": ["评价"],
    }
    client.force_login(city.users[Role.SUPERVISOR])
    for which, labels in texts.items():
        page = client.get(reverse("web:order_detail", args=[world[which].number])).content.decode()
        for label in labels:
            assert f"{label}{ESCAPED}" in page, (which, label)


def test_the_unit_reply_page_and_the_split_page(client, city, world):
    reply = _get(
        client, city, Role.UNIT_HANDLER, reverse("web:unit_reply", args=[world["reviewing"].number])
    )
    assert_escaped(reply)
    split = _get(
        client, city, Role.OPERATOR, reverse("web:order_split", args=[world["waiting"].number])
    )
    assert_escaped(split)


def test_the_revealed_identity_is_escaped(client, city, world):
    client.force_login(city.users[Role.SUPERVISOR])
    response = client.post(
        reverse("web:identity_reveal", args=[world["waiting"].number]), {"purpose": "核实身份"}
    )
    assert response.status_code == 200
    page = assert_escaped(response.content)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page


def test_the_portal_shows_the_citizen_their_text_escaped(client, city, world):
    # The status page of a new order shows no free text; a concluded one shows the
    # reply and the citizen's own comment.
    cases = (
        (world["portal"].number, "13900000002", False),
        (world["calling"].number, "13800000001", True),
    )
    for number, phone, shown in cases:
        response = client.post(reverse("portal:track"), {"number": number, "phone": phone})
        assert response.status_code == 200
        page = assert_escaped(response.content, shown=shown)
    assert f"答复{ESCAPED}" in page and f"评价{ESCAPED}" in page


def test_the_report_editor_preview_escapes_the_cases(client, city, world):
    supervisor = city.users[Role.SUPERVISOR]
    first, today = period(world)
    draft = report_services.draft_create(
        start=first, end=today, actor=supervisor, title=hostile("标题")
    )
    report_services.draft_save(
        draft=draft,
        actor=supervisor,
        start=first,
        end=today,
        title=hostile("标题"),
        experience=hostile("经验"),
        problems=hostile("问题"),
        next_steps=hostile("下一步"),
    )
    report_services.draft_case_add(
        draft=draft, number=world["reviewing"].number, kind="typical", actor=supervisor
    )
    page = _get(client, city, Role.SUPERVISOR, reverse("web:report_edit", args=[draft.pk]))
    page = assert_escaped(page)
    for label in ("经验", "问题", "下一步", "审核"):
        assert f"{label}{ESCAPED}" in page, label


def test_the_api_carries_the_text_as_json_data(client, city, world):
    client.force_login(city.users[Role.SUPERVISOR])
    response = client.get(f"/api/orders/{world['reviewing'].number}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.json()
    assert body["content"] == hostile("审核")
    assert body["address"] == hostile("地址")
    listed = client.get("/api/orders/", {"number": world["reviewing"].number})
    assert listed["Content-Type"] == "application/json"
    assert listed.json()["results"][0]["number"] == world["reviewing"].number


def test_open311_json_and_xml_carry_the_text_as_data(client, city, world):
    setting_set(key="open311_public_reads", text="true")
    number = world["calling"].number
    as_json = client.get(f"/open311/v2/requests/{number}.json")
    assert as_json.status_code == 200 and as_json["Content-Type"].startswith("application/json")
    row = json.loads(as_json.content)[0]
    assert row["description"] == hostile("回访")
    assert row["address"] == hostile("地址")
    as_xml = client.get(f"/open311/v2/requests/{number}.xml")
    assert as_xml.status_code == 200
    assert "xml" in as_xml["Content-Type"]
    text = as_xml.content.decode()
    for raw in RAW:
        assert raw not in text
    request = ElementTree.fromstring(as_xml.content).find("request")
    assert request.findtext("description") == hostile("回访")
    assert request.findtext("address") == hostile("地址")
    assert request.findtext("status_notes") == hostile("答复")
    listing = client.get("/open311/v2/requests.xml", {"service_request_id": number})
    assert listing.status_code == 200
    assert all(raw not in listing.content.decode() for raw in RAW)


@pytest.fixture
def report_inputs(city, world):
    document = report_document(start=period(world)[0], end=period(world)[1])
    order = world["calling"]
    case = Case(number=order.number, title=hostile("标题"), **case_prefill(order=order))
    editorial = Editorial(
        title=hostile("通报"),
        experience=hostile("经验"),
        problems=hostile("问题"),
        next_steps=hostile("下一步"),
        cases=(case,),
    )
    return document, editorial


def test_report_html_escapes_everything(report_inputs):
    document, editorial = report_inputs
    page = assert_escaped(render(document, "html", editorial=editorial))
    for label in ("通报", "经验", "问题", "下一步", "回访", "专项"):
        assert f"{label}{ESCAPED}" in page, label


def test_report_docx_stores_the_text_as_text(report_inputs):
    document, editorial = report_inputs
    data = render(document, "docx", editorial=editorial)
    word = Document(io.BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    assert hostile("经验") in paragraphs
    assert any(hostile("回访") in text for text in paragraphs)
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert TAG in cells
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<script>" not in xml and "<img" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


def test_report_xlsx_stores_the_text_as_text(report_inputs):
    document, editorial = report_inputs
    data = render(document, "xlsx", editorial=editorial)
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    found = [cell for cell in cells if cell.value == TAG]
    assert found and all(cell.data_type == "s" for cell in found)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.endswith(".xml"):
            assert "<script>" not in archive.read(name).decode()


def test_nothing_renders_the_template_expression(client, city, world):
    """``{{7*7}}`` is text everywhere: no page evaluates what a citizen typed."""
    client.force_login(city.users[Role.SUPERVISOR])
    page = client.get(reverse("web:order_detail", args=[world["reviewing"].number])).content
    assert page.decode().count(TEMPLATE) >= 5
    assert "批示&lt;script&gt;" in page.decode()


FORMULA = '=HYPERLINK("http://example.invalid","点此查看")'


def test_report_xlsx_never_turns_text_into_a_formula(city, world):
    Tag.objects.create(name=FORMULA)
    factories.register(
        city, world["now"] - timedelta(hours=1), tags=(Tag.objects.get(name=FORMULA),)
    )
    document = report_document(start=period(world)[0], end=period(world)[1])
    workbook = load_workbook(io.BytesIO(render(document, "xlsx")))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    found = [cell for cell in cells if cell.value == FORMULA]
    assert found and all(cell.data_type == "s" for cell in found)
