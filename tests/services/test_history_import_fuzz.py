"""Hostile history files: a valid order line with one field broken at random — wrong type,
missing, hostile text, a cut or a stray byte — is either imported whole or refused with its
line number, and a refusal leaves every table as it was. Nothing else may come out
(no crash, no half-written file)."""

import json
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.calls.models import Call
from hotline.calls.services import calls_import
from hotline.interchange.call_records import CallLineError
from hotline.interchange.order_lines import LineError
from hotline.orders.services.history_import import orders_import
from tests.services.test_history_import import _order, _tables

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u200b",
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            "２０２６-０３-０２Ｔ０９:００:００+０８:００",
            "2026-02-30T09:00:00+08:00",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01T00:00:00+00:00",
            "2026-03-02T09:00:00+25:00",
            "U-YT",
            "岳塘区",
            "x" * 100_000,
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(string.ascii_lowercase, max_size=5), st.integers(), max_size=3),
)

ORDER_FIELDS = [
    "channel",
    "received_at",
    "appeal_type",
    "category",
    "region",
    "content",
    "citizen",
    "disposition",
    "events",
    "number",
    "address",
    "urgent",
    "confidential",
    "tags",
    "reason",
]
EVENT_FIELDS = ["type", "at", "unit", "text", "decision", "result", "reason", "lead"]


@st.composite
def broken_lines(draw) -> str:
    order = _order()
    where = draw(st.sampled_from(["order", "event", "citizen", "bytes"]))
    if where == "order":
        field = draw(st.sampled_from(ORDER_FIELDS))
        if draw(st.booleans()):
            order.pop(field, None)
        else:
            order[field] = draw(hostile_values)
    elif where == "event":
        event = order["events"][draw(st.integers(0, len(order["events"]) - 1))]
        field = draw(st.sampled_from(EVENT_FIELDS))
        if draw(st.booleans()):
            event.pop(field, None)
        else:
            event[field] = draw(hostile_values)
    elif where == "citizen":
        order["citizen"] = {
            draw(st.sampled_from(["name", "phone", "id_number", "kind", "?"])): draw(hostile_values)
        }
    line = json.dumps(order, ensure_ascii=draw(st.booleans()))
    if where == "bytes":
        cut = draw(st.integers(0, len(line)))
        return (
            line[:cut] + draw(st.sampled_from(["", "\x00", "\ufffd", "}", '"', "\\"])) + line[cut:]
        )
    return line


def _write(path, *lines: str, raw: bytes = b"") -> None:
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8") + raw)


@FUZZ
@given(broken=broken_lines(), first=st.booleans())
def test_a_broken_line_is_imported_whole_or_refused_with_its_line(city, tmp_path, broken, first):
    path = tmp_path / "orders.jsonl"
    good = json.dumps(_order(), ensure_ascii=False)
    lines = (broken, good) if first else (good, broken)
    _write(path, *lines)
    before = _tables()
    try:
        result = orders_import(path=path)
    except LineError as refused:
        assert refused.message.startswith(("line 1: ", "line 2: ")), refused.message
        assert _tables() == before
    else:
        assert result.orders == 2
        assert _tables()[0] == before[0] + 2


@FUZZ
@given(raw=st.binary(min_size=1, max_size=60))
def test_bytes_that_are_not_utf8_are_refused_with_their_line(city, tmp_path, raw):
    path = tmp_path / "orders.jsonl"
    _write(path, json.dumps(_order(), ensure_ascii=False), raw=raw)
    before = _tables()
    try:
        orders_import(path=path)
    except LineError as refused:
        # The stray bytes may hold line breaks: any line after the good first one.
        assert re.match(r"line [2-9]\d*: ", refused.message), refused.message
        assert _tables() == before
    else:
        assert _tables()[0] > before[0]


call_values = st.one_of(
    hostile_values,
    st.sampled_from(["2018-12-01T08:00:05+08:00", "13800000001", "true", "0", "-1", "1e9"]),
)


@FUZZ
@given(
    field=st.sampled_from(
        ["id", "started_at", "caller", "answered", "agent", "wait_seconds", "talk_seconds"]
    ),
    value=call_values,
    drop=st.booleans(),
    csv=st.booleans(),
)
def test_a_broken_call_record_is_imported_or_refused_with_its_line(
    db, tmp_path, field, value, drop, csv
):
    record = {
        "id": f"C{Call.objects.count() + 1}",
        "started_at": "2018-12-01T08:00:05+08:00",
        "caller": "13800000001",
        "answered": True,
        "agent": "A01",
        "wait_seconds": 5,
        "talk_seconds": 120,
    }
    if drop:
        record.pop(field)
    else:
        record[field] = value
    if csv:
        path = tmp_path / "calls.csv"
        columns = list(record)
        cells = [str(record[c]).replace("\n", " ").replace(",", " ") for c in columns]
        path.write_text(",".join(columns) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    else:
        path = tmp_path / "calls.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = Call.objects.count()
    try:
        imported = calls_import(path=path)
    except CallLineError as refused:
        assert refused.message.startswith(("line 1: ", "line 2: ")), refused.message
        assert Call.objects.count() == before
    else:
        assert imported == 1 and Call.objects.count() == before + 1


def test_a_byte_that_is_not_utf8_names_its_line(city, tmp_path):
    path = tmp_path / "orders.jsonl"
    good = json.dumps(_order(), ensure_ascii=False)
    path.write_bytes((good + "\n").encode() + b'{"content": "\xe5\x99"}\n' + (good + "\n").encode())
    before = _tables()
    with pytest.raises(LineError, match="line 2: 含有不是 UTF-8 编码的字节"):
        orders_import(path=path)
    assert _tables() == before


@pytest.mark.parametrize(
    "where, key",
    [("order", "content"), ("order", "address"), ("event", "text"), ("citizen", "name")],
)
def test_a_nul_character_is_refused_with_its_line_not_by_the_database(city, tmp_path, where, key):
    # PostgreSQL's text cannot hold U+0000: the line is refused before the COPY, which
    # would otherwise fail as a whole without saying where.
    order = _order()
    replies = [event for event in order["events"] if event["type"] == "reply"]
    target = {"order": order, "citizen": order["citizen"], "event": replies[0]}[where]
    target[key] = "书院路\x0012号"
    path = tmp_path / "orders.jsonl"
    _write(path, json.dumps(_order(), ensure_ascii=False), json.dumps(order))
    before = _tables()
    with pytest.raises(LineError, match=rf"^line 2: .*{key} 含有空字符"):
        orders_import(path=path)
    assert _tables() == before
