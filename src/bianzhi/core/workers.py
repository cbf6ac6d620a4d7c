"""The task worker's heartbeat: ``bianzhi db_worker`` keeps a ``WorkerHeartbeat`` row fresh while it runs, idle or
busy, so pages and ``bianzhi check`` can say when no worker is there (core.selectors.worker_alive).

The heartbeat also tells a task whose worker died (killed, or its server powered off) from one still running: such a
task stays 运行中 in the queue forever otherwise. ``tasks_settle_interrupted`` ends it as failed and tells the app
that queued it (``task_interrupted``), which marks its own record 已中断; a worker runs it as it starts, and so do
``bianzhi check`` and ``bianzhi daily``."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bianzhi.core.hooks import Hook
from bianzhi.core.locks import lock_row
from bianzhi.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
BEAT_SECONDS = 5
ALIVE_WITHIN = dt.timedelta(seconds=3 * BEAT_SECONDS)
FORGET_AFTER = dt.timedelta(days=1)  # rows of workers that were killed rather than stopped
INTERRUPTED = "bianzhi.core.workers.WorkerGone"  # the failure a task whose worker died is recorded with
# (task: DBTaskResult), inside the transaction that ends the task: the app that queued it marks its record 已中断
task_interrupted = Hook("core.task_interrupted")


def _beat(worker_id: str, stop: threading.Event) -> None:
    """Renews the row from a thread of its own, so a long task does not stop the beats."""
    try:
        while not stop.wait(BEAT_SECONDS):
            close_old_connections()
            try:
                WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())
            except DatabaseError as exc:  # the database busy or briefly away: the next beat tries again
                logger.warning("后台任务心跳未能写入：%s", exc)
    finally:
        connection.close()  # this thread's own connection


def heartbeats_prune(*, today: dt.date | None = None) -> int:
    """A daily job (core.daily): removes the rows of workers that were killed rather than stopped, once they are
    ``FORGET_AFTER`` old; returns how many."""
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - FORGET_AFTER).delete()
    return deleted


@contextmanager
def heartbeat(worker_id: str) -> Iterator[None]:
    """The worker's row for as long as the block runs; removed when it ends, by a stop or an error."""
    now = timezone.now()
    heartbeats_prune()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "started_at": now, "last_seen": now},
    )
    stop = threading.Event()
    beats = threading.Thread(target=_beat, args=(worker_id, stop), name="heartbeat", daemon=True)
    beats.start()
    try:
        yield
    finally:
        stop.set()
        beats.join()
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def process_exists(pid: int) -> bool:
    """Whether a process of this pid runs on this host (under any user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


def worker_gone(row: WorkerHeartbeat | None, *, now: dt.datetime | None = None) -> bool:
    """True when the worker of this heartbeat row no longer runs: its row is gone (it stopped, or was pruned), it
    has not beaten for ``ALIVE_WITHIN``, or it ran on this host and its process has exited (known at once, without
    waiting for its beats to go stale)."""
    if row is None:
        return True
    if row.last_seen < (now or timezone.now()) - ALIVE_WITHIN:
        return True
    return row.host == socket.gethostname() and not process_exists(row.pid)


def _task_worker(task: DBTaskResult) -> str:
    return task.worker_ids[-1] if task.worker_ids else ""


def _interrupt(task_id) -> bool:
    """Ends one running task whose worker is gone, checked again under the task's row lock; False if it is not."""
    with transaction.atomic():
        task = lock_row(DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING))
        if task is None:
            return False
        if not worker_gone(WorkerHeartbeat.objects.filter(worker_id=_task_worker(task)).first()):
            return False
        task.status, task.finished_at, task.return_value = TaskResultStatus.FAILED, timezone.now(), None
        task.exception_class_path = INTERRUPTED
        task.traceback = f"后台任务进程 {_task_worker(task) or '（未知）'} 已退出，任务未执行完。"
        task.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
        task_interrupted.check(task=task)
    logger.warning("后台任务 %s（%s）的进程已退出，记为中断", task.pk, task.task_path)
    return True


def task_settle_interrupted(task_id) -> bool:
    """One task, if it is running and its worker is gone (a page waiting on it asks); True if it was ended."""
    return _interrupt(task_id)


def tasks_settle_interrupted(*, today: dt.date | None = None) -> int:
    """Every running task whose worker is gone: ended as failed, its app told; returns how many. Run by a worker
    as it starts, by ``bianzhi check`` and by ``bianzhi daily`` (a job: ``today`` is not needed)."""
    now = timezone.now()
    beats = {row.worker_id: row for row in WorkerHeartbeat.objects.all()}
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids")
    gone = [task.pk for task in running if worker_gone(beats.get(_task_worker(task)), now=now)]
    return sum(_interrupt(pk) for pk in gone)
