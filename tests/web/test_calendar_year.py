"""SPEC 4 (2026-12): the hotline never stops at a year boundary — sign-for across it, the
provisional mark, the year-end banner and the administrator's whole-year entry."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.configuration.models import Holiday
from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from hotline.orders.services import dispatch
from tests import factories
from tests.api.conftest import token_client
from tests.conftest import local
from tests.services.test_calendar_year import NOTICE_2027

SUNDAY_20_DECEMBER = local(2026, 12, 20, 9, 0)


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock(SUNDAY_20_DECEMBER)
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _help_order(city):
    order = factories.register(city, local(2026, 12, 18, 16, 0), appeal_type="help")
    return dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 12, 18, 16, 0),
    )


def test_a_fifteen_day_order_is_signed_for_on_20_december_through_the_page(signed_in, city, clock):
    order = _help_order(city)
    client = signed_in(Role.UNIT_HANDLER)
    response = client.post(
        f"/orders/{order.number}/do/sign/",
        {"version": order.version, "next": f"/orders/{order.number}/"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    # 15 working days from Sun 12-20: through 12-31 (9), then 2027 provisionally
    # (01-01 元旦 off): 01-04 … 01-08, 01-11 → Mon 01-11.
    assert order.deadline == local(2027, 1, 11, 23, 59, 59)
    detail = text(client.get(f"/orders/{order.number}/"))
    assert '2027-01-11 23:59</span> <span class="due due-yellow"' in detail
    inbox = text(client.get(reverse("web:unit_inbox"), {"tab": "in_progress"}))
    assert "临时" in inbox


def test_a_fifteen_day_order_is_signed_for_on_20_december_through_the_api(city, clock):
    order = _help_order(city)
    unit = token_client(city.users[Role.UNIT_HANDLER])
    response = unit.post(f"/api/orders/{order.number}/sign/", {}, format="json")
    assert response.status_code == 200, response.json()
    body = unit.get(f"/api/orders/{order.number}/").json()
    assert body["deadline"].startswith("2027-01-11T23:59:59")
    assert body["deadline_provisional"] is True
    assert body["sign_by_provisional"] is False


def test_the_provisional_mark_goes_once_the_year_is_entered(city, clock):
    order = _help_order(city)
    unit = token_client(city.users[Role.UNIT_HANDLER])
    unit.post(f"/api/orders/{order.number}/sign/", {}, format="json")
    Holiday.objects.create(date=local(2027, 1, 1, 0, 0).date(), workday=False, name="元旦")
    assert unit.get(f"/api/orders/{order.number}/").json()["deadline_provisional"] is False


@pytest.mark.parametrize(
    ("role", "at", "shown"),
    [
        (Role.SUPERVISOR, local(2026, 9, 30, 12, 0), False),
        (Role.SUPERVISOR, local(2026, 10, 1, 9, 0), True),
        (Role.ADMINISTRATOR, local(2026, 10, 1, 9, 0), True),
        (Role.UNIT_HANDLER, local(2026, 10, 1, 9, 0), False),
    ],
)
def test_the_year_end_banner_shows_from_1_october(signed_in, clock, role, at, shown):
    clock.at = at
    client = signed_in(role)
    page = text(client.get(reverse("web:home"), follow=True))
    assert ("2027 年的节假日安排尚未录入" in page) is shown


def test_the_banner_goes_once_next_year_is_entered(signed_in, clock):
    clock.at = local(2026, 10, 1, 9, 0)
    client = signed_in(Role.SUPERVISOR)
    Holiday.objects.create(date=local(2027, 1, 1, 0, 0).date(), workday=False, name="元旦")
    page = text(client.get(reverse("web:supervision_desk")))
    assert "节假日安排尚未录入" not in page


def test_the_administrator_pastes_the_notice_previews_and_saves(signed_in, city, clock):
    clock.at = local(2026, 12, 1, 9, 0)
    order = _help_order(city)
    token_client(city.users[Role.UNIT_HANDLER]).post(
        f"/api/orders/{order.number}/sign/", {}, format="json"
    )
    client = signed_in(Role.ADMINISTRATOR)
    url = reverse("web:calendar_year")
    assert 'value="2027"' in text(client.get(url))

    preview = client.post(url, {"op": "preview", "year": 2027, "notice": NOTICE_2027})
    page = text(preview)
    assert preview.status_code == 200
    assert "2027 年安排预览" in page
    assert "放假 <strong>29</strong> 天，调休上班 <strong>5</strong> 天" in page
    # 261 weekdays, 17 of them off, 5 make-up weekend days.
    assert 'data-testid="working-days">249<' in page
    assert not Holiday.objects.exists()  # nothing saved by a preview

    rows = re.search(r'name="rows" value="([^"]*)"', preview.content.decode()).group(1)
    saved = client.post(url, {"op": "save", "year": 2027, "rows": rows.replace("&#x27;", "'")})
    assert saved.status_code == 302
    assert Holiday.objects.filter(date__year=2027).count() == 34
    # Signed on 12-01: its 15 working days end in 2026, which 2027 does not touch.
    assert not Event.objects.filter(order=order, type="recalendar").exists()


def test_bad_notice_lines_are_named_and_nothing_is_saved(signed_in, clock):
    client = signed_in(Role.ADMINISTRATOR)
    response = client.post(
        reverse("web:calendar_year"),
        {
            "op": "preview",
            "year": 2027,
            "notice": "一、元旦：1月1日至3日放假，共4天。\n二、春节：2月30日放假。",
        },
    )
    page = text(response)
    assert response.status_code == 400
    assert "第 1 行：写明共 4 天，但日期范围为 3 天" in page
    assert "第 2 行：「2月30日」不是有效日期" in page
    assert not Holiday.objects.exists()


def test_a_file_is_read_like_the_notice(signed_in, clock):
    client = signed_in(Role.ADMINISTRATOR)
    upload = SimpleUploadedFile(
        "2027.csv", "日期,类型,说明\n2027-01-01,rest,元旦\n2027-02-20,work,春节\n".encode()
    )
    page = text(
        client.post(reverse("web:calendar_year"), {"op": "preview", "year": 2027, "file": upload})
    )
    assert "放假 <strong>1</strong> 天，调休上班 <strong>1</strong> 天" in page


def test_a_tampered_save_is_refused_with_its_line(signed_in, clock):
    client = signed_in(Role.ADMINISTRATOR)
    response = client.post(
        reverse("web:calendar_year"),
        {"op": "save", "year": 2027, "rows": "2027-01-01,rest,元旦\n2027-01-02,maybe,\n"},
    )
    assert response.status_code == 400
    assert "第 2 行：类型「maybe」应为 rest（放假）或 work（上班）" in text(response)
    assert not Holiday.objects.exists()
    assert Order.objects.count() == 0
