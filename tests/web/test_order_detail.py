"""The order detail page: every field and record, a readable timeline in Chinese, the
reveal button for the roles that may reveal, and the actions the viewer may take now."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.attachments.models import Attachment
from hotline.attachments.services import reply_with_attachments
from hotline.domain.enums import Role
from hotline.orders.models import Instruction
from hotline.orders.services import dispatch, handling, review, supervision
from hotline.orders.services.intake import CitizenInput
from hotline.portal.services import citizen_rate
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 11, 10, 0)
T0 = local(2026, 3, 9, 9, 0)  # a Monday


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def dispatched(city, *, lead=None, co_units=(), **fields):
    order = factories.register(city, T0, **fields)
    return dispatch.order_dispatch(
        order=order,
        lead=lead or city.district,
        co_units=co_units,
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(minutes=5),
    )


def signed(city, **fields):
    order = dispatched(city, **fields)
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=T0 + timedelta(minutes=30)
    )


def concluded(city, **fields):
    order = signed(city, **fields)
    unit = city.users[Role.UNIT_HANDLER]
    handling.order_reply(
        order=order, text="已协调施工方停止夜间施工", actor=unit, at=T0 + timedelta(hours=3)
    )
    return review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=T0 + timedelta(hours=4),
    )


def page(client, order):
    return client.get(reverse("web:order_detail", args=[order.number]))


def action_slugs(html: str, number: str) -> set[str]:
    return set(re.findall(rf'action="/orders/{number}/do/([a-z-]+)/"', html))


def test_detail_shows_fields_and_a_chinese_timeline_with_unit_names(signed_in, city):
    order = signed(city, co_units=[city.water])
    response = page(signed_in(Role.SUPERVISOR), order)
    assert response.status_code == 200
    html = response.content.decode()
    assert order.number in html
    assert "生态环境 › 噪音扰民" in html  # the category path
    assert "湘潭市 › 岳塘区 › 书院路街道" in html  # the region path
    assert "小区楼下夜间施工噪音扰民" in html
    assert "主办：岳塘区" in html and "协办：中环水务" in html
    start = html.index("办理记录")
    timeline = html[start : html.index("</ol>", start)]
    for label in ("登记", "转办", "签收"):
        assert f"<strong>{label}</strong>" in timeline
    assert "已登记 → 待签收" in timeline and "待签收 → 办理中" in timeline
    assert "主办单位</dt><dd>岳塘区" in timeline
    assert "协办单位</dt><dd>中环水务" in timeline
    assert "<dd>U-YT" not in timeline and "U-ZHSW" not in timeline
    assert "办理时限</dt><dd>" in timeline  # the sign event's deadline, in local time


def test_each_reply_lists_its_files_and_a_file_of_no_reply_is_listed_apart(
    signed_in, city, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = city.users[Role.UNIT_HANDLER]
    order = reply_with_attachments(
        order=signed(city),
        actor=unit,
        text="已协调施工方停止夜间施工",
        files=[SimpleUploadedFile("说明.txt", "处理情况说明".encode())],
        at=T0 + timedelta(hours=3),
    )
    Attachment.objects.create(
        order=order,
        unit=city.district,
        uploaded_by=unit,
        file="attachments/x.txt",
        name="补充材料.txt",
        content_type="text/plain",
        size=1,
        sha256="0" * 64,
        uploaded_at=NOW,
    )
    html = page(signed_in(Role.SUPERVISOR), order).content.decode()
    reply = html[html.index('<article class="reply">') : html.index("</article>")]
    assert "已协调施工方停止夜间施工" in reply and "说明.txt" in reply
    assert "补充材料.txt" not in reply
    assert "其他附件：" in html and "补充材料.txt</a>（岳塘区）" in html


def test_citizen_is_masked_and_only_revealing_roles_get_the_reveal_button(signed_in, city):
    order = dispatched(city)
    reveal = reverse("web:identity_reveal", args=[order.number])
    supervisor = page(signed_in(Role.SUPERVISOR), order).content.decode()
    assert "138****0001" in supervisor and "13800000001" not in supervisor
    assert f'hx-post="{reveal}"' in supervisor
    assert 'name="purpose"' in supervisor
    for role in (Role.DISPATCHER, Role.LEADER):
        html = page(signed_in(role), order).content.decode()
        assert "13800000001" not in html
        assert f'hx-post="{reveal}"' not in html
    # SPEC 4 (2026-12): the unit reveals the phone of its own order, stating why.
    unit = page(signed_in(Role.UNIT_HANDLER), order).content.decode()
    assert "138****0001" in unit and "13800000001" not in unit
    assert f'hx-post="{reveal}"' in unit and "查看电话的原因" in unit


def test_a_confidential_order_shows_the_unit_no_identity(signed_in, city):
    order = dispatched(
        city, confidential=True, citizen=CitizenInput(name="王女士", phone="13911112222")
    )
    html = page(signed_in(Role.UNIT_HANDLER), order).content.decode()
    assert "***" in html
    assert "王" not in html[html.index("诉求人") : html.index("保密")]
    assert "1222" not in html
    # No reveal: the unit asks the hotline for a three-way call instead.
    assert reverse("web:identity_reveal", args=[order.number]) not in html
    assert "申请三方通话" in html


def test_another_units_handler_gets_404_and_the_parent_unit_sees_its_sub_units_order(client, city):
    order = dispatched(city, lead=city.street_office)
    other = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    client.force_login(other)
    assert page(client, order).status_code == 404
    assert client.get(reverse("web:order_detail", args=["20269999999"])).status_code == 404
    client.force_login(city.users[Role.UNIT_HANDLER])  # 岳塘区, the street office's parent
    assert page(client, order).status_code == 200


def test_roles_without_the_page_get_403(signed_in, city):
    order = dispatched(city)
    assert page(signed_in(Role.ADMINISTRATOR), order).status_code == 403


def test_registered_order_offers_intake_actions_to_the_operator_only(signed_in, city):
    order = factories.register(city, T0)
    operator = action_slugs(page(signed_in(Role.OPERATOR), order).content.decode(), order.number)
    assert operator == {
        "answer",
        "reject",
        "transfer",
        "harassment",
        "invalid",
        "merge",
        "dispatch",
        "correct",
    }
    assert (
        f"/orders/{order.number}/split/" in page(signed_in(Role.OPERATOR), order).content.decode()
    )
    dispatcher = action_slugs(
        page(signed_in(Role.DISPATCHER), order).content.decode(), order.number
    )
    assert dispatcher == {"reject", "transfer", "merge", "dispatch", "correct"}
    assert (
        action_slugs(page(signed_in(Role.CALLBACK_AGENT), order).content.decode(), order.number)
        == set()
    )
    assert action_slugs(page(signed_in(Role.LEADER), order).content.decode(), order.number) == {
        "instruct"
    }


def test_dispatch_form_suggests_the_catalogue_lead(signed_in, city):
    order = factories.register(city, T0)
    html = page(signed_in(Role.DISPATCHER), order).content.decode()
    assert '<option value="U-YT" selected>岳塘区</option>' in html


def test_dispatched_order_actions_per_role(signed_in, city, client):
    order = dispatched(city, co_units=[city.water])
    lead = action_slugs(page(signed_in(Role.UNIT_HANDLER), order).content.decode(), order.number)
    assert lead == {"sign", "return", "pause", "contact"}
    supervisor = action_slugs(
        page(signed_in(Role.SUPERVISOR), order).content.decode(), order.number
    )
    assert supervisor == {"redispatch", "pause", "supervise", "instruct", "correct"}
    co_unit = factories.user(Role.UNIT_HANDLER, unit=city.water)
    client.force_login(co_unit)
    # SPEC 4 (2026-12): only the lead keeps the clock; a co-unit adds its part.
    assert action_slugs(page(client, order).content.decode(), order.number) == {
        "co-reply",
        "contact",
    }
    html = page(signed_in(Role.CALLBACK_AGENT), order).content.decode()
    assert "当前没有您可以办理的操作" in html


def test_in_progress_and_concluded_actions(signed_in, city):
    order = signed(city)
    unit = action_slugs(page(signed_in(Role.UNIT_HANDLER), order).content.decode(), order.number)
    # 岳塘区 has a sub-unit (书院路街道), so it may pass the order down.
    assert unit == {"sub-dispatch", "extension-request", "pause", "reply", "contact"}
    done = concluded(city)
    callback = action_slugs(
        page(signed_in(Role.CALLBACK_AGENT), done).content.decode(), done.number
    )
    assert callback == {"callback", "spot-check", "close"}
    assert (
        action_slugs(page(signed_in(Role.UNIT_HANDLER), done).content.decode(), done.number)
        == set()
    )


def test_the_forms_carry_version_next_and_csrf(signed_in, city):
    order = dispatched(city)
    html = page(signed_in(Role.UNIT_HANDLER), order).content.decode()
    form = html[html.index(f'action="/orders/{order.number}/do/sign/"') :]
    form = form[: form.index("</form>")]
    assert f'name="version" value="{order.version}"' in form
    assert 'name="next" value="/orders/' in form
    assert "csrfmiddlewaretoken" in form


def test_an_instruction_from_the_page_is_recorded_and_shown(signed_in, city):
    order = signed(city)
    client = signed_in(Role.LEADER)
    detail = reverse("web:order_detail", args=[order.number])
    response = client.post(
        reverse("web:order_action", args=[order.number, "instruct"]),
        {"text": "请尽快解决并回复市民", "version": order.version, "next": detail},
    )
    assert response.status_code == 302 and response.url == detail
    assert Instruction.objects.get(order=order).text == "请尽快解决并回复市民"
    html = client.get(detail).content.decode()
    assert "领导批示" in html and "请尽快解决并回复市民" in html


def test_records_are_listed(signed_in, city):
    order = signed(city)
    supervisor = city.users[Role.SUPERVISOR]
    supervision.order_supervise(
        order=order, level="yellow", note="请加快办理", actor=supervisor, at=T0 + timedelta(hours=1)
    )
    handling.order_extension_request(
        order=order,
        until=(T0 + timedelta(days=40)).date(),
        reason="需协调多个部门",
        actor=city.users[Role.UNIT_HANDLER],
        at=T0 + timedelta(hours=2),
    )
    handling.order_reply(
        order=order,
        text="已协调施工方停止夜间施工",
        actor=city.users[Role.UNIT_HANDLER],
        at=T0 + timedelta(hours=3),
    )
    html = page(signed_in(Role.SUPERVISOR), order).content.decode()
    assert "黄牌督办" in html and "请加快办理" in html
    assert "需协调多个部门" in html and "待审批" in html
    assert "已协调施工方停止夜间施工" in html
    slugs = action_slugs(html, order.number)
    assert {"review", "extension-decision", "supervise", "instruct", "close", "correct"} == slugs


def test_discipline_answers_stay_with_the_office(signed_in, city):
    order = concluded(city)
    review.order_callback(
        order=order,
        result="unsatisfied",
        pressured=True,
        actor=city.users[Role.CALLBACK_AGENT],
        at=T0 + timedelta(hours=5),
    )
    office = page(signed_in(Role.SUPERVISOR), order).content.decode()
    assert "被要求撤诉" in office and "违规记录" in office
    unit = page(signed_in(Role.UNIT_HANDLER), order).content.decode()
    assert "不满意" in unit
    # (The unit's menu links its own violations page; the order's record stays hidden.)
    assert "被要求撤诉" not in unit and 'id="violations-title"' not in unit


def test_a_citizens_own_rating_shows_apart_from_the_callbacks(signed_in, city):
    order = concluded(city)
    citizen_rate(
        order=order,
        result="satisfied",
        comment="处理很快",
        address="10.0.0.1",
        at=T0 + timedelta(hours=6),
    )
    response = page(signed_in(Role.SUPERVISOR), order)
    assert response.status_code == 200
    html = response.content.decode()
    assert "市民评价" in html and "满意" in html and "处理很快" in html
    assert "回访与抽查" not in html  # a citizen's rating is not a callback


def test_the_lead_is_listed_before_its_co_units(signed_in, city):
    order = dispatched(city, co_units=[city.market, city.water])
    html = page(signed_in(Role.DISPATCHER), order).content.decode()
    lead = html.index("主办：岳塘区")
    assert lead < html.index("协办：中环水务") and lead < html.index("协办：市市场监管局")
