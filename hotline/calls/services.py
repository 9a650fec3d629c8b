"""Importing call records; a file goes in whole or not at all."""

from collections.abc import Sequence
from pathlib import Path

from django.db import DataError, IntegrityError, connection, transaction

from hotline.calls.models import Call
from hotline.domain.errors import DomainError
from hotline.interchange.call_records import (
    COPY_COLUMNS,
    CallLineError,
    CallRecord,
    NotCopyForm,
    copy_blocks,
    read_calls,
)
from hotline.orders.bulk import Loader

BATCH = 5000
COLUMNS = (
    "external_id",
    "started_at",
    "caller",
    "answered",
    "agent",
    "wait_seconds",
    "talk_seconds",
    "status",
    "callee",
    "queue",
    "recording",
)
# Text columns whose empty CSV value is '' rather than NULL.
NOT_NULL_TEXT = ("agent", "callee", "queue", "recording")


class CallImportError(DomainError):
    code = "call_import_error"


def calls_import(*, path: Path, exclusive: bool = False) -> int:
    """``exclusive``: nobody uses the database meanwhile (no switch reports calls), so a
    file in COPY's form going into an empty call table may take the first-load path: the
    table locked until the commit, its secondary indexes built once at the end."""
    json_lines = path.suffix.lower() in (".jsonl", ".json")
    if not json_lines and connection.vendor == "postgresql":
        copied = _copy_as_is(path, exclusive=exclusive)
        if copied is not None:
            return copied
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CallImportError(f"无法读取 {path}：{error}") from None
    return calls_record(records=list(read_calls(text, json_lines=json_lines)))


def _copy_as_is(path: Path, *, exclusive: bool) -> int | None:
    """The rows written when the file is in the form COPY reads as it is (the unique
    index refusing repeated ids); None, with nothing written, when it is not or when
    PostgreSQL refused a line: then ``read_calls`` and ``calls_record`` say which line
    and why."""
    table = Call._meta.db_table
    try:
        with transaction.atomic(), path.open("rb") as source:
            loader = Loader([table], first_load=exclusive)
            try:
                rows = loader.write_csv(
                    table, COPY_COLUMNS, copy_blocks(source), not_null=NOT_NULL_TEXT
                )
                loader.finish()
                return rows
            finally:
                loader.close()
    except (OSError, NotCopyForm, IntegrityError, DataError):
        return None


@transaction.atomic
def calls_record(*, records: Sequence[CallRecord]) -> int:
    """Stores checked records; a repeated id (in the batch or already stored) refuses all."""
    seen: dict[str, int] = {}
    for index, record in enumerate(records, start=1):
        line = record.line or index
        if record.id in seen:
            raise CallLineError(line, f"来电编号 {record.id} 与 line {seen[record.id]} 重复")
        seen[record.id] = line
    ids = list(seen)
    for start in range(0, len(ids), BATCH):
        taken = Call.objects.filter(external_id__in=ids[start : start + BATCH]).values_list(
            "external_id", flat=True
        )
        for existing in taken:
            raise CallLineError(seen[existing], f"来电编号 {existing} 已导入过")
    # COPY on PostgreSQL, one executemany on SQLite: an import is hundreds of thousands
    # of calls, which row-by-row ORM inserts take minutes over.
    loader = Loader([Call._meta.db_table], first_load=False)
    try:
        loader.write_values(
            Call._meta.db_table,
            COLUMNS,
            (
                (
                    r.id,
                    r.started_at,
                    r.caller,
                    r.answered,
                    r.agent,
                    r.wait_seconds,
                    r.talk_seconds,
                    (Call.Status.ENDED if r.answered else Call.Status.MISSED).value,
                    "",
                    "",
                    "",
                )
                for r in records
            ),
        )
    finally:
        loader.close()
    return len(records)
