"""The task worker's heartbeat: ``bianzhi db_worker`` keeps a ``WorkerHeartbeat`` row fresh while it runs, idle or
busy, so pages and ``bianzhi check`` can say when no worker is there (core.selectors.worker_alive)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from bianzhi.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
BEAT_SECONDS = 5
ALIVE_WITHIN = dt.timedelta(seconds=3 * BEAT_SECONDS)
FORGET_AFTER = dt.timedelta(days=1)  # rows of workers that were killed rather than stopped


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
