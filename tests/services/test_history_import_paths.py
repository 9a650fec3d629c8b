"""History import's fast paths write exactly what the plain path writes.

A first load into an empty database builds indexes and foreign keys after the rows
(and on PostgreSQL copies them frozen into truncated tables); large files are replayed
in worker processes; rows are formatted there for COPY or executemany. Each of these is
checked here against the incremental, in-process path, on a generated history plus an
order whose texts need escaping.
"""

import json
from datetime import date

import pytest
from django.db import connection

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.event_chain import canonical_json
from hotline.domain.events import EVENT_TYPES
from hotline.domain.serialization import to_json
from hotline.interchange.order_lines import LineError, read_order
from hotline.orders import history_rows
from hotline.orders.models import (
    Assignment,
    Callback,
    Citizen,
    Event,
    Extension,
    Instruction,
    Order,
    OrderSequence,
    Reply,
    Supervision,
    Violation,
)
from hotline.orders.services import history_import
from hotline.orders.services.history_export import orders_export
from hotline.orders.services.history_import import TABLES, orders_import
from tests.conftest import local

WINDOW = {"start": date(2024, 1, 1), "end": date(2025, 12, 31)}
# Texts that COPY and JSON must escape: tab, newline, carriage return, backslash, quotes.
AWKWARD = "第一行\t制表\n第二行\r\n反斜杠 \\ 与 \\N、引号 \" 和 ' {花括号}"


@pytest.fixture
def history(db, tmp_path):
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=1,
        seed=7,
        out=tmp_path,
        orders_per_month=1200,
    )
    path = tmp_path / "orders.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    awkward = json.loads(lines[0])
    awkward.pop("number", None)  # numbered on import
    awkward.update(content=AWKWARD, address="书院路\\12号\t", tags=["文明\t创建"])
    awkward["citizen"] = {"name": "王\\先生", "phone": "13900000000"}
    path.write_text("\n".join([*lines, json.dumps(awkward, ensure_ascii=False)]) + "\n")
    return path


def _empty_orders():
    for model in (Event, Assignment, Reply, Callback, Extension, Supervision, Instruction):
        model.objects.all().delete()
    Violation.objects.all().delete()
    Order.tags.through.objects.all().delete()
    Order.objects.filter(merged_into__isnull=False).delete()
    Order.objects.filter(split_from__isnull=False).delete()
    Order.objects.all().delete()
    Citizen.objects.all().delete()
    OrderSequence.objects.all().delete()  # so that numbering starts over as in a new database


def _snapshot() -> dict[str, list]:
    """Every row the import writes, with ids replaced by what they stand for."""
    numbers = dict(Order.objects.values_list("id", "number"))
    citizens = {c.pk: (c.name, c.phone, c.id_number, c.kind) for c in Citizen.objects.all()}

    def rows(model, *leave_out):
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in {"id", "recorded_at", "created_at", *leave_out}
        ]
        out = []
        for values in model.objects.values(*names):
            for key in ("order_id", "merged_into_id", "split_from_id"):
                if key in values and values[key] is not None:
                    values[key] = numbers[values[key]]
            if values.get("citizen_id") is not None:
                values["citizen_id"] = citizens[values["citizen_id"]]
            out.append(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False))
        return sorted(out)

    snapshot = {
        model.__name__: rows(model)
        for model in (Order, Event, Assignment, Reply, Callback, Extension, Supervision)
    }
    snapshot |= {model.__name__: rows(model) for model in (Instruction, Violation)}
    snapshot["citizens"] = sorted(citizens.values())
    snapshot["tags"] = sorted(
        (numbers[o], name)
        for o, name in Order.tags.through.objects.values_list("order_id", "tag__name")
    )
    return snapshot


def _schema() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return {table: connection.introspection.get_constraints(cursor, table) for table in TABLES}


def _plain(monkeypatch):
    monkeypatch.setattr(history_import, "FIRST_LOAD_FROM", 10**9)
    monkeypatch.setattr(history_import, "PARALLEL_FROM", 10**9)


def _fast(monkeypatch):
    monkeypatch.setattr(history_import, "FIRST_LOAD_FROM", 1)
    monkeypatch.setattr(history_import, "PARALLEL_FROM", 1)
    monkeypatch.setattr(history_import, "CHUNK", 500)  # several chunks through the workers


def test_the_first_load_and_the_workers_write_what_the_plain_path_writes(
    history, tmp_path, monkeypatch
):
    schema = _schema()
    _fast(monkeypatch)
    fast = orders_import(path=history, exclusive=True)
    assert fast.orders == len(history.read_text().splitlines())
    assert fast.first_load
    fast_rows = _snapshot()
    assert _schema() == schema  # every index and constraint is back
    first = tmp_path / "first.jsonl"
    orders_export(out=first, **WINDOW)

    _empty_orders()
    _plain(monkeypatch)
    plain = orders_import(path=first)
    assert _snapshot() == fast_rows
    assert dict(plain.counts) == dict(fast.counts) and plain.rows == fast.rows
    second = tmp_path / "second.jsonl"
    orders_export(out=second, **WINDOW)
    assert first.read_bytes() == second.read_bytes()
    assert json.dumps(AWKWARD, ensure_ascii=False)[1:-1] in first.read_text(encoding="utf-8")


def test_the_import_reports_its_rows_chunk_by_chunk_then_each_stage_after_them(
    history, monkeypatch
):
    _fast(monkeypatch)
    lines = len(history.read_text(encoding="utf-8").splitlines())
    seen = []
    result = orders_import(
        path=history,
        exclusive=True,
        progress=lambda r: seen.append((r.stage, r.orders, r.lines, r.rows)),
    )
    writing = [orders for stage, orders, *_ in seen if stage == history_import.WRITING]
    assert writing == [*range(500, lines, 500), lines]  # a chunk is 500 orders here
    assert {whole for _, _, whole, _ in seen} == {lines}
    after = [stage for stage, *_ in seen[len(writing) :]]
    analysing = [history_import.ANALYSING] if connection.vendor == "postgresql" else []
    assert after == [history_import.REBUILDING, *analysing]
    assert {rows for *_, rows in seen[len(writing) - 1 :]} == {result.rows}


def test_a_refused_first_load_leaves_tables_indexes_and_constraints_as_they_were(
    history, monkeypatch
):
    schema = _schema()
    _fast(monkeypatch)
    lines = history.read_text(encoding="utf-8").splitlines()
    lines[-300] = lines[-300].replace('"channel":"', '"channel":"x', 1)
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LineError, match=f"^line {len(lines) - 299}: channel 的值"):
        orders_import(path=history, exclusive=True)
    assert not Order.objects.exists() and not Event.objects.exists()
    assert _schema() == schema


def test_an_import_into_a_database_with_orders_adds_to_them(history, tmp_path, monkeypatch):
    _fast(monkeypatch)
    lines = history.read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    (tmp_path / "a.jsonl").write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(lines[half:]) + "\n", encoding="utf-8")
    assert orders_import(path=tmp_path / "a.jsonl", exclusive=True).first_load
    # Not: the orders table has rows.
    assert not orders_import(path=tmp_path / "b.jsonl", exclusive=True).first_load
    in_two = _snapshot()
    _empty_orders()
    orders_import(path=history)
    assert _snapshot() == in_two


def test_state_and_event_json_match_the_domain_serialisation(history):
    context = history_import._context()
    seen = set()
    for number, text in enumerate(history.read_text(encoding="utf-8").splitlines(), start=1):
        order = read_order(text, number, context.lookups)
        for _, event, state in order.steps:
            seen.add(event.type)
            # Stored and chained: the canonical JSON of the value, exactly.
            assert history_rows.event_data_json(event) == canonical_json(event.to_data())
            assert json.dumps(json.loads(history_rows.state_json(state))) == json.dumps(
                to_json(state)
            )
    assert {"dispatch", "sign", "reply", "review", "callback", "close"} <= seen
    # And every kind of event, as it comes with its defaults.
    for kind in EVENT_TYPES.values():
        event = kind(at=local(2026, 3, 2, 9))
        assert history_rows.event_data_json(event) == canonical_json(event.to_data())


@pytest.mark.parametrize(
    "text", ["plain", "tab\there", "new\nline", "back\\slash", "\\N", "cr\r", "全角\t\\\n"]
)
def test_copy_text_escapes_what_copy_reads_specially(text):
    escaped = history_rows.copy_text(text)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    unescaped = (
        escaped.replace("\\\\", "\0").replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")
    ).replace("\0", "\\")
    assert unescaped == text
