"""Core's daily jobs (core.daily) that tidy the installation's own tables, not anyone's data."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

TASK_RESULTS_KEPT_FOR = dt.timedelta(days=30)


def sessions_clear_expired(*, today: dt.date | None = None) -> int:
    """Sessions past their expiry (logged-out or idle browsers); what ``bianzhi clearsessions`` does, counted."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def task_results_prune(*, today: dt.date | None = None) -> int:
    """Finished background tasks (imports, exports) older than ``TASK_RESULTS_KEPT_FOR``; queued and running ones
    stay. What ``bianzhi prune_db_task_results --min-age-days 30`` does."""
    old = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - TASK_RESULTS_KEPT_FOR)
    deleted, _ = old.delete()
    return deleted
