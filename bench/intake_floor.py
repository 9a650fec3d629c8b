"""The database's floor under intake (issue 7; SPEC 13: intake ≥ 300 orders/s).

    python bench/intake_floor.py --database-url URL [--clients 16] [--seconds 20]

Runs, with ``pgbench``, the writes one registration makes — take the year's next order
number, insert the order and its register event, commit — from ``--clients`` sessions at
once, as fast as PostgreSQL commits them, twice:

* ``row``: the number taken as ``order_register`` takes it, by incrementing the year's
  row of a sequence table inside the registration's transaction; the row stays locked
  until that transaction commits, so registrations queue behind each other's commit
  (and its flush to disk);
* ``sequence``: the number taken from a PostgreSQL sequence, which locks nothing, so
  commits overlap (group commit).

The tables are scratch copies (``floor_*``) made in the given database and dropped after.
It prints the registrations per second and the mean latency of each.
"""

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

SETUP = """
DROP TABLE IF EXISTS floor_event, floor_order, floor_sequence;
DROP SEQUENCE IF EXISTS floor_number;
CREATE TABLE floor_sequence (year integer PRIMARY KEY, last integer NOT NULL);
INSERT INTO floor_sequence VALUES (2026, 0);
CREATE SEQUENCE floor_number;
CREATE TABLE floor_order (
    id bigserial PRIMARY KEY, number varchar(11) UNIQUE NOT NULL,
    received_at timestamptz NOT NULL, content text NOT NULL, state jsonb NOT NULL,
    version integer NOT NULL
);
CREATE INDEX ON floor_order (received_at);
CREATE TABLE floor_event (
    id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES floor_order (id),
    seq integer NOT NULL, type varchar(24) NOT NULL, data jsonb NOT NULL,
    chain_hash varchar(64) NOT NULL, UNIQUE (order_id, seq)
);
"""
TEARDOWN = """
DROP TABLE IF EXISTS floor_event, floor_order, floor_sequence;
DROP SEQUENCE IF EXISTS floor_number;
"""
NUMBER = {
    "row": "UPDATE floor_sequence SET last = last + 1 WHERE year = 2026 RETURNING last \\gset",
    "sequence": "SELECT nextval('floor_number') AS last \\gset",
}
REGISTRATION = """
BEGIN;
{number}
INSERT INTO floor_order (number, received_at, content, state, version)
    VALUES ('2026' || lpad(:last::text, 7, '0'), now(), repeat('小区楼下夜间施工噪音扰民', 8),
            '{{"status": "registered", "urgent": false}}', 1)
    RETURNING id \\gset
INSERT INTO floor_event (order_id, seq, type, data, chain_hash)
    VALUES (:id, 1, 'register', '{{"urgent": false}}', md5(:id::text) || md5(:last::text));
COMMIT;
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise SystemExit("pgbench not found (Debian: postgresql-contrib or postgresql-15)")
    parts = urlsplit(args.database_url)
    with psycopg.connect(args.database_url, autocommit=True) as connection:
        connection.execute(SETUP)
        try:
            with tempfile.TemporaryDirectory() as folder:
                for name, number in NUMBER.items():
                    # Both runs hand out numbers from 1: each starts on empty tables.
                    connection.execute("TRUNCATE floor_event, floor_order")
                    script = Path(folder) / f"{name}.sql"
                    script.write_text(REGISTRATION.format(number=number))
                    done = subprocess.run(
                        [
                            pgbench,
                            "--no-vacuum",
                            f"--client={args.clients}",
                            "--jobs=2",
                            f"--time={args.seconds}",
                            f"--file={script}",
                            f"--host={parts.hostname or '127.0.0.1'}",
                            f"--port={parts.port or 5432}",
                            f"--username={parts.username or 'postgres'}",
                            parts.path.lstrip("/"),
                        ],
                        env=dict(os.environ, PGPASSWORD=parts.password or ""),
                        capture_output=True,
                        text=True,
                    )
                    if done.returncode:
                        raise SystemExit(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
                    tps = re.search(r"tps = ([\d.]+)", done.stdout).group(1)
                    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout).group(1)
                    print(
                        f"number from a {name:8}: {float(tps):7.0f} registrations/s,"
                        f" mean latency {float(latency):6.1f} ms ({args.clients} clients)"
                    )
        finally:
            connection.execute(TEARDOWN)


if __name__ == "__main__":
    main()
