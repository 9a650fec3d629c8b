"""A generated history, imported, exported, imported into an empty database and exported
again, gives byte-identical files (SPEC 11), over every event type the format knows."""

import json
from datetime import date

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.orders.models import (
    Assignment,
    Callback,
    Event,
    Extension,
    Instruction,
    Order,
    Reply,
    Supervision,
    Violation,
)
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import orders_import

SPEC_EVENT_TYPES = {
    "dispatch", "sign", "return", "return_review", "redispatch", "extension", "pause",
    "resume", "reply", "review", "callback", "spot_check", "appeal", "supervision", "close",
}  # fmt: skip


def _empty_orders():
    for model in (Event, Assignment, Reply, Callback, Extension, Supervision, Instruction):
        model.objects.all().delete()
    Violation.objects.all().delete()
    Order.tags.through.objects.all().delete()
    Order.objects.filter(merged_into__isnull=False).delete()
    Order.objects.filter(split_from__isnull=False).delete()
    Order.objects.all().delete()


def test_generated_history_round_trips_byte_for_byte(db, tmp_path):
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=2,
        seed=2025,
        out=tmp_path,
        orders_per_month=1500,
    )
    source = tmp_path / "orders.jsonl"
    result = orders_import(path=source)
    assert result.orders == len(source.read_text().splitlines())

    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    window = {"start": date(2024, 1, 1), "end": date(2025, 12, 31)}
    assert orders_export(out=first, **window) == result.orders
    types = {e["type"] for line in first.open() for e in json.loads(line)["events"]}
    assert types >= SPEC_EVENT_TYPES, SPEC_EVENT_TYPES - types

    _empty_orders()
    orders_import(path=first)
    orders_export(out=second, **window)
    assert first.read_bytes() == second.read_bytes()
