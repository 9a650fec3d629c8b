"""Load test of the REST API under gunicorn on PostgreSQL (issue 7; SPEC 13's intake target).

    python bench/load_test.py --database-url URL --operators 200 --units 50 --minutes 5
    python bench/load_test.py --database-url URL --intake-rate 100 --minutes 2
    python bench/load_test.py --database-url URL --intake-rate 0 --intake-users 16 --minutes 2

The first form is the working day: ``--operators`` operators register orders through the
API with token auth and dispatch each to one of ``--units`` units, whose unit handlers
sign for them and reply (``bench/locustfile.py``). The others measure intake alone:
``--intake-rate`` orders/s in total from ``--intake-users`` clients, 0 for as fast as the
server answers.

``--app-servers 2`` runs the production topology of docs/operations.md on this
machine: that many gunicorn app servers behind HAProxy (Debian's package, installed
when missing), with ``--job-workers`` Dramatiq workers (``hotline worker``) taking the
background jobs from Redis (``--redis-url``) and, with ``--replica-url``, the reading
pages on a streaming replica (``bin/replica start`` makes one).

The script creates the database when it does not exist (``--fresh`` drops it first),
migrates it, loads the demo directory and makes the accounts and their tokens; starts
gunicorn on loopback; runs locust headless for ``--minutes``; stops the server; and then
checks the database against what the clients were told: every accepted registration
exactly once (found by the marker each carries in its content) under the number the
server returned, no order that was not accepted, numbers unique, every dispatch, sign-for
and reply that succeeded recorded exactly once, and no order whose events do not match it.
It prints each request's latency percentiles, the load average during the run and the
CPU time taken by gunicorn, PostgreSQL, locust and the rest of the machine; with
``--profile FILE`` it also samples the gunicorn workers with py-spy and prints the
functions that took the most of their time. Exits 1 when a request failed or a check did.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg

BENCH = Path(__file__).resolve().parent
TEXTS = [
    "小区楼下夜间施工噪音扰民，影响休息",
    "路灯损坏多日无人维修，夜间出行不便",
    "自来水水质发黄，希望尽快检测处理",
    "小区物业乱收停车费，要求核查",
    "公交站台广告牌松动，存在安全隐患",
    "反映单位拖欠工资三个月未发放",
    "咨询医保异地就医备案办理流程",
    "道路井盖缺失，车辆行人经过危险",
]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://… (created if missing)")
    parser.add_argument("--fresh", action="store_true", help="drop and create the database first")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--operators", type=int, default=200)
    parser.add_argument("--units", type=int, default=50, help="units, one unit handler each")
    parser.add_argument(
        "--operator-wait",
        type=float,
        nargs=2,
        default=(20, 60),
        metavar=("MIN", "MAX"),
        help="seconds an operator spends on a call between two orders (default 20 60)",
    )
    parser.add_argument(
        "--unit-wait",
        type=float,
        nargs=2,
        default=(10, 30),
        metavar=("MIN", "MAX"),
        help="seconds a unit handler waits between two looks at the inbox (default 10 30)",
    )
    parser.add_argument(
        "--intake-rate", type=float, help="measure intake alone: orders/s in total, 0 = flat out"
    )
    parser.add_argument("--intake-users", type=int, default=50, help="clients for --intake-rate")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers per server")
    parser.add_argument("--app-servers", type=int, default=1, help="behind HAProxy when > 1")
    parser.add_argument("--job-workers", type=int, default=0, help="hotline worker processes")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--replica-url", help="HOTLINE_REPLICA_URL of the app servers")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--profile", type=Path, help="py-spy samples of the workers (raw format)")
    return parser.parse_args()


# --- the database -----------------------------------------------------------------------


def _ensure_database(url: str, fresh: bool) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise SystemExit(f"database name {name!r}: letters, digits and _ only")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def _prepare(url: str, operators: int, units: int) -> dict:
    """Schema, directory, accounts and tokens; returns what the plan needs of them."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from hotline.accounts.models import User
    from hotline.accounts.services import user_create
    from hotline.demo import DIRECTORY
    from hotline.directory.models import Category, Region, Unit
    from hotline.directory.services import directory_import
    from hotline.domain.enums import Role

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        directory_import(folder=DIRECTORY)
    # These accounts never sign in (they use tokens): a fast hash of a random password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    chosen_units = list(Unit.objects.filter(active=True).order_by("code")[:units])
    if len(chosen_units) < units:
        raise SystemExit(f"the directory has only {len(chosen_units)} units")

    def account(username: str, role: Role, unit=None) -> str:
        user = User.objects.filter(username=username).first() or user_create(
            username=username, role=role, password=secrets.token_urlsafe(), unit=unit
        )
        return Token.objects.get_or_create(user=user)[0].key

    return {
        "operator_tokens": [
            account(f"load-operator-{n:03d}", Role.OPERATOR) for n in range(1, operators + 1)
        ],
        "units": [
            {"code": unit.code, "token": account(f"load-unit-{unit.code}", Role.UNIT_HANDLER, unit)}
            for unit in chosen_units
        ],
        "categories": list(
            Category.objects.filter(level=3, active=True).values_list("code", flat=True)
        ),
        "regions": list(Region.objects.filter(level="town").values_list("code", flat=True)),
    }


# --- the server and the machine --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(args, url: str, folder: Path, secret: str) -> dict[str, str]:
    """What every process of the topology shares: the database, the secret, and with
    several app servers or job workers the Redis cache and queue and the replica."""
    env = dict(
        os.environ,
        DATABASE_URL=url,
        HOTLINE_SECRET_KEY=secret,
        HOTLINE_ALLOWED_HOSTS="127.0.0.1",
        HOTLINE_VAR_DIR=str(folder / "var"),
        HOTLINE_LOG_LEVEL="WARNING",
    )
    if args.app_servers > 1 or args.job_workers:
        env.update(HOTLINE_REDIS_URL=args.redis_url, HOTLINE_JOBS="redis")
    if args.replica_url:
        env["HOTLINE_REPLICA_URL"] = args.replica_url
    return env


def _start_server(env: dict, port: int, workers: int, folder: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "hotline.project.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--backlog=2048",
        "--timeout=120",
        "--log-level=warning",
    ]
    log_path = folder / f"gunicorn-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    _answering(f"http://127.0.0.1:{port}", server, log_path)
    return server


# A server starting on a busy machine may take minutes to import its code.
STARTUP_WAIT = 180


def _answering(host: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{log_path.name}: stopped\n" + log_path.read_text())
        try:
            urllib.request.urlopen(f"{host}/api/regions/", timeout=5)
        except urllib.error.HTTPError:
            return  # 401: answering
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"{host} did not answer within {STARTUP_WAIT} s")


HAPROXY_CONFIG = """
global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 300s
    timeout server 300s
frontend hotline
    bind 127.0.0.1:{port}
    default_backend app_servers
backend app_servers
    balance leastconn
{servers}
"""


def _start_balancer(port: int, server_ports: list[int], folder: Path) -> subprocess.Popen:
    """HAProxy in front of the app servers (each request to the least busy one)."""
    if not shutil.which("haproxy"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "haproxy"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        )
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{p} maxconn 16" for n, p in enumerate(server_ports)
    )
    config = folder / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    log_path = folder / "haproxy.log"
    with log_path.open("w") as log:
        balancer = subprocess.Popen(
            ["haproxy", "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
    _answering(f"http://127.0.0.1:{port}", balancer, log_path)
    return balancer


def _start_job_workers(env: dict, count: int, folder: Path) -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        with (folder / f"worker-{n}.log").open("w") as log:
            workers.append(
                subprocess.Popen(
                    [str(Path(sys.executable).with_name("hotline")), "worker"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return workers


def _warm_up(host: str, token: str, workers: int) -> None:
    """A few requests to every worker first: each loads the URLs and the views on its
    first request (about a second), which is not what the run measures."""

    def ask(_):
        request = urllib.request.Request(
            f"{host}/api/orders/?page_size=1", headers={"Authorization": f"Token {token}"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()

    with ThreadPoolExecutor(2 * workers) as pool:
        list(pool.map(ask, range(8 * workers)))


def _tree_cpu(root: psutil.Process) -> float:
    total = 0.0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return total
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _machine_busy() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


class Monitor(threading.Thread):
    """Samples the load average and the CPU time of the database's sessions every two
    seconds; takes the CPU time of each party (the app servers, the balancer, the job
    workers: ``parties``) and of the whole machine at the start and the end."""

    def __init__(self, parties: dict[str, list[subprocess.Popen]], url: str):
        super().__init__(daemon=True)
        self.parties = {
            name: [psutil.Process(p.pid) for p in processes] for name, processes in parties.items()
        }
        self.url = url
        self.loads: list[float] = []
        self.sessions: dict[int, float] = {}  # backend pid → CPU seconds when last seen
        self.stopping = threading.Event()
        self.start_cpu = self._cpu()

    def _cpu(self) -> dict[str, float]:
        used = {name: sum(map(_tree_cpu, roots)) for name, roots in self.parties.items()}
        return {**used, "machine": _machine_busy()}

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as watch:
            while not self.stopping.wait(2):
                self.loads.append(os.getloadavg()[0])
                pids = watch.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
                for (pid,) in pids:
                    try:
                        times = psutil.Process(pid).cpu_times()
                    except psutil.NoSuchProcess:
                        continue
                    self.sessions[pid] = times.user + times.system

    def stop(self, client_cpu: float) -> dict[str, float]:
        """CPU seconds used during the run by each party (``client_cpu``: locust's)."""
        self.stopping.set()
        self.join()
        end = self._cpu()
        used = {name: end[name] - self.start_cpu[name] for name in end}
        # A session's last two seconds before it reconnects are not seen: a slight undercount.
        used["postgresql"] = sum(self.sessions.values())
        used["locust"] = client_cpu
        used["rest of the machine"] = used.pop("machine") - sum(used.values())
        return used


# --- the run ------------------------------------------------------------------------------


def _run_locust(args, plan_path: Path, host: str, users: int, folder: Path) -> tuple[int, float]:
    """Locust's exit code and the CPU seconds it used."""
    classes = ["Operator"] if args.intake_rate is not None else ["Operator", "UnitHandler"]
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        f"--users={users}",
        f"--spawn-rate={max(1, users // 10)}",
        f"--run-time={int(args.minutes * 60)}s",
        # Users finish the request under way when the time is up: none is cut off unseen.
        "--stop-timeout=300",
        "--only-summary",
        "--loglevel=WARNING",
        f"--host={host}",
        *classes,
    ]
    env = dict(os.environ, HOTLINE_LOAD_PLAN=str(plan_path))
    with (folder / "locust.log").open("w") as log:
        client = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(client.pid, 0)
        client.returncode = os.waitstatus_to_exitcode(status)
    return client.returncode, usage.ru_utime + usage.ru_stime


def _profile(server: subprocess.Popen, seconds: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(server.pid),
            "--subprocesses",
            "--nonblocking",
            "--rate=50",
            "--format=raw",
            f"--duration={seconds}",
            f"--output={out}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# Where a request's time goes, by the frames a sample passes through (inclusive).
_BUCKETS = {
    "in psycopg (the database's time, the wait for it, and the socket)": "(psycopg/",
    "Django building SQL (as_sql)": "SQLCompiler.as_sql (",
    "DRF reading input (is_valid)": "BaseSerializer.is_valid (",
    "DRF writing output (to_representation)": "Serializer.to_representation (",
    "token authentication": "TokenAuthentication.authenticate (",
    "the working-day calendar (deadlines)": "(hotline/domain/calendar.py)",
}


def _where_the_time_goes(raw: Path, top: int = 25) -> None:
    """The share of the workers' request-handling samples spent in a few kinds of work
    and in the project's own functions (inclusive), and the busiest leaf functions."""
    inclusive: Counter = Counter()
    leaves: Counter = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        if not samples.isdigit() or not any("handle_request" in f for f in frames):
            continue  # the master process and workers waiting for a connection
        count = int(samples)
        total += count
        leaves[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
        for bucket, needle in _BUCKETS.items():
            if any(needle in frame for frame in frames):
                inclusive[bucket] += count
    if not total:
        return
    print(f"\nWhere the workers' time goes ({total} samples while handling requests):")
    for bucket in _BUCKETS:
        print(f"  {100 * inclusive[bucket] / total:5.1f} %  {bucket}")
    print("  the project's functions (inclusive):")
    own = [(f, n) for f, n in inclusive.most_common() if "(hotline/" in f and "security/" not in f]
    for frame, count in own[:top]:
        print(f"  {100 * count / total:5.1f} %  {frame}")
    print("  leaf functions (where the samples stood):")
    for frame, count in leaves.most_common(10):
        print(f"  {100 * count / total:5.1f} %  {frame}")


# --- the check ----------------------------------------------------------------------------


def _check(run: str, since: datetime, results: dict) -> list[str]:
    """Problems found in the database against what the clients were told (none: []).
    ``since``: when the run started (unit handlers also work on earlier runs' orders)."""
    from django.db import connection

    like = f"%（编号 {run}-%"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number, substring(content from %s) FROM orders_order WHERE content LIKE %s",
            [f"（编号 ({re.escape(run)}-[0-9]+-[0-9]+)）", like],
        )
        stored = cursor.fetchall()
        cursor.execute("SELECT count(*) - count(DISTINCT number) FROM orders_order")
        repeated_numbers = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE events.n <> o.version),
                   count(*) FILTER (WHERE NOT events.registered)
            FROM orders_order o
            CROSS JOIN LATERAL (
                SELECT count(*) AS n, bool_or(e.seq = 1 AND e.type = 'register') AS registered
                FROM orders_event e WHERE e.order_id = o.id
            ) events
            WHERE o.content LIKE %s
            """,
            [like],
        )
        versions_off, unregistered = cursor.fetchone()
        cursor.execute(
            """
            SELECT e.type, o.number
            FROM orders_event e
            JOIN orders_order o ON o.id = e.order_id
            JOIN accounts_user u ON u.id = e.actor_id
            WHERE e.at >= %s AND e.type IN ('dispatch', 'sign', 'reply')
              AND u.username LIKE 'load-%%'
            """,
            [since],
        )
        events = Counter(cursor.fetchall())

    problems = []
    accepted = results["accepted"]
    # Requests the client stopped waiting for when the run ended: they may or may not
    # have been done, and are counted apart (the run lets users finish: normally none).
    unanswered = {tuple(pair) for pair in results["unanswered"]}
    markers = Counter(marker for _, marker in stored)
    duplicated = [m for m, n in markers.items() if n > 1]
    found = {marker: number for number, marker in stored}
    lost = [m for m, number in accepted.items() if found.get(m) != number]
    extra = [m for m in markers if m not in accepted and ("register", m) not in unanswered]
    for what, items in (
        ("accepted but not stored (or under another number)", lost),
        ("stored more than once", duplicated),
        ("stored without having been accepted", extra),
    ):
        if items:
            problems.append(f"{len(items)} orders {what}: {sorted(items)[:5]}")
    if repeated_numbers:
        problems.append(f"{repeated_numbers} order numbers repeated")
    if versions_off or unregistered:
        problems.append(
            f"{versions_off} orders whose events do not match their version, "
            f"{unregistered} without their register event"
        )
    for action in ("dispatch", "sign", "reply"):
        told = Counter((action, number) for number in results["done"].get(action, []))
        recorded = Counter({key: n for key, n in events.items() if key[0] == action})
        missing = told - recorded
        unseen = [key for key in recorded - told if key not in unanswered]
        if missing or unseen or max(recorded.values(), default=1) > 1:
            problems.append(
                f"{action}: {sum(told.values())} succeeded, {sum(recorded.values())} recorded;"
                f" {len(missing)} not recorded, {len(unseen)} recorded without success"
            )
    return problems


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def _report(args, results: dict, cpu: dict, loads: list[float], seconds: float) -> None:
    span = results["span"]
    duration = (span["last"] - span["first"]) if span["first"] else seconds
    failures = Counter(refusal["name"] for refusal in results["refused"])
    print(
        f"\nload average (1 min) during the run: mean {sum(loads) / max(len(loads), 1):.1f},"
        f" max {max(loads, default=0):.1f}"
    )
    print(f"requests over {duration:.0f} s:\n")
    print("| request | count | errors | per s | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, times in sorted(results["latencies"].items()):
        times.sort()
        print(
            f"| {name} | {len(times)} | {failures[name]} | {len(times) / duration:.1f} "
            f"| {_percentile(times, 0.5):.0f} | {_percentile(times, 0.95):.0f} "
            f"| {_percentile(times, 0.99):.0f} | {times[-1]:.0f} |"
        )
    done = {action: len(numbers) for action, numbers in results["done"].items()}
    print(f"\norders accepted {len(results['accepted'])}, {done}")
    if results["unanswered"]:
        print(f"unanswered when the run stopped: {results['unanswered'][:10]}")
    print("CPU seconds: " + ", ".join(f"{name} {value:.0f}" for name, value in cpu.items()))
    requests = sum(len(times) for times in results["latencies"].values())
    print(
        f"CPU per request ({requests}): gunicorn {1000 * cpu['gunicorn'] / requests:.1f} ms,"
        f" PostgreSQL {1000 * cpu['postgresql'] / requests:.1f} ms,"
        f" locust {1000 * cpu['locust'] / requests:.1f} ms"
    )
    for refusal in results["refused"][:10]:
        print(f"  refused: {refusal}")


def main() -> int:
    args = _arguments()
    intake = args.intake_rate is not None
    _ensure_database(args.database_url, args.fresh)
    operators = args.intake_users if intake else args.operators
    accounts = _prepare(args.database_url, operators, args.units)
    started_at = datetime.now().astimezone()
    run = "LT" + started_at.strftime("%Y%m%d%H%M%S")
    folder = Path(tempfile.mkdtemp(prefix="hotline-load-"))
    plan = {
        **accounts,
        "run": run,
        "mode": "intake" if intake else "work",
        "operators": operators,
        "unit_handlers": args.units,
        "rate": args.intake_rate or 0,
        "operator_wait": args.operator_wait,
        "unit_wait": args.unit_wait,
        "texts": TEXTS,
        "results": str(folder / "results.json"),
    }
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False))
    users = plan["operators"] + (0 if intake else args.units)
    print(
        f"run {run}: {'intake at ' + str(args.intake_rate) + ' orders/s' if intake else 'work'},"
        f" {users} users, {args.minutes:g} min, {args.app_servers} app server(s) of"
        f" {args.workers} gunicorn sync workers, {args.job_workers} job worker(s)"
        f"{', reads from the replica' if args.replica_url else ''};"
        f" load average {os.getloadavg()[0]:.2f}; files in {folder}"
    )

    from django.db import connections

    connections.close_all()  # the checks open a fresh one after the run
    env = _environment(args, args.database_url, folder, secrets.token_urlsafe(50))
    port = args.port or _free_port()
    server_ports = (
        [port] if args.app_servers == 1 else [_free_port() for _ in range(args.app_servers)]
    )
    parties: dict[str, list[subprocess.Popen]] = {"gunicorn": [], "haproxy": [], "job workers": []}
    host = f"http://127.0.0.1:{port}"
    profiler = None
    try:  # whatever happens, every process started is stopped
        for server_port in server_ports:
            parties["gunicorn"].append(_start_server(env, server_port, args.workers, folder))
        if args.app_servers > 1:
            parties["haproxy"].append(_start_balancer(port, server_ports, folder))
        parties["job workers"] = _start_job_workers(env, args.job_workers, folder)
        _warm_up(host, plan["operator_tokens"][0], args.workers * args.app_servers)
        monitor = Monitor(parties, args.database_url)
        monitor.start()
        started = time.monotonic()
        if args.profile:
            profiler = _profile(parties["gunicorn"][0], int(args.minutes * 60), args.profile)
        locust_code, locust_cpu = 1, 0.0
        try:
            locust_code, locust_cpu = _run_locust(args, plan_path, host, users, folder)
        finally:
            cpu = monitor.stop(locust_cpu)
        seconds = time.monotonic() - started
    finally:
        for process in (p for processes in parties.values() for p in processes):
            process.send_signal(signal.SIGTERM)
        for process in (p for processes in parties.values() for p in processes):
            process.wait(timeout=120)
        if profiler:
            profiler.wait(timeout=120)

    results_file = Path(plan["results"])
    if not results_file.exists():
        print((folder / "locust.log").read_text())
        raise SystemExit("locust wrote no results")
    results = json.loads(results_file.read_text())
    _report(args, results, cpu, monitor.loads, seconds)
    problems = _check(run, started_at, results)
    print("\ncheck of the database: " + ("every request accounted for" if not problems else ""))
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    if args.profile:
        _where_the_time_goes(args.profile)
    return 1 if problems or results["refused"] or locust_code not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
