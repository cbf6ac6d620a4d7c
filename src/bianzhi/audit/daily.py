"""Every run of a daily job (core.daily) leaves one event in the audit log: what ran, for which day, how many
things it changed, or why it failed. ``bianzhi daily`` runs as nobody, so the actor is 系统."""

from __future__ import annotations

import datetime as dt

from bianzhi.audit.services import audit_record


def record_daily_job_ran(*, job, today: dt.date, count: int) -> None:
    audit_record(actor=None, action="daily.job_ran", **_about(job, today, count=count))


def record_daily_job_failed(*, job, today: dt.date, error: str) -> None:
    audit_record(actor=None, action="daily.job_failed", reason=error[:500], **_about(job, today))


def _about(job, today: dt.date, **after) -> dict:
    return {
        "object_type": "core.daily_job",
        "object_id": job.name,
        "object_repr": str(job.label),
        "after": {"date": today.isoformat(), **after},
    }
