from __future__ import annotations

import hashlib
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.server import run_gunicorn, task_worker


class Command(BianzhiCommand):
    help = "以生产方式提供服务（gunicorn + whitenoise）：先收集静态文件，再在指定地址监听。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="工作进程数，默认 2")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="同时运行后台任务进程（bianzhi db_worker），随服务一起停止；单机安装和演示用",
        )

    def handle(self, *args, bind: str, workers: int, with_worker: bool, **options):
        collect_static()
        with task_worker() if with_worker else nullcontext() as worker:
            beside = f"，后台任务进程（{worker.pid}）随之运行" if worker else ""
            self.stdout.write(f"Bianzhi 正在 http://{bind} 提供服务{beside}（按 Ctrl+C 停止）")
            run_gunicorn(bind=bind, workers=workers)


def _static_sources() -> str:
    """A fingerprint of every static file the finders know (path, size, time): what ``collectstatic`` would copy."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """``collectstatic``, skipped when nothing changed since the last run: compressing every file again takes
    seconds, and a server restarted after a crash should answer again at once."""
    stamp = Path(settings.STATIC_ROOT) / ".sources"
    sources = _static_sources()
    if stamp.is_file() and stamp.read_text() == sources:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources)
