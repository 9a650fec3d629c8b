"""The 2026-12 keys of SPEC 11 in the order history: ``contact`` events, callback
``solved`` / ``note`` / ``unit_contacted``, reply ``resolved``, sign ``respond_by``,
``correct {field, value, reason}`` and the three-way call — imported, exported
byte-identically, and older files without them still import."""

import json
from datetime import date

import pytest

from hotline.interchange.order_lines import LineError
from hotline.orders.models import (
    Assignment,
    Callback,
    Contact,
    Event,
    Extension,
    Order,
    Reply,
    ThreeWayCall,
    Violation,
)
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import

T = "2026-03-02T{}:00+08:00"
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def _order(*, number, sign=None, reply=None, callback=None, contacts=()):
    return {
        "number": number,
        "channel": "phone",
        "received_at": T.format("09:00"),
        "appeal_type": "complaint",
        "category": "噪音扰民",
        "region": "430304001",
        "content": "夜间施工噪音扰民",
        "citizen": {"name": "李先生", "phone": "13800000001"},
        "disposition": "dispatched",
        "events": [
            {"type": "dispatch", "at": T.format("09:05"), "unit": "岳塘区"},
            {"type": "sign", "at": T.format("10:00"), "unit": "U-YT", **(sign or {})},
            *contacts,
            {
                "type": "reply",
                "at": T.format("15:00"),
                "unit": "U-YT",
                "text": "已责令停工",
                **(reply or {}),
            },
            {"type": "review", "at": T.format("16:00"), "decision": "accept"},
            {
                "type": "callback",
                "at": T.format("17:00"),
                "result": "unsatisfied",
                **(callback or {}),
            },
            {"type": "close", "at": T.format("17:05")},
        ],
    }


NEW = _order(
    number="20260000001",
    sign={"respond_by": "2026-03-03T23:59:59+08:00"},
    contacts=[
        {
            "type": "contact",
            "at": T.format("11:00"),
            "unit": "U-YT",
            "way": "phone",
            "outcome": "unreachable",
        },
        {
            "type": "contact",
            "at": T.format("11:30"),
            "unit": "岳塘区",
            "way": "上门走访",
            "outcome": "reached",
        },
    ],
    reply={"resolved": True},
    callback={"solved": "not_solved", "unit_contacted": False, "note": "市民称噪音仍在"},
)
OLD = _order(number="20260000002")  # a file written before these keys existed
SAID_NO = _order(number="20260000003", reply={"resolved": False}, callback={"unit_contacted": True})


def _file(path, *orders):
    path.write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8"
    )
    return path


def _empty():
    Event.objects.all().delete()
    Violation.objects.all().delete()
    for model in (Assignment, Reply, Callback, Extension, Contact, ThreeWayCall):
        model.objects.all().delete()
    Order.objects.all().delete()


def _imports_back_identical(first, second):
    """Into an empty database, then exported again: byte for byte the first export."""
    _empty()
    orders_import(path=first)
    orders_export(out=second, **MARCH)
    assert first.read_bytes() == second.read_bytes()


def test_the_new_keys_import_into_the_records(city, tmp_path):
    orders_import(path=_file(tmp_path / "in.jsonl", NEW, OLD, SAID_NO))
    new, old, said_no = Order.objects.order_by("number")
    assert [(c.at.isoformat(), c.way, c.outcome) for c in Contact.objects.order_by("at")] == [
        ("2026-03-02T03:00:00+00:00", "phone", "unreachable"),
        ("2026-03-02T03:30:00+00:00", "on_site", "reached"),
    ]
    assert new.respond_by.isoformat() == "2026-03-03T15:59:59+00:00"
    callback = Callback.objects.get(order=new)
    assert (callback.solved, callback.unit_contacted, callback.note) == (
        "not_solved",
        False,
        "市民称噪音仍在",
    )
    # The reply said resolved, the citizen says not solved: 答复与回访不符, as live work.
    assert list(Violation.objects.values_list("order__number", "kind")) == [
        ("20260000001", "contradiction")
    ]
    # Old lines: no response time, no answers — and no violation.
    assert old.respond_by is None
    assert Reply.objects.get(order=old).resolved is None
    assert (Callback.objects.get(order=old).solved, Callback.objects.get(order=old).note) == (
        "",
        "",
    )
    assert Reply.objects.get(order=said_no).resolved is False


def test_export_import_export_is_byte_identical_with_the_new_keys(city, tmp_path):
    orders_import(path=_file(tmp_path / "in.jsonl", NEW, OLD, SAID_NO))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=first, **MARCH)
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    events = {e["type"]: e for e in lines[0]["events"]}
    assert events["contact"] == {
        "type": "contact",
        "at": "2026-03-02T11:30:00+08:00",
        "unit": "U-YT",
        "way": "on_site",
        "outcome": "reached",
    }
    assert events["callback"]["solved"] == "not_solved"
    assert events["callback"]["note"] == "市民称噪音仍在"
    assert events["callback"]["unit_contacted"] is False  # a "no" is kept
    assert events["reply"]["resolved"] is True
    assert events["sign"]["respond_by"] == "2026-03-03T23:59:59+08:00"
    # The old order's lines stay without the keys it never had.
    old_events = {e["type"]: e for e in lines[1]["events"]}
    assert "respond_by" not in old_events["sign"] and "resolved" not in old_events["reply"]
    assert not {"solved", "note", "unit_contacted"} & set(old_events["callback"])
    assert {e["type"]: e for e in lines[2]["events"]}["reply"]["resolved"] is False
    _imports_back_identical(first, second)


@pytest.mark.parametrize(
    ("event", "rule"),
    [
        (
            {
                "type": "contact",
                "at": T.format("11:00"),
                "unit": "U-YT",
                "way": "fax",
                "outcome": "reached",
            },
            "way 的值「fax」无效",
        ),
        (
            {
                "type": "contact",
                "at": T.format("11:00"),
                "unit": "U-YH",
                "way": "sms",
                "outcome": "reached",
            },
            "不是该工单的承办单位",
        ),
    ],
)
def test_a_bad_contact_line_is_refused_by_name(city, tmp_path, event, rule):
    with pytest.raises(LineError, match=rule):
        orders_import(
            path=_file(tmp_path / "in.jsonl", _order(number="20260000009", contacts=[event]))
        )
    assert not Order.objects.exists()


# --- corrections and three-way calls (SPEC 3 and 4, 2026-12) --------------------------


def _line(*events, number="20260000001", category="供水", confidential=True):
    return {
        "number": number,
        "channel": "phone",
        "received_at": T.format("09:00"),
        "appeal_type": "complaint",
        "category": category,
        "region": "430304001",
        "address": "书院路12号",
        "content": "夜间施工噪音扰民",
        "citizen": {"name": "李先生", "phone": "13800000001", "confidential": confidential},
        "disposition": "dispatched",
        "events": [
            {"type": "dispatch", "at": T.format("09:05"), "unit": "岳塘区"},
            {"type": "sign", "at": T.format("10:00"), "unit": "U-YT"},
            *events,
        ],
    }


CORRECTED = _line(
    {
        "type": "correct",
        "at": T.format("10:10"),
        "field": "category",
        "value": "噪音扰民",
        "reason": "返工意见指出分类有误",
    },
    {
        "type": "correct",
        "at": T.format("10:20"),
        "field": "urgency",
        "value": "急办件",
        "reason": "涉及老人",
    },
    {
        "type": "correct",
        "at": T.format("10:30"),
        "field": "summary",
        "value": "工地夜间施工噪音",
        "reason": "摘要",
    },
    {"type": "three_way_request", "at": T.format("11:00"), "unit": "U-YT", "note": "上午"},
    {"type": "three_way_call", "at": T.format("11:30"), "unit": "U-YT", "outcome": "reached"},
)


def test_corrections_and_three_way_calls_import_into_the_records(city, tmp_path):
    orders_import(path=_file(tmp_path / "in.jsonl", CORRECTED))
    order = Order.objects.get()
    assert (order.category, order.urgent) == (city.noise, True)
    assert order.state["summary"] == "工地夜间施工噪音" and order.content == "夜间施工噪音扰民"
    olds = [
        (e["field"], e["old"], e["value"])
        for e in Event.objects.filter(type="correct").order_by("seq").values_list("data", flat=True)
    ]
    assert olds == [
        ("category", "0301", "0501"),
        ("urgency", "normal", "urgent"),
        ("summary", "", "工地夜间施工噪音"),
    ]
    # The urgency counted the deadline again, as live work does: 24 hours from the sign-for.
    assert order.deadline.isoformat() == "2026-03-03T02:00:00+00:00"
    call = ThreeWayCall.objects.get()
    assert (call.note, call.outcome, call.called_at is not None) == ("上午", "reached", True)
    assert Contact.objects.get().way == "three_way"


def test_export_import_export_is_byte_identical_with_corrections(city, tmp_path):
    orders_import(path=_file(tmp_path / "in.jsonl", CORRECTED))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=first, **MARCH)
    line = json.loads(first.read_text())
    assert (line["category"], line["urgent"]) == ("0501", True)  # the corrected values
    corrections = [e for e in line["events"] if e["type"] == "correct"]
    assert corrections[0] == {
        "type": "correct",
        "at": "2026-03-02T10:10:00+08:00",
        "field": "category",
        "old": "0301",
        "value": "0501",
        "reason": "返工意见指出分类有误",
    }
    assert corrections[2]["old"] == ""  # an empty old value is written too
    # The corrected urgency's deadlines travel with it and are taken as written.
    assert (corrections[1]["old_deadline"], corrections[1]["deadline"]) == (
        "2026-03-16T23:59:59+08:00",
        "2026-03-03T10:00:00+08:00",
    )
    _imports_back_identical(first, second)
    assert Order.objects.get().deadline.isoformat() == "2026-03-03T02:00:00+00:00"


def test_an_imported_appeal_type_correction_counts_the_reply_days_again(city, tmp_path):
    line = _line(
        {
            "type": "correct",
            "at": T.format("11:00"),
            "field": "appeal_type",
            "value": "求助",
            "reason": "实为求助",
        }
    )
    orders_import(path=_file(tmp_path / "in.jsonl", line))
    # A complaint's 10 working days became a help request's 15, as live work counts them.
    assert Order.objects.get().deadline.isoformat() == "2026-03-23T15:59:59+00:00"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=first, **MARCH)
    (correction,) = [e for e in json.loads(first.read_text())["events"] if e["type"] == "correct"]
    assert (correction["old_deadline"], correction["deadline"]) == (
        "2026-03-16T23:59:59+08:00",
        "2026-03-23T23:59:59+08:00",
    )
    assert not correction.get("overdue")
    _imports_back_identical(first, second)


@pytest.mark.parametrize(
    ("event", "rule"),
    [
        (
            {"field": "category", "value": "不存在的分类", "reason": "x"},
            "事项分类「不存在的分类」不存在",
        ),
        ({"field": "content", "value": "改写", "reason": "x"}, "field 的值「content」无效"),
        ({"field": "category", "value": "噪音扰民"}, "缺少字段 reason"),
        ({"field": "urgency", "value": "normal", "reason": "x"}, "与原值相同"),
    ],
)
def test_a_bad_correction_line_is_refused_by_name(city, tmp_path, event, rule):
    bad = _line({"type": "correct", "at": T.format("10:10"), **event})
    with pytest.raises(LineError, match=rule):
        orders_import(path=_file(tmp_path / "in.jsonl", bad))
    assert not Order.objects.exists()
