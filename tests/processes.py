"""The real ``bianzhi`` processes a deployment runs (the server, the task worker), started on the test database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BIANZHI = shutil.which("bianzhi", path=str(Path(sys.executable).parent))


def database_url() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def environment(**env: str) -> dict[str, str]:
    """The test database and the test run's keys (ID numbers encrypted here can be read there), plus ``env``."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BIANZHI_SECRET_KEY": settings.SECRET_KEY,
        "BIANZHI_AUDIT_KEY": settings.AUDIT_HMAC_KEY,
        "BIANZHI_PERSONAL_DATA_KEY": settings.PERSONAL_DATA_KEY,
        **env,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition: Callable[[], object], what: str, seconds: float = 60) -> object:
    """Polls ``condition`` until it returns something true, which is returned; fails naming ``what`` otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"{what}：{seconds:.0f} 秒内未等到")


def stop(process: subprocess.Popen) -> str:
    """Stops a process as a service manager does (SIGTERM) and returns what it printed, which has no traceback."""
    process.terminate()
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    assert "Traceback" not in output, output[-4000:]
    return output


def start(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [BIANZHI, *args], env=environment(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@contextmanager
def served(workers: int, *args: str, **env: str) -> Iterator[str]:
    """``bianzhi serve`` on the test database; yields its address as soon as it accepts connections."""
    port = free_port()
    server = start(
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *args,
        BIANZHI_ALLOWED_HOSTS="127.0.0.1",
        **env,
    )
    try:

        def listening() -> bool:
            assert server.poll() is None, server.stdout.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                return False
            return True

        wait_until(listening, "bianzhi serve 开始监听")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


@contextmanager
def task_worker(**env: str) -> Iterator[subprocess.Popen]:
    """``bianzhi db_worker`` on the test database, as a county runs it."""
    worker = start("db_worker", "--no-startup-delay", **env)
    try:
        yield worker
    finally:
        stop(worker)
