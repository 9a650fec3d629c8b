"""The database connection cut off under real processes (PostgreSQL only).

Each test runs the program as it runs in production — the ``hotline`` command, or
gunicorn serving the API — against the test database, and terminates that program's
database sessions from the test's own connection with ``pg_terminate_backend``, the way
a database restart or a failover does. Where the cut must fall is fixed by a lock the
test holds, not by timing: the program's session is terminated while it waits for it.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef

from hotline.orders.models import Event, Order

WAIT_SECONDS = 60


@pytest.fixture(autouse=True)
def _postgres_only(on_postgres):
    """Every test here needs PostgreSQL (``on_postgres`` skips them on SQLite)."""


def database_url() -> str:
    """The test database as the program's ``DATABASE_URL``."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user = quote(db.get("USER") or "", safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def program_env(tmp_path) -> dict[str, str]:
    """The environment of the program under test: the test database, its own folder."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        HOTLINE_VAR_DIR=str(tmp_path / "var"),
        HOTLINE_SECRET_KEY="faults-" + "k" * 50,
        HOTLINE_ALLOWED_HOSTS="127.0.0.1",
        HOTLINE_DB_CONN_MAX_AGE="60",
        HOTLINE_LOG_LEVEL="ERROR",
    )
    return env


def hotline_command() -> list[str]:
    return [str(Path(sys.executable).with_name("hotline"))]


def others_sessions(condition: str = "TRUE") -> list[int]:
    """Clients' sessions on the test database other than the test's own, matching
    ``condition`` (a SQL expression over ``pg_stat_activity``)."""
    with connection.cursor() as cursor:
        # Within a transaction PostgreSQL keeps showing the activity as first read.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            f" AND ({condition}) ORDER BY pid"
        )
        return [pid for (pid,) in cursor.fetchall()]


def terminate(pids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])


def wait_until(what: str, check, timeout: float = WAIT_SECONDS):
    """Polls ``check`` until it returns something truthy; fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; sessions: {_sessions()}")
        time.sleep(0.02)
    return found


def _sessions() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid, backend_type, state, wait_event_type, wait_event, left(query, 80)"
            " FROM pg_stat_activity WHERE datname = current_database()"
        )
        return cursor.fetchall()


def waiting_for_a_lock(count: int, *, besides: list[int] = ()):
    """A check: the sessions waiting for a lock (other than ``besides``, already
    terminated but maybe not gone yet), once there are ``count`` of them."""

    def check() -> list[int]:
        pids = [p for p in others_sessions("wait_event_type = 'Lock'") if p not in besides]
        return pids if len(pids) >= count else []

    return check


def half_written() -> dict[str, int]:
    """Orders whose events do not match their version or lack the register event, and
    events without an order: each must be 0."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM orders_event e"
            " WHERE NOT EXISTS (SELECT 1 FROM orders_order o WHERE o.id = e.order_id)"
        )
        orphan_events = cursor.fetchone()[0]
    return {
        "versions_off": Order.objects.annotate(n=Count("events")).exclude(n=F("version")).count(),
        "without_register": Order.objects.exclude(
            Exists(Event.objects.filter(order=OuterRef("pk"), seq=1, type="register"))
        ).count(),
        "orphan_events": orphan_events,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the project on loopback, as in production (sync workers)."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "hotline.project.wsgi:application",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={workers}",
                    "--timeout=120",
                    "--log-level=warning",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=output,
            )
        try:
            wait_until("the server to answer", self._answers)
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the server stopped: {self.log.read_text()}")
        try:
            urllib.request.urlopen(f"{self.url}/api/regions/", timeout=5)
        except urllib.error.HTTPError:
            return True  # 401: up and answering
        except OSError:
            return False
        return True

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def server(program_env, tmp_path):
    """Two sync workers, each keeping its database connection between requests."""
    running = Server(program_env, workers=2, log=tmp_path / "server.log")
    yield running
    running.stop()
