"""Notifications an order's life writes, and their delivery (SMS stub, e-mail)."""

import logging
from datetime import timedelta

import pytest
from django.core import mail

from hotline.domain.enums import Role
from hotline.domain.lifecycle import SameUnit
from hotline.notifications.delivery import notifications_deliver
from hotline.notifications.models import Notification
from hotline.orders.services import dispatch, handling, intake, review
from hotline.orders.services.intake import CitizenInput
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(city):
    city.district.notify_phone = "13900000001"
    city.district.notify_email = "yuetang@example.gov.cn"
    city.district.save()
    return city


def _rows():
    return list(
        Notification.objects.order_by("pk").values_list("kind", "recipient", "channel", "address")
    )


def _dispatched(city, **fields):
    order = factories.register(city, local(2026, 3, 2, 9, 0), **fields)
    return dispatch.order_dispatch(
        order=order,
        lead=city.district,
        co_units=[city.water],
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 9, 5),
    )


def test_registering_alone_tells_nobody(city):
    factories.register(city, local(2026, 3, 2, 9, 0))
    assert not Notification.objects.exists()


def test_a_dispatch_tells_the_units_and_gives_the_citizen_the_order_number(contacts):
    order = _dispatched(contacts)
    assert _rows() == [
        ("new_order", "unit:U-YT", "sms", "13900000001"),
        ("new_order", "unit:U-YT", "email", "yuetang@example.gov.cn"),
        ("new_order", "unit:U-ZHSW", "sms", ""),  # no contact: recorded, skipped later
        ("accepted", "citizen", "sms", "13800000001"),
    ]
    accepted = Notification.objects.get(kind="accepted")
    assert order.number in accepted.text and accepted.text.startswith("【12345热线】")
    assert accepted.reference == "event:2" and accepted.status == "pending"


def test_rework_and_the_accepted_reply_are_told(contacts):
    supervisor = contacts.users[Role.SUPERVISOR]
    handler = contacts.users[Role.UNIT_HANDLER]
    order = _dispatched(contacts)
    order = handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10, 0))
    order = handling.order_reply(order=order, text="已处理", actor=handler, at=local(2026, 3, 3, 9))
    order = review.order_review(
        order=order,
        decision="rework",
        note="未说明结果",
        actor=supervisor,
        at=local(2026, 3, 3, 10),
    )
    order = handling.order_reply(
        order=order, text="已责令停工并告知市民", actor=handler, at=local(2026, 3, 4, 9)
    )
    review.order_review(order=order, decision="accept", actor=supervisor, at=local(2026, 3, 4, 10))
    later = _rows()[4:]
    assert later == [
        ("rework", "unit:U-YT", "sms", "13900000001"),
        ("rework", "unit:U-YT", "email", "yuetang@example.gov.cn"),
        ("replied", "citizen", "sms", "13800000001"),
    ]


def test_a_refused_action_writes_no_notification(contacts):
    order = factories.register(contacts, local(2026, 3, 2, 9, 0))
    with pytest.raises(SameUnit):
        dispatch.order_dispatch(
            order=order,
            lead=contacts.district,
            co_units=[contacts.district],
            actor=contacts.users[Role.DISPATCHER],
            at=local(2026, 3, 2, 9, 5),
        )
    assert not Notification.objects.exists()


def test_delivery_sends_email_logs_sms_and_skips_those_without_contact(contacts, caplog):
    _dispatched(contacts)
    caplog.set_level(logging.INFO, logger="hotline.notifications")
    summary = notifications_deliver(now=local(2026, 3, 2, 9, 6))
    assert summary == "发送 3 条，无联系方式 1 条，失败待重试 0 条"
    assert [m.to for m in mail.outbox] == [["yuetang@example.gov.cn"]]
    assert "已派至贵单位" in mail.outbox[0].body
    assert "短信 → 138****0001：【12345热线】您反映的问题已受理" in caplog.text
    assert "unit:U-ZHSW 无联系方式" in caplog.text
    assert dict(Notification.objects.values_list("address", "status")) == {
        "13900000001": "sent",
        "yuetang@example.gov.cn": "sent",
        "": "skipped",
        "13800000001": "sent",
    }
    assert notifications_deliver(now=local(2026, 3, 2, 9, 7)).startswith("发送 0 条")
    assert len(mail.outbox) == 1


class BrokenGateway:
    def send(self, *, to, subject, text):
        raise ConnectionError("短信网关无响应")


def test_a_failed_delivery_is_recorded_and_retried_later(contacts, settings):
    _dispatched(contacts)
    settings.HOTLINE_SMS_GATEWAY = "tests.notifications.test_outbox.BrokenGateway"
    first = local(2026, 3, 2, 9, 6)
    assert notifications_deliver(now=first).endswith("失败待重试 2 条")
    failed = Notification.objects.get(address="13800000001")
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.last_error == "ConnectionError: 短信网关无响应"
    assert failed.next_attempt_at == first + timedelta(minutes=1)
    # Not due again before its time; then tried again, and again it waits longer.
    assert notifications_deliver(now=first + timedelta(seconds=30)).startswith("发送 0 条")
    notifications_deliver(now=first + timedelta(minutes=1))
    failed.refresh_from_db()
    assert failed.attempts == 2 and failed.next_attempt_at == first + timedelta(minutes=6)
    settings.HOTLINE_SMS_GATEWAY = "hotline.notifications.channels.LoggingSmsGateway"
    assert notifications_deliver(now=first + timedelta(minutes=6)).startswith("发送 2 条")
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (
        "sent",
        3,
        "ConnectionError: 短信网关无响应",
    )


def test_a_claim_left_by_a_dead_delivery_run_expires_and_the_row_is_sent(contacts):
    _dispatched(contacts)
    now = local(2026, 3, 2, 9, 6)
    Notification.objects.update(claim="dead-run", claimed_until=now + timedelta(minutes=5))
    assert notifications_deliver(now=now).startswith("发送 0 条")
    assert notifications_deliver(now=now + timedelta(minutes=6)).startswith("发送 3 条")


def test_events_start_the_delivery_once_committed(contacts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _dispatched(contacts)
    # Nothing runs in the background here, so the delivery ran at once, after the commit.
    assert Notification.objects.filter(status="pending").count() == 0
    assert len(mail.outbox) == 1


def test_an_imported_history_tells_nobody(contacts, tmp_path):
    import json

    from hotline.orders.services.history_import import orders_import

    line = {
        "channel": "phone",
        "received_at": "2026-03-02T09:00:00+08:00",
        "appeal_type": "complaint",
        "content": "夜间施工噪音扰民",
        "citizen": {"name": "王女士", "phone": "13800000002"},
        "disposition": "dispatched",
        "events": [
            {"type": "dispatch", "at": "2026-03-02T09:05:00+08:00", "unit": "U-YT"},
            {"type": "sign", "at": "2026-03-02T10:00:00+08:00", "unit": "U-YT"},
            {"type": "reply", "at": "2026-03-03T10:00:00+08:00", "unit": "U-YT", "text": "已处理"},
            {"type": "review", "at": "2026-03-03T11:00:00+08:00", "decision": "accept"},
        ],
    }
    history = tmp_path / "orders.jsonl"
    history.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert orders_import(path=history).orders == 1
    assert not Notification.objects.exists()


def test_each_merged_caller_hears_of_the_acceptance_and_of_the_main_orders_reply(city):
    # SPEC 3 (2026-12): every caller merged into an order gets the notices, under their
    # own order number (which tracks the main order on the portal).
    handler = city.users[Role.UNIT_HANDLER]
    main = _dispatched(city)
    callers = []
    for minute, phone in ((10, "13900000021"), (20, "13900000022")):
        caller = factories.register(
            city, local(2026, 3, 2, 9, minute), citizen=CitizenInput(name="吴先生", phone=phone)
        )
        callers.append(
            intake.order_merge(
                order=caller,
                into=main,
                actor=city.users[Role.OPERATOR],
                at=local(2026, 3, 2, 9, minute + 1),
            )
        )
    accepted = Notification.objects.filter(kind="accepted", order__in=callers).order_by("pk")
    assert [(n.order.number, n.address) for n in accepted] == [
        (callers[0].number, "13900000021"),
        (callers[1].number, "13900000022"),
    ]
    main = handling.order_sign(order=main, actor=handler, at=local(2026, 3, 2, 10, 0))
    main = handling.order_reply(order=main, text="已处理", actor=handler, at=local(2026, 3, 3, 9))
    assert not Notification.objects.filter(kind="replied").exists()
    review.order_review(
        order=main, decision="accept", actor=city.users[Role.SUPERVISOR], at=local(2026, 3, 3, 10)
    )
    replied = Notification.objects.filter(kind="replied").order_by("pk")
    assert [(n.order.number, n.recipient, n.channel, n.address) for n in replied] == [
        (main.number, "citizen", "sms", "13800000001"),
        (callers[0].number, "citizen", "sms", "13900000021"),
        (callers[1].number, "citizen", "sms", "13900000022"),
    ]
    assert callers[0].number in replied[1].text
