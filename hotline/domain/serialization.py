"""JSON form of the domain's frozen dataclasses (events and order states).

Datetimes become ISO 8601 strings, enums their English value, tuples lists; the
reverse uses the field's type hint, so a round trip gives an equal object.
"""

import dataclasses
from datetime import datetime
from enum import Enum
from functools import cache
from types import UnionType
from typing import Union, get_args, get_origin, get_type_hints


def to_json(obj, *, skip: frozenset[str] = frozenset()) -> dict:
    values = obj.__dict__
    return {name: dump_value(values[name]) for name in _names(type(obj)) if name not in skip}


@cache
def _names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_PLAIN = (str, int, bool, float, type(None))


def from_json(cls, data: dict, **given):
    hints = _hints(cls)
    values = dict(given)
    for f in dataclasses.fields(cls):
        if f.name in data and f.name not in given:
            values[f.name] = _load(hints[f.name], data[f.name])
    return cls(**values)


@cache
def _hints(cls) -> dict:
    return get_type_hints(cls)


def dump_value(value):
    """A field's value as JSON data (``to_json``'s conversion of one value)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [dump_value(v) for v in value]
    return value


def _load(hint, value):
    if value is None:
        return None
    if get_origin(hint) in (Union, UnionType):
        # Optional[X]: the value is not None here, so it is an X.
        hint = next(a for a in get_args(hint) if a is not type(None))
    if get_origin(hint) is tuple:
        (item, _) = get_args(hint)
        return tuple(_load(item, v) for v in value)
    if hint is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    return value
