"""Reads about the installation itself, not about any user's data: whether a task worker is running, and what waits
for one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bianzhi.core.models import WorkerHeartbeat
from bianzhi.core.workers import ALIVE_WITHIN


def worker_alive() -> bool:
    """True when some ``bianzhi db_worker`` beat within the last few beats."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - ALIVE_WITHIN).exists()


@dataclass(frozen=True)
class QueuedTasks:
    count: int
    since: dt.datetime | None  # when the oldest of them was queued


def queued_tasks() -> QueuedTasks:
    """Background tasks that no worker has taken up yet."""
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    found = queued.aggregate(count=Count("pk"), since=Min("enqueued_at"))
    return QueuedTasks(found["count"], found["since"])
