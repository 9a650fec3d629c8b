"""``hotline import calls``: a file in the telephony system's usual form goes to COPY as
it is; every other file, and every refusal, is read line by line with the same result."""

import io
import json

import pytest

from hotline.calls import services
from hotline.calls.models import Call
from hotline.calls.services import calls_import
from hotline.interchange import call_records
from hotline.interchange.call_records import (
    CSV_HEADER,
    CallLineError,
    NotCopyForm,
    copy_blocks,
)

LINES = [
    "C1,2026-11-01T08:00:05+08:00,13800000001,true,A01,5,120",
    "C2,2026-11-01T08:01:00+08:00,13800000002,0,,31,",
    "C3,2026-11-01T00:00:00.25Z,110,yes,A\\02,,7",
    "C4,1900-01-01T00:00:00-14:59,1,no,,,",
]
FIELDS = ("id", "started_at", "caller", "answered", "agent", "wait_seconds", "talk_seconds")


def _csv(tmp_path, lines, name="calls.csv"):
    path = tmp_path / name
    path.write_bytes(CSV_HEADER + "".join(f"{line}\n" for line in lines).encode())
    return path


def _stored():
    # The columns the line-by-line path writes, in its order.
    return list(Call.objects.order_by("external_id").values_list(*services.COLUMNS))


def test_a_file_copied_as_it_is_stores_what_reading_it_line_by_line_stores(db, tmp_path):
    assert calls_import(path=_csv(tmp_path, LINES)) == 4
    copied = _stored()
    Call.objects.all().delete()
    jsonl = tmp_path / "calls.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps(dict(zip(FIELDS, line.split(","), strict=True))) + "\n" for line in LINES
        )
    )
    assert calls_import(path=jsonl) == 4
    assert copied == _stored()
    assert [row[7] for row in copied] == ["ended", "missed", "ended", "missed"]
    assert copied[1][4:7] == ("", 31, None)


def test_on_postgresql_such_a_file_is_not_read_line_by_line(on_postgres, db, tmp_path, monkeypatch):
    def unused(*args, **kwargs):
        raise AssertionError("read line by line")

    monkeypatch.setattr(services, "read_calls", unused)
    monkeypatch.setattr(call_records, "BLOCK_BYTES", 50)  # lines cut across blocks
    assert calls_import(path=_csv(tmp_path, LINES)) == 4
    assert Call.objects.count() == 4


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("C1,2026-11-02T08:00:00+08:00,13800000003,true,A01,5,60", "line 6: 来电编号 C1 与 line 2"),
        ("C9,2026-02-30T08:00:00+08:00,13800000003,true,A01,5,60", "line 6: 来电时间「2026-02-30"),
        ("C9,2026-11-02T08:00:00+08:00,13800000003,maybe,A01,5,60", "line 6: answered 只能是"),
        ("C9,2026-11-02T08:00:00,13800000003,true,A01,5,60", "line 6: 来电时间缺少时区偏移"),
        ("C9,2026-11-02T08:00:00+08:00,13800000003,true,A01,5,99999999999", "line 6: talk_seconds"),
        ("C9,2026-11-02T08:00:00+08:00,,true,A01,5,60", "line 6: 缺少字段 caller"),
    ],
)
def test_a_refused_line_is_named_and_nothing_is_written(db, tmp_path, line, message):
    with pytest.raises(CallLineError, match=message):
        calls_import(path=_csv(tmp_path, [*LINES, line]))
    assert Call.objects.count() == 0


def test_an_id_already_imported_is_named_with_its_line(db, tmp_path):
    calls_import(path=_csv(tmp_path, LINES[:1]))
    with pytest.raises(CallLineError, match="line 3: 来电编号 C1 已导入过"):
        calls_import(path=_csv(tmp_path, [LINES[1], LINES[0]], name="again.csv"))
    assert Call.objects.count() == 1


@pytest.mark.parametrize(
    "text",
    [
        b"id,caller,started_at,answered\nC1,1,2026-11-01T08:00:05+08:00,true\n",  # other columns
        CSV_HEADER + b"C1,2026-11-01T08:00:05+08:00,1,true,A01,5,120\r\n",  # CRLF
        CSV_HEADER + b'"C1",2026-11-01T08:00:05+08:00,1,true,A01,5,120\n',  # quoted
        CSV_HEADER + b"C1,2026-11-01T08:00:05+08:00,1,TRUE,A01,5,120\n",  # capitals
        CSV_HEADER + b"C1,2026-11-01 08:00:05+08:00,1,true,A01,5,120\n",  # a space
        CSV_HEADER + "C1,2026-11-01T08:00:05+08:00,１,true,A01,5,120\n".encode(),  # full width
        CSV_HEADER + b"C1,2026-11-01T08:00:05+08:00,1,true,A01,5,120\n\n",  # a blank line
        CSV_HEADER + b"C1,2026-11-01T08:00:05+08:00,1,true,A01,5,1234567890\n",  # ten digits
        CSV_HEADER + b"C1,2026-11-01T08:00:05+08:00,1,true,A01,5\n",  # a column short
    ],
)
def test_only_values_already_in_their_stored_form_are_copied_as_they_are(text):
    with pytest.raises(NotCopyForm):
        list(copy_blocks(io.BytesIO(text)))


def test_copy_blocks_mark_each_line_with_its_status_and_keep_the_rest():
    text = b"\xef\xbb\xbf" + CSV_HEADER + b"\n".join(line.encode() for line in LINES)
    assert b"".join(copy_blocks(io.BytesIO(text))).decode().splitlines() == [
        f"{status},,,,{line}"
        for status, line in zip(["ended", "missed", "ended", "missed"], LINES, strict=True)
    ]


def _indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'calls_call'")
        return sorted(row[0] for row in cursor.fetchall())


def test_a_first_load_stores_the_same_and_leaves_every_index(on_postgres, db, tmp_path):
    indexes = _indexes()
    assert calls_import(path=_csv(tmp_path, LINES)) == 4
    plain = _stored()
    Call.objects.all().delete()
    assert calls_import(path=_csv(tmp_path, LINES), exclusive=True) == 4
    assert _stored() == plain
    assert _indexes() == indexes


def test_a_refused_first_load_writes_nothing_and_keeps_the_indexes(on_postgres, db, tmp_path):
    indexes = _indexes()
    repeated = [*LINES, LINES[0]]
    with pytest.raises(CallLineError, match="line 6: 来电编号 C1 与 line 2 重复"):
        calls_import(path=_csv(tmp_path, repeated), exclusive=True)
    assert Call.objects.count() == 0
    assert _indexes() == indexes
