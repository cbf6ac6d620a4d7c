from __future__ import annotations

from contextlib import nullcontext

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
        call_command("collectstatic", interactive=False, verbosity=0)
        with task_worker() if with_worker else nullcontext() as worker:
            beside = f"，后台任务进程（{worker.pid}）随之运行" if worker else ""
            self.stdout.write(f"Bianzhi 正在 http://{bind} 提供服务{beside}（按 Ctrl+C 停止）")
            run_gunicorn(bind=bind, workers=workers)
