"""A reply with its files: checked before anything is written, stored under names the
product chooses, and all or nothing with the reply event."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.attachments import services
from hotline.attachments.models import Attachment
from hotline.attachments.selectors import attachment_get, attachments_of
from hotline.attachments.services import (
    AttachmentRefused,
    check_file,
    display_name,
    reply_with_attachments,
)
from hotline.domain.enums import Role
from hotline.domain.lifecycle import InvalidTransition
from hotline.domain.permissions import NotPermitted
from hotline.orders.models import Order
from hotline.orders.services import dispatch, handling
from tests import factories
from tests.conftest import local

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(100))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 30
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30
AT = local(2026, 3, 2, 9)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def in_progress(city) -> Order:
    order = factories.register(city, AT)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=AT
    )
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=AT + timedelta(hours=1)
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("现场照片.png", "现场照片.png"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\张三\\答复.docx", "答复.docx"),
        ("a\x00b\u202ec.pdf", "abc.pdf"),
        ('"引号";.pdf', "引号.pdf"),
        ("...", "附件"),
        ("长" * 300 + ".xlsx", "长" * 115 + ".xlsx"),  # 120 characters in all
    ],
)
def test_display_names_keep_no_folders_or_control_characters(raw, shown):
    assert display_name(raw) == shown


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("照片.PNG", PNG, "image/png"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("文件.pdf", PDF, "application/pdf"),
        ("答复.docx", DOCX, services.KINDS["docx"].content_type),
        ("答复.doc", DOC, "application/msword"),
        ("表.xls", DOC, "application/vnd.ms-excel"),
        ("说明.txt", "处理情况：已完成。".encode(), "text/plain"),
        ("说明.txt", "处理情况：已完成。".encode("gbk"), "text/plain"),
    ],
)
def test_office_and_image_files_are_accepted(name, data, content_type):
    checked = check_file(upload(name, data), max_bytes=1000)
    assert checked.kind.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("程序.exe", b"MZ\x90\x00", "类型不允许"),
        ("网页.html", b"<script>", "类型不允许"),
        ("无扩展名", PNG, "类型不允许"),
        ("伪装.pdf", b"MZ\x90\x00 not a pdf", "内容与文件类型不符"),
        ("伪装.png", PDF, "内容与文件类型不符"),
        ("二进制.txt", b"abc\x00def", "内容与文件类型不符"),
        ("空.pdf", b"", "是空文件"),
        ("大.png", PNG + b"\x00" * 1000, "超过了 1000 字节 的上限"),
    ],
)
def test_other_files_are_refused_in_chinese(name, data, message):
    with pytest.raises(AttachmentRefused, match=message):
        check_file(upload(name, data), max_bytes=1000)


def test_the_reply_and_its_files_are_stored_together(city, media):
    order = in_progress(city)
    handler = city.users[Role.UNIT_HANDLER]
    order = reply_with_attachments(
        order=order,
        actor=handler,
        text="已责令施工单位停止夜间作业。",
        contacted=False,
        files=[upload("../现场.png", PNG), upload("说明.pdf", PDF)],
        at=AT + timedelta(days=1),
    )
    assert order.status == "replied"
    attachments = list(attachments_of(order=order))
    assert [a.name for a in attachments] == ["现场.png", "说明.pdf"]
    reply = order.replies.get()
    assert reply.contacted is False
    for attachment, data in zip(attachments, (PNG, PDF), strict=True):
        assert attachment.reply == reply and attachment.unit == city.district
        assert attachment.uploaded_by == handler
        # The stored name is the product's own: no uploader text, no folders from it.
        assert attachment.file.name.startswith("attachments/2026/03/")
        assert "现场" not in attachment.file.name and ".." not in attachment.file.name
        with attachment.file.open("rb") as stored:
            assert stored.read() == data
    assert len(stored_files(media)) == 2


def test_a_refused_file_writes_nothing(city, media):
    order = in_progress(city)
    events = order.events.count()
    with pytest.raises(AttachmentRefused, match="每次答复最多上传 5 个附件"):
        reply_with_attachments(
            order=order,
            actor=city.users[Role.UNIT_HANDLER],
            text="已处理。",
            files=[upload(f"{i}.png", PNG) for i in range(6)],
        )
    order.refresh_from_db()
    assert order.status == "in_progress" and order.events.count() == events
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_a_reply_the_rules_refuse_leaves_no_file(city, media):
    order = factories.register(city, AT)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=AT
    )  # not signed: no reply yet
    with pytest.raises(InvalidTransition):
        reply_with_attachments(
            order=order,
            actor=city.users[Role.UNIT_HANDLER],
            text="已处理。",
            files=[upload("a.png", PNG)],
            at=AT + timedelta(hours=2),
        )
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_a_failure_after_storing_removes_the_stored_files(city, media, monkeypatch):
    order = in_progress(city)
    created = Attachment.objects.create
    calls = []

    def fail_on_second(**fields):
        calls.append(fields["name"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return created(**fields)

    monkeypatch.setattr(Attachment.objects, "create", fail_on_second)
    with pytest.raises(RuntimeError):
        reply_with_attachments(
            order=order,
            actor=city.users[Role.UNIT_HANDLER],
            text="已处理。",
            files=[upload("a.png", PNG), upload("b.pdf", PDF)],
            at=AT + timedelta(days=1),
        )
    order.refresh_from_db()
    assert order.status == "in_progress"
    assert stored_files(media) == []


def test_only_unit_handlers_reply(city, media):
    order = in_progress(city)
    with pytest.raises(NotPermitted):
        reply_with_attachments(
            order=order,
            actor=city.users[Role.DISPATCHER],
            text="已处理。",
            files=[upload("a.png", PNG)],
        )
    assert stored_files(media) == []


def test_attachments_are_read_through_the_viewers_orders(city):
    order = in_progress(city)
    reply_with_attachments(
        order=order,
        actor=city.users[Role.UNIT_HANDLER],
        text="已处理。",
        files=[upload("a.png", PNG)],
        at=AT + timedelta(days=1),
    )
    attachment = Attachment.objects.get()
    own = attachment_get(number=order.number, pk=attachment.pk, viewer=city.users[Role.LEADER])
    assert own == attachment
    stranger = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    with pytest.raises(Attachment.DoesNotExist):
        attachment_get(number=order.number, pk=attachment.pk, viewer=stranger)
