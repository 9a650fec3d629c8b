"""What backs a reply, where it is judged: the reply's files and the unit's contacts with
the citizen on the supervisor's review tab and in the callback queue, and the agent's
note kept with the callback (issue 17)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.attachments.services import reply_with_attachments
from hotline.domain.enums import Role
from hotline.orders.models import Callback
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local
from tests.web.test_callback import _callback

NOW = local(2026, 3, 3, 10, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _now(monkeypatch, settings, tmp_path):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def replied(city):
    """岳塘区 called the citizen, then replied with a photo and a report (a rework's
    earlier files are not this reply's)."""
    unit = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, 2, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    order = handling.order_sign(order=order, actor=unit, at=local(2026, 3, 2, 10))
    handling.order_contact(
        order=order, way="phone", outcome="reached", actor=unit, unit=city.district,
        now=local(2026, 3, 2, 11),
    )  # fmt: skip
    order = reply_with_attachments(
        order=order, actor=unit, text="第一次答复", resolved=True,
        files=[SimpleUploadedFile("旧照片.png", PNG)], at=local(2026, 3, 2, 12),
    )  # fmt: skip
    order = review.order_review(
        order=order, decision="rework", note="未写明结果", actor=None, at=local(2026, 3, 2, 13)
    )
    files = [
        SimpleUploadedFile("现场照片.png", PNG),
        SimpleUploadedFile("情况说明.txt", "已停工".encode()),
    ]
    return reply_with_attachments(
        order=order, actor=unit, text="已责令停工", resolved=True, files=files,
        at=local(2026, 3, 2, 15),
    )  # fmt: skip


def test_the_review_tab_shows_the_replys_files_and_the_contacts(signed_in, replied):
    page = signed_in(Role.SUPERVISOR).get("/supervision/", {"tab": "review"}).content.decode()
    row = page.split(f'id="o-{replied.number}"')[1].split("</tr>")[0]
    assert "现场照片.png" in row and "情况说明.txt" in row and "旧照片.png" not in row
    assert f'href="/orders/{replied.number}/attachments/' in row
    assert "联系记录：03-02 11:00 电话 已联系上" in row


def test_the_callback_queue_shows_them_and_keeps_the_agents_note(signed_in, city, replied):
    order = review.order_review(
        order=replied, decision="accept", actor=None, at=NOW - timedelta(hours=1)
    )
    client = signed_in(Role.CALLBACK_AGENT)
    page = client.get("/callback/").content.decode()
    row = page.split(f'id="order-{order.number}"')[1].split("</tr>")[0]
    assert "现场照片.png" in row and "联系记录：03-02 11:00 电话 已联系上" in row
    _callback(client, order, result="satisfied", note="市民确认已停工")
    assert Callback.objects.get(order=order).note == "市民确认已停工"
    done = client.get("/callback/", {"tab": "done"}).content.decode()
    assert "回访备注：市民确认已停工" in done


def test_no_contact_recorded_is_said(signed_in, city):
    unit = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, 2, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    order = handling.order_sign(order=order, actor=unit, at=local(2026, 3, 2, 10))
    handling.order_reply(order=order, text="已处理", actor=unit, at=local(2026, 3, 2, 11))
    page = signed_in(Role.SUPERVISOR).get("/supervision/", {"tab": "review"}).content.decode()
    assert "承办单位未登记联系诉求人" in page
