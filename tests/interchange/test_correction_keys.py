"""SPEC 11 (2026-12): ``correct {field, value, reason}`` and the three-way call in the
order history — imported (the order's fields end corrected), exported with the old value,
and export → import → export is byte-identical."""

import json
from datetime import date

import pytest

from hotline.interchange.order_lines import LineError
from hotline.orders.models import (
    Assignment,
    Contact,
    Event,
    Order,
    Reply,
    ThreeWayCall,
)
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import

T = "2026-03-02T{}:00+08:00"
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


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


def _file(path, *orders):
    path.write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8"
    )
    return path


def _empty():
    Event.objects.all().delete()
    for model in (Assignment, Reply, Contact, ThreeWayCall):
        model.objects.all().delete()
    Order.objects.all().delete()


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
    _empty()
    orders_import(path=first)
    orders_export(out=second, **MARCH)
    assert first.read_bytes() == second.read_bytes()


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
