"""History import (SPEC 11): every refusal names its line and leaves the database as it was."""

import json

import pytest

from hotline.calls.models import Call
from hotline.calls.services import calls_import
from hotline.interchange.call_records import CallLineError
from hotline.interchange.order_lines import LineError
from hotline.orders.models import (
    Assignment,
    Callback,
    Citizen,
    Event,
    Extension,
    Order,
    OrderSequence,
    Reply,
)
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import

T = "2026-03-02T{}:00+08:00"


def _order(**changes):
    order = {
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
            {"type": "sign", "at": T.format("10:00"), "unit": "U-YT"},
            {"type": "reply", "at": T.format("15:00"), "unit": "U-YT", "text": "已责令停工"},
            {"type": "review", "at": T.format("16:00"), "decision": "accept"},
            {"type": "callback", "at": T.format("17:00"), "result": "satisfied"},
            {"type": "close", "at": T.format("17:05")},
        ],
    }
    order.update(changes)
    return order


def _file(tmp_path, *orders):
    path = tmp_path / "orders.jsonl"
    path.write_text(
        "".join(
            (o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in orders
        ),
        encoding="utf-8",
    )
    return path


def _tables():
    return tuple(
        m.objects.count()
        for m in (Order, Event, Assignment, Reply, Callback, Extension, Citizen, OrderSequence)
    )


def _with_event(index, **changes):
    order = _order()
    order["events"][index] = {**order["events"][index], **changes}
    return order


REFUSALS = [
    ("not json", "{oops", "不是合法的 JSON"),
    ("unknown unit", _with_event(0, unit="火星局"), "单位「火星局」不存在"),
    ("unknown category", _order(category="不存在的分类"), "事项分类「不存在的分类」不存在"),
    ("unknown region", _order(region="999"), "区划「999」不存在"),
    ("missing content", {k: v for k, v in _order().items() if k != "content"}, "缺少字段 content"),
    ("bad enum", _order(channel="pigeon"), "channel 的值「pigeon」无效"),
    ("malformed time", _with_event(1, at="2026-03-02 at ten"), "不是合法的 ISO 8601"),
    ("time without offset", _order(received_at="2026-03-02T09:00:00"), "缺少时区偏移"),
    ("forbidden event", _with_event(1, type="reply", text="x"), "不能执行「答复」"),
    ("not the lead", _with_event(2, unit="U-YH"), "不是该工单的主办单位"),
    ("out of time order", _with_event(1, at=T.format("08:00")), "早于上一步"),
    ("unknown event type", _with_event(5, type="teleport"), "类型「teleport」未知"),
    ("disposition mismatch", _order(disposition="answered"), "不能执行「转办」"),
    ("rejected without reason", _order(disposition="rejected", events=[]), "缺少字段 reason"),
    ("bad number", _order(number="2026-1"), "工单编号「2026-1」格式不正确"),
    ("name too long", _order(citizen={"name": "王" * 51}), "name 过长（最多 50 个字符"),
    ("address too long", _order(address="路" * 201), "address 过长（最多 200 个字符"),
    ("call id too long", _order(call_id="c" * 41), "call_id 过长（最多 40 个字符"),
]


@pytest.mark.parametrize(
    ("bad", "rule"), [(b, r) for _, b, r in REFUSALS], ids=[name for name, _, _ in REFUSALS]
)
def test_a_bad_line_refuses_the_whole_file_and_names_the_line(city, tmp_path, bad, rule):
    good = _order(number="20260000007")
    path = _file(tmp_path, good, _order(), bad)
    before = _tables()
    with pytest.raises(LineError) as refused:
        orders_import(path=path)
    assert refused.value.message.startswith("line 3: "), refused.value.message
    assert rule in refused.value.message, refused.value.message
    assert _tables() == before


def test_a_number_already_in_the_database_or_the_file_is_refused(city, tmp_path):
    orders_import(path=_file(tmp_path, _order(number="20260000100")))
    with pytest.raises(LineError, match="line 1: 工单编号 20260000100 已存在"):
        orders_import(path=_file(tmp_path, _order(number="20260000100")))
    twice = _file(tmp_path, _order(number="20260000200"), _order(number="20260000200"))
    with pytest.raises(LineError, match="line 2: 工单编号 20260000200 已存在"):
        orders_import(path=twice)


def test_a_merge_must_name_an_order_that_exists(city, tmp_path):
    merged = _order(disposition="merged", merged_into="20269999999", events=[])
    with pytest.raises(LineError, match="line 1: 并入的工单 20269999999 不存在"):
        orders_import(path=_file(tmp_path, merged))


def test_imported_state_and_records_equal_live_work(city, tmp_path):
    result = orders_import(path=_file(tmp_path, _order(number="20260000042"), _order()))
    assert result.orders == 2
    first, second = Order.objects.order_by("id")
    assert first.number == "20260000042" and second.number == "20260000043"
    assert first.status == "closed" and first.lead_unit == city.district and first.on_time
    assert first.citizen == second.citizen  # a repeat caller, recognised by phone
    # The sign event kept no deadline, so the current policy set it (complaint: 10 days).
    assert first.deadline.isoformat() == "2026-03-16T15:59:59+00:00"
    assert Reply.objects.get(order=first).decision == "accept"
    assert Callback.objects.get(order=first).unit == city.district
    assert Assignment.objects.get(order=first).role == "lead"
    assert list(Event.objects.filter(order=first).values_list("type", flat=True)) == [
        "register", "dispatch", "sign", "reply", "review", "callback", "close",
    ]  # fmt: skip
    # Live intake carries on after the imported numbers.
    assert OrderSequence.objects.get(year=2026).last == 43


def test_export_then_import_then_export_is_byte_identical(city, tmp_path):
    from datetime import date

    source = _file(
        tmp_path,
        _order(number="20260000001", tags=["文明创建"], urgent=True),
        _order(disposition="answered", events=[], received_at=T.format("10:00")),
        _order(
            disposition="rejected", reject_reason="vague", events=[], received_at=T.format("11:00")
        ),
    )
    orders_import(path=source)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(start=date(2026, 3, 1), end=date(2026, 3, 31), out=first)
    Event.objects.all().delete()
    for model in (Assignment, Reply, Callback, Extension):
        model.objects.all().delete()
    Order.tags.through.objects.all().delete()
    Order.objects.all().delete()
    orders_import(path=first)
    orders_export(start=date(2026, 3, 1), end=date(2026, 3, 31), out=second)
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text().splitlines()) == 3


def test_call_records_are_imported_whole_or_not_at_all(db, tmp_path):
    good = tmp_path / "calls.csv"
    good.write_text(
        "id,started_at,caller,answered,agent,wait_seconds,talk_seconds\n"
        "C1,2018-12-01T08:00:05+08:00,13800000001,true,A01,5,120\n"
        "C2,2018-12-01T08:01:00+08:00,13800000002,0,,31,\n"
    )
    assert calls_import(path=good) == 2
    assert Call.objects.get(external_id="C2").answered is False
    bad = tmp_path / "more.jsonl"
    bad.write_text(
        '{"id": "C3", "started_at": "2018-12-01T09:00:00+08:00", "caller": "1", "answered": 1}\n'
        '{"id": "C4", "started_at": "yesterday", "caller": "2", "answered": true}\n'
    )
    with pytest.raises(CallLineError, match="line 2: 来电时间「yesterday」"):
        calls_import(path=bad)
    again = tmp_path / "again.csv"
    again.write_text("id,started_at,caller,answered\nC1,2018-12-02T08:00:00+08:00,1,true\n")
    with pytest.raises(CallLineError, match="line 2: 来电编号 C1 已导入过"):
        calls_import(path=again)
    assert Call.objects.count() == 2
