"""CPU per registration against two floors, all processes counted (SPEC 13, 2026-12:
intake ≤ 3× the CPU of a minimal Django view inserting one row).

    python bench/intake_cpu.py --database-url postgres://postgres@127.0.0.1:5432/hotline_intake \
        [--requests 300] [--rounds 3] [--compare FOLDER] [--history]

Three servers, each gunicorn with one sync worker on loopback, all on the same
database:

* product: ``POST /api/orders/`` of the product (token authentication, the intake's
  checks, the order number, the citizen, the order and its register event, the answer);
* Django floor: a minimal Django view (no middleware, no app) that reads the same JSON
  body and inserts one row in a transaction (``bench/intake_floors.py``);
* WSGI floor: a bare WSGI function doing the same through psycopg;
* with ``--compare FOLDER``: the product as another checkout has it (``git archive`` of
  another commit into FOLDER; same migrations), a fourth server in the same rounds, so
  that a change is measured against the code before it under the same load.

For ``--rounds`` rounds, each server in turn (product and floors interleaved, so that
what else the machine does weighs on all alike) gets ``--requests`` registrations,
one at a time. The CPU of each is the server's process tree plus the PostgreSQL
backends of the database (read from /proc: the server runs on this machine), per
registration; the table gives the medians over the rounds and the product's ratio to
each floor, with the load average.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import psycopg
from load_test import _answering, _ensure_database, _free_port, _prepare, _tree_cpu

BENCH = Path(__file__).resolve().parent

SERVERS = {
    "product": "hotline.project.wsgi:application",
    "Django floor": "intake_floors:django_floor",
    "WSGI floor": "intake_floors:wsgi_floor",
}


def _body(n: int, category: str, region: str) -> bytes:
    return json.dumps(
        {
            "channel": "phone",
            "appeal_type": "complaint",
            "content": f"小区楼下夜间施工噪音扰民，影响休息（第 {n} 件）",
            "category": category,
            "region": region,
            "address": "书院路12号",
            "citizen": {"name": "李先生", "phone": f"138{n % 10**8:08d}", "kind": "urban"},
        },
        ensure_ascii=False,
    ).encode()


def _start(app: str, port: int, env: dict, folder: Path) -> subprocess.Popen:
    log_path = folder / f"{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                f"--bind=127.0.0.1:{port}",
                "--workers=1",
                f"--chdir={BENCH}",
                "--log-level=warning",
            ],
            env=env,
            # Not the caller's folder: ``-m`` puts the working folder first on the path,
            # and a checkout there would shadow the one ``PYTHONPATH`` names.
            cwd=BENCH,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    _answering(f"http://127.0.0.1:{port}", server, log_path)
    return server


def _backends_cpu(watch: psycopg.Connection) -> float:
    total = 0.0
    for (pid,) in watch.execute(
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall():
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _post(port: int, body: bytes, token: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/api/orders/",
        body,
        {"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    response = connection.getresponse()
    answer = response.read()
    connection.close()
    if response.status != 201:
        raise SystemExit(f"{port}: {response.status} {answer[:300]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another checkout of the product")
    parser.add_argument(
        "--history",
        action="store_true",
        help="register into the database as it is, history and all (the ten-million one: "
        "SPEC 13's figures at 1 M and 10 M orders), instead of making it afresh; the floors "
        "insert into a table of their own, as always",
    )
    args = parser.parse_args()

    _ensure_database(args.database_url, fresh=not args.history)
    accounts = _prepare(args.database_url, operators=1, units=1)
    from django.db import connections

    connections.close_all()
    from intake_floors import TABLE

    with psycopg.connect(args.database_url, autocommit=True) as setup:
        setup.execute(TABLE)
    token = accounts["operator_tokens"][0]
    category, region = accounts["categories"][0], accounts["regions"][0]
    folder = Path(tempfile.mkdtemp(prefix="hotline-intake-cpu-"))
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        HOTLINE_SECRET_KEY="bench-" + os.urandom(16).hex(),
        HOTLINE_ALLOWED_HOSTS="127.0.0.1",
        HOTLINE_VAR_DIR=str(folder / "var"),
        HOTLINE_DB_CONN_MAX_AGE="600",
        HOTLINE_LOG_LEVEL="WARNING",
        # The servers run the checkout this bench belongs to (``--compare``: another).
        PYTHONPATH=os.pathsep.join(
            [str(BENCH), str(BENCH.parent), os.environ.get("PYTHONPATH", "")]
        ),
    )
    apps = {name: (app, env) for name, app in SERVERS.items()}
    if args.compare:
        apps["product (compared)"] = (
            SERVERS["product"],
            dict(env, PYTHONPATH=os.pathsep.join([str(args.compare.resolve()), env["PYTHONPATH"]])),
        )
    ports = {name: _free_port() for name in apps}
    servers = {
        name: _start(app, ports[name], app_env, folder) for name, (app, app_env) in apps.items()
    }
    per_request: dict[str, list[tuple[float, float]]] = {name: [] for name in apps}
    loads = []
    n = 0
    try:
        with psycopg.connect(args.database_url, autocommit=True) as watch:
            for name in servers:  # each process's first requests load its code
                for _ in range(5):
                    n += 1
                    _post(ports[name], _body(n, category, region), token)
            for _ in range(args.rounds):
                loads.append(os.getloadavg()[0])
                for name, server in servers.items():
                    tree = psutil.Process(server.pid)
                    app, database = _tree_cpu(tree), _backends_cpu(watch)
                    for _ in range(args.requests):
                        n += 1
                        _post(ports[name], _body(n, category, region), token)
                    per_request[name].append(
                        (
                            (_tree_cpu(tree) - app) / args.requests * 1000,
                            (_backends_cpu(watch) - database) / args.requests * 1000,
                        )
                    )
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.wait(timeout=60)

    print(
        f"{args.requests} registrations per server and round, {args.rounds} rounds interleaved;"
        f" load average at each round's start: {', '.join(f'{x:.2f}' for x in loads)}"
    )
    print(
        "| server | CPU ms: app | CPU ms: database | CPU ms: total | product / this"
        " | total per round |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    totals = {}
    for name, rounds in per_request.items():
        app = statistics.median(r[0] for r in rounds)
        database = statistics.median(r[1] for r in rounds)
        totals[name] = statistics.median(r[0] + r[1] for r in rounds)
        print(
            f"| {name} | {app:.2f} | {database:.2f} | {totals[name]:.2f} |"
            f" {totals['product'] / totals[name]:.1f} |"
            f" {', '.join(f'{r[0] + r[1]:.2f}' for r in rounds)} |"
        )


if __name__ == "__main__":
    main()
