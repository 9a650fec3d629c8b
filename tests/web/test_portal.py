"""The citizen portal: online submission (website channel, validated phone, rate limit,
CSRF), tracking by number and phone in the citizen's terms without enumeration, and
the citizen's own rating: once, once the order is concluded or closed (or answered at
intake), kept apart from the callbacks and shown to the staff on the order page."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from hotline.domain import citizen_rating
from hotline.domain.enums import Role
from hotline.orders.models import Callback, Event, Order
from hotline.orders.services import dispatch, handling, intake, review
from hotline.orders.services.intake import CitizenInput
from hotline.portal.forms import contact_phone
from hotline.portal.models import CitizenRating
from hotline.portal.services import citizen_rate
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


def rate(client, number, result="satisfied", phone=PHONE, comment=""):
    return client.post(
        reverse("portal:rate"),
        {"number": number, "phone": phone, "result": result, "comment": comment},
    )


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


def closed(city):
    """Handled, called back by the office and archived: the usual end of an order."""
    order = concluded(city)
    review.order_callback(
        order=order,
        result="satisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=T0 + timedelta(hours=5),
    )
    return review.order_close(
        order=order, actor=city.users[Role.SUPERVISOR], at=T0 + timedelta(hours=6)
    )


# --- landing and submission -----------------------------------------------------------


def test_landing_has_the_two_entries_and_no_staff_menu(client, city):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("portal:submit") in html and reverse("portal:track") in html
    assert "工单查询" not in html and "退出" not in html


def test_submitting_registers_a_website_order(client, city):
    response = submit(client, region=city.street.code, confidential="on")
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
        ({"region": "999999"}, "所选区域不存在"),
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
    assert contact_phone(typed) == stored


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


def test_rating_an_archived_order_works_and_the_office_sees_it(client, city):
    order = closed(city)
    assert order.status == "closed"
    page = track(client, order.number).content.decode()
    assert "评价办理结果" in page and 'name="comment"' in page
    response = rate(
        client, order.number, result="basically_satisfied", comment="  处理及时，但施工噪音仍有  "
    )
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    stored = CitizenRating.objects.get(order=order)
    assert stored.result == "basically_satisfied"
    assert stored.comment == "处理及时，但施工噪音仍有"
    assert stored.address == "127.0.0.1"
    page = track(client, order.number).content.decode()
    assert "您已评价：基本满意" in page and "处理及时，但施工噪音仍有" in page
    assert 'name="result"' not in page
    client.force_login(city.users[Role.SUPERVISOR])
    detail = client.get(reverse("web:order_detail", args=[order.number]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "市民评价" in html and "基本满意" in html and "处理及时，但施工噪音仍有" in html


def test_the_unit_sees_the_rating_of_its_order_too(client, city):
    order = closed(city)
    citizen_rate(order=order, result="unsatisfied", comment="还是很吵", address="10.0.0.9")
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert "市民评价" in html and "还是很吵" in html


def test_an_order_without_a_rating_shows_no_rating_card(client, city):
    order = closed(city)
    client.force_login(city.users[Role.SUPERVISOR])
    html = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert "市民评价" not in html


def test_a_second_rating_is_refused(client, city):
    order = concluded(city)
    assert rate(client, order.number, result="satisfied", comment="很好").status_code == 200
    again = rate(client, order.number, result="unsatisfied", comment="改主意了")
    assert again.status_code == 400
    assert "该工单已评价，不能重复评价" in again.content.decode()
    stored = CitizenRating.objects.get(order=order)
    assert stored.result == "satisfied" and stored.comment == "很好"


def test_a_rating_stored_meanwhile_is_caught_by_the_unique_order(city, monkeypatch):
    """Two requests that both passed the check: the second insert is refused the same way."""
    order = concluded(city)
    citizen_rate(order=order, result="satisfied", comment="", address="10.0.0.1")
    monkeypatch.setattr("hotline.portal.services._already_rated", lambda order_id: False)
    with pytest.raises(citizen_rating.AlreadyRated, match="不能重复评价"):
        citizen_rate(order=order, result="unsatisfied", comment="", address="10.0.0.1")
    assert CitizenRating.objects.filter(order=order).count() == 1


def test_rating_an_order_answered_at_intake_works_once(client, city):
    order = factories.register(city, T0)
    intake.order_answer(order=order, actor=city.users[Role.OPERATOR], at=T0 + timedelta(minutes=3))
    order.refresh_from_db()
    assert order.status == "closed"
    assert rate(client, order.number, result="satisfied").status_code == 200
    assert rate(client, order.number, result="satisfied").status_code == 400
    assert CitizenRating.objects.filter(order=order).count() == 1


@pytest.mark.parametrize("stage", ["registered", "in_progress"])
def test_rating_an_order_still_in_handling_is_refused(client, city, stage):
    order = factories.register(city, T0)
    if stage == "in_progress":
        dispatch.order_dispatch(
            order=order,
            lead=city.district,
            actor=city.users[Role.DISPATCHER],
            at=T0 + timedelta(minutes=5),
        )
        handling.order_sign(
            order=order, actor=city.users[Role.UNIT_HANDLER], at=T0 + timedelta(minutes=30)
        )
    order.refresh_from_db()
    assert order.status == stage
    assert "评价办理结果" not in track(client, order.number).content.decode()
    refused = rate(client, order.number)
    assert refused.status_code == 400 and "工单办结后才能评价" in refused.content.decode()
    assert not CitizenRating.objects.exists()


def test_a_rejected_order_cannot_be_rated(client, city):
    order = factories.register(city, T0)
    intake.order_reject(
        order=order,
        reason="between_residents",
        actor=city.users[Role.OPERATOR],
        at=T0 + timedelta(minutes=3),
    )
    page = track(client, order.number).content.decode()
    assert "评价办理结果" not in page
    # Received, then refused: the timeline never said it was accepted (受理).
    assert "已收到您的诉求" in page and "已受理" not in page
    refused = rate(client, order.number)
    assert refused.status_code == 400 and "不予受理" in refused.content.decode()
    assert not CitizenRating.objects.exists()


def test_a_wrong_phone_finds_nothing_to_rate(client, city):
    order = concluded(city)
    wrong = rate(client, order.number, phone="13900000000")
    assert wrong.status_code == 404 and NOT_FOUND in wrong.content.decode()
    assert not CitizenRating.objects.exists()


def test_rating_is_not_a_callback_and_leaves_the_order_untouched(client, city):
    order = concluded(city)
    events = Event.objects.filter(order=order).count()
    version = Order.objects.get(pk=order.pk).version
    assert rate(client, order.number, result="unsatisfied", comment="没解决").status_code == 200
    assert not Callback.objects.exists()
    assert Event.objects.filter(order=order).count() == events
    after = Order.objects.get(pk=order.pk)
    assert after.version == version and after.status == "concluded"
    assert after.state.get("callback") is None
    # Still due for the office's callback, which records its own result.
    review.order_callback(
        order=after,
        result="satisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=T0 + timedelta(hours=5),
    )
    assert Callback.objects.get(order=order).result == "satisfied"
    assert CitizenRating.objects.get(order=order).result == "unsatisfied"


def test_a_comment_over_500_characters_is_a_400_and_writes_nothing(client, city):
    order = concluded(city)
    response = rate(client, order.number, comment="好" * 501)
    assert response.status_code == 400
    assert "评价意见不能超过 500 字" in response.content.decode()
    assert not CitizenRating.objects.exists()
    assert rate(client, order.number, comment="好" * 500).status_code == 200


def test_a_phone_number_in_the_comment_is_masked(client, city):
    order = concluded(city)
    assert rate(client, order.number, comment="有事打我13812345678").status_code == 200
    assert CitizenRating.objects.get(order=order).comment == "有事打我138****5678"


def test_rating_needs_a_citizens_answer(client, city):
    order = concluded(city)
    assert rate(client, order.number, result="unreachable").status_code == 400
    assert rate(client, order.number, result="").status_code == 400
    assert not CitizenRating.objects.exists()
    assert client.get(reverse("portal:rate")).status_code == 200
