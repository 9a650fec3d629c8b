import pytest
from django.db import transaction
from django.urls import reverse

from hotline.directory.models import CatalogueEntry, Tag
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.orders.models import Citizen, Event, Order
from hotline.orders.services import intake_desk
from hotline.orders.services.intake import CitizenInput, Intake
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

INTAKE = reverse("web:intake")


def call(city, action, **fields):
    """What the operator types for one call, posted with one outcome button."""
    data = {
        "phone": "138 0000 0001",
        "citizen_name": "王女士",
        "citizen_kind": "urban",
        "channel": "phone",
        "appeal_type": "complaint",
        "category": city.water_supply.code,
        "region": city.street.code,
        "address": "岳塘区书院路12号",
        "content": "小区停水三天，没有任何通知",
        "action": action,
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def events_of(order: Order) -> list[str]:
    return list(Event.objects.filter(order=order).order_by("seq").values_list("type", flat=True))


# --- the page -------------------------------------------------------------------------


def test_operator_opens_the_intake_screen(signed_in):
    response = signed_in(Role.OPERATOR).get(INTAKE)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_phone"' in page and "autofocus" in page.split('id="id_phone"')[1][:400]
    for text in ("当场答复<kbd>F2</kbd>", "转派<kbd>F4</kbd>", "不予受理<kbd>F8</kbd>"):
        assert text in page
    assert 'data-key="F9"' in page and 'data-key="F10"' in page
    # Enter in a field never picks an outcome: the first submit button is disabled.
    first_button = page.index('<button type="submit"', page.index('id="intake-form"'))
    assert page[first_button:].startswith('<button type="submit" disabled hidden')
    assert page.index('<button type="submit" disabled') < page.index('name="action"')
    # The phone box asks for the caller's history while the operator types.
    assert f'hx-get="{reverse("web:caller_lookup")}"' in page
    assert "web/intake.js" in page
    # The region is a search-as-you-type picker (towns and communities by name or
    # pinyin initials), not an endless select.
    assert f'hx-get="{reverse("web:region_search")}?name=region"' in page
    assert '<select name="region"' not in page


def test_supervisor_may_take_calls_but_dispatcher_and_unit_may_not(signed_in):
    assert signed_in(Role.SUPERVISOR).get(INTAKE).status_code == 200
    assert signed_in(Role.DISPATCHER).get(INTAKE).status_code == 403
    assert signed_in(Role.UNIT_HANDLER).get(INTAKE).status_code == 403
    assert signed_in(Role.DISPATCHER).post(INTAKE, {"action": "answer"}).status_code == 403
    assert not Order.objects.exists()


def test_tags_are_offered_as_check_boxes(signed_in, city):
    Tag.objects.create(name="文明创建")
    Tag.objects.create(name="已停用专项", active=False)
    page = signed_in(Role.OPERATOR).get(INTAKE).content.decode()
    assert "文明创建" in page and "已停用专项" not in page


# --- outcomes -------------------------------------------------------------------------


def test_answer_at_intake_registers_and_closes_the_order(signed_in, city):
    client = signed_in(Role.OPERATOR)
    tag = Tag.objects.create(name="涉企")
    response = client.post(INTAKE, call(city, "answer", article="停水通知查询", tags=[tag.pk]))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == f"{INTAKE}?done={order.number}"
    assert order.status == "closed" and order.disposition == "answered"
    assert order.operator == city.users[Role.OPERATOR]
    assert order.citizen.phone == "13800000001"  # separators dropped
    assert order.category == city.water_supply and order.region == city.street
    assert list(order.tags.all()) == [tag]
    assert events_of(order) == ["register", "answer"]
    assert Event.objects.get(order=order, type="answer").data["article"] == "停水通知查询"
    # Back on an empty form, with the new number and the way to its detail.
    page = client.get(response.url).content.decode()
    assert f"工单 {order.number} 已登记并当场答复" in page
    assert 'id="intake-done"' in page
    detail = reverse("web:order_detail", args=[order.number])
    assert f'<a href="{detail}">{order.number}</a>' in page
    assert "小区停水三天" not in page


def test_dispatch_shows_the_catalogue_suggestion_before_writing(signed_in, city):
    client = signed_in(Role.OPERATOR)
    response = client.post(INTAKE, call(city, "dispatch"))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Order.objects.exists()
    assert "派单目录建议" in page and "中环水务" in page
    assert 'name="step" value="confirm"' in page
    assert f'name="lead" value="{city.water.code}" checked' in page
    assert "确认转派<kbd>F4</kbd>" in page and "交派单员派单<kbd>F6</kbd>" in page
    # The form keeps what was typed.
    assert "小区停水三天，没有任何通知" in page


def test_the_suggestion_at_intake_gives_the_catalogues_basis(signed_in, city):
    basis = "中环水务供水服务承诺：城区供水设施的维修和停水通告"
    CatalogueEntry.objects.filter(category=city.water_supply).update(basis=basis)
    page = signed_in(Role.OPERATOR).post(INTAKE, call(city, "dispatch")).content.decode()
    assert f'<small class="hint catalogue-basis">依据：{basis}</small>' in page


def test_dispatch_confirmed_goes_straight_to_the_suggested_unit(signed_in, city):
    client = signed_in(Role.OPERATOR)
    response = client.post(
        INTAKE, call(city, "dispatch", step="confirm", lead=city.water.code), follow=True
    )
    order = Order.objects.get()
    assert order.status == "dispatched" and order.lead_unit == city.water
    assert order.sign_by is not None
    assert events_of(order) == ["register", "dispatch"]
    assert f"工单 {order.number} 已登记并转派至「中环水务」" in response.content.decode()


def test_dispatch_without_a_catalogue_rule_asks_for_a_unit(signed_in, city):
    client = signed_in(Role.OPERATOR)
    page = client.post(INTAKE, call(city, "dispatch", category="")).content.decode()
    assert "派单目录中没有与该事项分类、区域对应的规则" in page
    refused = client.post(INTAKE, call(city, "dispatch", category="", step="confirm"))
    assert refused.status_code == 400
    assert "请选择主办单位，或交派单员派单" in refused.content.decode()
    assert not Order.objects.exists()


def test_leaving_the_order_to_the_dispatcher_only_registers_it(signed_in, city):
    client = signed_in(Role.OPERATOR)
    response = client.post(INTAKE, call(city, "queue", step="confirm"))
    order = Order.objects.get()
    assert response.status_code == 302
    assert order.status == "registered" and events_of(order) == ["register"]
    page = client.get(response.url).content.decode()
    assert "等待派单员派单" in page
    assert reverse("web:order_split", args=[order.number]) in page


def test_reject_needs_a_reason(signed_in, city):
    client = signed_in(Role.OPERATOR)
    response = client.post(INTAKE, call(city, "reject"))
    assert response.status_code == 400
    assert "不予受理须选择理由" in response.content.decode()
    assert not Order.objects.exists() and not Citizen.objects.exists()
    client.post(INTAKE, call(city, "reject", reject_reason="legal_process"))
    order = Order.objects.get()
    assert order.disposition == "rejected" and order.reject_reason == "legal_process"
    assert events_of(order) == ["register", "reject"]


@pytest.mark.parametrize(("action", "label"), [("harassment", "骚扰来电"), ("invalid", "无效来电")])
def test_harassment_and_invalid_calls_need_no_content(signed_in, city, action, label):
    client = signed_in(Role.OPERATOR)
    response = client.post(
        INTAKE,
        {"phone": "13900000009", "citizen_kind": "urban", "channel": "phone", "action": action},
        follow=True,
    )
    order = Order.objects.get()
    assert order.status == "closed" and order.disposition == action
    assert order.content == label and order.appeal_type == "other"
    assert events_of(order) == ["register", action]
    assert f"工单 {order.number} 已记录为{label}" in response.content.decode()


def test_invalid_input_is_refused_in_chinese_and_kept(signed_in, city):
    client = signed_in(Role.OPERATOR)
    response = client.post(
        INTAKE, call(city, "answer", content="  ", appeal_type="", phone="abc", address="书院路")
    )
    page = response.content.decode()
    assert response.status_code == 400
    for text in ("请填写诉求内容", "请选择诉求类型", "请输入正确的电话号码"):
        assert text in page
    assert 'value="书院路"' in page
    # The chosen category stays chosen.
    assert f'name="category" value="{city.water_supply.code}" checked' in page
    assert not Order.objects.exists()


def test_an_unknown_outcome_is_refused(signed_in, city):
    response = signed_in(Role.OPERATOR).post(INTAKE, call(city, "close"))
    assert response.status_code == 400
    assert "没有这项受理结果" in response.content.decode()
    assert not Order.objects.exists()


def test_a_refused_follow_up_writes_nothing(signed_in, city):
    client = signed_in(Role.OPERATOR)
    factories.register(city, local(2026, 3, 2, 9))
    orders, citizens, events = Order.objects.count(), Citizen.objects.count(), Event.objects.count()
    response = client.post(
        INTAKE,
        call(
            city,
            "dispatch",
            phone="13700000007",
            step="confirm",
            lead=city.water.code,
            co_units=[city.water.code],
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "主办单位不能同时作为协办单位" in page
    assert (Order.objects.count(), Citizen.objects.count(), Event.objects.count()) == (
        orders,
        citizens,
        events,
    )
    # Still on the dispatch step, with the operator's choice kept.
    assert 'name="step" value="confirm"' in page
    assert f'name="co_units" value="{city.water.code}" checked' in page


def test_the_desk_services_roll_back_the_registration_when_the_decision_is_refused(city):
    intake = Intake(
        channel="phone",
        appeal_type="complaint",
        content="夜间施工噪音",
        citizen=CitizenInput(name="赵先生", phone="13600000006"),
    )
    operator = city.users[Role.OPERATOR]
    with pytest.raises(DomainError):
        intake_desk.order_reject_at_intake(actor=operator, intake=intake, reason="没有理由")
    assert not Order.objects.exists() and not Citizen.objects.exists()
    order = intake_desk.order_invalid_at_intake(actor=operator, intake=intake)
    assert order.disposition == "invalid" and Order.objects.count() == 1


def test_a_desk_service_is_always_the_outermost_transaction(city):
    intake = Intake(
        channel="phone",
        appeal_type="consult",
        content="咨询办事时间",
        citizen=CitizenInput(name="赵先生", phone="13600000006"),
    )
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        intake_desk.order_answer_at_intake(actor=city.users[Role.OPERATOR], intake=intake)
    assert not Order.objects.exists()


# --- caller lookup and knowledge base -------------------------------------------------


def test_caller_lookup_lists_that_phone_only_newest_first(signed_in, city):
    client = signed_in(Role.OPERATOR)
    first = factories.register(city, local(2026, 3, 2, 9), content="第一次反映噪音")
    second = factories.register(city, local(2026, 3, 5, 9), content="第二次反映噪音")
    other = factories.register(
        city, local(2026, 3, 6, 9), citizen=CitizenInput(name="周女士", phone="13911112222")
    )
    response = client.get(reverse("web:caller_lookup"), {"phone": "138-0000-0001"})
    page = response.content.decode()
    assert response.status_code == 200
    assert first.number in page and second.number in page and other.number not in page
    assert page.index(second.number) < page.index(first.number)
    assert "第二次反映噪音" in page and "噪音扰民" in page and "已登记" in page
    assert "重复来电" in page
    # The name on record is masked; the number is the one the operator typed.
    assert "李**" in page and "李先生" not in page
    assert "13800000001" in page


def test_caller_lookup_of_a_new_or_short_number(signed_in, city):
    client = signed_in(Role.OPERATOR)
    factories.register(city, local(2026, 3, 2, 9))
    new = client.get(reverse("web:caller_lookup"), {"phone": "13500000000"}).content.decode()
    assert "没有历史工单" in new
    short = client.get(reverse("web:caller_lookup"), {"phone": "1380"}).content.decode()
    assert "至少输入 7 位号码" in short and "工单编号" not in short


def test_caller_lookup_is_for_the_intake_roles(signed_in, city):
    url = reverse("web:caller_lookup")
    assert signed_in(Role.DISPATCHER).get(url, {"phone": "13800000001"}).status_code == 403
    assert signed_in(Role.UNIT_HANDLER).get(url, {"phone": "13800000001"}).status_code == 403


def test_knowledge_search_shows_its_honest_empty_state(signed_in, city):
    client = signed_in(Role.OPERATOR)
    url = reverse("web:knowledge_search")
    response = client.get(url, {"q": "公积金提取"})
    assert response.status_code == 200
    assert "知识库暂无匹配条目" in response.content.decode()
    assert "输入关键词" in client.get(url).content.decode()
    assert signed_in(Role.CALLBACK_AGENT).get(url, {"q": "x"}).status_code == 403


# --- split ----------------------------------------------------------------------------


def split_data(order, parts, *, version=None):
    data = {
        "form-TOTAL_FORMS": str(len(parts)),
        "form-INITIAL_FORMS": str(len(parts)),
        "form-MIN_NUM_FORMS": "2",
        "form-MAX_NUM_FORMS": "10",
        "version": str(order.version if version is None else version),
    }
    for i, part in enumerate(parts):
        for key, value in part.items():
            data[f"form-{i}-{key}"] = value
    return data


def test_split_page_offers_parts_prefilled_from_the_order(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    url = reverse("web:order_split", args=[order.number])
    response = signed_in(Role.OPERATOR).get(url, {"parts": "3"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<legend>第 ") == 3
    assert 'name="form-2-category" value="0501" checked' in page
    assert f'name="version" value="{order.version}"' in page


def test_split_creates_one_order_per_part(signed_in, city):
    client = signed_in(Role.OPERATOR)
    order = factories.register(city, local(2026, 3, 2, 9))
    parts = [
        {
            "content": "楼下工地夜间施工",
            "appeal_type": "complaint",
            "category": "0501",
            "region": city.street.code,
        },
        {"content": "小区停水", "appeal_type": "help", "category": "0301", "region": ""},
        {"content": "询问水费标准", "appeal_type": "consult", "category": "", "region": ""},
    ]
    url = reverse("web:order_split", args=[order.number])
    response = client.post(url, split_data(order, parts), follow=True)
    created = list(Order.objects.filter(split_from=order).order_by("number"))
    assert response.status_code == 200
    assert len(created) == 3
    assert [o.content for o in created] == ["楼下工地夜间施工", "小区停水", "询问水费标准"]
    assert [o.appeal_type for o in created] == ["complaint", "help", "consult"]
    assert created[1].category == city.water_supply and created[2].category is None
    assert all(o.citizen == order.citizen and o.channel == order.channel for o in created)
    order.refresh_from_db()
    assert events_of(order) == ["register", "split"]
    assert order.state["split_into"] == [o.number for o in created]
    page = response.content.decode()
    assert f"工单 {order.number} 已拆为 3 张工单" in page
    assert all(o.number in page for o in created)


def test_split_errors_are_shown_per_part_and_nothing_is_written(signed_in, city):
    client = signed_in(Role.OPERATOR)
    order = factories.register(city, local(2026, 3, 2, 9))
    url = reverse("web:order_split", args=[order.number])
    parts = [
        {"content": "楼下工地夜间施工", "appeal_type": "complaint"},
        {"content": "", "appeal_type": ""},
    ]
    response = client.post(url, split_data(order, parts))
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写这一项的诉求内容" in page and "请选择诉求类型" in page
    assert page.index("请填写这一项的诉求内容") > page.index("第 2 项")
    assert "楼下工地夜间施工" in page
    one = client.post(url, split_data(order, parts[:1]))
    assert one.status_code == 400 and "拆单至少要拆成两项诉求" in one.content.decode()
    assert Order.objects.count() == 1


def test_split_refused_by_the_lifecycle_writes_nothing(signed_in, city):
    client = signed_in(Role.OPERATOR)
    order = factories.register(city, local(2026, 3, 2, 9))
    client.post(INTAKE, call(city, "answer"))  # another order, closed at intake
    closed = Order.objects.exclude(pk=order.pk).get()
    parts = [{"content": "一", "appeal_type": "consult"}, {"content": "二", "appeal_type": "help"}]
    response = client.post(
        reverse("web:order_split", args=[closed.number]), split_data(closed, parts)
    )
    assert response.status_code == 400
    assert "不能执行「拆单」" in response.content.decode()
    assert Order.objects.count() == 2
    stale = client.post(
        reverse("web:order_split", args=[order.number]),
        split_data(order, parts, version=order.version + 5),
    )
    assert stale.status_code == 400 and "已被他人处理" in stale.content.decode()
    assert Order.objects.count() == 2


def test_split_is_for_the_intake_roles(signed_in, city):
    order = factories.register(city, local(2026, 3, 2, 9))
    url = reverse("web:order_split", args=[order.number])
    assert signed_in(Role.DISPATCHER).get(url).status_code == 403
    assert signed_in(Role.SUPERVISOR).get(url).status_code == 200
    missing = reverse("web:order_split", args=["20269999999"])
    assert signed_in(Role.OPERATOR).get(missing).status_code == 404
