"""Call records as the telephony system sends them (SPEC 11): CSV or JSON Lines with
``id, started_at, caller, answered`` and optionally ``agent, wait_seconds, talk_seconds``."""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from hotline.domain.errors import DomainError
from hotline.domain.telephony import CallStatus
from hotline.domain.text_input import single_line

REQUIRED = ("id", "started_at", "caller", "answered")
# What the call table holds: longer values are refused, not cut.
LENGTHS = {"id": 40, "caller": 20, "agent": 40}
MAX_SECONDS = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1900, 9000
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class CallLineError(DomainError):
    code = "invalid_call_line"

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class CallRecord:
    id: str
    started_at: datetime
    caller: str
    answered: bool
    agent: str = ""
    wait_seconds: int | None = None
    talk_seconds: int | None = None
    line: int = 0  # where it was read from, for messages


def read_calls(text: str, *, json_lines: bool) -> Iterator[CallRecord]:
    """Yields checked records; the first bad line raises ``CallLineError``."""
    rows = _json_rows(text) if json_lines else _csv_rows(text)
    for line, row in rows:
        yield _record(line, row)


def _csv_rows(text: str):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise CallLineError(1, f"表头缺少列 {'、'.join(missing)}")
    yield from enumerate(reader, start=2)


def _json_rows(text: str):
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise CallLineError(line, f"不是合法的 JSON（{error.msg}）") from None
        if not isinstance(row, dict):
            raise CallLineError(line, "每行必须是一个 JSON 对象")
        yield line, row


_FIELDS = (*REQUIRED, "agent", "wait_seconds", "talk_seconds")


def _record(line: int, row: dict) -> CallRecord:
    # Each field made plain once: an import reads hundreds of thousands of lines.
    text = {
        key: "" if (value := row.get(key)) is None else single_line(str(value)) for key in _FIELDS
    }
    for key in REQUIRED:
        if not text[key]:
            raise CallLineError(line, f"缺少字段 {key}")
    for key, most in LENGTHS.items():
        if len(text[key]) > most:
            raise CallLineError(line, f"{key} 超过 {most} 个字符")
    try:
        started_at = datetime.fromisoformat(text["started_at"])
    except ValueError:
        raise CallLineError(line, f"来电时间「{text['started_at']}」不是 ISO 8601 格式") from None
    if started_at.tzinfo is None:
        raise CallLineError(line, "来电时间缺少时区偏移（如 +08:00）")
    if not FIRST_YEAR <= started_at.year <= LAST_YEAR:
        raise CallLineError(line, f"来电时间「{text['started_at']}」的年份不合理")
    answered = row["answered"]
    if not isinstance(answered, bool):
        flag = text["answered"].lower()
        if flag not in _TRUE | _FALSE:
            raise CallLineError(line, f"answered 只能是 true/false 或 1/0，不能是「{flag}」")
        answered = flag in _TRUE
    return CallRecord(
        id=text["id"],
        started_at=started_at,
        caller=text["caller"],
        answered=answered,
        agent=text["agent"],
        wait_seconds=_seconds(line, text["wait_seconds"], "wait_seconds"),
        talk_seconds=_seconds(line, text["talk_seconds"], "talk_seconds"),
        line=line,
    )


def _seconds(line: int, value: str, key: str) -> int | None:
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_SECONDS:
        raise CallLineError(line, f"{key} 必须是不超过 {MAX_SECONDS} 的非负整数")
    return int(value)


# --- files COPY can read as they are ------------------------------------------------
# The telephony system's usual CSV — this header, and every value already in the form
# ``read_calls`` would store (ASCII codes without spaces, quotes or commas, ISO times
# with an offset, lowercase flags, whole seconds, ``\n`` line ends) — goes to
# PostgreSQL's COPY as it is: two regular-expression passes in C check it, instead of
# parsing every line in Python (which cost five times the database's own work). Any
# other file is read by ``read_calls``, which names the line and the reason of every
# refusal; values PostgreSQL refuses (30 February) are read that way too.
CSV_HEADER = b"id,started_at,caller,answered,agent,wait_seconds,talk_seconds\n"
# What ``copy_blocks`` puts before each line (the status, then an empty callee, queue
# and recording), followed by the file's own columns.
COPY_COLUMNS = (
    "status",
    "callee",
    "queue",
    "recording",
    "external_id",
    "started_at",
    "caller",
    "answered",
    "agent",
    "wait_seconds",
    "talk_seconds",
)
BLOCK_BYTES = 1 << 20  # COPY is fed block by block: the server works while the next is checked

_CODE = rb"[!#-+\--~]"  # printable ASCII but space, double quote and comma
_TIME = (
    rb"(?:19\d\d|[2-8]\d\d\d|9000)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rb"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?:[+-](?:0\d|1[0-4]):[0-5]\d|Z)"
)
_SECONDS = rb"\d{0,9}"  # below MAX_SECONDS


def _line_start(flags: bytes) -> re.Pattern[bytes]:
    # The newline before a line in that form (the first line is given one): a literal
    # first character lets the search skip to the next line start in C.
    fields = (
        rb"%s{1,%d}" % (_CODE, LENGTHS["id"]),
        _TIME,
        rb"%s{1,%d}" % (_CODE, LENGTHS["caller"]),
        rb"(?:%s)" % flags,
        rb"%s{0,%d}" % (_CODE, LENGTHS["agent"]),
        _SECONDS,
        _SECONDS,
    )
    return re.compile(rb"\n(?=%s\n)" % b",".join(fields))


_ANSWERED = _line_start(b"true|1|yes")
_MISSED = _line_start(b"false|0|no")
_BOM = b"\xef\xbb\xbf"


class NotCopyForm(Exception):
    """The file is not in the form COPY reads as it is."""


def copy_blocks(source: BinaryIO) -> Iterator[bytes]:
    """The file's lines in COPY's CSV form (``COPY_COLUMNS``), a block at a time; raises
    ``NotCopyForm`` as soon as something is not already in that form."""
    if source.readline().removeprefix(_BOM) != CSV_HEADER:
        raise NotCopyForm
    rest = b""
    while block := source.read(BLOCK_BYTES):
        cut = block.rfind(b"\n") + 1
        if cut:
            yield _copy_form(rest + block[:cut])
            rest = block[cut:]
        else:
            rest += block
    if rest:
        yield _copy_form(rest + b"\n")


def _copy_form(lines: bytes) -> bytes:
    # Every line must be matched by one of the two passes: a count short means a line
    # in neither form.
    marked, answered = _ANSWERED.subn(b"\n%s,,,," % CallStatus.ENDED.encode(), b"\n" + lines)
    marked, missed = _MISSED.subn(b"\n%s,,,," % CallStatus.MISSED.encode(), marked)
    if answered + missed != lines.count(b"\n"):
        raise NotCopyForm
    return marked[1:]
