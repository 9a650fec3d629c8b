"""A registration's input read by plain code when it is plainly valid, which nearly every
request is; ``IntakeIn`` (DRF) reads everything else.

``plain_intake`` gives what ``IntakeIn(data=...).validated_data`` gives for an input
whose every value has the form a client normally sends (text as a string, a flag as
``true``/``false``, a coordinate as a number, a known code) and passes every check;
for any other input it gives None and the view runs ``IntakeIn``, so that every
refusal keeps the serializer's structured error (field, message, status) to the
letter, and every odd form DRF accepts (a number for a text, ``"true"`` for a flag)
is still accepted as before. ``tests/api/test_intake_input.py`` holds the two equal
over the forms of every field, valid and not.

What it saves is DRF's field machinery for a valid registration: each field's
``run_validation``, its empty-value and validator calls and the nested serializer of
the citizen. The checks are the fields' own: the same normalisers (``single_line``,
``free_text``, ``phone_input``), lengths, vocabularies and directory look-ups, kept per
process under the same keys as ``CategoryCodeField``, ``RegionCodeField`` and
``TagNameField`` keep theirs."""

import copy

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist

from hotline.api.fields import CategoryCodeField, RegionCodeField, TagNameField
from hotline.directory.models import Category, Region, Tag
from hotline.domain.enums import AppealType, Channel, CitizenKind, DeputyLevel
from hotline.domain.intake import (
    ADDRESS_MAX,
    CALL_ID_MAX,
    CITIZEN_NAME_MAX,
    CONTENT_MAX,
    EXTERNAL_REF_MAX,
    ID_NUMBER_MAX,
    PHONE_INPUT_MAX,
)
from hotline.domain.text_input import free_text, phone_input, single_line
from hotline.reference.cache import remembered

CHANNELS = frozenset(value for value, _ in Channel.choices())
APPEAL_TYPES = frozenset(value for value, _ in AppealType.choices())
CITIZEN_KINDS = frozenset(value for value, _ in CitizenKind.choices())
DEPUTY_LEVELS = frozenset(value for value, _ in DeputyLevel.choices())


class _Declined(Exception):
    """Not plainly valid: the serializer decides."""


def plain_intake(data) -> dict | None:
    """``IntakeIn``'s validated data of ``data``, or None when ``IntakeIn`` must read it."""
    if type(data) is not dict:
        return None
    try:
        return {
            "channel": _choice(data, "channel", CHANNELS, required=True),
            "appeal_type": _choice(data, "appeal_type", APPEAL_TYPES, required=True),
            "content": _text(data, "content", CONTENT_MAX, free_text, required=True),
            "category": _directory(data, "category", CategoryCodeField, _category),
            "region": _directory(data, "region", RegionCodeField, _region),
            "address": _text(data, "address", ADDRESS_MAX),
            "citizen": _citizen(data.get("citizen")),
            "confidential": _flag(data, "confidential"),
            "urgent": _flag(data, "urgent"),
            "tags": _tags(data),
            "call_id": _text(data, "call_id", CALL_ID_MAX),
            "external_ref": _text(data, "external_ref", EXTERNAL_REF_MAX),
            "deputy_level": _choice(data, "deputy_level", DEPUTY_LEVELS, blank=True),
            "lat": _number(data, "lat", 90),
            "long": _number(data, "long", 180),
        }
    except _Declined:
        return None


def _choice(data: dict, name: str, values: frozenset, *, required=False, blank=False) -> str:
    if name not in data:
        if required:
            raise _Declined
        return ""
    value = data[name]
    if type(value) is not str or not (value in values or (blank and value == "")):
        raise _Declined
    return value


def _text(data: dict, name: str, limit: int, normalise=single_line, *, required=False) -> str:
    if name not in data:
        if required:
            raise _Declined
        return ""
    value = data[name]
    if type(value) is not str:
        raise _Declined
    value = normalise(value).strip()
    if (required and not value) or len(value) > limit:
        raise _Declined
    return value


def _flag(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if value is not True and value is not False:
        raise _Declined
    return value


def _number(data: dict, name: str, bound: int) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if type(value) not in (int, float) or not -bound <= value <= bound:
        raise _Declined
    return float(value)


def _category(code: str):
    return Category.objects.filter(active=True).get(code=code)


def _region(code: str):
    return Region.objects.get(code=code)


def _tag(name: str):
    return Tag.objects.filter(active=True).get(name=name)


def _found(field: type, value, load):
    """The directory item the field would find for ``value``, kept under the field's key."""
    if type(value) is not str:
        raise _Declined
    plain = single_line(value)
    try:
        return copy.copy(remembered((field, plain), lambda: load(plain)))
    except (ObjectDoesNotExist, MultipleObjectsReturned):
        raise _Declined from None


def _directory(data: dict, name: str, field: type, load):
    value = data.get(name)
    if value is None:
        return None
    return _found(field, value, load)


def _tags(data: dict) -> list:
    values = data.get("tags", [])
    if type(values) is not list:
        raise _Declined
    return [_found(TagNameField, value, _tag) for value in values]


def _citizen(citizen) -> dict | None:
    if citizen is None:
        return None
    if type(citizen) is not dict:
        raise _Declined
    phone = _text(citizen, "phone", PHONE_INPUT_MAX)
    if phone:
        phone = phone_input(phone)
        if phone is None:
            raise _Declined
    kind = _choice(citizen, "kind", CITIZEN_KINDS) or CitizenKind.URBAN.value
    return {
        "name": _text(citizen, "name", CITIZEN_NAME_MAX),
        "phone": phone,
        "id_number": _text(citizen, "id_number", ID_NUMBER_MAX),
        "kind": kind,
    }
