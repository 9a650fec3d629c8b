"""Writing and reading the audit checkpoints (``domain/checkpoints``), and putting the
event chains under a new audit key (``hotline audit rekey``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from hotline.domain.checkpoints import Checkpoint, checkpoint_read, checkpoint_text
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.domain.event_chain import Break, StoredEvent, chain, first_break
from hotline.orders.audit_key import chain_key, previous_chain_key
from hotline.orders.models import Event, Order
from hotline.orders.verification import chain_heads, one_moment

ORDERS_PER_BATCH = 2000


class AuditKeyMissing(DomainError):
    code = "audit_key_missing"

    def __init__(self):
        super().__init__("须先设置审计密钥 HOTLINE_AUDIT_KEY（至少 32 个字符，保存在数据库以外）")


class AuditRefused(DomainError):
    code = "audit_refused"


def _key():
    key = chain_key()
    if key is None:
        raise AuditKeyMissing
    return key


def checkpoint_write(*, day: date, folder: Path, now: datetime | None = None) -> Path:
    """The signed checkpoint of everything recorded up to the end of ``day`` (local
    time), written as ``checkpoint-DAY.json`` in ``folder``."""
    key = _key()
    until = datetime.combine(day + timedelta(days=1), time(), tzinfo=LOCAL_TZ)
    if (now or timezone.now()) < until:
        raise AuditRefused(f"{day} 尚未结束，须在 {until:%Y-%m-%d %H:%M} 以后写检查点")
    if not folder.is_dir():
        raise AuditRefused(f"目录 {folder} 不存在")
    path = folder / f"checkpoint-{day.isoformat()}.json"
    if path.exists():
        raise AuditRefused(f"{path} 已存在")
    with one_moment():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A transaction begun before the moment (an import running across
                # midnight) may still add events recorded before it.
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND xact_start < %s",
                    [until],
                )
                if cursor.fetchone()[0]:
                    raise AuditRefused(
                        f"尚有 {until:%Y-%m-%d %H:%M} 以前开始的事务（如一次导入）未结束，"
                        "请稍后再写"
                    )
        heads = chain_heads(until=until)
    path.write_text(checkpoint_text(Checkpoint(day, until, heads.ranges()), key), "utf-8")
    return path


def checkpoint_load(path: Path) -> Checkpoint:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AuditRefused(f"无法读取检查点 {path}：{error}") from None
    return checkpoint_read(text, _key())


@dataclass
class Rekeyed:
    orders: int = 0
    events: int = 0
    broken: list[Break] = field(default_factory=list)  # nothing was changed if any


class _Broken(Exception):
    pass


def chains_rekey() -> Rekeyed:
    """Every event's hash written again under the audit key, from chains that hold under
    the previous one (``HOTLINE_AUDIT_PREVIOUS_KEY``; unset: chains written without a
    key). All or nothing: if any chain is broken under the previous key, nothing is
    changed and the broken orders are given. The app servers should be stopped; the
    event table is locked against writes meanwhile."""
    key, previous = _key(), previous_chain_key()
    if previous is not None and previous.secret == key.secret:
        raise AuditRefused("新旧审计密钥相同")
    done = Rekeyed()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {Event._meta.db_table} IN EXCLUSIVE MODE")
            last = 0
            while batch := _rekey_batch(last, key, previous, done):
                last = batch
            if done.broken:
                raise _Broken
    except _Broken:
        return Rekeyed(orders=done.orders, events=done.events, broken=done.broken)
    return done


def _rekey_batch(after: int, key, previous, done: Rekeyed) -> int:
    """Re-keys the next orders after id ``after``; returns the last id (0: none left)."""
    orders = list(
        Order.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "number", "version")[:ORDERS_PER_BATCH]
    )
    if not orders:
        return 0
    rows: dict[int, list] = {pk: [] for pk, _, _ in orders}
    for row in (
        Event.objects.filter(order_id__gte=orders[0][0], order_id__lte=orders[-1][0])
        .order_by("order_id", "seq")
        .values_list(
            "order_id", "id", "seq", "type", "at", "actor_id", "from_status", "to_status",
            "data", "chain_hash",
        )
    ):  # fmt: skip
        rows[row[0]].append(row)
    updates = []
    for pk, number, version in orders:
        events = [StoredEvent(*row[2:]) for row in rows[pk]]
        done.orders += 1
        done.events += len(events)
        broken = first_break(number, events, version, previous)
        if broken is not None:
            done.broken.append(Break(number=number, seq=broken))
            continue
        updates += [
            (hashed, row[1])
            for row, hashed in zip(rows[pk], chain(number, events, key), strict=True)
        ]
    if updates and not done.broken:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Event._meta.db_table} SET chain_hash = %s WHERE id = %s", updates
            )
    return orders[-1][0]
