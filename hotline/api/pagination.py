"""Keyset pagination over (received_at, id) (SPEC 13: lists stay fast at 10 million
orders; an offset would not). The cursor is opaque to clients: the key of the last
row of the page, encoded; ``next`` is null on the last page."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from rest_framework import serializers
from rest_framework.utils.urls import replace_query_param

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def encode_cursor(received_at: datetime, pk: int) -> str:
    raw = json.dumps([received_at.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Raises ``ValueError`` for anything this module did not write."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        moment = datetime.fromisoformat(stamp)
    except (binascii.Error, UnicodeError, ValueError, TypeError) as error:
        raise ValueError(cursor) from error
    if moment.tzinfo is None or not isinstance(pk, int) or isinstance(pk, bool):
        raise ValueError(cursor)
    return moment, pk


class CursorField(serializers.CharField):
    default_error_messages = {"bad_cursor": "分页游标无效，请使用上一页返回的 next 链接"}

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return decode_cursor(text)
        except ValueError:
            self.fail("bad_cursor")


def keyset_page(
    orders: QuerySet, *, after: tuple[datetime, int] | None, size: int
) -> tuple[list, tuple[datetime, int] | None]:
    """One page in (received_at, id) order and the key to continue after it, if any."""
    if after is not None:
        moment, pk = after
        orders = orders.filter(Q(received_at__gt=moment) | Q(received_at=moment, pk__gt=pk))
    rows = list(orders.order_by("received_at", "pk")[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, (rows[-1].received_at, rows[-1].pk)


def next_link(request, key: tuple[datetime, int] | None) -> str | None:
    if key is None:
        return None
    return replace_query_param(request.build_absolute_uri(), "cursor", encode_cursor(*key))


class PageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="下一页的完整链接；最后一页为 null")
