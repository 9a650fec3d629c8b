"""SPEC 11 (2026-12): supervision `deadline`, `supervision_reply`, the escalation and
`violation {kind, unit, outcome?}` import and export; older files still import; export →
import → export stays byte-identical."""

import json
from datetime import date

from hotline.attachments.models import Attachment
from hotline.orders.models import (
    Assignment,
    Callback,
    Event,
    Extension,
    Order,
    Reply,
    Supervision,
    Violation,
)
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import
from tests.services.test_history_import import T, _file, _order

EVENTS = [
    {"type": "dispatch", "at": T.format("09:05"), "unit": "U-YT"},
    {"type": "sign", "at": T.format("10:00"), "unit": "U-YT"},
    {
        "type": "supervision",
        "at": T.format("10:30"),
        "level": "normal",
        "note": "请加快办理",
        "deadline": "2026-03-03T23:59:59+08:00",
    },
    {
        "type": "supervision_escalation",
        "at": "2026-03-04T09:00:00+08:00",
        "level": "yellow",
        "unit": "U-YT",
        "deadline": "2026-03-06T23:59:59+08:00",
    },
    {
        "type": "supervision_reply",
        "at": "2026-03-05T09:00:00+08:00",
        "unit": "U-YT",
        "text": "已责令施工方停止夜间施工",
    },
    {"type": "reply", "at": "2026-03-05T10:00:00+08:00", "unit": "U-YT", "text": "已转交处理"},
    {"type": "review", "at": "2026-03-05T11:00:00+08:00", "decision": "accept"},
    {
        "type": "violation",
        "at": "2026-03-05T11:00:00+08:00",
        "kind": "forwarding",
        "unit": "U-YT",
        "note": "答复仅转交",
    },
    {
        "type": "violation",
        "at": "2026-03-05T11:30:00+08:00",
        "kind": "虚报瞒报办理结果",
        "unit": "U-YT",
        "outcome": "通报批评",
    },
    {
        "type": "violation_outcome",
        "at": "2026-03-06T09:00:00+08:00",
        "kind": "forwarding",
        "unit": "U-YT",
        "outcome": "criticism",
    },
    {"type": "callback", "at": "2026-03-06T10:00:00+08:00", "result": "satisfied"},
    {"type": "close", "at": "2026-03-06T10:05:00+08:00"},
]


def _clear():
    Event.objects.all().delete()
    Attachment.objects.all().delete()
    for model in (Assignment, Reply, Callback, Extension, Supervision, Violation):
        model.objects.all().delete()
    Order.tags.through.objects.all().delete()
    Order.objects.all().delete()


def test_the_new_keys_import_into_records(city, tmp_path):
    orders_import(path=_file(tmp_path, _order(events=EVENTS)))
    first, second = Supervision.objects.order_by("at", "pk")
    assert (first.level, first.superseded_at is not None, first.answered_at) == (
        "normal",
        True,
        None,
    )
    assert second.escalated and second.level == "yellow"
    assert second.answer == "已责令施工方停止夜间施工" and second.unit.code == "U-YT"
    outcomes = dict(Violation.objects.values_list("kind", "outcome"))
    assert outcomes == {"forwarding": "criticism", "false_result": "public_criticism"}


def test_a_file_without_the_new_keys_still_imports(city, tmp_path):
    old = [e for e in EVENTS if e["type"] not in {"supervision_escalation", "supervision_reply"}]
    old = [e for e in old if not e["type"].startswith("violation")]
    old[2] = {k: v for k, v in old[2].items() if k != "deadline"}
    orders_import(path=_file(tmp_path, _order(events=old)))
    supervision = Supervision.objects.get()
    assert supervision.deadline is None and supervision.unit is None  # asked no answer
    state = Order.objects.get().state
    assert state["supervision_unit"] is None


def test_export_import_export_is_byte_identical_with_the_new_keys(city, tmp_path):
    orders_import(path=_file(tmp_path, _order(events=EVENTS)))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    window = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    orders_export(out=first, **window)
    written = {e["type"]: e for e in json.loads(first.read_text())["events"]}
    assert written["supervision"]["deadline"] == "2026-03-03T23:59:59+08:00"
    assert written["supervision_reply"] == EVENTS[4]
    assert written["violation_outcome"]["outcome"] == "criticism"
    _clear()
    orders_import(path=first)
    orders_export(out=second, **window)
    assert first.read_bytes() == second.read_bytes()


def test_an_answer_by_another_unit_is_refused_naming_the_line(city, tmp_path):
    import pytest

    from hotline.interchange.order_lines import LineError

    events = [dict(e) for e in EVENTS]
    events[4]["unit"] = "U-YH"
    with pytest.raises(LineError) as refused:
        orders_import(path=_file(tmp_path, _order(events=events)))
    assert "line 1" in refused.value.message and "不是被督办单位" in refused.value.message
    assert Order.objects.count() == 0
