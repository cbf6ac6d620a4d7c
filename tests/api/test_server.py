"""The real server (``bianzhi serve``: gunicorn, several worker processes) answering concurrent partners the moment
it starts. In-process tests share one connection per thread and cannot see what forked workers share."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bianzhi.accounts.roles import Role
from bianzhi.api.services import api_token_issue
from tests.factories import make_user

BIANZHI = shutil.which("bianzhi", path=str(Path(sys.executable).parent))
WORKERS = 4
CLIENTS = 24


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(workers: int):
    """``bianzhi serve`` on the test database; yields its address as soon as it accepts connections."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "BIANZHI_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [BIANZHI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("bianzhi serve did not start listening within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
        assert "Traceback" not in output, output[-4000:]


def _units_seen(base: str, token: str) -> tuple[int, list[str]]:
    request = urllib.request.Request(f"{base}/api/v1/units?limit=100", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
            return response.status, sorted(unit["name"] for unit in body["items"])
    except urllib.error.HTTPError as exc:
        return exc.code, [exc.read().decode(errors="replace")[:300]]


@pytest.mark.django_db(transaction=True)
def test_partners_calling_right_after_start_each_get_their_own_answer(county):
    """Each worker needs its own database connection: one inherited from the master mixes up answers."""
    callers = {
        "bianban": make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True),
        "jiaoyu": make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county["education"]),
        "caizhengju": make_user("caizhengju", Role.UNIT_OPERATOR, scope_unit=county["finance"]),
    }
    tokens = {name: api_token_issue(actor=None, user=user, name="对接")[1] for name, user in callers.items()}
    expected = {
        "bianban": sorted(["锦绣县教育局", "锦绣县第一中学", "锦绣县财政局"]),
        "jiaoyu": sorted(["锦绣县教育局", "锦绣县第一中学"]),
        "caizhengju": ["锦绣县财政局"],
    }
    calls = [list(tokens)[i % len(tokens)] for i in range(CLIENTS)]

    with served(WORKERS) as base, ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda name: _units_seen(base, tokens[name]), calls))

    wrong = [(name, answer) for name, answer in zip(calls, answers, strict=True) if answer != (200, expected[name])]
    assert not wrong, wrong
