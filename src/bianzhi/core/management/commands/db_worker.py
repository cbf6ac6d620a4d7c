from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.workers import BEAT_SECONDS, heartbeat


class Command(BianzhiCommand, DatabaseWorkerCommand):
    help = (
        f"运行后台任务（实名制导入等）。运行期间每 {BEAT_SECONDS} 秒写一次心跳，"
        "等待任务的页面和 bianzhi check 据此判断后台任务是否在运行。"
    )

    def handle(self, *args, worker_id: str, **options):
        with heartbeat(worker_id):
            super().handle(*args, worker_id=worker_id, **options)
