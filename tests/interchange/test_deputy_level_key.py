"""SPEC 7 (2026-12): ``deputy_level`` in the order history: imported, exported
byte-identically; files from before levels have none; a level on another channel is
refused by line."""

import json

import pytest

from hotline.interchange.order_lines import LineError
from hotline.orders.models import Event, Order
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import
from tests.interchange.test_external_ref_key import MARCH, _file, _order


def _deputy(number, level=None, *, channel="npc_deputy_line"):
    line = _order(number, channel=channel)
    if level is not None:
        line["deputy_level"] = level
    return line


def test_the_level_is_kept_and_round_trips_byte_for_byte(city, tmp_path):
    orders_import(
        path=_file(
            tmp_path / "in.jsonl",
            _deputy("20260000001", "national"),
            _deputy("20260000002", "乡镇人大代表"),  # by the Chinese name
            _deputy("20260000003"),  # from before levels were recorded
        )
    )
    assert dict(Order.objects.values_list("number", "deputy_level")) == {
        "20260000001": "national",
        "20260000002": "township",
        "20260000003": "",
    }
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    orders_export(out=first, **MARCH)
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    assert [line.get("deputy_level") for line in lines] == ["national", "township", None]
    Event.objects.all().delete()
    Order.objects.all().delete()
    orders_import(path=first)
    orders_export(out=second, **MARCH)
    assert first.read_bytes() == second.read_bytes()


def test_a_level_on_another_channel_is_refused_by_line(city, tmp_path):
    with pytest.raises(
        LineError, match="line 2: deputy_level 只有人大代表专席的工单登记人大代表级别"
    ):
        orders_import(
            path=_file(
                tmp_path / "in.jsonl",
                _deputy("20260000001", "county"),
                _deputy("20260000002", "county", channel="phone"),
            )
        )
    assert not Order.objects.exists()
