"""History import (SPEC 11): an order-history JSON Lines file, whole or not at all.

Lines are read and replayed through the state machine in chunks and turned into rows
in the loader's form (``orders.history_rows``) — in worker processes for large files,
so that replaying overlaps writing. The main process hands out the orders' ids before
a chunk goes to a worker, then gives the orders their numbers, citizens and links and
streams every row to the database in bulk (``orders.bulk``), inside one transaction.
Any refused line rolls everything back and names the line and the rule.

An import into a database in use takes no lock beyond those of its own inserts (COPY
on PostgreSQL): signing in and intake go on while it runs. Its numbers are taken apart
from its transaction (``ImportNumbering``), so the year's number row is not held until
its commit. Only an import told that nobody uses the database yet (``exclusive``: a new
office's first load, the demo) may lock the tables for the loader's faster first load.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.directory.models import Category, Region, Tag, Unit
from hotline.interchange.order_lines import LineError, Lookups
from hotline.orders.audit_key import chain_key
from hotline.orders.bulk import Loader, allocate_ids
from hotline.orders.history_rows import (
    EVENT_COLUMNS,
    ORDER_COLUMNS,
    POSTGRESQL,
    SIDE_COLUMNS,
    SQLITE,
    Context,
    PreparedChunk,
    chain_unnumbered,
    copy_text,
    prepare_chunk,
    sqlite_time,
)
from hotline.orders.models import Citizen, Order
from hotline.orders.services.numbering import ImportNumbering
from hotline.orders.services.text_index import order_text_mark_hold
from hotline.orders.workers import die_with_parent

CHUNK = 5000
CITIZEN_COLUMNS = ("id", "name", "phone", "id_number", "kind", "created_at")
TAG_COLUMNS = ("order_id", "tag_id")
# Every table the import writes, parents first.
TABLES = {
    "orders_citizen": CITIZEN_COLUMNS,
    "orders_order": ORDER_COLUMNS,
    "orders_event": EVENT_COLUMNS,
    **SIDE_COLUMNS,
    "orders_order_tags": TAG_COLUMNS,
}
# Below this many lines worker processes cost more than they save.
PARALLEL_FROM = 2 * CHUNK
WORKERS = 2
# The longest the import's session waits between statements (a worker's chunk takes
# about a second): beyond it, the server takes the session for abandoned.
IDLE_SECONDS = 60
# From this many lines, an exclusive import into an empty database takes the loader's
# first-load path (indexes and foreign keys built after the rows, not maintained row by
# row).
FIRST_LOAD_FROM = 2 * CHUNK


# What an import is doing when it reports progress: writing the orders' rows (after
# each chunk), then, on a first load, building the indexes and constraints again, then,
# after a large import on PostgreSQL, refreshing the planner's statistics. The last two
# take minutes at ten million orders and report nothing until they end.
WRITING = "writing"
REBUILDING = "rebuilding"
ANALYSING = "analysing"


@dataclass
class ImportResult:
    orders: int = 0
    rows: int = 0
    lines: int = 0  # the file's lines, counted before the first is read (the progress's whole)
    stage: str = WRITING
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_load: list[str] = field(default_factory=list)  # tables loaded on that path
    rebuild_seconds: float = 0.0  # building indexes and constraints after a first load


def orders_import(
    *,
    path: Path,
    progress: Callable[[ImportResult], None] | None = None,
    exclusive: bool = False,
) -> ImportResult:
    """``exclusive``: nobody uses the database meanwhile (no one signed in, no intake),
    so a large file into empty tables may take the first-load path, which locks the
    tables it loads — and, on PostgreSQL, the users and directory tables they refer to —
    until the commit."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise LineError(0, f"无法打开 {path}：{error.strerror}") from None
    # Not durable: a caller may hold a whole history in one transaction and roll it
    # back (the statistics tests build their module-wide histories so).
    with (
        handle,
        closing(ImportNumbering(apart=not connection.in_atomic_block)) as numbering,
        transaction.atomic(),
    ):
        if connection.vendor == "postgresql":
            # Should this process stop without closing its session (killed), the
            # server ends the transaction, and frees its locks, after this long idle.
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL idle_in_transaction_session_timeout = '{IDLE_SECONDS}s'")
        # The imported orders come without events: the search index's catch-up finds them.
        order_text_mark_hold()
        lines = _reserve_given_numbers(handle, numbering)
        handle.seek(0)  # text mode again, from the start
        first_load = exclusive and lines >= FIRST_LOAD_FROM and not Order.objects.exists()
        loader = Loader(list(TABLES), first_load=first_load)
        try:
            importer = _Importer(_context(), loader, numbering, lines=lines)
            result = importer.run(handle, parallel=lines >= PARALLEL_FROM, progress=progress)
            if loader.empty:
                _report(result, REBUILDING, progress)
            loader.finish()
            result.first_load, result.rebuild_seconds = loader.empty, loader.rebuild_seconds
        finally:
            loader.close()
    if lines >= PARALLEL_FROM and connection.vendor == "postgresql":
        _report(result, ANALYSING, progress)
        refresh_statistics(TABLES)
    return result


def _report(
    result: ImportResult, stage: str, progress: Callable[[ImportResult], None] | None
) -> None:
    result.stage = stage
    if progress:
        progress(result)


_NUMBER = re.compile(rb'"number"\s*:\s*"(\d{11})"')
_BLOCK = 1 << 24


def refresh_statistics(tables: Iterable[str]) -> None:
    """After a large load PostgreSQL's row counts are stale until autovacuum catches up,
    minutes later; meanwhile the queues' queries choose scans over indexes and take
    seconds. (SQLite keeps no statistics unless asked, and the pages' queries are
    written for its planner without them.)"""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


def _reserve_given_numbers(handle, numbering: ImportNumbering) -> int:
    """Numbers the file brings are reserved before any order without one is numbered,
    so that numbering never repeats them (a cheap scan of the raw bytes, block by
    block, which also refuses bytes that are not UTF-8 with their line; the lines
    themselves are checked later). Returns the number of lines."""
    highest: dict[bytes, bytes] = {}
    lines = 0
    ends_with_newline = True
    rest = b""
    raw = handle.buffer
    while block := raw.read(_BLOCK):
        ends_with_newline = block.endswith(b"\n")
        block = rest + block
        cut = block.rfind(b"\n") + 1  # a number or a character is never split across scans
        block, rest = block[:cut], block[cut:]
        lines = _scanned(block, lines, highest)
    lines = _scanned(rest, lines, highest)
    for number in highest.values():
        numbering.reserve(number.decode())
    return lines + (0 if ends_with_newline else 1)


def _scanned(block: bytes, lines: int, highest: dict[bytes, bytes]) -> int:
    """Checks that whole lines are UTF-8 and notes their highest number per year;
    returns the count of lines scanned so far."""
    try:
        block.decode("utf-8")
    except UnicodeDecodeError as error:
        line = lines + block.count(b"\n", 0, error.start) + 1
        raise LineError(line, f"含有不是 UTF-8 编码的字节（{error.reason}）") from None
    for number in _NUMBER.findall(block):
        year = number[:4]
        if number > highest.get(year, b"") and int(number[4:]):
            highest[year] = number
    return lines + block.count(b"\n")


def _context() -> Context:
    def by_code_and_name(model: type[Model]) -> dict[str, str]:
        table = {}
        for code, name in model.objects.values_list("code", "name"):
            table.setdefault(name, code)
            table[code] = code
        return table

    return Context(
        lookups=Lookups(
            units=by_code_and_name(Unit),
            categories=by_code_and_name(Category),
            category_parents=dict(Category.objects.values_list("code", "parent__code")),
            regions=by_code_and_name(Region),
            policy=deadline_policy(),
            calendar=working_calendar(),
        ),
        unit_ids=dict(Unit.objects.values_list("code", "id")),
        category_ids=dict(Category.objects.values_list("code", "id")),
        region_ids=dict(Region.objects.values_list("code", "id")),
        now=timezone.now(),
        dialect=POSTGRESQL if connection.vendor == "postgresql" else SQLITE,
        chain_key=chain_key(),
    )


def _chunks(lines) -> Iterator[list[tuple[int, str]]]:
    chunk = []
    for number, text in enumerate(lines, start=1):
        if text.strip():
            chunk.append((number, text))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


_worker_context: Context | None = None


def _start_worker(context: Context, parent: int) -> None:
    die_with_parent(parent)
    # What the worker inherited lives as long as it does: out of the collector's
    # rounds, which otherwise walk it again and again as chunks come and go.
    gc.freeze()
    global _worker_context
    _worker_context = context


@dataclass(frozen=True)
class _Refused:
    """A refused line, as a worker sends it back (``LineError`` does not pickle)."""

    line: int
    rule: str


def _prepare_in_worker(lines: list[tuple[int, str]], ids: list[int]) -> PreparedChunk | _Refused:
    try:
        return prepare_chunk(lines, _worker_context, ids)
    except LineError as error:
        return _Refused(error.line, error.rule)


def _result(future: Future) -> PreparedChunk:
    prepared = future.result()
    if isinstance(prepared, _Refused):
        raise LineError(prepared.line, prepared.rule)
    return prepared


class _Importer:
    def __init__(self, context: Context, loader: Loader, numbering: ImportNumbering, *, lines: int):
        self.context = context
        self.loader = loader
        self.numbering = numbering
        self.postgres = context.dialect == POSTGRESQL
        # The time of this import, as the loader takes it (rows record when they came).
        self.now = context.now.isoformat() if self.postgres else sqlite_time(context.now)
        self.result = ImportResult(lines=lines)
        self.numbers: dict[str, int] = {}  # every number of this file → order id
        self.external_refs: dict[tuple[str, str], int] = {}  # (channel, ref) → its line
        self.citizens: dict[tuple[str, str], int] = {}  # (phone, name) → citizen id
        self.known_phones: set[str] = set()  # phones whose stored citizens were read
        self.tag_ids = dict(Tag.objects.values_list("name", "id"))
        self.id_state: dict = {}
        # Tables that were empty, under this transaction's lock: nothing to look up there.
        self.no_orders = "orders_order" in loader.empty
        self.no_citizens = "orders_citizen" in loader.empty

    def run(
        self,
        lines: Iterable[str],
        *,
        parallel: bool,
        progress: Callable[[ImportResult], None] | None,
    ) -> ImportResult:
        for chunk, ids in self._prepared(lines, parallel):
            self._write(chunk, ids)
            if progress:
                progress(self.result)
        return self.result

    def _prepared(self, lines, parallel: bool) -> Iterator[tuple[PreparedChunk, list[int]]]:
        """Chunks in file order, with the ids given to their orders."""
        if not parallel:
            for chunk in _chunks(lines):
                ids = self._order_ids(len(chunk))
                yield prepare_chunk(chunk, self.context, ids), ids
            return
        # The workers are forked before they could touch the database connection, and
        # never use it: they only read lines, replay them and format rows.
        with ProcessPoolExecutor(
            max_workers=WORKERS,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self.context, os.getpid()),
        ) as pool:
            pending: list[tuple[Future, list[int]]] = []
            for chunk in _chunks(lines):
                ids = self._order_ids(len(chunk))
                pending.append((pool.submit(_prepare_in_worker, chunk, ids), ids))
                if len(pending) > 2 * WORKERS:
                    future, ids = pending.pop(0)
                    yield _result(future), ids
            for future, ids in pending:
                yield _result(future), ids

    def _order_ids(self, count: int) -> list[int]:
        # Every non-blank line becomes an order, or the whole file is refused.
        return allocate_ids("orders_order", count, state=self.id_state)

    def _write(self, chunk: PreparedChunk, ids: list[int]) -> None:
        self._number(chunk, ids)
        self._check_external_refs(chunk)
        citizens = self._citizens(chunk)
        resolve = self._resolve
        tags = []
        rows = []
        for line, order_id, number, citizen_id, merged_into, split_from, order_tags, rest in zip(
            chunk.lines,
            ids,
            chunk.numbers,
            citizens,
            chunk.merged_into,
            chunk.split_from,
            chunk.tags,
            chunk.rests,
            strict=True,
        ):
            head = (
                order_id,
                number,
                citizen_id,
                None if merged_into is None else resolve(line, merged_into, "并入的工单"),
                None if split_from is None else resolve(line, split_from, "拆单来源工单"),
            )
            if self.postgres:  # the head's bytes, then the worker's (joined once below)
                rows += (_copy_head(head).encode(), rest)
            else:
                rows.append(head + rest)
            if order_tags:
                tags += [(order_id, self._tag(name)) for name in order_tags]
        self._put("orders_order", b"".join(rows) if self.postgres else rows, len(ids))
        for table, data in chunk.tables.items():
            self._put(table, data, chunk.counts[table])
        if chunk.unchained:  # events of orders numbered just now, chained with the number
            self._put("orders_event", *chain_unnumbered(chunk, self.context.chain_key))
        self._put_values("orders_order_tags", tags)
        self.result.orders += len(ids)

    def _put(self, table: str, data, count: int) -> None:
        self.loader.write(table, TABLES[table], data)
        self.result.counts[table] += count
        self.result.rows += count

    def _put_values(self, table: str, rows: list[tuple]) -> None:
        self.loader.write_values(table, TABLES[table], rows)
        self.result.counts[table] += len(rows)
        self.result.rows += len(rows)

    def _number(self, chunk: PreparedChunk, ids: list[int]) -> None:
        """Checks given numbers for repeats and numbers the others, in file order."""
        numbers = chunk.numbers
        taken: set[str] = set()
        if not self.no_orders:
            given = [number for number in numbers if number]
            taken = set(Order.objects.filter(number__in=given).values_list("number", flat=True))
        unnumbered = defaultdict(list)
        for index, (number, year) in enumerate(zip(numbers, chunk.years, strict=True)):
            if number is None:
                unnumbered[year].append(index)
        for year, indexes in unnumbered.items():
            for index, number in zip(
                indexes, self.numbering.allocate(year, len(indexes)), strict=True
            ):
                numbers[index] = number
        known = self.numbers
        for line, number, order_id in zip(chunk.lines, numbers, ids, strict=True):
            if number in known or number in taken:
                raise LineError(line, f"工单编号 {number} 已存在")
            known[number] = order_id

    def _check_external_refs(self, chunk: PreparedChunk) -> None:
        """SPEC 11 (2026-12): one order per order of the sending platform, in the file
        and with the orders already stored."""
        if not chunk.external_refs:
            return
        stored: dict[tuple[str, str], str] = {}
        if not self.no_orders:
            refs = {ref for _, _, ref in chunk.external_refs}
            stored = {
                (channel, ref): number
                for channel, ref, number in Order.objects.filter(external_ref__in=refs).values_list(
                    "channel", "external_ref", "number"
                )
            }
        for line, channel, ref in chunk.external_refs:
            key = (channel, ref)
            if key in stored:
                raise LineError(line, f"外部工单号 {ref} 已登记为工单 {stored[key]}")
            if key in self.external_refs:
                raise LineError(line, f"外部工单号 {ref} 与第 {self.external_refs[key]} 行重复")
            self.external_refs[key] = line

    def _resolve(self, line: int, number: str, what: str) -> int:
        found = self.numbers.get(number)
        if found is None and not self.no_orders:
            found = Order.objects.filter(number=number).values_list("pk", flat=True).first()
        if found is None:
            raise LineError(line, f"{what} {number} 不存在（须在文件中更早出现或已在库中）")
        return found

    def _citizens(self, chunk: PreparedChunk) -> list[int | None]:
        """Repeat callers are one citizen, recognised by phone and name, as at live intake."""
        phones = {c[1] for c in chunk.citizens if c and c[1]}
        unknown = phones - self.known_phones
        if unknown and not self.no_citizens:
            stored = Citizen.objects.filter(phone__in=unknown).order_by("id")
            for phone, name, pk in stored.values_list("phone", "name", "pk"):
                self.citizens.setdefault((phone, name), pk)
        self.known_phones |= unknown
        # Who is new in this chunk: every caller without a phone, and each unknown
        # (phone, name) once.
        fresh: list[tuple[str, str, str]] = []
        fresh_keys: set[tuple[str, str]] = set()
        for citizen in chunk.citizens:
            if citizen is None:
                continue
            name, phone, _ = citizen
            key = (phone, name)
            if not phone or (key not in self.citizens and key not in fresh_keys):
                fresh.append(citizen)
                fresh_keys.add(key)
        new_ids = allocate_ids("orders_citizen", len(fresh), state=self.id_state)
        now = self.now
        if self.postgres:
            data = "".join(
                f"{pk}\t{copy_text(name)}\t{copy_text(phone)}\t\t{kind}\t{now}\n"
                for pk, (name, phone, kind) in zip(new_ids, fresh, strict=True)
            ).encode()
        else:
            data = [
                (pk, name, phone, "", kind, now)
                for pk, (name, phone, kind) in zip(new_ids, fresh, strict=True)
            ]
        self._put("orders_citizen", data, len(fresh))
        self.citizens.update(
            ((phone, name), pk)
            for pk, (name, phone, _) in zip(new_ids, fresh, strict=True)
            if phone
        )
        phoneless = iter(pk for pk, (_, phone, _) in zip(new_ids, fresh, strict=True) if not phone)
        return [
            None if c is None else (self.citizens[(c[1], c[0])] if c[1] else next(phoneless))
            for c in chunk.citizens
        ]

    def _tag(self, name: str) -> int:
        if name not in self.tag_ids:
            self.tag_ids[name] = Tag.objects.get_or_create(name=name)[0].pk
        return self.tag_ids[name]


def _copy_head(head: tuple) -> str:
    """The writer's columns of an order row in COPY text (ids, number, links)."""
    order_id, number, citizen_id, merged_into, split_from = head
    return (
        f"{order_id}\t{copy_text(number)}\t{_copy_id(citizen_id)}\t"
        f"{_copy_id(merged_into)}\t{_copy_id(split_from)}"
    )


def _copy_id(value: int | None) -> str:
    return "\\N" if value is None else str(value)
