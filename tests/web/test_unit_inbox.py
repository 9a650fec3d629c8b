"""The unit handler's inbox, sub-unit progress, reply with attachments and their download."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.accounts.models import User
from hotline.attachments.models import Attachment
from hotline.attachments.services import reply_with_attachments
from hotline.directory.models import Unit
from hotline.domain.enums import Role
from hotline.orders.models import Event, Extension, Order
from hotline.orders.selectors.inbox import inbox_counts
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local

# "Now" for the pages: a Wednesday in March 2026, after every order below was registered.
NOW = local(2026, 3, 11, 10, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def dispatched(city, at, lead, co_units=()):
    order = factories.register(city, at)
    return dispatch.order_dispatch(
        order=order,
        lead=lead,
        co_units=co_units,
        actor=city.users[Role.DISPATCHER],
        at=at + timedelta(minutes=5),
    )


def handler(unit: Unit):
    found = User.objects.filter(role=Role.UNIT_HANDLER, unit=unit).first()
    return found or factories.user(Role.UNIT_HANDLER, unit=unit)


def signed(city, at, lead):
    order = dispatched(city, at, lead)
    return handling.order_sign(order=order, actor=handler(lead), at=at + timedelta(minutes=30))


def numbers(response) -> set[str]:
    """The order numbers of the list's rows (not those named in messages)."""
    return set(re.findall(r'<tr id="order-(\d+)"', response.content.decode()))


@pytest.fixture
def inbox(city):
    """Orders in every tab, for the district (岳塘区), its sub-unit and another district."""
    d, other, street = city.district, city.other_district, city.street_office
    fresh = local(2026, 3, 10, 9, 0)  # signed Tue 03-10: deadline well after NOW
    old = local(2026, 2, 2, 9, 0)  # signed in February: past its deadline at NOW
    orders = {
        "sign_own": dispatched(city, fresh, d),
        "sign_street": dispatched(city, fresh, street),
        "sign_other": dispatched(city, fresh, other),
        "progress_own": signed(city, fresh, d),
        "progress_other": signed(city, fresh, other),
        "overdue_own": signed(city, old, d),
        "overdue_other": signed(city, old, other),
    }
    sub = signed(city, fresh, d)
    orders["progress_sub"] = dispatch.order_sub_dispatch(
        order=sub, sub_unit=street, actor=handler(d), at=local(2026, 3, 10, 11)
    )
    for key, unit in (("returned_own", d), ("returned_other", other)):
        order = dispatched(city, fresh, unit)
        orders[key] = dispatch.order_return(
            order=order, reason="不属本单位职责", actor=handler(unit), at=local(2026, 3, 10, 12)
        )
    orders["co_own"] = dispatched(city, fresh, other, co_units=[d])
    orders["co_water"] = dispatched(city, fresh, d, co_units=[city.water])
    return {key: order.number for key, order in orders.items()}


TAB_CONTENTS = {
    "sign": {"sign_own", "sign_street", "co_water"},
    "in_progress": {"progress_own", "progress_sub", "overdue_own"},
    "overdue": {"overdue_own"},
    "returned": {"returned_own"},
    "co": {"co_own"},
}


@pytest.mark.parametrize("tab", list(TAB_CONTENTS))
def test_every_tab_shows_only_the_units_own_and_its_sub_units_orders(signed_in, inbox, tab):
    client = signed_in(Role.UNIT_HANDLER)
    response = client.get("/unit/", {"tab": tab})
    assert response.status_code == 200
    shown = numbers(response)
    assert shown == {inbox[key] for key in TAB_CONTENTS[tab]}
    others = {number for key, number in inbox.items() if key.endswith("_other")}
    assert not shown & others


def test_a_sub_unit_handler_sees_only_its_own_part(client, city, inbox):
    client.force_login(handler(city.street_office))
    assert numbers(client.get("/unit/", {"tab": "sign"})) == {inbox["sign_street"]}
    assert numbers(client.get("/unit/", {"tab": "in_progress"})) == {inbox["progress_sub"]}


def test_the_sub_unit_filter_narrows_the_list(signed_in, city, inbox):
    client = signed_in(Role.UNIT_HANDLER)
    response = client.get("/unit/", {"tab": "in_progress", "sub": city.street_office.code})
    assert numbers(response) == {inbox["progress_sub"]}
    # A unit outside the family is ignored, never shown.
    response = client.get("/unit/", {"tab": "in_progress", "sub": city.other_district.code})
    assert inbox["progress_other"] not in numbers(response)


def test_deadline_colours_and_the_return_reason_are_shown(signed_in, inbox):
    client = signed_in(Role.UNIT_HANDLER)
    page = client.get("/unit/", {"tab": "in_progress"}).content.decode()
    assert "due-red" in page and "due-green" in page
    page = client.get("/unit/", {"tab": "returned"}).content.decode()
    assert "不属本单位职责" in page and "等待热线办审核" in page


def test_other_roles_may_not_open_the_inbox(signed_in):
    for role in (Role.DISPATCHER, Role.CALLBACK_AGENT, Role.SUPERVISOR):
        assert signed_in(role).get("/unit/").status_code == 403


def test_another_units_order_is_not_found_by_reply_or_attachment_url(
    signed_in, city, inbox, _media
):
    other = Order.objects.get(number=inbox["progress_other"])
    reply_with_attachments(
        order=other,
        actor=handler(city.other_district),
        text="已处理完毕，并已电话告知市民。",
        files=[SimpleUploadedFile("现场.png", PNG)],
        at=local(2026, 3, 11, 9),
    )
    attachment = Attachment.objects.get(order=other)
    client = signed_in(Role.UNIT_HANDLER)
    assert client.get(f"/unit/orders/{other.number}/reply/").status_code == 404
    response = client.post(f"/unit/orders/{other.number}/reply/", {"text": "越权答复"})
    assert response.status_code == 404
    assert client.get(f"/orders/{other.number}/attachments/{attachment.pk}/").status_code == 404
    # Guessing: the attachment under one of the district's own order numbers.
    own = inbox["progress_own"]
    assert client.get(f"/orders/{own}/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/orders/{other.number}/").status_code == 404
    assert client.get("/orders/29990000001/").status_code == 404


def _post_action(client, number, slug, tab, **fields):
    order = Order.objects.get(number=number)
    data = {"version": order.version, "next": f"/unit/?tab={tab}", **fields}
    return client.post(f"/orders/{number}/do/{slug}/", data)


def test_sign_and_return_from_the_inbox(signed_in, inbox):
    client = signed_in(Role.UNIT_HANDLER)
    page = client.get("/unit/", {"tab": "sign"}).content.decode()
    assert f'action="/orders/{inbox["sign_own"]}/do/sign/"' in page
    assert f'action="/orders/{inbox["sign_own"]}/do/return/"' in page
    # The sub-unit's own order is signed by the sub-unit, not from here.
    assert f'action="/orders/{inbox["sign_street"]}/do/sign/"' not in page

    response = _post_action(client, inbox["sign_own"], "sign", "sign")
    assert response.status_code == 302 and response.url == "/unit/?tab=sign"
    order = Order.objects.get(number=inbox["sign_own"])
    assert order.status == "in_progress" and order.deadline is not None

    response = _post_action(client, inbox["co_water"], "return", "sign", reason="")
    assert Order.objects.get(number=inbox["co_water"]).status == "dispatched"
    assert "不能为空" in client.get(response.url).content.decode()

    _post_action(client, inbox["co_water"], "return", "sign", reason="属市住建局职责")
    assert Order.objects.get(number=inbox["co_water"]).status == "returned"
    assert numbers(client.get("/unit/", {"tab": "returned"})) >= {inbox["co_water"]}


def test_extension_request_and_sub_dispatch_from_the_inbox(signed_in, city, inbox):
    client = signed_in(Role.UNIT_HANDLER)
    page = client.get("/unit/", {"tab": "in_progress"}).content.decode()
    # The sub-dispatch choice lists the unit's own sub-units only.
    options = re.findall(r'<option value="([^"]+)"', page)
    assert city.street_office.code in options and city.other_district.code not in options

    number = inbox["progress_own"]
    _post_action(
        client,
        number,
        "extension-request",
        "in_progress",
        until="2026-04-30",
        reason="需协调施工单位",
    )
    extension = Extension.objects.get(order__number=number)
    assert extension.reason == "需协调施工单位" and extension.granted is None
    assert extension.until.date() == date(2026, 4, 30)

    _post_action(client, number, "sub-dispatch", "in_progress", sub_unit=city.street_office.code)
    assert Order.objects.get(number=number).sub_unit == city.street_office

    _post_action(client, number, "pause", "in_progress", reason="等待市民补充材料")
    assert Order.objects.get(number=number).paused is True
    page = client.get("/unit/", {"tab": "in_progress"}).content.decode()
    assert f'action="/orders/{number}/do/resume/"' in page
    _post_action(client, number, "resume", "in_progress")
    assert Order.objects.get(number=number).paused is False


def test_co_unit_adds_its_part(signed_in, inbox):
    client = signed_in(Role.UNIT_HANDLER)
    number = inbox["co_own"]
    _post_action(client, number, "co-reply", "co", text="本区已配合现场核查。")
    assert Event.objects.filter(order__number=number, type="co_reply").count() == 1
    assert number not in numbers(client.get("/unit/", {"tab": "co"}))


def test_reply_with_a_file_stores_it_and_it_downloads(signed_in, city, inbox, _media):
    client = signed_in(Role.UNIT_HANDLER)
    number = inbox["progress_own"]
    form = client.get(f"/unit/orders/{number}/reply/")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    order = Order.objects.get(number=number)
    response = client.post(
        f"/unit/orders/{number}/reply/",
        {
            "text": "已责令施工单位22时后停止作业，并已电话告知市民。",
            "contacted": "on",
            "resolved": "true",
            "version": order.version,
            "files": [
                SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
                SimpleUploadedFile("说明.txt", "处理情况说明".encode(), content_type="text/plain"),
            ],
        },
    )
    assert response.status_code == 302, response.content.decode()
    order.refresh_from_db()
    assert order.status == "replied"
    attachments = list(Attachment.objects.filter(order=order).order_by("id"))
    assert [a.name for a in attachments] == ["现场照片.png", "说明.txt"]
    assert attachments[0].reply.text.startswith("已责令")

    download = client.get(f"/orders/{number}/attachments/{attachments[0].pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "image/png"
    # The office sees the order, so it may download the file too.
    supervisor = signed_in(Role.SUPERVISOR)
    again = supervisor.get(f"/orders/{number}/attachments/{attachments[1].pk}/")
    assert b"".join(again.streaming_content) == "处理情况说明".encode()


def _refused(client, number, files, settings=None):
    order = Order.objects.get(number=number)
    events = order.events.count()
    response = client.post(
        f"/unit/orders/{number}/reply/",
        {
            "text": "已处理。",
            "resolved": "true",
            "version": order.version,
            "files": [SimpleUploadedFile(name, data) for name, data in files],
        },
    )
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "in_progress"
    assert order.events.count() == events
    assert not Attachment.objects.filter(order=order).exists()
    return response.content.decode()


def _stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_a_too_big_or_wrong_file_is_refused_and_nothing_is_written(
    signed_in, settings, inbox, _media
):
    client = signed_in(Role.UNIT_HANDLER)
    number = inbox["progress_own"]
    settings.HOTLINE_ATTACHMENT_MAX_BYTES = 50
    page = _refused(client, number, [("照片.png", PNG)])
    assert "超过了 50 字节 的上限" in page
    settings.HOTLINE_ATTACHMENT_MAX_BYTES = 10 * 2**20
    page = _refused(client, number, [("好.png", PNG), ("程序.exe", b"MZ\x90\x00")])
    assert "类型不允许" in page
    page = _refused(client, number, [("伪装.pdf", b"MZ\x90\x00not a pdf")])
    assert "内容与文件类型不符" in page
    page = _refused(client, number, [(f"{i}.png", PNG) for i in range(6)])
    assert "最多上传 5 个附件" in page
    assert _stored_files(_media) == []


def test_a_reply_refused_by_the_rules_keeps_no_file(signed_in, inbox, _media):
    client = signed_in(Role.UNIT_HANDLER)
    number = inbox["progress_own"]
    order = Order.objects.get(number=number)
    response = client.post(
        f"/unit/orders/{number}/reply/",
        {"text": "", "version": order.version, "files": [SimpleUploadedFile("a.png", PNG)]},
    )
    assert response.status_code == 400 and "请填写答复内容" in response.content.decode()
    # A form older than the order is refused (someone else acted meanwhile).
    response = client.post(
        f"/unit/orders/{number}/reply/",
        {
            "text": "已处理。",
            "resolved": "true",
            "version": order.version + 7,
            "files": [SimpleUploadedFile("a.png", PNG)],
        },
    )
    assert response.status_code == 400 and "已被他人处理" in response.content.decode()
    assert _stored_files(_media) == []
    assert not Attachment.objects.exists()


@pytest.fixture
def family(city):
    """岳塘区 → 书院路街道 → 社区 and a second street 宝塔街道."""
    community = Unit.objects.create(
        code="U-YT-SYL-01", name="书院路社区", kind="town_government", parent=city.street_office
    )
    second = Unit.objects.create(
        code="U-YT-BT", name="宝塔街道", kind="town_government", parent=city.district
    )
    return community, second


def test_progress_counts_per_sub_unit(signed_in, city, family):
    community, second = family
    d, street = city.district, city.street_office
    fresh, old = local(2026, 3, 10, 9), local(2026, 2, 2, 9)
    for at in (fresh, old):  # one in time, one overdue at NOW
        order = signed(city, at, d)
        dispatch.order_sub_dispatch(
            order=order, sub_unit=street, actor=handler(d), at=at + timedelta(hours=2)
        )
    signed(city, fresh, community)  # led by the street's own sub-unit: counts for the street
    signed(city, fresh, d)  # the district's own work: no sub-unit's
    signed(city, fresh, city.other_district)  # another district: never counted

    def concluded(at):
        order = signed(city, at, street)
        order = handling.order_reply(
            order=order, text="已处理。", actor=handler(street), at=at + timedelta(hours=3)
        )
        return review.order_review(
            order=order,
            decision="accept",
            actor=city.users[Role.SUPERVISOR],
            at=at + timedelta(hours=4),
        )

    concluded(local(2026, 3, 3, 9))  # this month
    concluded(local(2026, 2, 24, 9))  # last month: not counted

    client = signed_in(Role.UNIT_HANDLER)
    page = client.get("/unit/progress/").content.decode()
    rows = {
        name: [int(n) for n in re.findall(r'class="num">(?:<span[^>]*>)?(\d+)', row)]
        for name, row in re.findall(r"<tr>\s*<td>([^<]+)</td>(.*?)</tr>", page, re.S)
    }
    assert rows == {"书院路街道": [3, 1, 1], "宝塔街道": [0, 0, 0]}
    assert f"sub={street.code}" in page


def test_progress_of_a_unit_without_sub_units(client, city):
    client.force_login(handler(city.other_district))
    response = client.get("/unit/progress/")
    assert response.status_code == 200 and "本单位没有下级单位" in response.content.decode()


@pytest.mark.django_db
def test_batch_sign_for_signs_each_order_and_reports_each_result(client, city):
    orders = [dispatched(city, local(2026, 3, 10, 9, i), city.district) for i in range(4)]
    elsewhere = dispatched(city, local(2026, 3, 10, 9, 30), city.other_district)
    # Signed by a colleague after the page was shown: the stale version refuses it.
    handling.order_sign(order=orders[3], actor=handler(city.district), at=NOW)
    client.force_login(city.users[Role.UNIT_HANDLER])
    page = client.get("/unit/?tab=sign")
    assert (
        f'value="{orders[0].number}@{orders[0].version}" form="batch-sign"' in page.content.decode()
    )
    posted = [f"{o.number}@{o.version}" for o in orders] + [f"{elsewhere.number}@1"]
    response = client.post(
        "/orders/batch/sign/", {"orders": posted, "next": "/unit/?tab=sign"}, follow=True
    )
    html = response.content.decode()
    for order in orders[:3]:
        order.refresh_from_db()
        assert order.status == "in_progress"
        assert f"工单 {order.number}：签收已完成" in html
    assert (
        f"工单 {orders[3].number}：" in html and f"工单 {orders[3].number}：签收已完成" not in html
    )
    assert f"工单 {elsewhere.number}：未找到该工单，或您无权查看" in html
    assert "批量签收：3 件完成，2 件未完成" in html
    assert Order.objects.get(pk=elsewhere.pk).status == "dispatched"


@pytest.mark.django_db
def test_batch_sign_for_with_nothing_ticked_says_so(client, city):
    client.force_login(city.users[Role.UNIT_HANDLER])
    response = client.post("/orders/batch/sign/", {"next": "/unit/?tab=sign"}, follow=True)
    assert "请先勾选要签收的工单" in response.content.decode()
    assert client.post("/orders/batch/reply/", {}).status_code == 404


@pytest.mark.django_db
def test_the_tabs_show_their_counts_capped(client, city, monkeypatch):
    for i in range(4):
        dispatched(city, local(2026, 3, 10, 9, i), city.district)
    signed(city, local(2026, 3, 10, 8, 0), city.district)
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/unit/?tab=in_progress").content.decode()
    assert '待签收 <span class="badge">4</span>' in html
    assert '办理中 <span class="badge">1</span>' in html
    assert '退单 <span class="badge">0</span>' in html
    monkeypatch.setattr("hotline.orders.selectors.COUNT_CAP", 2)
    assert inbox_counts(viewer=city.users[Role.UNIT_HANDLER], now=NOW)["sign"] == 3  # cap + 1
    html = client.get("/unit/?tab=in_progress").content.decode()
    assert '待签收 <span class="badge">2+</span>' in html
