"""A unit's reply, or a violation the office records, with its files — or a citizen's
online request with its photos — written together or not at all.

Every file is checked before anything is written: its size, its count, and that it is
one of the kinds an office can open safely (images, PDF, Word, Excel, plain text) —
by its extension *and* by its first bytes, so a program renamed ``.pdf`` is refused.
The reply event and the attachment rows share one transaction; files already put in
storage are removed again if that transaction does not commit.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from hotline.accounts.models import User
from hotline.attachments.models import Attachment
from hotline.directory.models import Unit
from hotline.domain import permissions
from hotline.domain.actions import Action
from hotline.domain.errors import DomainError
from hotline.orders.models import AppealFiling, Order, Reply, Violation
from hotline.orders.services.discipline import violation_record
from hotline.orders.services.handling import order_reply
from hotline.orders.services.review import order_appeal_file

MAX_FILES = 5
# A citizen's online request carries a few photos of the place, nothing else.
MAX_PHOTOS = 3
NAME_MAX = 120

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (doc, xls)
_ZIP = b"PK\x03\x04"  # Office Open XML (docx, xlsx)


@dataclass(frozen=True)
class Kind:
    content_type: str
    signatures: tuple[bytes, ...]  # empty: plain text, checked by decoding


KINDS: dict[str, Kind] = {
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    "bmp": Kind("image/bmp", (b"BM",)),
    "webp": Kind("image/webp", (b"RIFF",)),
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "doc": Kind("application/msword", (_OLE,)),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)
    ),
    "xls": Kind("application/vnd.ms-excel", (_OLE,)),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "txt": Kind("text/plain", ()),
}

ALLOWED_TEXT = (
    "图片（jpg、png、gif、bmp、webp）、PDF、Word（doc、docx）、Excel（xls、xlsx）或文本（txt）"
)


PHOTO_KINDS = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp"})


class AttachmentRefused(DomainError):
    code = "attachment_refused"


@dataclass(frozen=True)
class CheckedFile:
    upload: File
    name: str  # safe for display and for the download header
    extension: str
    kind: Kind
    size: int
    sha256: str


def size_text(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:g} MB"
    if size >= 2**10:
        return f"{size / 2**10:g} KB"
    return f"{size} 字节"


def display_name(raw: str) -> str:
    """The uploader's file name without any folder, control or reserved characters,
    at most ``NAME_MAX`` characters with its extension kept."""
    base = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C" and c not in '<>:"/\\|?*;')
    base = base.strip().lstrip(".").strip()
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = extension[:10]
    room = NAME_MAX - len(extension) - 1
    stem = stem[:room].strip() or "附件"
    return f"{stem}.{extension}" if extension else stem


def _extension(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def _is_text(chunks) -> bool:
    """UTF-8 (with or without BOM) or GB18030 text without NUL bytes."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in chunks():
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_file(upload: File, *, max_bytes: int) -> CheckedFile:
    name = display_name(upload.name or "")
    extension = _extension(name)
    kind = KINDS.get(extension)
    if kind is None:
        raise AttachmentRefused(f"附件「{name}」的类型不允许，只能上传{ALLOWED_TEXT}文件")
    size = upload.size or 0
    if size == 0:
        raise AttachmentRefused(f"附件「{name}」是空文件")
    if size > max_bytes:
        raise AttachmentRefused(
            f"附件「{name}」大小为 {size_text(size)}，超过了 {size_text(max_bytes)} 的上限"
        )
    upload.seek(0)
    head = upload.read(16)
    if kind.signatures:
        fits = any(head.startswith(sig) for sig in kind.signatures)
        if extension == "webp":
            fits = fits and head[8:12] == b"WEBP"
    else:
        fits = _is_text(upload.chunks)
    if not fits:
        raise AttachmentRefused(f"附件「{name}」的内容与文件类型不符，请检查后重新上传")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name, extension, kind, size, digest.hexdigest())


def check_files(files: Sequence[File]) -> list[CheckedFile]:
    """Every file checked, or the first refusal; nothing is written either way."""
    if len(files) > MAX_FILES:
        raise AttachmentRefused(f"每次答复最多上传 {MAX_FILES} 个附件，您选择了 {len(files)} 个")
    return [check_file(f, max_bytes=settings.HOTLINE_ATTACHMENT_MAX_BYTES) for f in files]


def check_photos(files: Sequence[File]) -> list[CheckedFile]:
    """A citizen's photos: at most ``MAX_PHOTOS`` images, each checked as a unit's files
    are (kind by extension and first bytes, size); the first refusal, nothing written."""
    if len(files) > MAX_PHOTOS:
        raise AttachmentRefused(f"最多上传 {MAX_PHOTOS} 张照片，您选择了 {len(files)} 张")
    for upload in files:
        name = display_name(upload.name or "")
        if _extension(name) not in PHOTO_KINDS:
            raise AttachmentRefused(f"「{name}」不是照片，只能上传 jpg、png、gif、bmp 或 webp 图片")
    return [check_file(f, max_bytes=settings.HOTLINE_ATTACHMENT_MAX_BYTES) for f in files]


def _stored_name(checked: CheckedFile, at) -> str:
    return f"attachments/{at:%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"


def reply_with_attachments(
    *,
    order: Order,
    actor: User,
    text: str,
    contacted: bool = True,
    resolved: bool | None = None,
    files: Sequence[File] = (),
    at: datetime | None = None,
    expected_version: int | None = None,
):
    """The unit's reply (``order_reply``) and its files, in one transaction."""
    checked, at = _before_files(Action.REPLY, files, actor=actor, at=at)

    def act():
        done = order_reply(
            order=order,
            text=text,
            contacted=contacted,
            resolved=resolved,
            actor=actor,
            at=at,
            expected_version=expected_version,
        )
        reply = Reply.objects.filter(order=done).order_by("-at", "-id").first()
        unit = reply.unit if reply is not None else actor.unit
        return done, {"order": done, "reply": reply, "unit": unit}

    return _with_files(act, checked, actor=actor, at=at)


def appeal_with_attachments(
    *,
    order: Order,
    actor: User,
    kind: str,
    reason: str,
    files: Sequence[File] = (),
    at: datetime | None = None,
    expected_version: int | None = None,
):
    """SPEC 4 (2026-12): the unit's appeal (``order_appeal_file``) and its evidence, in
    one transaction."""
    checked, at = _before_files(Action.APPEAL_FILE, files, actor=actor, at=at)

    def act():
        done = order_appeal_file(
            order=order,
            kind=kind,
            reason=reason,
            actor=actor,
            at=at,
            expected_version=expected_version,
        )
        filing = AppealFiling.objects.filter(order=done).order_by("-filed_at", "-id").first()
        return done, {"order": done, "appeal": filing, "unit": filing.unit}

    return _with_files(act, checked, actor=actor, at=at)


def order_with_photos(
    register: Callable[[], Order], photos: Sequence[CheckedFile], *, at: datetime
) -> Order:
    """An order a citizen submits (``register()`` writes it) and the photos checked by
    ``check_photos``, in one transaction."""

    def act():
        order = register()
        return order, {"order": order, "unit": None}

    return _with_files(act, photos, actor=None, at=at)


def _before_files(
    action: Action, files: Sequence[File], *, actor: User, at: datetime | None
) -> tuple[list[CheckedFile], datetime]:
    """The role first, then the files, before anything is written; the time of both."""
    permissions.require(actor.role, action)
    return check_files(files), at or timezone.now()


def _with_files(act, checked: Sequence[CheckedFile], *, actor, at):
    """Runs ``act`` (the order's service, returning its result and the order, unit and
    record the files attach to) and stores the files beside it in one transaction; on
    any failure the stored files are deleted again, so nothing is half-written."""
    storage = Attachment._meta.get_field("file").storage
    stored: list[str] = []
    try:
        # The outermost transaction: once it commits, nothing can undo the order's step
        # and leave its stored files behind.
        with transaction.atomic(durable=True):
            result, attach_to = act()
            for item in checked:
                name = storage.save(_stored_name(item, at), item.upload)
                stored.append(name)
                Attachment.objects.create(
                    uploaded_by=actor,
                    file=name,
                    name=item.name,
                    content_type=item.kind.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    uploaded_at=at,
                    **attach_to,
                )
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return result


def violation_with_evidence(
    *,
    order: Order,
    unit: Unit,
    kind: str,
    note: str,
    actor: User,
    outcome: str = "",
    files: Sequence[File] = (),
    at: datetime | None = None,
) -> Violation:
    """SPEC 6 (2026-12): a violation the office records by hand (``violation_record``)
    with its evidence files, in one transaction."""
    checked, at = _before_files(Action.VIOLATION_RECORD, files, actor=actor, at=at)

    def act():
        violation = violation_record(
            order=order, unit=unit, kind=kind, note=note, outcome=outcome, actor=actor, at=at
        )
        return violation, {"order": violation.order, "violation": violation, "unit": unit}

    return _with_files(act, checked, actor=actor, at=at)
