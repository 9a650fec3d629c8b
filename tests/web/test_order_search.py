"""The order search: each filter, keyset pages, Chinese errors for bad input, and a unit
handler who only ever finds its own unit's orders."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from hotline.directory.models import Category
from hotline.domain.enums import Role
from hotline.orders.services import dispatch, handling
from hotline.orders.services.intake import CitizenInput
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 9, 9, 0)


def numbers(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('<table class="orders">') :]
    return re.findall(r'<a href="/orders/(\d+)/">', table)


def search(client, **params):
    return client.get(reverse("web:order_search"), params)


def dispatched(city, at, lead, **fields):
    order = factories.register(city, at, **fields)
    return dispatch.order_dispatch(
        order=order, lead=lead, actor=city.users[Role.DISPATCHER], at=at + timedelta(minutes=5)
    )


@pytest.fixture
def orders(city):
    """Four orders over three days, two units, two categories, two callers."""
    noise_yt = dispatched(city, T0, city.district)
    water = dispatched(
        city,
        T0 + timedelta(days=1),
        city.water,
        category=city.water_supply,
        region=city.yuhu,
        appeal_type="help",
        citizen=CitizenInput(name="张先生", phone="13900000002"),
    )
    noise_yh = dispatched(
        city,
        T0 + timedelta(days=2),
        city.other_district,
        region=city.yuhu,
        citizen=CitizenInput(name="张先生", phone="13900000002"),
    )
    fresh = factories.register(city, T0 + timedelta(days=2, hours=1))
    return {"noise_yt": noise_yt, "water": water, "noise_yh": noise_yh, "fresh": fresh}


def test_no_filter_lists_every_order_newest_first(signed_in, orders):
    found = numbers(search(signed_in(Role.SUPERVISOR)))
    assert found == [orders[name].number for name in ("fresh", "noise_yh", "water", "noise_yt")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"number": "__noise_yt__"}, ["noise_yt"]),
        ({"phone": "139 0000 0002"}, ["noise_yh", "water"]),
        ({"status": "registered"}, ["fresh"]),
        ({"status": "dispatched", "appeal_type": "help"}, ["water"]),
        ({"category": "05"}, ["fresh", "noise_yh", "noise_yt"]),  # the level-1 code: its subtree
        ({"category": "供水"}, ["water"]),
        ({"region": "岳塘区"}, ["fresh", "noise_yt"]),  # the district includes its street
        ({"region": "430302"}, ["noise_yh", "water"]),
        ({"lead_unit": "U-YH"}, ["noise_yh"]),
        ({"lead_unit": "中环水务"}, ["water"]),
        ({"received_from": "2026-03-10", "received_to": "2026-03-10"}, ["water"]),
        ({"received_from": "2026-03-11"}, ["fresh", "noise_yh"]),
        ({"received_to": "2026-03-09"}, ["noise_yt"]),
        ({"number": "20269999999"}, []),
    ],
)
@pytest.mark.parametrize("common", [False, True], ids=["rare", "common"])
def test_filters(signed_in, orders, params, expected, common, monkeypatch):
    if common:
        # Every directory filter counts as common: the plan that reads in received_at order.
        monkeypatch.setattr("hotline.orders.selectors.search.COMMON_MATCHES", 1)
    params = {k: orders[v[2:-2]].number if v.startswith("__") else v for k, v in params.items()}
    response = search(signed_in(Role.OPERATOR), **params)
    assert response.status_code == 200
    assert numbers(response) == [orders[name].number for name in expected]


def test_a_unit_handler_finds_only_its_own_orders(signed_in, orders):
    client = signed_in(Role.UNIT_HANDLER)  # 岳塘区
    assert numbers(search(client)) == [orders["noise_yt"].number]
    assert numbers(search(client, number=orders["water"].number)) == []
    assert numbers(search(client, lead_unit="U-YH")) == []
    assert "仅显示本单位" in search(client).content.decode()


def test_a_unit_cannot_find_a_confidential_order_by_the_citizens_phone(signed_in, city):
    secret = dispatched(
        city,
        T0,
        city.district,
        confidential=True,
        citizen=CitizenInput(name="赵女士", phone="13700000007"),
    )
    unit = signed_in(Role.UNIT_HANDLER)
    assert search(unit, phone="13700000007").status_code == 400  # no phone search at all
    assert numbers(search(unit)) == [secret.number]
    assert numbers(search(signed_in(Role.SUPERVISOR), phone="13700000007")) == [secret.number]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "没有这个分类"}, "未找到事项分类「没有这个分类」"),
        ({"region": "火星"}, "未找到区域「火星」"),
        ({"lead_unit": "不存在的单位"}, "未找到单位「不存在的单位」"),
        ({"number": "abc"}, "工单编号只能是数字"),
        ({"phone": "1380000abcd"}, "联系电话只能是数字"),
        ({"received_from": "2026-03-10", "received_to": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"received_from": "2026-13-40"}, "有效的日期"),
        ({"status": "nonsense"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_a_400_with_a_chinese_message(signed_in, city, params, message):
    response = search(signed_in(Role.SUPERVISOR), **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_keyset_pages(signed_in, city):
    made = [factories.register(city, T0 + timedelta(minutes=i)) for i in range(32)]
    client = signed_in(Role.OPERATOR)
    first = search(client, status="registered")
    assert numbers(first) == [o.number for o in reversed(made)][:30]
    cursor = re.search(r'cursor=([^"&]+)"', first.content.decode()).group(1)
    second = client.get(reverse("web:order_search") + f"?status=registered&cursor={cursor}")
    assert numbers(second) == [made[1].number, made[0].number]


def test_the_category_filter_covers_three_levels(signed_in, city, orders):
    leaf = Category.objects.create(code="050101", name="建筑施工噪音", level=3, parent=city.noise)
    deep = factories.register(city, T0 + timedelta(days=3), category=leaf)
    found = numbers(search(signed_in(Role.SUPERVISOR), category="05"))
    assert found[0] == deep.number and len(found) == 4


def test_roles_without_the_page_get_403(signed_in, city):
    assert search(signed_in(Role.ADMINISTRATOR)).status_code == 403


def test_a_province_order_is_found_by_the_provinces_number_and_shows_it(signed_in, city):
    province = factories.register(
        city, T0, channel="province_platform", external_ref="HN20260309000001"
    )
    factories.register(city, T0, channel="province_platform", external_ref="HN20260309000002")
    client = signed_in(Role.SUPERVISOR)
    assert numbers(search(client, external_ref="HN20260309000001")) == [province.number]
    page = client.get(reverse("web:order_detail", args=[province.number])).content.decode()
    assert '<dd id="order-external-ref">HN20260309000001</dd>' in page


def test_the_content_and_the_replies_are_searched_by_their_words(signed_in, city):
    noisy = factories.register(city, T0, content="楼下夜间施工噪音扰民")
    quiet = factories.register(city, T0 + timedelta(hours=1), content="小区停水三天了")
    replied = dispatched(city, T0 + timedelta(hours=2), city.district, content="路灯不亮")
    unit = city.users[Role.UNIT_HANDLER]
    replied = handling.order_sign(order=replied, actor=unit, at=T0 + timedelta(hours=3))
    handling.order_reply(
        order=replied, text="已更换灯泡，恢复照明", actor=unit, at=T0 + timedelta(hours=4)
    )
    client = signed_in(Role.SUPERVISOR)
    assert numbers(search(client, text="噪音")) == [noisy.number]
    assert numbers(search(client, text="施工 扰民")) == [noisy.number]
    assert numbers(search(client, text="停水", status="registered")) == [quiet.number]
    assert numbers(search(client, text="停水", status="dispatched")) == []
    assert numbers(search(client, text="噪")) == [noisy.number]
    assert numbers(search(client, text="灯泡")) == [replied.number]
    assert numbers(search(client, text="路灯")) == [replied.number]


def test_a_search_without_words_is_refused_in_chinese(signed_in, city):
    response = search(signed_in(Role.SUPERVISOR), text="，。！")
    assert response.status_code == 400
    assert "请输入要查找的汉字、字母或数字" in response.content.decode()
