"""Runs the WSGI application under gunicorn from inside the ``bianzhi`` command."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


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
    _Server({"bind": bind, "workers": workers, "accesslog": "-", "timeout": 120}).run()
