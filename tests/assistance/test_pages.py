"""The intake suggestions box and the similar-orders list."""

from types import SimpleNamespace

import pytest

from hotline.assistance import similar as similar_module
from hotline.assistance.engine import forget_loaded_models
from hotline.directory.models import CatalogueEntry
from hotline.domain.enums import Role
from hotline.orders.models import Callback, Order
from hotline.orders.services import dispatch
from tests.conftest import local
from tests.factories import register
from tests.web.test_callback import concluded

NOW = local(2026, 3, 3, 9)


@pytest.fixture(autouse=True)
def no_model(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    forget_loaded_models()
    yield
    forget_loaded_models()


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(similar_module, "timezone", SimpleNamespace(now=lambda: NOW))


def _dispatched(city, at, **fields):
    order = register(city, at, **fields)
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=at)
    return Order.objects.get(pk=order.pk)


def test_suggestions_without_a_model_come_from_the_catalogue_and_place_names(signed_in):
    client = signed_in(Role.OPERATOR)
    response = client.get(
        "/intake/suggestions/",
        {"content": "楼下夜里噪音扰民，吵得睡不着", "address": "岳塘区书院路12号"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚未训练推荐模型" in html
    assert 'data-fill="category" data-value="0501"' in html
    assert 'data-fill="region" data-value="430304001"' in html
    assert 'data-fill="lead" data-value="U-YT"' in html
    assert "书院路街道" in html and "岳塘区" in html
    # Why: the catalogue entry for the place, its principle and the words that matched.
    why = html.split('class="suggestion-why">')[1].split("</div>")[0]
    assert "派单目录「噪音扰民」由岳塘区主办（属地原则）" in why
    assert "噪音" in why


def test_the_reason_gives_the_basis_and_the_most_similar_concluded_orders(city, signed_in):
    CatalogueEntry.objects.filter(category=city.noise, region=city.yuetang).update(
        basis="岳塘区乡镇（街道）履职事项清单：噪音扰民（属地管理）"
    )
    alike = concluded(city, local(2026, 2, 2, 9))  # 夜间施工噪音扰民
    Callback.objects.create(
        order=alike, unit=city.district, kind="callback", result="satisfied", at=NOW
    )
    nearly = concluded(
        city,
        local(2026, 2, 3, 9),
        order=register(city, local(2026, 2, 3, 9), content="楼上装修的噪音"),
    )
    unlike = concluded(
        city, local(2026, 2, 4, 9), order=register(city, local(2026, 2, 4, 9), content="广场舞")
    )
    register(city, local(2026, 2, 5, 9))  # the same words, not concluded
    html = (
        signed_in(Role.OPERATOR)
        .get("/intake/suggestions/", {"content": "书院路夜间施工噪音扰民", "address": "岳塘区"})
        .content.decode()
    )
    why = html.split('class="suggestion-why">')[1].split("</div>")[0]
    assert "依据：岳塘区乡镇（街道）履职事项清单：噪音扰民（属地管理）" in why
    past = why.split('class="suggestion-past">')[1]
    assert past.index(alike.number) < past.index(nearly.number)
    assert unlike.number not in past and past.count("<li>") == 2
    assert "岳塘区办结于" in past and "回访满意" in past


def test_the_dispatch_queue_says_why_on_demand(city, signed_in, django_assert_max_num_queries):
    """Each row of the queue has a button that loads the reason of its suggestion — the
    catalogue entry, its basis, the order's words, the most similar concluded orders —
    so that the page itself asks nothing per row."""
    CatalogueEntry.objects.filter(category=city.noise, region=city.yuetang).update(
        basis="岳塘区乡镇（街道）履职事项清单：噪音扰民（属地管理）"
    )
    alike = concluded(city, local(2026, 2, 2, 9))  # 夜间施工噪音扰民
    waiting = register(city, local(2026, 3, 2, 9))
    client = signed_in(Role.DISPATCHER)
    queue = client.get("/dispatch/").content.decode()
    row = queue.split(f'id="o-{waiting.number}"')[1].split("</tr>")[0]
    assert f'hx-get="/dispatch/{waiting.number}/why/"' in row
    assert '<button type="button" class="secondary"' in row and "推荐理由" in row
    with django_assert_max_num_queries(12):
        html = client.get(f"/dispatch/{waiting.number}/why/").content.decode()
    why = html.split('class="suggestion-why">')[1].split("</div>")[0]
    assert "派单目录「噪音扰民」由岳塘区主办（属地原则）" in why
    assert "依据：岳塘区乡镇（街道）履职事项清单：噪音扰民（属地管理）" in why
    assert "「噪音" in why  # the order's own words behind its category
    past = why.split('class="suggestion-past">')[1]
    assert alike.number in past and "岳塘区办结于" in past


def test_the_reason_of_an_order_the_unit_may_not_see_is_not_found(city, signed_in):
    order = register(city, local(2026, 3, 2, 9))
    assert signed_in(Role.UNIT_HANDLER).get(f"/dispatch/{order.number}/why/").status_code == 403
    assert signed_in(Role.DISPATCHER).get("/dispatch/2026000000/why/").status_code == 404


def test_suggestions_with_nothing_typed_explain_themselves(signed_in):
    response = signed_in(Role.SUPERVISOR).get("/intake/suggestions/")
    assert response.status_code == 200
    assert "输入诉求内容或地址后显示" in response.content.decode()


@pytest.mark.parametrize("role", [Role.UNIT_HANDLER, Role.CALLBACK_AGENT, Role.LEADER])
def test_other_roles_get_no_suggestions(signed_in, role):
    assert signed_in(role).get("/intake/suggestions/", {"content": "噪音"}).status_code == 403


def test_similar_open_orders_at_intake_and_repeat_callers(city, signed_in, frozen_now):
    same = _dispatched(city, local(2026, 3, 2, 10), content="书院路夜间施工噪音扰民，影响休息")
    other = _dispatched(city, local(2026, 3, 2, 11), content="自来水水压太低，高楼层没有水")
    _dispatched(city, local(2026, 2, 1, 10), content="书院路夜间施工噪音扰民，影响休息")  # old
    response = signed_in(Role.OPERATOR).get(
        "/intake/similar/",
        {"content": "书院路工地夜间施工噪音很大", "region": "430304001", "phone": "138-0000-0001"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    listed = html.split("该来电人的历史工单")[0]
    assert same.number in listed
    assert other.number not in listed
    assert "并入此单" not in html  # at intake the operator is told, the merge comes later
    assert f"登记后可将新工单并入 {same.number}" in html
    # The same phone (李先生 13800000001) called about the same matter before.
    assert "重复投诉" in html
    assert html.count("重复投诉") == 2  # the recent and the old noise complaint


def test_the_dispatcher_merges_a_new_order_into_a_similar_one(city, signed_in, frozen_now):
    open_order = _dispatched(
        city, local(2026, 3, 2, 10), content="书院路夜间施工噪音扰民，影响休息"
    )
    new = register(city, local(2026, 3, 3, 8), content="书院路工地夜里施工，噪音扰民")
    client = signed_in(Role.DISPATCHER)
    response = client.get("/intake/similar/", {"number": new.number, "next": "/dispatch/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "并入此单" in html
    assert f'action="/orders/{new.number}/merge/"' in html or f"/{new.number}/" in html
    assert f'name="into" value="{open_order.number}"' in html
    action = html.split('<form method="post" action="')[1].split('"')[0]
    done = client.post(
        action, {"into": open_order.number, "version": new.version, "next": "/dispatch/"}
    )
    assert done.status_code == 302
    new.refresh_from_db()
    assert new.status == "merged"
    assert new.merged_into_id == open_order.pk


def test_similar_orders_of_an_unknown_number_is_404(signed_in):
    response = signed_in(Role.DISPATCHER).get("/intake/similar/", {"number": "20269999999"})
    assert response.status_code == 404
