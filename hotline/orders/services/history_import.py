"""History import (SPEC 11): an order-history JSON Lines file, whole or not at all.

Lines are read and replayed through the state machine in chunks
(``orders.history_rows``) — in a worker process for large files, so that reading the
next chunk overlaps writing this one — and the main process gives the orders their ids,
numbers and citizens and writes every row in bulk, inside one transaction. Any refused
line rolls everything back and names the line and the rule.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hotline.configuration.selectors import deadline_policy, working_calendar
from hotline.directory.models import Category, Region, Tag, Unit
from hotline.interchange.order_lines import LineError, Lookups
from hotline.orders.bulk import allocate_ids, write_rows
from hotline.orders.history_rows import (
    EVENT_COLUMNS,
    ORDER_COLUMNS,
    SIDE_COLUMNS,
    Context,
    PreparedChunk,
    prepare_chunk,
)
from hotline.orders.models import Citizen, Order
from hotline.orders.services.numbering import allocate_numbers, reserve_number

CHUNK = 5000
CITIZEN_COLUMNS = ("id", "name", "phone", "id_number", "kind", "created_at")
TAG_COLUMNS = ("order_id", "tag_id")
# Below this many lines worker processes cost more than they save.
PARALLEL_FROM = 2 * CHUNK
WORKERS = 2


@dataclass
class ImportResult:
    orders: int = 0
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def orders_import(
    *, path: Path, progress: Callable[[ImportResult], None] | None = None
) -> ImportResult:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise LineError(0, f"无法打开 {path}：{error.strerror}") from None
    with handle, transaction.atomic():
        lines = _reserve_given_numbers(handle)
        handle.seek(0)
        return _Importer(_context()).run(handle, parallel=lines >= PARALLEL_FROM, progress=progress)


_NUMBER = re.compile(r'"number"\s*:\s*"(\d{11})"')


def _reserve_given_numbers(lines) -> int:
    """Numbers the file brings are reserved before any order without one is numbered,
    so that numbering never repeats them (a cheap scan; lines are checked later).
    Returns the number of lines."""
    highest: dict[str, str] = {}
    count = 0
    for count, text in enumerate(lines, start=1):  # noqa: B007 - the count is the result
        match = _NUMBER.search(text)
        if match and int(match.group(1)[4:]):
            number = match.group(1)
            highest[number[:4]] = max(highest.get(number[:4], ""), number)
    for number in highest.values():
        reserve_number(number)
    return count


def _context() -> Context:
    def by_code_and_name(model) -> dict[str, str]:
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


def _start_worker(context: Context) -> None:
    global _worker_context
    _worker_context = context


def _prepare_in_worker(lines: list[tuple[int, str]]) -> PreparedChunk:
    return prepare_chunk(lines, _worker_context)


class _Importer:
    def __init__(self, context: Context):
        self.context = context
        self.result = ImportResult()
        self.numbers: dict[str, int] = {}  # every number of this file → order id
        self.citizens: dict[str, int] = {}  # phone → citizen id
        self.tag_ids = dict(Tag.objects.values_list("name", "id"))
        self.id_state: dict = {}

    def run(self, lines, *, parallel: bool, progress) -> ImportResult:
        for chunk in self._prepared(lines, parallel):
            self._write(chunk)
            if progress:
                progress(self.result)
        return self.result

    def _prepared(self, lines, parallel: bool) -> Iterator[PreparedChunk]:
        if not parallel:
            for chunk in _chunks(lines):
                yield prepare_chunk(chunk, self.context)
            return
        # The worker is forked before it could touch the database connection, and
        # never uses it: it only reads lines and replays them.
        with ProcessPoolExecutor(
            max_workers=WORKERS,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self.context,),
        ) as pool:
            pending: list[Future] = []
            for chunk in _chunks(lines):
                pending.append(pool.submit(_prepare_in_worker, chunk))
                if len(pending) > 2 * WORKERS:
                    yield pending.pop(0).result()
            for future in pending:
                yield future.result()

    def _write(self, chunk: PreparedChunk) -> None:
        orders = chunk.orders
        ids = allocate_ids("orders_order", len(orders), state=self.id_state)
        self._number(chunk, ids)
        citizens = self._citizens(chunk)
        tags = []
        for order, order_id, citizen_id in zip(orders, ids, citizens, strict=True):
            order.row[0:5] = [
                order_id,
                order.number,
                citizen_id,
                self._resolve(order, order.merged_into, "并入的工单"),
                self._resolve(order, order.split_from, "拆单来源工单"),
            ]
            tags += [(order_id, self._tag(name)) for name in order.tags]
        self._put("orders_order", ORDER_COLUMNS, [o.row for o in orders])
        self._put("orders_event", EVENT_COLUMNS, _with_ids(chunk.events, ids))
        for table, columns in SIDE_COLUMNS.items():
            self._put(table, columns, _with_ids(chunk.side.get(table, []), ids))
        self._put("orders_order_tags", TAG_COLUMNS, tags)
        self.result.orders += len(orders)

    def _put(self, table: str, columns, rows: list) -> None:
        write_rows(table, columns, rows)
        self.result.counts[table] += len(rows)
        self.result.rows += len(rows)

    def _number(self, chunk: PreparedChunk, ids: list[int]) -> None:
        """Checks given numbers for repeats and numbers the others, in file order."""
        given = [o.number for o in chunk.orders if o.number]
        taken = set(Order.objects.filter(number__in=given).values_list("number", flat=True))
        unnumbered = defaultdict(list)
        for order in chunk.orders:
            if order.number is None:
                unnumbered[order.year].append(order)
        for year, orders in unnumbered.items():
            for order, number in zip(orders, allocate_numbers(year, len(orders)), strict=True):
                order.number = number
        for order, order_id in zip(chunk.orders, ids, strict=True):
            if order.number in self.numbers or order.number in taken:
                raise LineError(order.line, f"工单编号 {order.number} 已存在")
            self.numbers[order.number] = order_id

    def _resolve(self, order, number: str | None, what: str) -> int | None:
        if number is None:
            return None
        found = self.numbers.get(number)
        if found is None:
            found = Order.objects.filter(number=number).values_list("pk", flat=True).first()
        if found is None:
            raise LineError(order.line, f"{what} {number} 不存在（须在文件中更早出现或已在库中）")
        return found

    def _citizens(self, chunk: PreparedChunk) -> list[int | None]:
        """Repeat callers are one citizen, recognised by phone, as at live intake."""
        phones = {c[1] for o in chunk.orders if (c := o.citizen) and c[1]}
        unknown = phones - self.citizens.keys()
        if unknown:
            for phone, pk in Citizen.objects.filter(phone__in=unknown).values_list("phone", "pk"):
                self.citizens.setdefault(phone, pk)
        # Who is new in this chunk: every nameless caller, and each unknown phone once.
        fresh: list[tuple[str, str, str]] = []
        fresh_phones: set[str] = set()
        for order in chunk.orders:
            if (citizen := order.citizen) is None:
                continue
            phone = citizen[1]
            if not phone or (phone not in self.citizens and phone not in fresh_phones):
                fresh.append(citizen)
                fresh_phones.add(phone)
        new_ids = allocate_ids("orders_citizen", len(fresh), state=self.id_state)
        rows = [
            (pk, name, phone, "", kind, self.context.now)
            for pk, (name, phone, kind) in zip(new_ids, fresh, strict=True)
        ]
        self._put(
            "orders_citizen", ("id", "name", "phone", "id_number", "kind", "created_at"), rows
        )
        self.citizens.update((row[2], row[0]) for row in rows if row[2])
        nameless = iter(row[0] for row in rows if not row[2])
        return [
            None if c is None else (self.citizens[c[1]] if c[1] else next(nameless))
            for c in (o.citizen for o in chunk.orders)
        ]

    def _tag(self, name: str) -> int:
        if name not in self.tag_ids:
            self.tag_ids[name] = Tag.objects.get_or_create(name=name)[0].pk
        return self.tag_ids[name]


def _with_ids(rows: list[list], ids: list[int]) -> list[list]:
    for row in rows:
        row[0] = ids[row[0]]
    return rows
