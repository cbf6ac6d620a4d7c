from __future__ import annotations

import logging

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from bianzhi.core.management.base import BianzhiCommand
from bianzhi.core.workers import BEAT_SECONDS, heartbeat, tasks_settle_interrupted

logger = logging.getLogger(__name__)


class Command(BianzhiCommand, DatabaseWorkerCommand):
    help = (
        f"运行后台任务（实名制导入等）。运行期间每 {BEAT_SECONDS} 秒写一次心跳，"
        "等待任务的页面和 bianzhi check 据此判断后台任务是否在运行。"
        "启动时把进程已退出（如被强行终止）的任务记为已中断。"
    )

    def handle(self, *args, worker_id: str, **options):
        with heartbeat(worker_id):
            try:
                tasks_settle_interrupted()  # what a killed worker left 运行中: the user is told, and may start it again
            except Exception:  # the queue must still be worked through
                logger.exception("未能检查中断的后台任务")
            super().handle(*args, worker_id=worker_id, **options)
