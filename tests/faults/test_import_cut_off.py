"""`hotline import orders` loses its database connection half-way: the file is all or
nothing, so nothing of it stays, and running it again imports it whole.

The cut falls after the first chunk of 5 000 orders has been written (the command says
so on stderr) and long before the last: the command is stopped on that line, its session
is terminated while its transaction is open, and it is let go on.
"""

import queue
import signal
import subprocess
import threading
from datetime import date

import pytest
from django.db import connection

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.orders.models import Order, OrderSequence
from hotline.orders.services.history_import import CHUNK, TABLES
from hotline.orders.services.intake import Intake, order_register
from tests.faults.conftest import (
    WAIT_SECONDS,
    half_written,
    hotline_command,
    others_sessions,
    terminate,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Several chunks, read in worker processes: the cut leaves most of the file unwritten.
ORDERS_A_MONTH = 3 * CHUNK


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")  # before generating the file
    folder = tmp_path_factory.mktemp("history")
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=1,
        seed=17,
        out=folder,
        orders_per_month=ORDERS_A_MONTH,
    )
    path = folder / "orders.jsonl"
    with path.open(encoding="utf-8") as lines:
        orders = sum(1 for _ in lines)
    assert orders > 2 * CHUNK
    return path, orders


def _contents() -> dict:
    """Rows of every table the import writes, the order numbering, and the indexes and
    constraints of those tables (a first load drops and rebuilds them)."""
    tables = list(TABLES)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[])"
            " ORDER BY 1, 2",
            [tables, tables],
        )
        constraints = cursor.fetchall()
    return {
        "rows": counts,
        "numbering": list(OrderSequence.objects.order_by("year").values_list("year", "last")),
        "indexes": indexes,
        "constraints": constraints,
    }


def _import(path, env, options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*hotline_command(), "import", "orders", str(path), *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


@pytest.mark.parametrize(
    "orders_before",
    [
        # ``--exclusive``: indexes and foreign keys dropped, rebuilt at the end
        pytest.param(0, id="first-load"),
        pytest.param(3, id="into-existing-orders"),  # every row checked as it is written
    ],
)
def test_an_import_cut_off_midway_leaves_nothing_and_runs_again(
    history, program_env, orders_before
):
    path, orders = history
    directory_import(folder=DIRECTORY)
    for n in range(orders_before):
        order_register(
            actor=None,
            intake=Intake(channel="phone", appeal_type="consult", content=f"已有的工单 {n}"),
        )
    before = _contents()

    # Into an empty database nobody uses, the first load (``--exclusive``).
    exclusive = ["--exclusive"] if orders_before == 0 else []
    importing = subprocess.Popen(
        [*hotline_command(), "import", "orders", str(path), *exclusive],
        env=program_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_lines, args=(importing.stderr, stderr), daemon=True)
    reader.start()
    try:
        first = stderr.get(timeout=WAIT_SECONDS)
        importing.send_signal(signal.SIGSTOP)
        assert first and first.startswith(f"已处理 {CHUNK:,} / {orders:,} 件工单"), first
        # Stopped with its transaction open: its session holds what it has written so far.
        (session,) = others_sessions("xact_start IS NOT NULL")
        terminate([session])
    finally:
        importing.send_signal(signal.SIGCONT)
    output = importing.stdout.read()
    assert importing.wait(timeout=300) == 3, output
    reader.join(timeout=WAIT_SECONDS)
    said = "".join(iter(stderr.get_nowait, None))
    assert "数据库不可用或连接中断" in said
    assert "已导入" not in output

    cut = _contents()
    # The order numbers it had taken, each in a short transaction of its own so that
    # intake never waited for it, stay taken (numbers are unique, not gapless: SPEC 3).
    taken, numbered = dict(cut.pop("numbering")), dict(before.pop("numbering"))
    assert all(taken[year] >= last for year, last in numbered.items())
    assert cut == before

    again = _import(path, program_env, exclusive)
    assert again.returncode == 0, again.stderr
    assert f"已导入 {orders} 件工单" in again.stdout
    assert Order.objects.count() == orders_before + orders
    after = _contents()
    assert (after["indexes"], after["constraints"]) == (before["indexes"], before["constraints"])
    assert half_written() == {"versions_off": 0, "without_register": 0, "orphan_events": 0}
