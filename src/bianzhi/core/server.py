"""Runs the WSGI application under gunicorn from inside the ``bianzhi`` command, with the task worker beside it
when asked (``bianzhi serve --with-worker``, as ``bianzhi demo`` does)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from gunicorn.app.base import BaseApplication


def _pre_fork(_server, _worker) -> None:
    # A forked worker must open its own connections: one inherited from the master shares the master's socket
    # with every other worker, and their queries and answers interleave on it.
    connections.close_all()


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from bianzhi.wsgi import application

        return application


def run_gunicorn(*, bind: str, workers: int) -> None:
    connections.close_all()  # the command checked the database before it got here
    _Server({"bind": bind, "workers": workers, "accesslog": "-", "timeout": 120, "pre_fork": _pre_fork}).run()


WORKER_STOP_SECONDS = 60  # a task that is running is finished first; an import killed midway writes nothing


@contextmanager
def task_worker() -> Iterator[subprocess.Popen]:
    """``bianzhi db_worker`` as a child process, stopped when the block ends. Ctrl-C reaches both at once (one
    process group); the worker then finishes its task, or stops at once when idle."""
    worker = subprocess.Popen([sys.executable, "-m", "bianzhi", "db_worker", "--no-startup-delay"])
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
