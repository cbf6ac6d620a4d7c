"""A PostgreSQL server of the benchmarks' own, for ``make bench`` without ``DATABASE_URL``.

Its data directory is ``var/bench/pg/`` and outlives the run, so a generated province (minutes to build) is reused
by the next run; the server itself runs only while the benchmarks do. Durability is PostgreSQL's default (fsync on,
synchronous commit): the write benchmarks measure commits as a deployment makes them. As root (these machines), the
server runs as the ``postgres`` system user through ``scripts/pg_ctl_as_postgres``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from bench.data import BENCH_DIR

ROOT = Path(__file__).resolve().parent.parent
PG_CTL = ROOT / "scripts" / "pg_ctl_as_postgres"
# another checkout's bench server may hold the default port: BENCH_PG_PORT picks another
PORT = int(os.environ.get("BENCH_PG_PORT", "55439"))
DATABASE = "bianzhi_bench"
# a deployment's settings for a database of this size, not the test suite's fsync=off
SERVER_OPTIONS = (
    f"-p {PORT} -c listen_addresses=127.0.0.1 -c max_connections=120 -c shared_buffers=1GB -c work_mem=32MB"
    " -c maintenance_work_mem=512MB -c max_wal_size=4GB -c checkpoint_timeout=15min"
)


def _home() -> Path:
    return (BENCH_DIR / "pg").resolve()


def _pg_ctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(PG_CTL), *args], check=check, capture_output=True, text=True)


def _psql(sql: str) -> str:
    psql = shutil.which("psql") or "psql"
    done = subprocess.run(
        [psql, "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "-d", "postgres", "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


class Server:
    """Starts the server (creating its cluster and database the first time) and stops it on ``stop()``."""

    def __init__(self) -> None:
        self.data = _home() / "data"
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{PORT}/{DATABASE}"

    def start(self) -> str:
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if not (self.data / "PG_VERSION").exists():
            print(f"初始化基准用 PostgreSQL 集群：{self.data}", flush=True)
            _pg_ctl("initdb", "-D", str(self.data), "-o", "-U postgres --auth=trust -E UTF8 --locale=C.UTF-8")
        if _pg_ctl("status", "-D", str(self.data), check=False).returncode != 0:
            log = self.data.parent / "server.log"
            log.touch()
            os.chmod(log, 0o666)
            _pg_ctl("start", "-D", str(self.data), "-w", "-l", str(log), "-o", SERVER_OPTIONS)
            self.started = True
        for _ in range(50):
            try:
                if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") != "1":
                    _psql(f"CREATE DATABASE {DATABASE}")
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        return self.url

    def stop(self) -> None:
        if self.started:
            _pg_ctl("stop", "-D", str(self.data), "-m", "fast", "-w", check=False)
            self.started = False


def main() -> None:
    """``python -m bench.pgserver start|stop``: the server on its own, e.g. to run one benchmark module by hand with
    ``BENCH_DATABASE_URL`` set to the address ``start`` prints."""
    import sys

    server = Server()
    if sys.argv[1:] == ["start"]:
        print(server.start())
    elif sys.argv[1:] == ["stop"]:
        server.started = True
        server.stop()
    else:
        sys.exit("用法：python -m bench.pgserver start|stop")


if __name__ == "__main__":
    main()
