"""The citizen portal: online submission (website channel, validated phone, rate limit,
CSRF), tracking by number and phone in the citizen's terms without enumeration, and
one rating once the order is concluded (or answered at intake)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from hotline.domain.enums import Role
from hotline.orders.models import Callback, Event, Order
from hotline.orders.services import dispatch, handling, intake, review
from hotline.orders.services.intake import CitizenInput
from hotline.portal.forms import normalise_phone
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 9, 9, 0)
PHONE = "13800000001"  # the phone tests.factories.register gives the citizen
NOT_FOUND = "未找到该工单，请核对工单编号和联系电话"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def valid_request(**changes):
    data = {
        "appeal_type": "complaint",
        "content": "和平路菜市场门口占道经营，早高峰车辆无法通行",
        "address": "雨湖区和平路88号",
        "name": "刘女士",
        "phone": "138-0000-0009",
    }
    data.update(changes)
    return data


def submit(client, **changes):
    return client.post(reverse("portal:submit"), valid_request(**changes))


def track(client, number, phone=PHONE):
    return client.post(reverse("portal:track"), {"number": number, "phone": phone})


def rate(client, number, result="satisfied", phone=PHONE):
    return client.post(reverse("portal:rate"), {"number": number, "phone": phone, "result": result})


def concluded(city, *, reply="已协调施工方停止夜间施工"):
    order = factories.register(city, T0)
    dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(minutes=5),
    )
    unit = city.users[Role.UNIT_HANDLER]
    handling.order_sign(order=order, actor=unit, at=T0 + timedelta(minutes=30))
    handling.order_reply(order=order, text=reply, actor=unit, at=T0 + timedelta(hours=3))
    return review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=4),
    )


# --- landing and submission -----------------------------------------------------------


def test_landing_has_the_two_entries_and_no_staff_menu(client, city):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("portal:submit") in html and reverse("portal:track") in html
    assert "工单查询" not in html and "退出" not in html


def test_submitting_registers_a_website_order(client, city):
    response = submit(client, region=str(city.street.pk), confidential="on")
    assert response.status_code == 302 and response.url == reverse("portal:submitted")
    order = Order.objects.get()
    assert order.channel == "website" and order.appeal_type == "complaint"
    assert order.status == "registered" and order.confidential
    assert order.region == city.street and order.address == "雨湖区和平路88号"
    assert order.citizen.name == "刘女士" and order.citizen.phone == "13800000009"
    register = Event.objects.get(order=order)
    assert register.type == "register" and register.actor is None and order.operator is None
    page = client.get(response.url).content.decode()
    assert order.number in page and "妥善保管" in page


def test_the_result_page_needs_a_submission(client, city):
    assert client.get(reverse("portal:submitted")).url == reverse("portal:home")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "请填写正确的手机号码或固定电话"),
        ({"phone": "2380000000a"}, "请填写正确的手机号码或固定电话"),
        ({"phone": ""}, "请填写联系电话"),
        ({"content": "   "}, "请填写诉求内容"),
        ({"name": ""}, "请填写姓名"),
        ({"appeal_type": "gossip"}, "选择一个有效的选项"),
        ({"region": "999999"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(client, city, changes, message):
    response = submit(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800000009", "13800000009"),
        ("+86 138 0000 0009", "13800000009"),
        ("0731-58581234", "073158581234"),
        ("(0731) 5858 1234", "073158581234"),
        ("010-12345678", "01012345678"),
        ("58581234", "58581234"),
        ("12800000009", None),
        ("0731-1234", None),
        ("１３８００００００09", None),
        ("", None),
    ],
)
def test_phone_numbers(typed, stored):
    assert normalise_phone(typed) == stored


def test_submissions_are_rate_limited_per_address(client, city, settings):
    settings.HOTLINE_PORTAL_SUBMIT_LIMIT = 2
    assert submit(client).status_code == 302
    assert submit(client, phone="123").status_code == 400  # a mistyped form does not count
    assert submit(client).status_code == 302
    limited = submit(client)
    assert limited.status_code == 429
    assert "操作过于频繁" in limited.content.decode()
    assert Order.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert submit(other).status_code == 302


def test_the_forms_need_the_csrf_token(city):
    strict = Client(enforce_csrf_checks=True)
    assert submit(strict).status_code == 403
    assert track(strict, "20260000001").status_code == 403
    assert not Order.objects.exists()
    page = strict.get(reverse("portal:submit")).content.decode()
    assert "csrfmiddlewaretoken" in page


# --- tracking -------------------------------------------------------------------------


def test_tracking_shows_the_status_and_steps_in_citizen_terms(client, city):
    order = factories.register(city, T0)
    dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(minutes=5),
    )
    dispatch.order_return(
        order=order,
        reason="内部：不属于本单位职责",
        actor=city.users[Role.UNIT_HANDLER],
        at=T0 + timedelta(minutes=10),
    )
    response = track(client, order.number, phone="138 0000 0001")
    assert response.status_code == 200
    html = response.content.decode()
    assert "正在确定承办单位" in html
    assert "您的诉求已受理" in html and "已转交岳塘区办理" in html
    for hidden in ("内部：不属于本单位职责", "dispatcher", "unit_handler", "operator", "李先生"):
        assert hidden not in html
    assert "评价办理结果" not in html


def test_a_wrong_phone_and_an_unknown_number_look_the_same(client, city):
    order = factories.register(city, T0)
    wrong = track(client, order.number, phone="13900000000")
    unknown = track(client, "20269999999")
    assert wrong.status_code == unknown.status_code == 404
    assert NOT_FOUND in wrong.content.decode() and NOT_FOUND in unknown.content.decode()
    assert order.content not in wrong.content.decode()


def test_an_order_without_a_phone_cannot_be_tracked(client, city):
    order = factories.register(city, T0, citizen=CitizenInput(name="匿名"))
    assert track(client, order.number, phone="13800000001").status_code == 404


def test_the_reply_is_shown_once_concluded_with_numbers_masked(client, city):
    order = concluded(city, reply="已处理完毕，如有问题请拨打13812345678联系王科长")
    html = track(client, order.number).content.decode()
    assert "已办结" in html and "答复已通过审核" in html
    assert "138****5678" in html and "13812345678" not in html
    assert "评价办理结果" in html


def test_tracking_is_rate_limited(client, city, settings):
    settings.HOTLINE_PORTAL_TRACK_LIMIT = 3
    for _ in range(3):
        assert track(client, "20269999999").status_code == 404
    limited = track(client, "20269999999")
    assert limited.status_code == 429 and "操作过于频繁" in limited.content.decode()
    assert rate(client, "20269999999").status_code == 429  # rating shares the budget


def test_a_merged_order_shows_the_order_it_joined(client, city):
    target = factories.register(city, T0)
    dispatch.order_dispatch(
        order=target,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(minutes=5),
    )
    joined = factories.register(
        city, T0 + timedelta(minutes=10), citizen=CitizenInput(name="周先生", phone="13700000003")
    )
    intake.order_merge(
        order=joined, into=target, actor=city.users[Role.OPERATOR], at=T0 + timedelta(minutes=15)
    )
    unit = city.users[Role.UNIT_HANDLER]
    handling.order_sign(order=target, actor=unit, at=T0 + timedelta(minutes=30))
    handling.order_reply(
        order=target, text="已协调施工方停止夜间施工", actor=unit, at=T0 + timedelta(hours=3)
    )
    review.order_review(
        order=target,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=4),
    )
    html = track(client, joined.number, phone="13700000003").content.decode()
    assert "已与同一事项的工单合并办理" in html
    assert target.number in html and "已协调施工方停止夜间施工" in html
    assert "评价办理结果" not in html


# --- rating ---------------------------------------------------------------------------


def test_rating_a_concluded_order_works_once(client, city):
    order = concluded(city)
    response = rate(client, order.number, result="basically_satisfied")
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    callback = Callback.objects.get(order=order)
    assert callback.kind == "callback" and callback.result == "basically_satisfied"
    assert callback.agent is None and callback.unit == city.district
    again = rate(client, order.number, result="unsatisfied")
    assert again.status_code == 400
    assert "不能重复评价" in again.content.decode()
    assert Callback.objects.filter(order=order).count() == 1
    assert "评价办理结果" not in track(client, order.number).content.decode()


def test_rating_an_order_closed_at_intake_works_once(client, city):
    order = factories.register(city, T0)
    intake.order_answer(order=order, actor=city.users[Role.OPERATOR], at=T0 + timedelta(minutes=3))
    order.refresh_from_db()
    assert order.status == "closed"
    assert rate(client, order.number, result="satisfied").status_code == 200
    assert rate(client, order.number, result="satisfied").status_code == 400
    assert Callback.objects.filter(order=order).count() == 1


def test_rating_before_conclusion_or_after_archiving_is_refused(client, city):
    order = factories.register(city, T0)
    early = rate(client, order.number)
    assert early.status_code == 400 and "工单办结后才能评价" in early.content.decode()
    archived = concluded(city)
    review.order_close(
        order=archived, actor=city.users[Role.SUPERVISOR], at=T0 + timedelta(hours=6)
    )
    late = rate(client, archived.number)
    assert late.status_code == 400 and "已归档" in late.content.decode()
    assert not Callback.objects.exists()


def test_rating_needs_the_right_pair_and_a_citizens_answer(client, city):
    order = concluded(city)
    assert rate(client, order.number, phone="13900000000").status_code == 404
    assert rate(client, order.number, result="unreachable").status_code == 400
    assert not Callback.objects.exists()
    assert client.get(reverse("portal:rate")).status_code == 200
