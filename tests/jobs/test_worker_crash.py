"""A worker killed mid-job, restarted, finishes the job once (Redis queue, real
``hotline worker`` processes, on SQLite or on the PostgreSQL of DATABASE_URL)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from hotline.demo import DIRECTORY

redis = pytest.importorskip("redis")

REDIS_URL = "redis://127.0.0.1:6379/5"  # this suite's own Redis database
HOTLINE = [sys.executable, "-m", "hotline.cli"]
ORDERS = 600
CRASH_DATABASE = "hotline_jobs_crash"


@pytest.fixture
def queue():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def database(tmp_path):
    """A database of its own, which the worker processes and this test share."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {CRASH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {CRASH_DATABASE}")
    yield urlunsplit(parts._replace(path=f"/{CRASH_DATABASE}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {CRASH_DATABASE} WITH (FORCE)")


def _query(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


def _history(path: Path) -> None:
    """Orders signed for by 岳塘区 in March 2025, all long overdue and never supervised."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(ORDERS):
            line = {
                "channel": "phone",
                "received_at": "2025-03-03T09:00:00+08:00",
                "appeal_type": "complaint",
                "content": f"小区夜间施工噪音扰民（第 {n} 户）",
                "citizen": {"name": "李先生", "phone": f"138{n:08d}"},
                "disposition": "dispatched",
                "events": [
                    {"type": "dispatch", "at": "2025-03-03T09:05:00+08:00", "unit": "U-YT"},
                    {
                        "type": "sign",
                        "at": "2025-03-03T10:00:00+08:00",
                        "unit": "U-YT",
                        "deadline": "2025-03-17T23:59:59+08:00",
                    },
                ],
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def test_a_worker_killed_mid_job_restarted_finishes_the_job_once(queue, database, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "HOTLINE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="hotline.project.settings",
        DATABASE_URL=database,
        HOTLINE_VAR_DIR=str(tmp_path / "var"),
        HOTLINE_JOBS="redis",
        HOTLINE_REDIS_URL=REDIS_URL,
        # A dead worker's jobs go back to the queue after 2 s of silence, looked for on
        # every queue command: the restarted worker finds them at once.
        HOTLINE_JOBS_HEARTBEAT_SECONDS="2",
        HOTLINE_JOBS_REQUEUE_CHECKS="1000000",
    )

    def hotline(*args: str) -> str:
        done = subprocess.run(
            [*HOTLINE, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def worker(name: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        return subprocess.Popen(
            [*HOTLINE, "worker", "--threads", "1", "--no-schedule"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def supervised() -> int:
        events = "SELECT COUNT(*) FROM orders_event WHERE type = 'supervision'"
        return _query(database, events)[0][0]

    def run_row() -> tuple:
        return _query(
            database, "SELECT status, attempts FROM jobs_jobrun WHERE job = 'overdue_supervision'"
        )[0]

    hotline("migrate")
    hotline("import", "directory", str(DIRECTORY))
    _history(tmp_path / "orders.jsonl")
    hotline("import", "orders", str(tmp_path / "orders.jsonl"))

    first = worker("first")
    try:
        queued = hotline("jobs", "run", "overdue_supervision", "--queue")
        assert "已将「超期自动督办」放入队列" in queued
        deadline = time.monotonic() + 300
        while supervised() < 20:
            assert first.poll() is None, (tmp_path / "first.log").read_text()
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    at_the_kill = supervised()
    assert 20 <= at_the_kill < ORDERS, "the job ended before the worker could be killed"
    assert run_row() == ("running", 1)

    second = worker("second")
    try:
        deadline = time.monotonic() + 300
        while run_row()[0] != "done":
            assert second.poll() is None, (tmp_path / "second.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()
            time.sleep(0.2)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=90) == 0
    finally:
        if second.poll() is None:
            second.kill()

    # Every overdue order supervised exactly once, whichever worker did it.
    per_order = _query(
        database,
        "SELECT order_id, COUNT(*) FROM orders_event WHERE type = 'supervision' GROUP BY order_id",
    )
    assert len(per_order) == ORDERS and {n for _, n in per_order} == {1}
    assert _query(database, "SELECT COUNT(*) FROM orders_supervision")[0][0] == ORDERS
    marks = "SELECT COUNT(*) FROM jobs_deadlinemark WHERE step = 'supervision'"
    assert _query(database, marks)[0][0] == ORDERS
    # Started twice (before the kill and after), finished once.
    assert run_row() == ("done", 2)
    summary = _query(database, "SELECT summary FROM jobs_jobrun")[0][0]
    assert summary == f"超期自动督办 {ORDERS - at_the_kill} 件"
    # The interrupted transaction left nothing behind: every event chain is intact.
    assert "未发现篡改" in hotline("audit", "verify")
