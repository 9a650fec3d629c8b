"""A job that runs in a process of its own (retraining) stops when the server stops:
nothing keeps training after `hotline serve` is gone."""

import sys
import threading
import time

from hotline.jobs import runner
from hotline.jobs.backends import EmbeddedBackend


def test_stopping_the_embedded_jobs_stops_their_processes(monkeypatch):
    monkeypatch.setattr(
        runner,
        "child_command",
        lambda name, run_id: [sys.executable, "-c", "import time; time.sleep(120)"],
    )
    worker = threading.Thread(target=runner.run_in_child, args=("model_retrain", None))
    worker.start()
    deadline = time.monotonic() + 30
    while not runner._children and time.monotonic() < deadline:
        time.sleep(0.05)
    [child] = list(runner._children)
    EmbeddedBackend().stop()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert child.returncode is not None and child.returncode < 0
    assert runner._children == set()
