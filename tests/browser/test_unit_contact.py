"""Working with the citizen in the browser (SPEC 3 and 4, 2026-12): the unit reveals the
phone of its own order (logged with a purpose), records its call and replies, and the
callback agent sees when the unit first called; the dispatcher corrects a category after
the office's rework note and the timeline shows it; a caller merged into an order gets
the reply SMS and is in the callback queue; a confidential order's unit asks the hotline
for a three-way call, which the operator records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.notifications.models import Notification
from hotline.orders.models import Callback, Contact, Event, Order, ThreeWayCall
from hotline.orders.services import dispatch, handling, intake, review
from hotline.orders.services.intake import CitizenInput
from tests.browser.conftest import submit
from tests.factories import register

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 1366, "height": 768}


def _signed(city, at, **fields):
    order = register(city, at, **fields)
    order = dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=at)
    return handling.order_sign(order=order, actor=city.users[Role.UNIT_HANDLER], at=at)


def _open(sign_in, city, role):
    page = sign_in(city.users[role].username)
    page.set_viewport_size(VIEWPORT)
    return page


def test_a_unit_reveals_the_phone_records_its_call_and_replies(city, sign_in):
    order = _signed(
        city,
        timezone.now() - timedelta(hours=3),
        citizen=CitizenInput(name="孔建华", phone="19912348210"),
    )
    unit = _open(sign_in, city, Role.UNIT_HANDLER)
    unit.goto("/unit/?tab=in_progress")
    line = unit.locator(f"#order-{order.number}")
    assert "孔**" in line.inner_text() and "199****8210" in line.inner_text()
    line.get_by_label("查看电话的原因").select_option("联系诉求人了解情况")
    line.get_by_role("button", name="显示电话").click()
    line.get_by_role("link", name="19912348210").wait_for()
    (record,) = AuditRecord.objects.filter(action="reveal", order=order)
    assert (record.actor.username, record.detail) == ("unit_handler-U-YT", "联系诉求人了解情况")

    line.locator("summary", has_text="联系诉求人").click()
    line.get_by_label("联系方式").select_option("phone")
    line.get_by_label("联系结果").select_option("reached")
    submit(unit, line.get_by_role("button", name="记录联系"))
    contact = Contact.objects.get(order=order)
    assert (contact.way, contact.outcome, contact.unit) == ("phone", "reached", city.district)

    unit.locator(f"#order-{order.number}").get_by_role("link", name="答复").click()
    unit.locator("textarea").first.fill("已电话联系市民并现场核查，责令工地夜间停工。")
    unit.get_by_label("问题已解决").check()
    submit(unit, unit.get_by_role("button", name="提交答复"))
    assert Order.objects.get(pk=order.pk).status == "replied"

    review.order_review(
        order=Order.objects.get(pk=order.pk), decision="accept", actor=city.users[Role.SUPERVISOR]
    )
    agent = _open(sign_in, city, Role.CALLBACK_AGENT)
    agent.goto("/callback/")
    shown = timezone.localtime(contact.at).strftime("%Y-%m-%d %H:%M")
    first = agent.locator(f"#order-{order.number} .first-contact").inner_text()
    assert first == f"单位首次联系 {shown}"


def test_the_dispatcher_corrects_the_category_after_the_rework_note(city, sign_in):
    order = _signed(city, timezone.now() - timedelta(hours=5), category=city.water_supply)
    handling.order_reply(
        order=order, text="经查非供水问题，系工地夜间施工。", actor=city.users[Role.UNIT_HANDLER]
    )
    review.order_review(
        order=Order.objects.get(pk=order.pk),
        decision="rework",
        note="分类有误，应为噪音扰民，请派单员修正后继续办理",
        actor=city.users[Role.SUPERVISOR],
    )
    dispatcher = _open(sign_in, city, Role.DISPATCHER)
    dispatcher.goto(f"/orders/{order.number}/")
    assert "分类有误" in dispatcher.locator(".timeline").inner_text()
    dispatcher.locator("summary", has_text="工单修正").click()
    dispatcher.locator("summary", has_text="修正事项分类").click()
    dispatcher.locator("#correct-category-q").fill("噪音")
    dispatcher.get_by_label("生态环境 › 噪音扰民").check()
    dispatcher.locator("#correct-category-reason").fill("答复审核返工意见：分类有误")
    submit(dispatcher, dispatcher.get_by_role("button", name="修正事项分类"))
    assert "事项分类已修正" in dispatcher.get_by_role("status").first.inner_text()
    stored = Order.objects.get(pk=order.pk)
    assert stored.category == city.noise and stored.content == order.content
    entry = dispatcher.locator(".timeline li", has_text="工单修正").inner_text()
    for text in ("事项分类", "供水", "噪音扰民", "答复审核返工意见：分类有误"):
        assert text in entry, text
    assert "事项分类\n生态环境 › 噪音扰民" in dispatcher.locator("#facts-title + dl").inner_text()


def test_a_merged_caller_gets_the_reply_sms_and_is_called_back(city, sign_in):
    at = timezone.now() - timedelta(hours=6)
    main = _signed(city, at)
    caller = register(
        city, at + timedelta(minutes=5), citizen=CitizenInput(name="吴先生", phone="13900000021")
    )
    caller = intake.order_merge(
        order=caller, into=main, actor=city.users[Role.OPERATOR], at=at + timedelta(minutes=6)
    )
    main = handling.order_reply(
        order=Order.objects.get(pk=main.pk),
        text="已责令工地夜间停工。",
        actor=city.users[Role.UNIT_HANDLER],
    )
    review.order_review(order=main, decision="accept", actor=city.users[Role.SUPERVISOR])
    sms = Notification.objects.get(order=caller, kind="replied")
    assert (sms.channel, sms.address) == ("sms", "13900000021")
    assert caller.number in sms.text

    agent = _open(sign_in, city, Role.CALLBACK_AGENT)
    agent.goto("/callback/")
    line = agent.locator(f"#order-{caller.number}")
    assert "并单" in line.inner_text() and main.number in line.inner_text()
    assert "已责令工地夜间停工" in line.inner_text()
    line.get_by_role("button", name="显示号码").click()
    agent.get_by_text("13900000021").first.wait_for()
    line.get_by_label("满意", exact=True).check()
    submit(agent, line.get_by_role("button", name="记录回访"))
    assert Callback.objects.get(order=caller).result == "satisfied"
    assert agent.locator(f"#order-{caller.number}").count() == 0
    agent.goto("/callback/?tab=done")
    assert agent.locator(f"#order-{caller.number}").count() == 1


def test_a_confidential_orders_unit_asks_for_a_three_way_call(city, sign_in):
    order = _signed(city, timezone.now() - timedelta(hours=2), confidential=True)
    unit = _open(sign_in, city, Role.UNIT_HANDLER)
    unit.goto("/unit/?tab=in_progress")
    line = unit.locator(f"#order-{order.number}")
    assert line.get_by_role("button", name="显示电话").count() == 0
    submit(unit, line.get_by_role("button", name="申请三方通话"))
    assert ThreeWayCall.objects.filter(order=order, called_at__isnull=True).count() == 1

    operator = _open(sign_in, city, Role.OPERATOR)
    operator.goto("/three-way/")
    request = operator.locator("tr", has_text=order.number)
    assert "岳塘区" in request.inner_text()
    request.get_by_label("联系结果").select_option("reached")
    submit(operator, request.get_by_role("button", name="记录已接通"))
    assert "没有待接通的三方通话" in operator.locator("table").inner_text()
    assert Contact.objects.get(order=order).way == "three_way"
    assert Event.objects.filter(order=order, type="three_way_call").count() == 1
