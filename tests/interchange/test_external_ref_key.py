"""SPEC 11 (2026-12): ``external_ref``, the province platform's own order number, in the
order history: imported, exported byte-identically, one order per number and channel."""

import json
from datetime import date

import pytest

from hotline.interchange.order_lines import LineError
from hotline.orders.models import Event, Order
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def _order(number, *, channel="province_platform", external_ref=None):
    line = {
        "number": number,
        "channel": channel,
        "received_at": "2026-03-02T09:00:00+08:00",
        "appeal_type": "consult",
        "content": "社保卡补办需要哪些材料",
        "disposition": "answered",
        "events": [],
    }
    if external_ref is not None:
        line["external_ref"] = external_ref
    return line


def _file(path, *orders):
    path.write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8"
    )
    return path


def test_the_reference_is_kept_and_round_trips_byte_for_byte(city, tmp_path):
    orders_import(
        path=_file(
            tmp_path / "in.jsonl",
            _order("20260000001", external_ref="HN20260302000123"),
            _order("20260000002"),  # older files have no reference
            # Another channel may use the same number for its own order.
            _order("20260000003", channel="governor_mailbox", external_ref="HN20260302000123"),
        )
    )
    assert dict(Order.objects.values_list("number", "external_ref")) == {
        "20260000001": "HN20260302000123",
        "20260000002": "",
        "20260000003": "HN20260302000123",
    }
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=first, **MARCH)
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    assert [line.get("external_ref") for line in lines] == [
        "HN20260302000123",
        None,
        "HN20260302000123",
    ]
    Event.objects.all().delete()
    Order.objects.all().delete()
    orders_import(path=first)
    orders_export(out=second, **MARCH)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("stored_first", [False, True])
def test_a_reference_given_twice_is_refused_by_line(city, tmp_path, stored_first):
    first = _order("20260000001", external_ref="HN1")
    again = _order("20260000002", external_ref="HN1")
    if stored_first:
        orders_import(path=_file(tmp_path / "first.jsonl", first))
        with pytest.raises(LineError, match="外部工单号 HN1 已登记为工单 20260000001"):
            orders_import(path=_file(tmp_path / "in.jsonl", again))
        assert Order.objects.count() == 1
    else:
        with pytest.raises(LineError, match="外部工单号 HN1 与第 1 行重复"):
            orders_import(path=_file(tmp_path / "in.jsonl", first, again))
        assert not Order.objects.exists()
