"""The supervisor's desk: which orders each tab lists, and its forms acting on them."""

import re
from datetime import date

import pytest
from django.urls import reverse

from hotline.domain.enums import Role
from hotline.orders.models import Callback, Event, Extension, Order, Reply, Supervision
from hotline.orders.selectors import order_state
from hotline.orders.services import dispatch, handling, intake, review
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

DESK = "/supervision/"


def act(client, order, slug, **fields):
    data = {"version": order.version, "next": fields.pop("next", DESK), **fields}
    return client.post(reverse("web:order_action", args=[order.number, slug]), data)


def rows(response) -> list[str]:
    return re.findall(r'<tr id="o-(\d+)"', response.content.decode())


def fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def in_progress(city, day: int, hour: int = 9):
    """Registered, dispatched to 岳塘区 and signed on 2026-03-<day>."""
    order = factories.register(city, local(2026, 3, day, hour))
    order = dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, day, hour, 5),
    )
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, day, hour, 30)
    )


def replied(city, day: int, hour: int = 9):
    order = in_progress(city, day, hour)
    return handling.order_reply(
        order=order,
        text="已责令施工单位22时后停止作业，并已电话告知市民。",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, day, hour, 50),
    )


def concluded(city, day: int, hour: int = 9):
    order = replied(city, day, hour)
    return review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=local(2026, 3, day, hour + 1),
    )


def called_back(city, day: int, result: str, hour: int = 9):
    order = concluded(city, day, hour)
    return review.order_callback(
        order=order,
        result=result,
        actor=city.users[Role.CALLBACK_AGENT],
        at=local(2026, 3, day, hour + 2),
    )


def difficult(city, day: int):
    yuhu = factories.user(Role.UNIT_HANDLER, unit=city.other_district, username=f"yuhu{day}")
    dispatcher = city.users[Role.DISPATCHER]
    order = factories.register(city, local(2026, 3, day, 9))
    order = dispatch.order_dispatch(
        order=order, lead=city.other_district, actor=dispatcher, at=local(2026, 3, day, 9, 5)
    )
    order = dispatch.order_return(
        order=order, reason="不属本区", actor=yuhu, at=local(2026, 3, day, 10)
    )
    order = dispatch.order_return_review(
        order=order,
        decision="accept",
        lead=city.district,
        actor=dispatcher,
        at=local(2026, 3, day, 11),
    )
    return dispatch.order_return(
        order=order,
        reason="属水务职责",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, day, 12),
    )


# --- who may open it ---------------------------------------------------------------------


def test_the_supervisor_opens_every_tab(signed_in):
    client = signed_in(Role.SUPERVISOR)
    for tab in ("review", "extensions", "difficult", "supervision", "spot_checks", "appeals"):
        response = client.get(DESK, {"tab": tab})
        assert response.status_code == 200, tab
        assert "审核督办" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SUPERVISOR], ids=str)
def test_other_roles_are_refused(signed_in, role):
    for tab in ("review", "difficult", "appeals"):
        assert signed_in(role).get(DESK, {"tab": tab}).status_code == 403


# --- 答复审核 -------------------------------------------------------------------------------


def test_review_lists_replied_orders_with_their_reply(signed_in, city):
    waiting = replied(city, 2)
    handled = in_progress(city, 3)
    response = signed_in(Role.SUPERVISOR).get(DESK)
    page = response.content.decode()
    assert rows(response) == [waiting.number]
    assert handled.number not in page
    assert "已责令施工单位22时后停止作业" in page and "已联系诉求人" in page
    assert '答复审核 <span class="badge">1</span>' in page


def test_accepting_a_reply_concludes_the_order(signed_in, city):
    order = replied(city, 2)
    client = signed_in(Role.SUPERVISOR)
    act(client, order, "review", decision="accept")
    # The message says which decision was taken (not "答复审核已完成" for both).
    assert f"工单 {order.number}：审核通过" in client.get(DESK).content.decode()
    order = fresh(order)
    assert order.status == "concluded" and order.concluded_at is not None
    assert Reply.objects.get(order=order).decision == "accept"


def test_rework_sends_the_order_back_with_the_note(signed_in, city):
    order = replied(city, 2)
    client = signed_in(Role.SUPERVISOR)
    act(client, order, "review", decision="rework", note="未说明处理结果")
    assert f"工单 {order.number}：已退回返工" in client.get(DESK).content.decode()
    order = fresh(order)
    assert order.status == "in_progress"
    reply = Reply.objects.get(order=order)
    assert (reply.decision, reply.review_note) == ("rework", "未说明处理结果")


def test_rework_without_a_note_is_refused_and_nothing_written(signed_in, city):
    order = replied(city, 2)
    client = signed_in(Role.SUPERVISOR)
    response = act(client, order, "review", decision="rework", note="  ")
    assert response.url == DESK
    page = client.get(DESK).content.decode()
    assert "返工意见不能为空" in page
    assert fresh(order).status == "replied" and fresh(order).version == order.version
    assert Reply.objects.get(order=order).decision == ""


# --- 延期申请 -------------------------------------------------------------------------------


def request_extension(city, order, day=5):
    return handling.order_extension_request(
        order=order,
        until=date(2026, 3, 27),
        reason="需协调施工单位",
        actor=city.users[Role.UNIT_HANDLER],
        at=local(2026, 3, day, 9),
    )


def test_extensions_lists_pending_requests_and_grants_one(signed_in, city):
    asked = request_extension(city, in_progress(city, 2))
    in_progress(city, 3)
    client = signed_in(Role.SUPERVISOR)
    response = client.get(DESK, {"tab": "extensions"})
    page = response.content.decode()
    assert rows(response) == [asked.number]
    assert "<strong>岳塘区</strong> 申请延至 2026-03-27" in page and "需协调施工单位" in page
    assert "同意延期" in page and "不同意延期" in page

    act(client, asked, "extension-decision", decision="granted", next=f"{DESK}?tab=extensions")
    asked = fresh(asked)
    assert asked.deadline == local(2026, 3, 27, 23, 59, 59)
    assert Extension.objects.get(order=asked).granted is True
    assert rows(client.get(DESK, {"tab": "extensions"})) == []


def test_refusing_an_extension_keeps_the_deadline(signed_in, city):
    asked = request_extension(city, in_progress(city, 2))
    deadline = asked.deadline
    act(signed_in(Role.SUPERVISOR), asked, "extension-decision", decision="refused")
    assert fresh(asked).deadline == deadline
    assert Extension.objects.get(order=asked).granted is False


def test_an_extension_outlived_by_its_order_offers_no_decision(signed_in, city):
    # The reply was accepted while the request waited: the request no longer counts.
    order = request_extension(city, in_progress(city, 2))
    order = handling.order_reply(
        order=order, text="已处理", actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 6, 9)
    )
    review.order_review(
        order=order, decision="accept", actor=city.users[Role.SUPERVISOR], at=local(2026, 3, 6, 10)
    )
    response = signed_in(Role.SUPERVISOR).get(DESK, {"tab": "extensions"})
    assert rows(response) == []


# --- 疑难件 ---------------------------------------------------------------------------------


def test_difficult_lists_disputed_orders_and_designates(signed_in, city):
    order = difficult(city, 2)
    plain = in_progress(city, 3)
    client = signed_in(Role.SUPERVISOR)
    response = client.get(DESK, {"tab": "difficult"})
    page = response.content.decode()
    assert rows(response) == [order.number]
    assert plain.number not in page
    assert "雨湖区 → 岳塘区" in page
    assert "指定承办：岳塘区" in page and "发起会商" in page

    page = client.get(DESK, {"tab": "difficult", "pick": order.number}).content.decode()
    assert 'class="assign"' in page

    act(client, order, "designate", lead="U-ZHSW", co_units=["U-YT"])
    order = fresh(order)
    assert order.status == "dispatched" and order.lead_unit == city.water
    assert order_state(order).designated and order_state(order).co_units == ("U-YT",)


def test_a_consultation_is_opened_and_its_decision_recorded(signed_in, city):
    order = difficult(city, 2)
    client = signed_in(Role.SUPERVISOR)
    next_ = f"{DESK}?tab=difficult"
    act(client, order, "consultation-open", note="职责不清，召集两区会商", next=next_)
    order = fresh(order)
    assert order_state(order).consultation and order.paused

    page = client.get(next_).content.decode()
    assert "会商中" in page and "记录会商结论" in page
    assert "指定承办：" not in page  # nothing is re-assigned during a consultation

    act(client, order, "consultation-close", decision="由岳塘区主办", next=next_)
    order = fresh(order)
    assert not order_state(order).consultation and not order.paused
    assert [e.type for e in order.events.order_by("-seq")[:2]] == [
        "consultation_close",
        "consultation_open",
    ]


# --- 督办 ---------------------------------------------------------------------------------


def test_supervise_lists_orders_near_or_past_their_deadline(signed_in, city, monkeypatch):
    from hotline.web.views import supervision as view

    late = in_progress(city, 2)  # deadline 2026-03-16 23:59:59
    later = in_progress(city, 10)  # deadline 2026-03-24 23:59:59
    replied(city, 2, hour=10)
    monkeypatch.setattr(view, "now", lambda: local(2026, 3, 16, 9))
    client = signed_in(Role.SUPERVISOR)

    assert rows(client.get(DESK, {"tab": "supervision"})) == [late.number]
    assert rows(client.get(DESK, {"tab": "supervision", "due": "overdue"})) == []
    monkeypatch.setattr(view, "now", lambda: local(2026, 3, 22, 9))
    assert rows(client.get(DESK, {"tab": "supervision", "due": "three"})) == [
        late.number,
        later.number,
    ]
    assert rows(client.get(DESK, {"tab": "supervision", "due": "overdue"})) == [late.number]

    act(
        client, late, "supervise", level="yellow", note="请尽快办结", next=f"{DESK}?tab=supervision"
    )
    late = fresh(late)
    assert late.supervision == "yellow"
    card = Supervision.objects.get(order=late)
    assert (card.level, card.note, card.by) == ("yellow", "请尽快办结", city.users[Role.SUPERVISOR])
    assert "黄牌督办" in client.get(DESK, {"tab": "supervision", "due": "three"}).content.decode()


def test_a_bad_horizon_is_a_400_with_a_chinese_message(signed_in):
    response = signed_in(Role.SUPERVISOR).get(DESK, {"tab": "supervision", "due": "week"})
    assert response.status_code == 400
    assert "请选择列表中的时限范围" in response.content.decode()


# --- 抽查 ---------------------------------------------------------------------------------


def test_spot_checks_list_closed_orders_newest_first(signed_in, city):
    done = called_back(city, 2, "satisfied")
    done = review.order_close(
        order=done, actor=city.users[Role.CALLBACK_AGENT], at=local(2026, 3, 2, 12)
    )
    answered = intake.order_answer(
        order=factories.register(city, local(2026, 3, 3, 9)),
        actor=city.users[Role.OPERATOR],
        at=local(2026, 3, 3, 9, 5),
    )
    harassment = intake.order_harassment(
        order=factories.register(city, local(2026, 3, 4, 9)),
        actor=city.users[Role.OPERATOR],
        at=local(2026, 3, 4, 9, 5),
    )
    waiting = concluded(city, 5)
    client = signed_in(Role.SUPERVISOR)

    response = client.get(DESK, {"tab": "spot_checks"})
    page = response.content.decode()
    assert rows(response) == [answered.number, done.number]
    assert harassment.number not in page
    assert "最近回访：满意" in page
    assert rows(client.get(DESK, {"tab": "spot_checks", "status": "concluded"})) == [waiting.number]

    act(client, done, "spot-check", result="unsatisfied", next=f"{DESK}?tab=spot_checks")
    check = Callback.objects.get(order=done, kind="spot_check")
    assert check.result == "unsatisfied" and check.agent == city.users[Role.SUPERVISOR]
    assert order_state(fresh(done)).unsatisfied == 1


# --- 申诉 ---------------------------------------------------------------------------------


def test_appeals_list_undecided_unsatisfied_ratings_and_uphold_one(signed_in, city):
    unhappy = called_back(city, 2, "unsatisfied")
    called_back(city, 3, "satisfied")
    client = signed_in(Role.SUPERVISOR)

    response = client.get(DESK, {"tab": "appeals"})
    page = response.content.decode()
    assert rows(response) == [unhappy.number]
    assert "<strong>岳塘区</strong>" in page and "回访不满意" in page

    act(client, unhappy, "appeal", decision="upheld", reason="诉求超出政策范围")
    assert Callback.objects.get(order=unhappy).appeal_upheld is True
    assert order_state(fresh(unhappy)).upheld_appeals == 1
    assert rows(client.get(DESK, {"tab": "appeals"})) == []


def test_an_appeal_with_nothing_to_appeal_is_refused_in_chinese(signed_in, city):
    order = called_back(city, 2, "satisfied")
    events = Event.objects.filter(order=order).count()
    client = signed_in(Role.SUPERVISOR)
    response = act(client, order, "appeal", decision="dismissed")
    assert "该工单没有可申诉的不满意评价" in client.get(response.url).content.decode()
    assert Event.objects.filter(order=order).count() == events


# --- paging -------------------------------------------------------------------------------


def test_a_tab_pages_by_cursor(signed_in, city):
    operator = city.users[Role.OPERATOR]
    closed = [
        intake.order_answer(
            order=factories.register(city, local(2026, 3, 2, 8, minute)),
            actor=operator,
            at=local(2026, 3, 2, 8, minute, 30),
        )
        for minute in range(31)
    ]
    newest_first = [o.number for o in reversed(closed)]
    client = signed_in(Role.SUPERVISOR)
    first = client.get(DESK, {"tab": "spot_checks"})
    assert rows(first) == newest_first[:30]
    cursor = re.search(r'rel="next" href="\?[^"]*cursor=([^"&]+)"', first.content.decode())
    second = client.get(DESK, {"tab": "spot_checks", "cursor": cursor.group(1)})
    assert rows(second) == newest_first[30:]
