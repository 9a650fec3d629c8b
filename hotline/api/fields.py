"""Input fields shared by the API's serializers: directory items by code, orders by
number (through the viewer's selector), callback agents by user name, times that must
carry their offset."""

import copy
from datetime import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from hotline.directory.models import Category, Region, Tag, Unit
from hotline.domain.text_input import free_text, phone_input, single_line
from hotline.orders.models import Order
from hotline.orders.selectors import order_get
from hotline.orders.selectors.callbacks import callback_agents
from hotline.reference.cache import remembered

NUMBER_PATTERN = r"^[0-9]{1,20}$"
MAX_VERSION = 2**31 - 1


def looks_like_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 20


class SingleLineText(serializers.CharField):
    """A name, address or code made plain (``text_input.single_line``) before the blank
    and length checks run, so that a limit counts what will be stored."""

    normalise = staticmethod(single_line)

    def run_validation(self, data=empty):
        if isinstance(data, str):
            data = self.normalise(data)
        return super().run_validation(data)


class FreeText(SingleLineText):
    """Content, replies and reasons: line breaks and Chinese punctuation kept."""

    normalise = staticmethod(free_text)


class PhoneText(SingleLineText):
    """A Chinese mobile or landline number, stored as digits only."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["phone"] = "电话号码格式不正确（如 13800000000 或 0731-58581234）"

    def to_internal_value(self, data) -> str:
        text = super().to_internal_value(data)
        if not text:
            return text
        phone = phone_input(text)
        if phone is None:
            self.fail("phone")
        return phone


class _PlainSlugField(serializers.SlugRelatedField):
    """A directory item by a typed code or name: made plain first (a NUL byte or a
    full-width digit never reaches the database query), and kept per process while the
    directory stays as it is (an unknown code is asked again each time)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            return super().to_internal_value(data)
        plain = single_line(data)
        found = remembered(
            (type(self), plain), lambda: super(_PlainSlugField, self).to_internal_value(plain)
        )
        return copy.copy(found)


class _CodeField(_PlainSlugField):
    what = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = f"{self.what}编码「{{value}}」不存在"
        self.error_messages["invalid"] = f"{self.what}编码不正确"


class UnitCodeField(_CodeField):
    what = "单位"

    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.filter(active=True), **kwargs)


class CategoryCodeField(_CodeField):
    what = "事项分类"

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.filter(active=True), **kwargs)


class RegionCodeField(_CodeField):
    what = "区划"

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.all(), **kwargs)


class CallbackAgentField(_PlainSlugField):
    """An active callback agent by user name (回访分配)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=callback_agents(), **kwargs)
        self.error_messages["does_not_exist"] = "回访员「{value}」不存在或已停用"
        self.error_messages["invalid"] = "回访员不正确"


class TagNameField(_PlainSlugField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="name", queryset=Tag.objects.filter(active=True), **kwargs)
        self.error_messages["does_not_exist"] = "专项标签「{value}」不存在"
        self.error_messages["invalid"] = "专项标签不正确"


@extend_schema_field({"type": "string", "maxLength": 20})
class OrderNumberField(serializers.Field):
    """An order the viewer (``context["viewer"]``) may see, by its number."""

    default_error_messages = {
        "invalid": "请填写工单编号",
        "unknown": "工单「{value}」不存在或您无权查看",
    }

    def to_internal_value(self, data) -> Order:
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        number = data.strip()
        if not looks_like_number(number):
            self.fail("unknown", value=number[:20])
        try:
            return order_get(number=number, viewer=self.context["viewer"])
        except Order.DoesNotExist:
            self.fail("unknown", value=number)

    def to_representation(self, order: Order) -> str:
        return order.number


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault(
            "help_text", "您看到的工单版本（version）；工单已被他人改动时返回 409 stale_order"
        )
        super().__init__(**kwargs)


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset (SPEC 11); a time without its offset is refused."""

    default_error_messages = {"naive": "时间须带时区偏移（如 2026-03-02T09:00:00+08:00）"}

    def to_internal_value(self, value) -> datetime:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


# Times outside these years are typing mistakes, and near the ends of the calendar
# they cannot even be converted between time zones.
FIRST_YEAR, LAST_YEAR = 1900, 9000


def sane_year(value) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise serializers.ValidationError(f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间")


class DateIn(serializers.DateField):
    def __init__(self, **kwargs):
        super().__init__(validators=[sane_year], **kwargs)


class DateTimeIn(AwareDateTimeField):
    def __init__(self, **kwargs):
        super().__init__(validators=[sane_year], **kwargs)
