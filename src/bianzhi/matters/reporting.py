"""机构编制报告 (brief §2.11): reports units owe the 编委 / 编办 by a date — the annual 执行情况报告, 重大事项报告,
实施情况报告. The 编办 schedules a task per unit (``report_tasks_schedule``); the unit sends its report with files
(``report_task_submit``); the 编办 accepts it or sends it back with a reason, and it is 待报送 again.

A task whose due date has passed unsent is overdue: "逾期不执行、不报告" is a 12310 category (brief §7.1), and the
supervision work reads ``reports_overdue``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, scope_queryset
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import table_workbook
from bianzhi.core.files import Upload, check_upload, file_store
from bianzhi.core.locks import lock_row
from bianzhi.core.todo import TodoItem
from bianzhi.matters.choices import ReportKind, ReportState
from bianzhi.matters.errors import MatterError, ReportTaskError
from bianzhi.matters.models import ReportAttachment, ReportTask
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit

FIRST_YEAR, LAST_YEAR = 2000, 2099
# where a task stands in the lists: to be sent, to be accepted, done
STEP = Case(
    When(state=ReportState.PENDING, then=Value(0)),
    When(state=ReportState.SUBMITTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


# ---------------------------------------------------------------- reads


def _sees_reports(user) -> bool:
    return has_capability(user, Capability.SUBMIT_REPORTS) or has_capability(user, Capability.MANAGE_REPORTS)


def report_tasks_visible_to(user) -> QuerySet[ReportTask]:
    """The tasks of the units in the user's scope, for those who send or manage reports (``None``: the system)."""
    if not _sees_reports(user):
        return ReportTask.objects.none()
    return scope_queryset(ReportTask.objects.select_related("unit"), user)


def reports_overdue(as_of: dt.date, *, user=None) -> QuerySet[ReportTask]:
    """The tasks not sent whose due date lies before ``as_of`` (逾期未报送), earliest due first; all of the county
    for ``user=None``, else within the user's scope."""
    tasks = ReportTask.objects.select_related("unit") if user is None else report_tasks_visible_to(user)
    return tasks.filter(state=ReportState.PENDING, due_on__lt=as_of).order_by("due_on", "unit__tree_path", "pk")


def report_task_list(
    user, *, today: dt.date, query: str = "", kind: str = "", year: int | None = None, state: str = "", overdue=False
) -> QuerySet[ReportTask]:
    """The tasks as the list filters them: those to send first, by due date (the overdue at the top), then those to
    accept, then the accepted."""
    tasks = reports_overdue(today, user=user) if overdue else report_tasks_visible_to(user)
    if query.strip():
        tasks = tasks.filter(unit__name__icontains=query.strip())
    if kind in ReportKind.values:
        tasks = tasks.filter(kind=kind)
    if year:
        tasks = tasks.filter(year=year)
    if state in ReportState.values:
        tasks = tasks.filter(state=state)
    return tasks.annotate(step=STEP).order_by("step", "due_on", "unit__tree_path", "pk")


def report_task_for(user, pk: int) -> ReportTask:
    """One task: 403 for who handles no reports or when its unit is outside the scope, 404 if there is none."""
    if not _sees_reports(user):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    task = ReportTask.objects.select_related("unit", "submitted_by").filter(pk=pk).first()
    if task is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该报告任务")
    ensure_unit_in_scope(user, task.unit)
    return task


def report_years(user) -> list[int]:
    return sorted(set(report_tasks_visible_to(user).values_list("year", flat=True)), reverse=True)


def reports_todo(*, user, today: dt.date) -> list[TodoItem]:
    """The 编办: the reports sent and awaiting acceptance, one line per kind and year. A unit: its tasks not yet
    sent, each with its due date."""
    if has_capability(user, Capability.MANAGE_REPORTS):
        waiting = (
            report_tasks_visible_to(user)
            .filter(state=ReportState.SUBMITTED)
            .values("kind", "year")
            .annotate(count=Count("pk"))
            .order_by("-year", "kind")
        )
        return [
            TodoItem(
                kind="机构编制报告",
                title=f"{ReportKind(group['kind']).label}（{group['year']} 年度）：{group['count']} 份",
                action="确认或退回",
                url=reverse("matters:report_list")
                + "?"
                + urlencode({"kind": group["kind"], "year": group["year"], "state": ReportState.SUBMITTED}),
                due=None,
            )
            for group in waiting
        ]
    if not has_capability(user, Capability.SUBMIT_REPORTS):
        return []
    return [
        TodoItem(
            kind="机构编制报告",
            title=f"{task.unit.name}：{task.title}",
            action="报送" if not task.return_reason else "按退回意见修改后重新报送",
            url=reverse("matters:report_detail", args=[task.pk]),
            due=task.due_on,
        )
        for task in report_tasks_visible_to(user).filter(state=ReportState.PENDING)
    ]


# ---------------------------------------------------------------- writes


@dataclass(frozen=True)
class Scheduled:
    created: int
    skipped: int


@transaction.atomic
def report_tasks_schedule(
    *, actor, kind: str, title: str, year: int, due_on: dt.date, units: Unit | None = None
) -> Scheduled:
    """One task for each active unit (internal bodies aside): of the whole scope (``units=None``), or of ``units``
    and its subtree. A unit that already has a task of this kind and year is skipped, and counted; if every one
    is, nothing is scheduled."""
    require_capability(actor, Capability.MANAGE_REPORTS)
    if kind not in ReportKind.values:
        allowed = "、".join(str(label) for label in ReportKind.labels)
        raise BianzhiError(ReportTaskError.BAD_KIND, value=kind, allowed=allowed)
    title = (title or "").strip()
    if not title:
        raise BianzhiError(MatterError.MISSING_PARAM, label="报告名称")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise BianzhiError(ReportTaskError.BAD_YEAR, value=year)
    if not isinstance(due_on, dt.date):
        raise BianzhiError(MatterError.MISSING_PARAM, label="报送期限")
    if due_on < timezone.localdate():
        raise BianzhiError(ReportTaskError.DUE_IN_PAST, day=due_on.isoformat())
    # an internal body (内设机构) reports through its unit, never on its own
    active = Unit.objects.filter(status=UnitStatus.ACTIVE).exclude(kind=UnitKind.NEISHE)
    targets = scope_queryset(active, actor, path_field="tree_path")
    if units is not None:
        ensure_unit_in_scope(actor, units)
        targets = targets.filter(tree_path__startswith=units.tree_path)
    chosen = list(targets.order_by("tree_path").values_list("pk", flat=True))
    if not chosen:
        raise BianzhiError(ReportTaskError.NO_UNITS)
    having = set(ReportTask.objects.filter(kind=kind, year=year, unit__in=chosen).values_list("unit_id", flat=True))
    fresh = [pk for pk in chosen if pk not in having]
    if not fresh:
        raise BianzhiError(ReportTaskError.ALL_SKIPPED, count=len(chosen), year=year, kind=ReportKind(kind).label)
    ReportTask.objects.bulk_create(
        ReportTask(unit_id=pk, kind=kind, title=title, year=year, due_on=due_on, created_by=actor) for pk in fresh
    )
    audit_record(
        actor=actor,
        action="matters.reports_scheduled",
        object_type="matters.reporttask",
        object_repr=f"{year} 年度{title}"[:255],
        after={
            "kind": kind,
            "year": year,
            "due_on": due_on,
            "root": units.name if units is not None else "全部单位",
            "created": len(fresh),
            "skipped": len(having),
        },
    )
    return Scheduled(created=len(fresh), skipped=len(having))


def _locked(actor, task: ReportTask, capability: Capability) -> ReportTask:
    require_capability(actor, capability)
    task = lock_row(ReportTask.objects.select_related("unit").filter(pk=task.pk))
    ensure_unit_in_scope(actor, task.unit)
    return task


def _wrong_state(task: ReportTask, action: str) -> BianzhiError:
    return BianzhiError(ReportTaskError.WRONG_STATE, state=task.get_state_display(), action=action)


@transaction.atomic
def report_task_submit(*, actor, task: ReportTask, files: list[Upload], note: str = "") -> ReportTask:
    """The unit sends its report: at least one file, each checked before any is kept (a refused file leaves
    nothing behind, not even the others)."""
    task = _locked(actor, task, Capability.SUBMIT_REPORTS)
    if task.state != ReportState.PENDING:
        raise _wrong_state(task, "报送")
    if not files:
        raise BianzhiError(ReportTaskError.NO_FILES)
    for upload in files:
        check_upload(upload)
    kept = [(PurePath(upload.name).name[:255], file_store(upload)) for upload in files]
    ReportAttachment.objects.bulk_create(
        ReportAttachment(task=task, file=stored, name=name, uploaded_by=actor) for name, stored in kept
    )
    before = {"state": task.state, "return_reason": task.return_reason}
    task.state, task.submitted_on, task.submitted_by = ReportState.SUBMITTED, timezone.localdate(), actor
    task.note, task.return_reason = (note or "").strip(), ""
    task.save()
    audit_record(
        actor=actor,
        action="matters.report_submitted",
        obj=task,
        before=before,
        after={"state": task.state, "files": [name for name, _ in kept], "late": task.submitted_on > task.due_on},
    )
    return task


@transaction.atomic
def report_task_accept(*, actor, task: ReportTask) -> ReportTask:
    task = _locked(actor, task, Capability.MANAGE_REPORTS)
    if task.state != ReportState.SUBMITTED:
        raise _wrong_state(task, "确认")
    task.state, task.accepted_on = ReportState.ACCEPTED, timezone.localdate()
    task.save(update_fields=["state", "accepted_on"])
    audit_record(
        actor=actor, action="matters.report_accepted", obj=task, before={"state": ReportState.SUBMITTED}, after={}
    )
    return task


@transaction.atomic
def report_task_return(*, actor, task: ReportTask, reason: str) -> ReportTask:
    """Sent back: 待报送 again, with the reason the unit reads; the files sent stay with the task."""
    task = _locked(actor, task, Capability.MANAGE_REPORTS)
    if task.state != ReportState.SUBMITTED:
        raise _wrong_state(task, "退回")
    reason = (reason or "").strip()
    if not reason:
        raise BianzhiError(ReportTaskError.NO_REASON)
    task.state, task.return_reason = ReportState.PENDING, reason
    task.submitted_on, task.submitted_by = None, None
    task.save(update_fields=["state", "return_reason", "submitted_on", "submitted_by"])
    audit_record(
        actor=actor,
        action="matters.report_returned",
        obj=task,
        before={"state": ReportState.SUBMITTED},
        after={"state": task.state},
        reason=reason,
    )
    return task


# ---------------------------------------------------------------- the register

EXPORT_COLUMNS = (
    ("序号", 6),
    ("报送单位", 30),
    ("报告类别", 16),
    ("报告名称", 34),
    ("年度", 8),
    ("报送期限", 12),
    ("状态", 10),
    ("逾期", 8),
    ("报送日期", 12),
    ("附件数", 8),
    ("退回理由", 30),
)


def reports_export(*, actor, tasks: QuerySet[ReportTask], description: str) -> tuple[str, bytes]:
    """The report tasks as the list filters them (机构编制报告登记簿); audited."""
    if not _sees_reports(actor):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    today = timezone.localdate()
    files = Counter(
        dict(
            ReportAttachment.objects.filter(task__in=tasks.values("pk"))
            .values("task")
            .annotate(n=Count("pk"))
            .values_list("task", "n")
        )
    )
    rows = [
        [
            number,
            task.unit.name,
            task.get_kind_display(),
            task.title,
            task.year,
            task.due_on.isoformat(),
            task.get_state_display(),
            "逾期未报"
            if task.overdue(today)
            else ("逾期报送" if task.submitted_on and task.submitted_on > task.due_on else ""),
            task.submitted_on.isoformat() if task.submitted_on else "",
            files[task.pk],
            task.return_reason,
        ]
        for number, task in enumerate(tasks, 1)
    ]
    content = table_workbook(
        sheet="机构编制报告", title=f"机构编制报告登记簿（{today.isoformat()}）", headers=EXPORT_COLUMNS, rows=rows
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="matters.reports_exported",
            object_type="matters.reports_export",
            object_repr=description[:255],
            after={"rows": len(rows), "format": "xlsx"},
        )
    return f"机构编制报告登记簿_{today.isoformat()}.xlsx", content
