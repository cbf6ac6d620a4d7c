"""The scheduled jobs ``bianzhi daily`` runs once a day (the systemd timer in deploy/, docs/operations.md).

Each app registers its jobs on ``daily_jobs`` in its ``AppConfig.ready`` (``register_daily_job``), so core runs
jobs of apps it does not know. A job takes the day it runs for (``today``) and returns how many things it changed;
it must be idempotent: run again the same day, it finds nothing left to do and returns 0. ``run_daily_jobs`` runs
each job in a transaction of its own: a failing job is rolled back and reported, and the others still run. Every run
of a job is told to ``daily_job_ran`` (the audit app records it in the same transaction), a failure to
``daily_job_failed``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bianzhi.core.hooks import Hook

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str  # stable, e.g. "roster.approvals_expire"
    label: str  # what it does, in Chinese, for the command's output and the audit log
    function: Callable[..., int]

    def __call__(self, *, today: dt.date) -> int:
        return self.function(today=today)


daily_jobs = Hook("core.daily_jobs")  # registered: DailyJob
daily_job_ran = Hook("core.daily_job_ran")  # (job, today, count), inside the job's transaction
daily_job_failed = Hook("core.daily_job_failed")  # (job, today, error), after the job's rollback


def register_daily_job(name: str, label: str, function: Callable[..., int]) -> DailyJob:
    job = DailyJob(name, label, function)
    daily_jobs.register(job)  # equal jobs register once: ready() may run more than once in tests
    return job


def registered_daily_jobs() -> list[DailyJob]:
    return list(daily_jobs.functions)


@dataclass(frozen=True)
class JobOutcome:
    job: DailyJob
    count: int | None  # None: the job failed
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.count is None


def run_daily_jobs(*, today: dt.date | None = None) -> list[JobOutcome]:
    """Runs every registered job once for ``today``; one outcome per job, in the order they were registered."""
    today = today or timezone.localdate()
    outcomes = []
    for job in registered_daily_jobs():
        try:
            with transaction.atomic():
                count = int(job(today=today))
                daily_job_ran.check(job=job, today=today, count=count)
        except Exception as exc:  # one job's failure must not keep the others from running
            logger.exception("每日任务 %s 失败", job.name)
            error = f"{type(exc).__name__}: {exc}"
            outcomes.append(JobOutcome(job, None, error))
            try:
                with transaction.atomic():
                    daily_job_failed.check(job=job, today=today, error=error)
            except Exception:
                logger.exception("每日任务 %s 的失败未能记入审计日志", job.name)
        else:
            outcomes.append(JobOutcome(job, count))
    return outcomes
