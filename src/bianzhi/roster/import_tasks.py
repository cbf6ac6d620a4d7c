"""The roster import as a background task (django-tasks, executed by ``bianzhi db_worker``): the services that start
one (an upload, or the confirmation of a clean dry run), and the runner that the task and the
``bianzhi import roster`` command share.

Each run has a ``RosterImport`` row: the web page polls it for progress and shows its result from it. While rows are
checked, progress is written at most twice a second, each write its own commit, so the page sees it move; the rows
written become visible together, when the one writing transaction commits (the page says 写入中 meanwhile).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.audit.models import AuditEvent
from bianzhi.core import staging
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.locks import lock_row
from bianzhi.core.tabular import Source
from bianzhi.core.workers import process_exists, task_settle_interrupted
from bianzhi.orgs.documents import DocumentRef
from bianzhi.roster.errors import RosterImportError, TaskError
from bianzhi.roster.imports import RosterImportResult, check_document, default_document, error_report, roster_import
from bianzhi.roster.models import RosterImport

logger = logging.getLogger(__name__)
PAGE_ISSUES = 500  # issues and warnings kept on the record for the page; the report has them all
PROGRESS_SECONDS = 0.5
State = RosterImport.State


def _process_start(pid: int) -> str:
    """When the process started (clock ticks since boot, from /proc): with the pid, names one process even after
    the pid is reused. Empty where /proc is not available."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2 :].split()[19]  # field 22, counted after the command name


def this_worker() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start(pid)}"


def worker_gone(worker: str) -> bool:
    """True when ``worker`` ran on this host and that process no longer exists; False when it lives or when it ran
    elsewhere (it cannot be asked from here)."""
    host, _, rest = worker.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if not process_exists(pid):
        return True
    return bool(started) and _process_start(pid) != started  # the pid now belongs to another process


def _finish_interrupted(pk: int) -> None:
    """Ends an import whose process died, under its row lock. Its writing transaction died with the process, so
    nothing was written — unless the process died just after that transaction committed, which the import's audit
    event (written in the same transaction) tells: the record then says 已导入, as the data does."""
    with transaction.atomic():
        record = lock_row(RosterImport.objects.filter(pk=pk))
        if record is None or record.finished:
            return
        event = AuditEvent.objects.filter(action="roster.imported", object_type="roster.import", object_id=str(pk))
        written = event.values_list("after", flat=True).first()
        if written is not None:
            summary = {"document": written["document"], "returning": written["returning"]}
            _finish(record, State.IMPORTED, rows_written=written["persons"], summary=summary)
        else:
            failure = BianzhiError(TaskError.INTERRUPTED)
            _finish(record, State.INTERRUPTED, summary={"error": {"code": failure.code, "message": failure.message}})
    if written is not None and record.staged_token and (path := staging.staged_path(record.staged_token)):
        path.unlink(missing_ok=True)  # as after any import: the upload holds every ID number in clear
    logger.warning("实名制导入 #%s 的进程已退出，记为%s", pk, record.get_state_display())


def on_task_interrupted(*, task: DBTaskResult) -> None:
    """core.workers.task_interrupted: the worker running this import died; its record says so."""
    if task.task_path == run_roster_import.module_path and task.args_kwargs.get("args"):
        _finish_interrupted(int(task.args_kwargs["args"][0]))


def settle_interrupted(record: RosterImport) -> RosterImport:
    """A page waiting on ``record`` asks whether its process is still there: a worker that died (its heartbeat
    stale, or its process gone from this host), a task that ended without finishing the record, or a process of
    ``bianzhi import roster`` that exited. The record is then ended (已中断) and returned fresh."""
    if record.finished:
        return record
    task = (
        DBTaskResult.objects.filter(pk=record.task_id).values_list("status", flat=True).first()
        if record.task_id
        else None
    )
    if task == TaskResultStatus.RUNNING:
        task_settle_interrupted(record.task_id)  # the core marks the task, and this record through the hook
    elif task in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        _finish_interrupted(record.pk)  # the task was ended (a worker stopped twice) with the record still open
    elif record.state != State.QUEUED and record.worker and worker_gone(record.worker):
        _finish_interrupted(record.pk)
    record.refresh_from_db()
    return record


def document_ref(record: RosterImport) -> DocumentRef:
    fields = record.document
    issued_on = fields.get("issued_on")
    return DocumentRef(
        fields.get("number", ""),
        fields.get("title", ""),
        dt.date.fromisoformat(issued_on) if issued_on else None,
        fields.get("issuer", ""),
    )


def document_fields(ref: DocumentRef) -> dict:
    return {
        "number": ref.number,
        "title": ref.title,
        "issued_on": ref.issued_on.isoformat() if ref.issued_on else None,
        "issuer": ref.issuer,
    }


def staged_file(token: str) -> Path:
    """The upload staging keeps under ``token`` (the worker has no session to ask for it by), or a clear refusal
    when it was cleaned up before the worker got to it."""
    path = staging.staged_path(token)
    if path is None:
        raise BianzhiError(RosterImportError.STALE)
    return path


class _Progress:
    """Writes the rows checked (and the phase) to the record, throttled."""

    def __init__(self, record: RosterImport):
        self.record = record
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if phase == "checking" and now - self.last < PROGRESS_SECONDS and done != total:
            return
        self.last = now
        changes: dict = {"rows_checked" if phase == "checking" else "rows_written": done}
        if total:
            changes["rows_total"] = total
        if phase == "writing":
            changes["state"] = State.WRITING
        elif total:
            changes["progress"] = min(99, done * 100 // total)
        RosterImport.objects.filter(pk=self.record.pk).update(**changes)


def _summary(result: RosterImportResult) -> dict:
    return {
        "header_row": result.header_row,
        "document": result.document,
        "failed_rows": result.failed_rows,
        "returning": result.returning,
        "skipped": result.skipped_note,
        "accounts": [account.__dict__ for account in result.accounts],
        "issues": [issue.as_dict() for issue in result.issues[:PAGE_ISSUES]],
        "warnings": [issue.as_dict() for issue in result.warnings[:PAGE_ISSUES]],
    }


def _finish(record: RosterImport, state: str, **fields) -> None:
    for name, value in fields.items():
        setattr(record, name, value)
    record.state, record.finished_at = state, timezone.now()
    if state in (State.CHECKED, State.IMPORTED):
        record.progress = 100
    record.save()


def refuse(record: RosterImport, error: BianzhiError) -> None:
    """A problem of the file as a whole (or of its document): nothing imported, the reason kept for the page."""
    _finish(record, State.REJECTED, summary={"error": {"code": error.code, "message": error.message}})


def execute(record: RosterImport, source: Source, *, report: Path | None = None) -> RosterImportResult:
    """Runs the import ``record`` describes, keeping it up to date; with ``report``, writes the error report there
    when there is something to report. A bad file or document ends the record as 未导入 and is raised."""
    if not record.document.get("number"):
        # the generated document is fixed now, so a dry run and its confirmation cite the same one
        record.document = document_fields(default_document())
    record.state, record.started_at, record.worker = State.CHECKING, timezone.now(), this_worker()
    record.save()
    try:
        result = roster_import(
            actor=record.created_by,
            file_name=record.file_name,
            source=source,
            document=document_ref(record),
            dry_run=record.dry_run,
            import_id=str(record.pk),
            progress=_Progress(record),
        )
    except BianzhiError as exc:
        refuse(record, exc)
        raise
    except Exception:
        logger.exception("实名制导入 #%s 失败", record.pk)
        failure = BianzhiError(TaskError.INTERNAL, id=record.pk)
        _finish(record, State.FAILED, summary={"error": {"code": failure.code, "message": failure.message}})
        raise
    if report is not None and (result.issues or result.warnings):
        report.write_bytes(error_report(result))
        record.error_report = str(report)
    state = State.REJECTED if not result.ok else State.CHECKED if result.dry_run else State.IMPORTED
    _finish(
        record,
        state,
        rows_total=result.rows,
        rows_checked=result.rows,
        rows_written=result.imported,
        error_count=result.issue_count,
        warning_count=len(result.warnings),
        summary=_summary(result),
    )
    return result


@task()
def run_roster_import(import_id: int) -> str:
    """The worker's side of an upload: the file kept by staging, the report next to it (removed with it)."""
    record = RosterImport.objects.select_related("created_by").get(pk=import_id)
    if record.finished:  # a task run twice does not import twice
        return record.state
    try:
        path = staged_file(record.staged_token)
        execute(record, path, report=path.with_name(f"{record.staged_token}.{record.pk}.errors.xlsx"))
        if record.state == State.IMPORTED:
            path.unlink(missing_ok=True)  # the upload holds every ID number in clear: keep it no longer than needed
    except BianzhiError as exc:  # kept on the record for the page; not a failure of the task
        if not record.finished:
            refuse(record, exc)
    return record.state


def _queue(record: RosterImport) -> RosterImport:
    """The task is queued once the record is committed, so the worker always finds it; nothing is queued for a
    start that is rolled back."""

    def enqueue() -> None:
        task_id = run_roster_import.enqueue(record.pk).id
        RosterImport.objects.filter(pk=record.pk).update(task_id=task_id)

    transaction.on_commit(enqueue)
    return record


@transaction.atomic
def roster_import_start(
    *, actor, file_name: str, content: bytes, dry_run: bool, document: DocumentRef | None = None
) -> RosterImport:
    """An upload: the file kept for the worker, the run recorded (排队中) and queued. The document, if named, must
    be registrable before anything is kept; without one, the run registers 实名制数据初始导入."""
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    fields = {}
    if document is not None and document.number:
        check_document(document)
        fields = document_fields(document)
    return _queue(
        RosterImport.objects.create(
            file_name=file_name,
            staged_token=staging.keep(content),
            dry_run=dry_run,
            document=fields,
            created_by=actor,
        )
    )


@transaction.atomic
def roster_import_confirm(*, actor, dry_run: RosterImport) -> RosterImport:
    """确认导入 after a clean dry run: the same kept file and document, checked again and, if still clean, written."""
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    dry = RosterImport.objects.get(pk=dry_run.pk)  # as it is now, not as the page saw it
    if actor is not None and dry.created_by_id != actor.pk:  # an import is its uploader's
        raise BianzhiError(CommonError.NOT_FOUND, what="该导入记录")
    if dry.state != State.CHECKED or not dry.dry_run:
        raise BianzhiError(RosterImportError.NOT_CONFIRMABLE)
    return _queue(
        RosterImport.objects.create(
            file_name=dry.file_name,
            staged_token=dry.staged_token,
            dry_run=False,
            document=dry.document,
            confirms=dry,
            created_by=actor,
        )
    )


@transaction.atomic
def roster_import_retry(*, actor, record: RosterImport) -> RosterImport:
    """重新开始 an interrupted import: the same kept file, document and kind (dry run or not), queued as a new run;
    the interrupted one stays as it was."""
    require_capability(actor, Capability.DECIDE_QUOTA_USE)
    old = RosterImport.objects.get(pk=record.pk)  # as it is now, not as the page saw it
    if actor is not None and old.created_by_id != actor.pk:  # an import is its uploader's
        raise BianzhiError(CommonError.NOT_FOUND, what="该导入记录")
    if old.state != State.INTERRUPTED:
        raise BianzhiError(RosterImportError.NOT_RETRYABLE)
    staged_file(old.staged_token)  # still kept, or the user is told to upload it again
    return _queue(
        RosterImport.objects.create(
            file_name=old.file_name,
            staged_token=old.staged_token,
            dry_run=old.dry_run,
            document=old.document,
            confirms=old.confirms,
            created_by=actor,
        )
    )
