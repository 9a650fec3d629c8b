"""The 2026-12 intake keys of SPEC 11 in the order history: disposition ``transferred``
with ``transferred_to``, the ``transfer`` and ``classify`` events, an online answer's
text and the ``police_110`` channel — imported, exported byte-identically, and refused
by name when wrong."""

import json
from datetime import date

import pytest

from hotline.domain.enums import EmergencyService
from hotline.interchange.order_lines import LineError
from hotline.orders.models import Assignment, Event, Order
from hotline.orders.selectors import order_state
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import

T = "2026-03-02T{}:00+08:00"
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def _line(number, **fields):
    return {
        "number": number,
        "channel": "phone",
        "received_at": T.format("09:00"),
        "appeal_type": "help",
        "content": "家门口有人打架",
        **fields,
    }


TRANSFERRED = _line(
    "20260000001",
    disposition="transferred",
    transferred_to="110",
    events=[{"type": "transfer", "at": T.format("09:01"), "to": "110", "note": "三方通话转110"}],
)
# An older system's file says only the outcome and the service.
TRANSFERRED_BARE = _line("20260000002", disposition="transferred", transferred_to="120")
REVIEWED = _line(
    "20260000003",
    channel="police_110",
    appeal_type="other",
    content="路灯不亮，110转来",
    category="0501",
    region="430304",
    address="书院路12号",
    disposition="dispatched",
    events=[
        {
            "type": "classify",
            "at": T.format("09:10"),
            "category": "0501",
            "region": "430304",
            "appeal_type": "complaint",
            "address": "书院路12号",
        },
        {"type": "dispatch", "at": T.format("09:11"), "unit": "U-YT"},
    ],
)
ANSWERED_ONLINE = _line(
    "20260000004",
    channel="website",
    disposition="answered",
    events=[{"type": "answer", "at": T.format("09:20"), "text": "路灯已报修，三日内修复。"}],
)


def _file(path, *orders):
    path.write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8"
    )
    return path


def test_the_intake_keys_import_and_export_byte_identically(city, tmp_path):
    orders_import(
        path=_file(tmp_path / "in.jsonl", TRANSFERRED, TRANSFERRED_BARE, REVIEWED, ANSWERED_ONLINE)
    )
    transferred, bare, reviewed, answered = Order.objects.order_by("number")
    assert (transferred.disposition, transferred.reject_reason) == ("transferred", "")
    assert order_state(bare).transferred_to is EmergencyService.AMBULANCE
    assert reviewed.channel == "police_110" and reviewed.lead_unit == city.district
    assert (
        Event.objects.get(order=answered, type="answer").data["text"] == "路灯已报修，三日内修复。"
    )

    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=first, **MARCH)
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    assert lines[0]["transferred_to"] == "110"
    assert lines[0]["events"] == TRANSFERRED["events"]
    assert lines[1]["events"][0]["to"] == "120"
    assert lines[2]["events"][0] == REVIEWED["events"][0]
    assert lines[3]["events"][0]["text"] == "路灯已报修，三日内修复。"

    for model in (Event, Assignment, Order):
        model.objects.all().delete()
    orders_import(path=first)
    orders_export(out=second, **MARCH)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (_line("20260000009", disposition="transferred", transferred_to="999"), "to 的值「999」"),
        (
            {**TRANSFERRED, "number": "20260000009", "transferred_to": "119"},
            "transferred_to 与即时转办事件",
        ),
        (
            _line(
                "20260000009",
                disposition="transferred",
                events=[{"type": "transfer", "at": T.format("09:01"), "to": "110"}],
            ),
            "缺少字段 note",
        ),
    ],
)
def test_a_bad_transfer_line_is_refused_by_name(city, tmp_path, line, rule):
    with pytest.raises(LineError, match=rule):
        orders_import(path=_file(tmp_path / "in.jsonl", line))
    assert not Order.objects.exists()
