"""With nothing but the demo's SQLite, ``hotline serve`` runs the jobs itself."""

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

from hotline.domain.schedule import SCHEDULE

HOTLINE = [sys.executable, "-m", "hotline.cli"]


def test_hotline_serve_runs_the_schedule_in_a_background_thread(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "HOTLINE_"))}
    env["DJANGO_SETTINGS_MODULE"] = "hotline.project.settings"
    migrated = subprocess.run(
        [*HOTLINE, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert migrated.returncode == 0, migrated.stderr
    server = subprocess.Popen(
        [*HOTLINE, "serve", "--port", "0"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    database = tmp_path / "var" / "hotline.sqlite3"
    try:
        deadline = time.monotonic() + 120
        while True:
            with closing(sqlite3.connect(database, timeout=20)) as db:
                done = db.execute("SELECT job FROM jobs_jobrun WHERE status = 'done'").fetchall()
            if {job for (job,) in done} == set(SCHEDULE):  # every scheduled job
                break
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, f"only {done} ran"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "后台任务「超期标记」完成：新超期 0 件" in server.stderr.read()
