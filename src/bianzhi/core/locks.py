"""Row locks in one place, taken in one order, so that two writers touching the same rows queue instead of
deadlocking (PostgreSQL; on SQLite writing transactions are IMMEDIATE and already hold the database's write lock,
and these calls lock nothing).

The order, for every writer: the rows of a model listed earlier before the rows of a model listed later, and the
rows of one model in primary-key order (``lock_rows`` sorts them). A writer that learns which earlier rows it needs
only by reading a later one (a person's current slot, say) reads it without a lock, locks in order, and then
checks that what it read has not changed. Re-locking a row already held costs nothing and never waits.

Locks are ``FOR NO KEY UPDATE`` of the named table only: writers exclude each other, while inserting a row that
merely refers to a locked one (an occupancy of a locked account, say) is not blocked by it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

LOCK_ORDER = (
    "matters.Meeting",  # a meeting whose outcome moves the matters on its agenda
    "matters.Matter",  # a matter being applied, before the register and the ledger its change set changes
    "matters.NormativeReview",  # a review and its clauses (规范性文件审核): touches nothing else
    "matters.ReportTask",  # a report task and its files (机构编制报告): touches nothing else
    "reports.StatRound",  # a year's statistics round and its snapshots (reads the ledger, locks nothing else)
    "registration.Application",  # an application whose steps change the register of units and legal persons
    "supervision.Complaint",  # a 12310 complaint: its steps, files and clock (touches nothing else)
    "supervision.Inspection",  # a 监督检查 campaign: its scope, results and the items its findings open (below)
    "supervision.Evaluation",  # an evaluation: its scores and findings (reads the ledger; opens rectification items)
    "exchange.Finding",  # a reconciliation finding under review, before the rectification item it may open
    "supervision.RectificationItem",  # an item of the 整改台账: its steps and files (reads the ledger, locks none)
    "orgs.Unit",  # … a unit being registered as a legal person, before its code is issued
    "registration.Institution",  # a legal person's registered items, certificates or credit record
    "registration.AnnualReport",  # a legal person's 年度报告 and its files (the institution locked first if at all)
    "registration.InspectionDraw",  # a 双随机 draw: its notices, results, publication (touches no institution)
    "registration.Inspector",  # an inspector of the pool and the relations they declare
    "orgs.UnitVersion",
    "orgs.SanDingVersion",
    "quotas.QuotaAccount",
    "quotas.LeadershipAccount",
    "quotas.Movement",
    "quotas.LeadershipMovement",
    "roster.Approval",
    "roster.TurnoverLoan",
    "roster.Person",
    "roster.Occupancy",
    "roster.PostAssignment",
    "django_tasks_database.DBTaskResult",  # a task ended because its worker died (core.workers) …
    "roster.RosterImport",  # … then the record of the import it ran
    "orgs.Document",  # a document's file or details, changed alone (orgs.archive)
    "api.Partner",  # a partner department, before its account
    "accounts.User",
    "api.ApiToken",
    "audit.AuditChainHead",  # every service ends by writing its audit event
    # alone, in a transaction of its own after a change that wrote a feed event commits (exchange.feed)
    "exchange.FeedCounter",
)


def _ordered(model: type[models.Model]) -> None:
    if model._meta.label not in LOCK_ORDER:
        raise ValueError(f"{model._meta.label} has no place in core.locks.LOCK_ORDER")


def _locking(queryset: models.QuerySet) -> models.QuerySet:
    _ordered(queryset.model)
    return queryset.select_for_update(of=("self",), no_key=True)


def lock_rows(model: type[models.Model], pks: Iterable[int]) -> list[models.Model]:
    """Locks the rows with these primary keys, in key order, and returns them as they are now."""
    keys = sorted(set(pks))
    if not keys:  # nothing to lock: not even a query to build
        _ordered(model)
        return []
    return list(_locking(model.objects.filter(pk__in=keys)).order_by("pk"))


def lock_row(queryset: models.QuerySet) -> models.Model | None:
    """Locks the first row of ``queryset`` (which may select related rows: only its own row is locked)."""
    return _locking(queryset).first()


def lock_first_free(queryset: models.QuerySet) -> models.Model | None:
    """Locks the first row of ``queryset`` that no other transaction holds, or returns None when all are held.
    It never waits, so it may be taken out of order (the audit chain's lanes); a row this transaction holds
    already counts as free. SQLite has no row locks: the first row."""
    return _locking(queryset).select_for_update(of=("self",), no_key=True, skip_locked=True).first()


def lock_all(queryset: models.QuerySet) -> list[models.Model]:
    """Locks every row of ``queryset`` in primary-key order."""
    return list(_locking(queryset).order_by("pk"))
