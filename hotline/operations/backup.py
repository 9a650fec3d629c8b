"""``hotline backup`` and ``hotline restore`` for SQLite and PostgreSQL.

A backup is a folder holding three files:

- the database: ``database.sqlite3`` (SQLite's online backup API, taken while the server may
  be running) or ``database.dump`` (``pg_dump -Fc`` from one consistent snapshot);
- ``media.tar.gz``: the attachments folder (``MEDIA_ROOT``);
- ``manifest.json``: format version, database vendor, creation time, the latest applied
  migration of each app, the order and event counts, and each file's size and SHA-256.

Restoring checks the manifest first: a backup of the other vendor, of a newer schema than
this program knows, or with a damaged file is refused before anything is changed. A target
that already holds data is refused unless ``force`` is given.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, transaction

from hotline.domain.errors import DomainError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows that `hotline migrate` itself writes; a database holding only these is empty.
_SEEDED_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "reference_generation",
}


class BackupRefused(DomainError):
    code = "backup_refused"


@dataclass(frozen=True)
class Outcome:
    folder: Path
    vendor: str
    orders: int
    events: int
    attachments: int
    seconds: float
    bytes: int
    needs_migrate: bool = False


# ---------------------------------------------------------------- backup


def backup(*, out: Path) -> Outcome:
    """Backs up the configured database and the attachments into the new folder ``out``."""
    started = datetime.now(UTC)
    vendor = _vendor()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupRefused(f"备份目录 {out} 已存在且不为空，请换一个新目录")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        database = out / DATABASE_FILE[vendor]
        with _reaching_database():
            state = _sqlite_backup(database) if vendor == "sqlite" else _postgres_backup(database)
        attachments = _media_pack(out / MEDIA_ARCHIVE)
        files = {
            name: {"bytes": (out / name).stat().st_size, "sha256": _sha256(out / name)}
            for name in (DATABASE_FILE[vendor], MEDIA_ARCHIVE)
        }
        manifest = {
            "format": FORMAT_VERSION,
            "vendor": vendor,
            "created_at": started.isoformat(timespec="seconds"),
            "migrations": state["migrations"],
            "counts": {
                "orders": state["orders"],
                "events": state["events"],
                "attachment_files": attachments,
            },
            "files": files,
        }
        (out / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    except BaseException:
        _remove_partial(out, created)
        raise
    return Outcome(
        folder=out,
        vendor=vendor,
        orders=state["orders"],
        events=state["events"],
        attachments=attachments,
        seconds=(datetime.now(UTC) - started).total_seconds(),
        bytes=sum(entry["bytes"] for entry in files.values()),
    )


def _sqlite_backup(target: Path) -> dict:
    source = sqlite3.connect(_sqlite_path(), timeout=20)
    copy = sqlite3.connect(target)
    try:
        # One step: the source is read under one read lock, so the copy is one consistent
        # moment even while the server writes (WAL lets writers go on meanwhile).
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        # The figures come from the copy itself, so they describe exactly what was saved.
        return _state_of(copy.cursor())
    finally:
        copy.close()
        source.close()


def _postgres_backup(target: Path) -> dict:
    pg_dump = _client("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # The figures and the dump read the same snapshot.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _state_of(cursor)
        _run(
            [pg_dump, "-Fc", "-f", str(target), f"--snapshot={snapshot}", *_pg_target()],
            "pg_dump",
        )
    return state


def _state_of(cursor) -> dict:
    from hotline.orders.models import Event, Order

    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = name
    counts = {}
    for key, model in (("orders", Order), ("events", Event)):
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
        counts[key] = cursor.fetchone()[0]
    return {"migrations": dict(sorted(latest.items())), **counts}


def _media_pack(archive: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(archive, "w:gz") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(media).as_posix(), recursive=False)
                    files += 1
    return files


# ---------------------------------------------------------------- restore


def restore(*, folder: Path, force: bool = False) -> Outcome:
    """Puts the backup in ``folder`` into the configured database and the attachments folder."""
    started = datetime.now(UTC)
    vendor = _vendor()
    manifest = _manifest(folder)
    if manifest["vendor"] != vendor:
        raise BackupRefused(
            f"这是 {VENDOR_NAMES.get(manifest['vendor'], manifest['vendor'])} 数据库的备份，"
            f"不能恢复到 {VENDOR_NAMES[vendor]} 数据库"
        )
    _check_schema(manifest["migrations"])
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupRefused(f"备份文件 {name} 缺失或已损坏（校验值不符），未做任何恢复")
    if not force:
        with _reaching_database():
            _refuse_if_holding_data()
    database = folder / DATABASE_FILE[vendor]
    if vendor == "sqlite":
        _sqlite_restore(database)
    else:
        _postgres_restore(database)
    attachments = _media_unpack(folder / MEDIA_ARCHIVE)
    connection.close()
    with connection.cursor() as cursor:
        state = _state_of(cursor)
    return Outcome(
        folder=folder,
        vendor=vendor,
        orders=state["orders"],
        events=state["events"],
        attachments=attachments,
        seconds=(datetime.now(UTC) - started).total_seconds(),
        bytes=sum(entry["bytes"] for entry in manifest["files"].values()),
        needs_migrate=_needs_migrate(),
    )


def _manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupRefused(f"{folder} 不是备份目录：缺少 {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        version = manifest["format"]
        manifest["vendor"], manifest["migrations"], manifest["files"]  # noqa: B018
    except (ValueError, KeyError, TypeError):
        raise BackupRefused(f"{path} 无法读取，不是本系统的备份说明文件") from None
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupRefused(
            f"备份格式版本 {version} 比本程序支持的 {FORMAT_VERSION} 新，请先升级程序"
        )
    return manifest


def _check_schema(latest: dict[str, str]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, name in sorted(latest.items()) if (app, name) not in known]
    if unknown:
        raise BackupRefused(
            "备份的数据库结构比本程序新（本程序没有迁移 "
            + "、".join(unknown)
            + "），请先升级程序再恢复"
        )


def _needs_migrate() -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _refuse_if_holding_data() -> None:
    from django.apps import apps

    existing = set(connection.introspection.table_names())
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        & existing - _SEEDED_TABLES
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            if cursor.fetchone() is not None:
                raise BackupRefused(
                    f"目标数据库已有数据（表 {table} 不为空）。恢复会覆盖全部数据，"
                    "确认无误请加 --force"
                )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        raise BackupRefused(f"附件目录 {media} 已有文件。恢复会覆盖它们，确认无误请加 --force")


def _sqlite_restore(database: Path) -> None:
    connection.close()
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(), timeout=20)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupRefused(f"备份数据库 {database.name} 已损坏，未做任何恢复")
        # Page by page into the target file, under the target's write lock; the running
        # connections of others see the restored database as one change.
        source.backup(target)
    finally:
        target.close()
        source.close()


def _postgres_restore(dump: Path) -> None:
    pg_restore = _client("pg_restore")
    connection.close()
    # --clean --if-exists also works on an empty database; one transaction: all or nothing.
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *_pg_target(flag="-d"),
            str(dump),
        ],
        "pg_restore",
    )


def _media_unpack(archive: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    files = 0
    with tarfile.open(archive, "r:gz") as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
        # The "data" filter refuses absolute paths, "..", links and device files.
        tar.extractall(media, members=members, filter="data")
        files = len(members)
    return files


# ---------------------------------------------------------------- shared


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILE:
        raise BackupRefused(f"不支持备份 {vendor} 数据库，只支持 SQLite 和 PostgreSQL")
    return vendor


@contextmanager
def _reaching_database() -> Iterator[None]:
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as error:
        raise BackupRefused(f"无法访问数据库：{str(error).strip()}") from error


def _sqlite_path() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def _pg_target(flag: str = "") -> list[str]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    args.append("--no-password")
    return [*args, flag, str(db["NAME"])] if flag else [*args, str(db["NAME"])]


def _pg_environment() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            f"找不到 {name} 命令：请安装与数据库服务器主版本一致或更新的 PostgreSQL 客户端"
            "（Debian/Ubuntu 为 postgresql-client 软件包）"
        )
    return found


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip() or done.stdout.strip() or f"退出码 {done.returncode}"
        raise BackupRefused(f"{name} 执行失败：\n{detail}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove_partial(out: Path, created: bool) -> None:
    for name in (*DATABASE_FILE.values(), MEDIA_ARCHIVE, MANIFEST):
        (out / name).unlink(missing_ok=True)
    if created:
        with suppress(OSError):
            out.rmdir()
