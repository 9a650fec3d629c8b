"""``hotline backup`` and ``hotline restore``: a restored database exports byte-identical.

The SQLite tests run everywhere; the PostgreSQL ones only when DATABASE_URL points at
PostgreSQL, in databases of their own next to the test database.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from hotline.demo import DIRECTORY

HOTLINE = [sys.executable, "-m", "hotline.cli"]
ATTACHMENT = "replies/2024/03/回复材料.txt"
ATTACHMENT_BYTES = "已现场处理，附照片说明。\n".encode() * 50


def _hotline(*args, database: str, var: Path, path: str | None = None):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="hotline.project.settings",
        DATABASE_URL=database,
        HOTLINE_VAR_DIR=str(var),
    )
    env.pop("HOTLINE_MEDIA_DIR", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [*HOTLINE, *map(str, args)],
        cwd=var.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, done.stderr
    return done


def _export(database: str, var: Path, out: Path, orders: int) -> bytes:
    done = _ok(_hotline("export", "orders", "--from", "2024-03-01", "--to", "2024-03-31",
                        "--out", out, database=database, var=var))  # fmt: skip
    assert done.stdout == f"已导出 {orders} 件工单到 {out}\n"
    return out.read_bytes()


def _said(counts: dict) -> str:
    """How backup and restore name what they hold."""
    return f"{counts['orders']} 件工单、{counts['events']} 条事件、1 个附件文件"


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("history")
    done = subprocess.run(
        [*HOTLINE, "generate", "--months", "1", "--per-month", "300", "--seed", "3",
         "--start", "2024-03", "--out", str(folder)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder / "orders.jsonl"


def _load(database: str, var: Path, history: Path) -> None:
    _ok(_hotline("migrate", database=database, var=var))
    _ok(_hotline("import", "directory", DIRECTORY, database=database, var=var))
    _ok(_hotline("import", "orders", history, database=database, var=var))
    attachment = var / "media" / ATTACHMENT
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(ATTACHMENT_BYTES)


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory, history):
    """A SQLite file database with the demo directory, a generated month of orders and one
    attachment, its export, its backup and what it holds (the orders and events counted
    in the file itself)."""
    root = tmp_path_factory.mktemp("sqlite-source")
    var = root / "var"
    database = f"sqlite:///{root / 'source.sqlite3'}"
    _load(database, var, history)
    with sqlite3.connect(root / "source.sqlite3") as connection:
        counts = {
            "orders": connection.execute("SELECT count(*) FROM orders_order").fetchone()[0],
            "events": connection.execute("SELECT count(*) FROM orders_event").fetchone()[0],
        }
    assert counts["orders"] > 250 and counts["events"] > counts["orders"]
    exported = _export(database, var, root / "source.jsonl", counts["orders"])
    backup = root / "backup"
    done = _ok(_hotline("backup", "--out", backup, database=database, var=var))
    assert done.stdout.startswith(f"已备份 {_said(counts)}到 {backup}（")
    return {
        "database": database,
        "var": var,
        "exported": exported,
        "backup": backup,
        "counts": counts,
    }


def _latest_migration(app: str) -> str:
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return next(name for label, name in graph.leaf_nodes() if label == app)


def _copy_backup(backup: Path, to: Path, **manifest_changes) -> Path:
    shutil.copytree(backup, to)
    manifest = json.loads((to / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(manifest_changes)
    (to / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return to


# ---------------------------------------------------------------- SQLite


def test_sqlite_restore_into_an_empty_database_exports_byte_identical(sqlite_source, tmp_path):
    backup = sqlite_source["backup"]
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.sqlite3",
        "manifest.json",
        "media.tar.gz",
    ]
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1
    assert manifest["vendor"] == "sqlite"
    assert manifest["counts"] == {**sqlite_source["counts"], "attachment_files": 1}
    assert manifest["migrations"]["orders"] == _latest_migration("orders")
    assert manifest["files"]["database.sqlite3"]["bytes"] == (
        (backup / "database.sqlite3").stat().st_size
    )

    var = tmp_path / "var"
    database = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    done = _ok(_hotline("restore", backup, database=database, var=var))
    assert done.stdout.startswith(f"已恢复 {_said(sqlite_source['counts'])}（用时 ")
    assert "hotline migrate" not in done.stdout

    restored = _export(
        database, var, tmp_path / "restored.jsonl", sqlite_source["counts"]["orders"]
    )
    assert restored == sqlite_source["exported"]
    assert (var / "media" / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES


def test_sqlite_restore_over_data_needs_force(sqlite_source, tmp_path):
    var = tmp_path / "var"
    database = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    _ok(_hotline("migrate", database=database, var=var))
    # A freshly migrated database counts as empty.
    _ok(_hotline("restore", sqlite_source["backup"], database=database, var=var))

    refused = _hotline("restore", sqlite_source["backup"], database=database, var=var)
    assert refused.returncode == 2
    assert refused.stderr.startswith("错误：目标数据库已有数据（表 ")
    assert "确认无误请加 --force" in refused.stderr

    (var / "media" / ATTACHMENT).write_bytes(b"changed")
    _ok(_hotline("restore", sqlite_source["backup"], "--force", database=database, var=var))
    assert (var / "media" / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES
    again = _export(database, var, tmp_path / "again.jsonl", sqlite_source["counts"]["orders"])
    assert again == sqlite_source["exported"]


def test_only_an_empty_attachments_folder_is_empty(sqlite_source, tmp_path):
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    (var / "media" / "left-over.pdf").write_bytes(b"%PDF")
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    refused = _hotline("restore", sqlite_source["backup"], database=database, var=var)
    assert refused.returncode == 2
    assert f"错误：附件目录 {var / 'media'} 已有文件" in refused.stderr


def test_a_backup_of_the_other_vendor_is_refused(sqlite_source, tmp_path):
    backup = _copy_backup(sqlite_source["backup"], tmp_path / "other", vendor="postgresql")
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    refused = _hotline("restore", backup, database=database, var=tmp_path / "var")
    assert refused.returncode == 2
    assert refused.stderr == "错误：这是 PostgreSQL 数据库的备份，不能恢复到 SQLite 数据库\n"
    assert not (tmp_path / "var" / "media").exists()


def test_a_backup_of_a_newer_schema_is_refused(sqlite_source, tmp_path):
    manifest = json.loads((sqlite_source["backup"] / "manifest.json").read_text("utf-8"))
    migrations = {**manifest["migrations"], "orders": "0099_from_the_future"}
    backup = _copy_backup(sqlite_source["backup"], tmp_path / "newer", migrations=migrations)
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    refused = _hotline("restore", backup, database=database, var=tmp_path / "var")
    assert refused.returncode == 2
    assert refused.stderr == (
        "错误：备份的数据库结构比本程序新（本程序没有迁移 orders.0099_from_the_future），"
        "请先升级程序再恢复\n"
    )


def test_a_damaged_backup_is_refused_before_anything_changes(sqlite_source, tmp_path):
    backup = _copy_backup(sqlite_source["backup"], tmp_path / "damaged")
    data = bytearray((backup / "database.sqlite3").read_bytes())
    data[5000] ^= 0xFF
    (backup / "database.sqlite3").write_bytes(bytes(data))
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    refused = _hotline("restore", backup, database=database, var=tmp_path / "var")
    assert refused.returncode == 2
    assert (
        refused.stderr
        == "错误：备份文件 database.sqlite3 缺失或已损坏（校验值不符），未做任何恢复\n"
    )


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    database = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    refused = _hotline("restore", tmp_path, database=database, var=tmp_path / "var")
    assert refused.returncode == 2
    assert refused.stderr == f"错误：{tmp_path} 不是备份目录：缺少 manifest.json\n"


def test_backup_refuses_a_folder_holding_files(sqlite_source, tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    refused = _hotline(
        "backup", "--out", tmp_path,
        database=sqlite_source["database"], var=sqlite_source["var"],
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr == f"错误：备份目录 {tmp_path} 已存在且不为空，请换一个新目录\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def postgres(history, sqlite_source, tmp_path_factory):
    """Two databases of their own beside the test database: a loaded source and a target."""
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    config = dj_database_url.parse(url)
    account = quote(config["USER"] or "", safe="")
    if config.get("PASSWORD"):
        account += ":" + quote(config["PASSWORD"], safe="")
    host = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"

    def url_of(name: str) -> str:
        return f"postgres://{account}@{host}/{name}"

    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    names = ("hotline_backup_src", "hotline_backup_dst")

    def recreate(name: str) -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    for name in names:
        recreate(name)
    root = tmp_path_factory.mktemp("postgres-source")
    source = url_of(names[0])
    var = root / "var"
    _load(source, var, history)
    # The same history as the SQLite source's: the same orders and events.
    counts = sqlite_source["counts"]
    exported = _export(source, var, root / "source.jsonl", counts["orders"])
    backup = root / "backup"
    done = _ok(_hotline("backup", "--out", backup, database=source, var=var))
    assert done.stdout.startswith(f"已备份 {_said(counts)}到 {backup}（")
    yield {
        "counts": counts,
        "source": source,
        "var": var,
        "target": url_of(names[1]),
        "recreate_target": lambda: recreate(names[1]),
        "exported": exported,
        "backup": backup,
    }
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_postgres_restore_into_an_empty_database_exports_byte_identical(postgres, tmp_path):
    backup = postgres["backup"]
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vendor"] == "postgresql"
    assert manifest["counts"] == {**postgres["counts"], "attachment_files": 1}

    postgres["recreate_target"]()
    var = tmp_path / "var"
    done = _ok(_hotline("restore", backup, database=postgres["target"], var=var))
    assert done.stdout.startswith(f"已恢复 {_said(postgres['counts'])}（用时 ")
    restored = _export(
        postgres["target"], var, tmp_path / "restored.jsonl", postgres["counts"]["orders"]
    )
    assert restored == postgres["exported"]
    assert (var / "media" / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES

    # Now the target holds data: refused, then replaced with --force.
    refused = _hotline("restore", backup, database=postgres["target"], var=var)
    assert refused.returncode == 2
    assert refused.stderr.startswith("错误：目标数据库已有数据（表 ")
    _ok(_hotline("restore", backup, "--force", database=postgres["target"], var=var))
    again = _export(postgres["target"], var, tmp_path / "again.jsonl", postgres["counts"]["orders"])
    assert again == postgres["exported"]


def test_postgres_into_a_migrated_empty_database(postgres, tmp_path):
    postgres["recreate_target"]()
    var = tmp_path / "var"
    _ok(_hotline("migrate", database=postgres["target"], var=var))
    _ok(_hotline("restore", postgres["backup"], database=postgres["target"], var=var))
    restored = _export(
        postgres["target"], var, tmp_path / "restored.jsonl", postgres["counts"]["orders"]
    )
    assert restored == postgres["exported"]


def test_postgres_refuses_a_sqlite_backup_and_sqlite_a_postgres_one(
    postgres, sqlite_source, tmp_path
):
    refused = _hotline(
        "restore", sqlite_source["backup"], database=postgres["target"], var=tmp_path / "var"
    )
    assert refused.returncode == 2
    assert refused.stderr == "错误：这是 SQLite 数据库的备份，不能恢复到 PostgreSQL 数据库\n"
    refused = _hotline(
        "restore", postgres["backup"],
        database=f"sqlite:///{tmp_path / 'new.sqlite3'}", var=tmp_path / "var",
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr == "错误：这是 PostgreSQL 数据库的备份，不能恢复到 SQLite 数据库\n"


def test_postgres_without_the_client_programs_says_so(postgres, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    refused = _hotline(
        "backup", "--out", tmp_path / "b",
        database=postgres["source"], var=postgres["var"], path=str(empty),
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.startswith("错误：找不到 pg_dump 命令：请安装")
    assert not (tmp_path / "b").exists()


def test_postgres_shows_what_pg_restore_said(postgres, tmp_path):
    backup = _copy_backup(postgres["backup"], tmp_path / "cut")
    dump = backup / "database.dump"
    dump.write_bytes(dump.read_bytes()[:2000])
    manifest = json.loads((backup / "manifest.json").read_text("utf-8"))
    manifest["files"]["database.dump"]["sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    postgres["recreate_target"]()
    refused = _hotline("restore", backup, database=postgres["target"], var=tmp_path / "var")
    assert refused.returncode == 2
    assert refused.stderr.startswith("错误：pg_restore 执行失败：\npg_restore: ")
