"""Reconciliation runs and their review queue: an upload kept for the task worker (``bianzhi db_worker``), the run
with its progress, the findings written when it ends; then each finding confirmed, explained or dismissed with a
reason, or turned into an item of the 整改台账."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from bianzhi.accounts.permissions import Capability, has_capability
from bianzhi.audit.services import audit_record
from bianzhi.core import staging
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.locks import lock_row
from bianzhi.exchange.errors import ReconcileError
from bianzhi.exchange.models import Finding, FindingKind, ReconciliationRun
from bianzhi.exchange.reconcile_report import report_workbook
from bianzhi.exchange.reconciliation import KINDS, Kind, check_as_of, reconcile
from bianzhi.supervision.choices import Category, Source
from bianzhi.supervision.rectification import rectification_open
from bianzhi.supervision.selectors import require_supervisor

logger = logging.getLogger(__name__)
State = ReconciliationRun.State
FindingState = Finding.State
BATCH = 2000
# What each review does: the state it leaves the finding in, whether a reason is required, its name.
REVIEWS = {
    "confirm": (FindingState.CONFIRMED, False, "确认"),
    "explain": (FindingState.EXPLAINED, True, "说明"),
    "dismiss": (FindingState.DISMISSED, True, "排除"),
}
# The 整改台账's category for each kind a unit answers for: paying people outside the quota breaks the quota;
# records that disagree are false or late real-name data.
_CATEGORY = {Kind.PAID_NOT_IN_QUOTA: Category.STAFFING, Kind.LEFT_STILL_PAID: Category.STAFFING}


def require_reconciler(user) -> None:
    """The office (监督检查 or the 编办), county-wide: the files list the whole county's people."""
    require_supervisor(user)
    if user is not None and not user.scope_county:
        raise BianzhiError(CommonError.PERMISSION_DENIED)


def require_partner_uploader(user) -> None:
    """A partner department sending its files through the API (a token allowed uploads; the API checks the scope):
    a county-wide business account, since the run compares the whole county."""
    if user is None or not user.scope_county or not has_capability(user, Capability.VIEW_BUSINESS):
        raise BianzhiError(CommonError.PERMISSION_DENIED)


def runs_visible_to(user):
    require_reconciler(user)
    return ReconciliationRun.objects.select_related("created_by")


def run_of_uploader(user, pk: int) -> ReconciliationRun | None:
    """A run the partner's account started itself (its state and counts, not the rows behind them)."""
    if user is None:
        return None
    return ReconciliationRun.objects.filter(pk=pk, created_by=user).first()


def run_for(user, pk: int) -> ReconciliationRun:
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该比对")
    return run


@transaction.atomic
def reconciliation_start(
    *,
    actor,
    payroll: tuple[str, bytes],
    hr: tuple[str, bytes],
    as_of: dt.date | None = None,
    queue: bool = True,
    by_partner: bool = False,
) -> ReconciliationRun:
    """An upload: both files kept for the worker, the run recorded (排队中) and queued once committed (unless
    ``queue`` is False: the caller runs it itself, as the demo does). ``by_partner``: sent by a partner department
    through the API with a token allowed uploads (``require_partner_uploader``), not by the office."""
    if by_partner:
        require_partner_uploader(actor)
    else:
        require_reconciler(actor)
    as_of = check_as_of(as_of)
    for (name, content), label in ((payroll, "统发工资名册"), (hr, "人事名册")):
        if not name or not content:
            raise BianzhiError(ReconcileError.MISSING_FILE, file=label)
    run = ReconciliationRun.objects.create(
        as_of=as_of,
        payroll_name=payroll[0][:255],
        hr_name=hr[0][:255],
        payroll_token=staging.keep(payroll[1]),
        hr_token=staging.keep(hr[1]),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="exchange.reconciliation_started",
        obj=run,
        after={"as_of": as_of.isoformat(), "payroll": run.payroll_name, "hr": run.hr_name},
    )

    def enqueue() -> None:
        ReconciliationRun.objects.filter(pk=run.pk).update(task_id=run_reconciliation.enqueue(run.pk).id)

    if queue:
        transaction.on_commit(enqueue)
    return run


def _finish(run: ReconciliationRun, state: str, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.state, run.finished_at = state, timezone.now()
    run.save()


def _discard_files(run: ReconciliationRun) -> None:
    """The uploads hold every ID number in clear: kept no longer than the run."""
    for token in (run.payroll_token, run.hr_token):
        if token and (path := staging.staged_path(token)):
            path.unlink(missing_ok=True)


def _finding(run: ReconciliationRun, found) -> Finding:
    return Finding(
        run=run,
        kind=found.kind.value,
        side=found.side.value,
        summary=found.summary,
        unit_id=found.unit_id,
        person_id=found.person_id,
        rows=[row.as_dict() for row in found.rows],
    )


def reconciliation_execute(run: ReconciliationRun) -> ReconciliationRun:
    """Runs the comparison ``run`` describes, its progress kept on the record; a bad file ends it as 文件有误."""
    run.state = State.RUNNING
    run.save(update_fields=["state"])

    def progress(done: int, total: int, _stage: str) -> None:
        ReconciliationRun.objects.filter(pk=run.pk).update(progress=min(99, done * 100 // total))

    try:
        paths = [staging.staged_path(run.payroll_token), staging.staged_path(run.hr_token)]
        if None in paths:
            raise BianzhiError(ReconcileError.MISSING_FILE, file="比对文件（上传的文件已清理，请重新上传）")
        outcome = reconcile(
            payroll=(run.payroll_name, paths[0]), hr=(run.hr_name, paths[1]), as_of=run.as_of, progress=progress
        )
    except BianzhiError as exc:
        _finish(run, State.REJECTED, error={"code": exc.code, "message": exc.message})
        _discard_files(run)
        return run
    except Exception:
        logger.exception("三方比对 #%s 失败", run.pk)
        _finish(
            run, State.FAILED, error={"code": "reconcile.internal", "message": "比对时发生内部错误，请联系管理员。"}
        )
        raise
    counts = {kind.value: count for kind, count in outcome.counts().items()}
    with transaction.atomic():
        findings = (_finding(run, found) for found in outcome.findings)
        Finding.objects.bulk_create(findings, batch_size=BATCH)
        _finish(run, State.DONE, progress=100, rows=outcome.rows, counts=counts)
        audit_record(actor=run.created_by, action="exchange.reconciliation_finished", obj=run, after=counts)
    _discard_files(run)
    return run


@task()
def run_reconciliation(run_id: int) -> str:
    run = ReconciliationRun.objects.select_related("created_by").get(pk=run_id)
    if run.finished:  # a task run twice does not compare twice
        return run.state
    return reconciliation_execute(run).state


@transaction.atomic
def finding_review(*, actor, finding: Finding, action: str, reason: str = "") -> Finding:
    """确认, 说明 or 排除 one open finding; the last two with the reason."""
    require_reconciler(actor)
    if action not in REVIEWS:
        raise BianzhiError(ReconcileError.UNKNOWN_ACTION, action=action)
    state, needs_reason, label = REVIEWS[action]
    finding = lock_row(Finding.objects.filter(pk=finding.pk))
    if finding.state != FindingState.OPEN:
        raise BianzhiError(ReconcileError.NOT_OPEN, state=finding.get_state_display(), action=label)
    reason = (reason or "").strip()[:2000]
    if needs_reason and not reason:
        raise BianzhiError(ReconcileError.NO_REASON, action=label)
    finding.state, finding.reason = state, reason
    finding.decided_by, finding.decided_at = actor, timezone.now()
    finding.save()
    after = {"state": state, "reason": reason}
    if action == "confirm":
        audit_record(actor=actor, action="exchange.finding_confirmed", obj=finding, after=after)
    elif action == "explain":
        audit_record(actor=actor, action="exchange.finding_explained", obj=finding, after=after)
    else:
        audit_record(actor=actor, action="exchange.finding_dismissed", obj=finding, after=after)
    return finding


@transaction.atomic
def finding_rectify(*, actor, finding: Finding):
    """Turns a finding into an item of the 整改台账 for the unit it concerns (the finding is then 已确认)."""
    require_reconciler(actor)
    finding = lock_row(Finding.objects.filter(pk=finding.pk))
    if finding.rectification_id:
        raise BianzhiError(ReconcileError.ALREADY_RECTIFYING, serial=f"#{finding.rectification_id}")
    if finding.state in (FindingState.DISMISSED,):
        raise BianzhiError(ReconcileError.NOT_OPEN, state=finding.get_state_display(), action="转为整改事项")
    if finding.unit_id is None:
        raise BianzhiError(ReconcileError.NO_UNIT)
    run = finding.run
    item = rectification_open(
        actor=actor,
        unit=finding.unit,
        source=Source.RECONCILIATION,
        category=_CATEGORY.get(Kind(finding.kind), Category.FALSIFY),
        finding=f"{finding.get_kind_display()}：{finding.summary}",
        basis="机构编制实名制数据与统发工资、人事名册应当一致（人、编、岗、经费相符）。",
        source_ref=f"三方比对 #{run.pk}（截至 {run.as_of}）",
    )
    finding.rectification = item
    if finding.state == FindingState.OPEN:
        finding.state, finding.decided_by, finding.decided_at = FindingState.CONFIRMED, actor, timezone.now()
    finding.save()
    audit_record(actor=actor, action="exchange.finding_rectification", obj=finding, after={"item": item.pk})
    return item


def run_report(run: ReconciliationRun) -> bytes:
    """The run's findings in office layout, each with its review state and reason."""
    counts = {Kind(k): v for k, v in run.counts.items()}
    states = dict(FindingState.choices)

    def lines():
        for finding in run.findings.order_by("pk").iterator(chunk_size=BATCH):
            rows = finding.rows
            first = rows[-1] if finding.kind == FindingKind.DUPLICATE_IN_FILE else rows[0]
            values = first.get("values", {})
            line = (
                finding.kind,
                finding.side,
                first.get("row"),
                values.get("姓名", ""),
                values.get("公民身份号码", ""),
            )
            yield (*line, finding.summary, str(states[finding.state]), finding.reason)

    return report_workbook(as_of=run.as_of, lines=lines(), counts={k: counts.get(k, 0) for k in KINDS})
