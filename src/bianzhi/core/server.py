"""Runs the WSGI application under gunicorn from inside the ``bianzhi`` command."""

from __future__ import annotations

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
