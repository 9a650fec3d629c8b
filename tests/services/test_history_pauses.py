"""The interchange's pause keys (SPEC 11; SPEC 4 2026-12): `pause {reason}` and
`resume {}` still import; the optional `unit`, `until`, `approval` and the
`pause_decision` line import, export and import again byte for byte; a co-unit's pause
is refused with its line; an extension granted after the deadline stays overdue."""

import json
from datetime import date

import pytest

from hotline.interchange.order_lines import LineError
from hotline.orders.models import Assignment, Callback, Event, Extension, Order, Reply
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import
from tests.services.test_history_import import T, _file, _order


def _handled(*middle):
    return [
        {"type": "dispatch", "at": T.format("09:05"), "unit": "岳塘区", "co_units": ["中环水务"]},
        {"type": "sign", "at": T.format("10:00"), "unit": "U-YT"},
        *middle,
        {"type": "reply", "at": "2026-03-30T15:00:00+08:00", "unit": "U-YT", "text": "已责令停工"},
        {"type": "review", "at": "2026-03-30T16:00:00+08:00", "decision": "accept"},
    ]


LONG_PAUSE = [
    {
        "type": "pause",
        "at": T.format("11:00"),
        "reason": "等待司法鉴定结果",
        "unit": "U-YT",
        "until": "2026-03-27T23:59:59+08:00",
        "approval": True,
    },
    {"type": "pause_decision", "at": T.format("14:00"), "decision": "granted"},
    {"type": "resume", "at": "2026-03-20T09:00:00+08:00", "unit": "U-YT"},
]


def test_the_new_keys_round_trip_and_the_old_lines_still_import(city, tmp_path):
    old = [
        {"type": "pause", "at": T.format("11:00"), "reason": "等待市民补充材料"},
        {"type": "resume", "at": T.format("15:00")},
    ]
    source = _file(
        tmp_path,
        _order(disposition="dispatched", events=_handled(*LONG_PAUSE)),
        _order(disposition="dispatched", events=_handled(*old), received_at=T.format("09:01")),
    )
    orders_import(path=source)
    decision = Event.objects.get(type="pause_decision")
    assert decision.data == {"decision": "granted"}
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(start=date(2026, 3, 1), end=date(2026, 3, 31), out=first)
    written = [json.loads(line) for line in first.read_text().splitlines()]
    pause = next(e for e in written[0]["events"] if e["type"] == "pause")
    assert (pause["unit"], pause["approval"]) == ("U-YT", True)
    assert next(e for e in written[1]["events"] if e["type"] == "pause") == old[0]
    Event.objects.all().delete()
    for model in (Assignment, Reply, Callback, Extension):
        model.objects.all().delete()
    Order.objects.all().delete()
    orders_import(path=first)
    orders_export(start=date(2026, 3, 1), end=date(2026, 3, 31), out=second)
    assert first.read_bytes() == second.read_bytes()


def test_a_co_units_pause_in_a_file_is_refused_with_its_line(city, tmp_path):
    bad = [{"type": "pause", "at": T.format("11:00"), "reason": "等待", "unit": "U-ZHSW"}]
    with pytest.raises(LineError, match="只有主办单位可以暂停或恢复计时"):
        orders_import(path=_file(tmp_path, _order(events=_handled(*bad))))
    assert not Order.objects.exists()


def test_an_imported_extension_granted_after_the_deadline_stays_overdue(city, tmp_path):
    late = [
        {
            "type": "extension",
            "at": "2026-03-20T09:00:00+08:00",  # the deadline was 03-16 23:59:59
            "unit": "U-YT",
            "until": "2026-04-10T23:59:59+08:00",
            "reason": "需协调多部门",
            "decision": "granted",
        }
    ]
    orders_import(path=_file(tmp_path, _order(events=_handled(*late))))
    order = Order.objects.get()
    assert order.status == "concluded" and order.on_time is False
