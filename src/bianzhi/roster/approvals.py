"""用编核准 (brief §2.1): units draft and submit; the 编办 returns, rejects or approves, which reserves the slots
until they are used, the approval expires, or it is cancelled.

``TRANSITIONS`` is the state machine: in each status, which actions may be taken and with which capability. The
services check an application's state against it, and the approval page offers exactly what it allows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.locks import lock_row, lock_rows
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import ensure_unit_usable
from bianzhi.quotas.errors import QuotaError
from bianzhi.quotas.models import QuotaAccount
from bianzhi.quotas.services import unit_account
from bianzhi.roster.choices import OPEN_APPROVAL, ApprovalStatus, EntryMode
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Approval, ApprovalStep
from bianzhi.roster.slots import ensure_available, ensure_unit_not_over, next_serial

MAX_COUNT = 500
S = ApprovalStatus


# what may be done to an application; the label is the verb a refusal names (no docstring: the API shows none)
class ApprovalAction(models.TextChoices):
    SUBMIT = "submit", "提交"
    ACCEPT = "accept", "受理"
    RETURN = "return", "退回"
    REJECT = "reject", "不予核准"
    APPROVE = "approve", "核准"
    CANCEL = "cancel", "撤销"


A = ApprovalAction
UNIT_WORK, BIANBAN_WORK = Capability.USE_QUOTA, Capability.DECIDE_QUOTA_USE


@dataclass(frozen=True)
class Allowed:
    """One action open in a status: who may take it (``capability``) and what its button says there."""

    action: ApprovalAction
    capability: Capability
    button: str


_UNIT_EDITING = (Allowed(A.SUBMIT, UNIT_WORK, "提交编办"), Allowed(A.CANCEL, UNIT_WORK, "撤回申请"))
_DECIDING = (
    Allowed(A.APPROVE, BIANBAN_WORK, "核准"),
    Allowed(A.RETURN, BIANBAN_WORK, "退回修改"),
    Allowed(A.REJECT, BIANBAN_WORK, "不予核准"),
)
_OPEN = (Allowed(A.CANCEL, BIANBAN_WORK, "撤销核准单"),)  # unused slots are released: the 编办's decision

TRANSITIONS: dict[str, tuple[Allowed, ...]] = {
    S.DRAFT: _UNIT_EDITING,
    S.RETURNED: _UNIT_EDITING,
    S.SUBMITTED: (Allowed(A.ACCEPT, BIANBAN_WORK, "受理"), *_DECIDING, Allowed(A.CANCEL, UNIT_WORK, "撤回申请")),
    S.UNDER_REVIEW: _DECIDING,
    **{status: _OPEN for status in OPEN_APPROVAL},
}
# who may take an action in some status: anyone else is refused for the action itself, whatever the state
_CAPABILITIES = {
    action: {allowed.capability for row in TRANSITIONS.values() for allowed in row if allowed.action == action}
    for action in ApprovalAction
}


def allowed_actions(actor, approval: Approval) -> list[Allowed]:
    """The actions ``actor`` may take on ``approval`` as it is now, in the order of the table."""
    if not unit_in_scope(actor, approval.unit):
        return []
    return [allowed for allowed in TRANSITIONS.get(approval.status, ()) if has_capability(actor, allowed.capability)]


def _step(approval: Approval, *, actor, action: str, from_status: str, comment: str = "") -> None:
    ApprovalStep.objects.create(
        approval=approval,
        action=action,
        from_status=from_status,
        to_status=approval.status,
        comment=comment,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=f"roster.approval_{action}",
        obj=approval,
        before={"status": from_status},
        after={"status": approval.status, "count": approval.count, "used": approval.used, "serial": approval.serial},
        reason=comment,
    )


def _require_any(actor, action: ApprovalAction) -> None:
    if not any(has_capability(actor, capability) for capability in _CAPABILITIES[action]):
        raise BianzhiError(CommonError.PERMISSION_DENIED)


def _locked(actor, approval: Approval, action: ApprovalAction) -> Approval:
    """The unit, its account, then the approval (core.locks order), as they are now, if ``TRANSITIONS`` lets
    ``actor`` take ``action`` in the approval's status."""
    _require_any(actor, action)
    lock_rows(Unit, [approval.unit_id])
    lock_rows(QuotaAccount, [approval.account_id])
    approval = lock_row(Approval.objects.select_related("unit", "account__quota_type").filter(pk=approval.pk))
    ensure_unit_in_scope(actor, approval.unit)
    allowed = next((a for a in TRANSITIONS.get(approval.status, ()) if a.action == action), None)
    if allowed is None:
        raise BianzhiError(RosterError.APPROVAL_STATE, status=approval.get_status_display(), action=action.label)
    if not has_capability(actor, allowed.capability):
        # the actor holds the action's capability in some status (_require_any), not the 编办's needed in this one
        raise BianzhiError(
            RosterError.APPROVAL_STATE, status=approval.get_status_display(), action=f"由单位{action.label}"
        )
    return approval


def _check_count(count) -> None:
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= MAX_COUNT:
        raise BianzhiError(QuotaError.AMOUNT_INVALID, max=MAX_COUNT)


@transaction.atomic
def approval_draft(
    *, actor, unit: Unit, quota_type: str, funding_form: str, count: int, entry_mode: str, purpose: str
) -> Approval:
    require_capability(actor, UNIT_WORK)
    ensure_unit_in_scope(actor, unit)
    _check_count(count)
    if entry_mode not in EntryMode.values:
        raise BianzhiError(RosterError.CHOICE_INVALID, field="拟补充方式")
    if not (purpose or "").strip():
        raise BianzhiError(RosterError.PURPOSE_REQUIRED)
    ensure_unit_usable(unit, timezone.localdate())
    account = unit_account(unit, quota_type, funding_form)
    approval = Approval.objects.create(
        unit=unit,
        account=account,
        count=count,
        entry_mode=entry_mode,
        purpose=purpose.strip(),
        created_by=actor,
    )
    _step(approval, actor=actor, action="drafted", from_status="")
    return approval


@transaction.atomic
def approval_create(
    *,
    actor,
    unit: Unit,
    quota_type: str,
    funding_form: str,
    count: int,
    entry_mode: str,
    purpose: str,
    submit: bool,
) -> Approval:
    """用编申请 as a unit files it: the draft and, with ``submit``, its submission, in one transaction. An application
    that cannot be submitted is refused as a whole: no draft is kept (the page keeps what was typed)."""
    approval = approval_draft(
        actor=actor,
        unit=unit,
        quota_type=quota_type,
        funding_form=funding_form,
        count=count,
        entry_mode=entry_mode,
        purpose=purpose,
    )
    return approval_submit(actor=actor, approval=approval) if submit else approval


@transaction.atomic
def approval_submit(*, actor, approval: Approval) -> Approval:
    approval = _locked(actor, approval, A.SUBMIT)
    before, approval.status, approval.submitted_at = approval.status, S.SUBMITTED, timezone.now()
    approval.save(update_fields=["status", "submitted_at"])
    _step(approval, actor=actor, action="submitted", from_status=before)
    return approval


@transaction.atomic
def approval_accept(*, actor, approval: Approval) -> Approval:
    """编办受理: the application is being examined."""
    approval = _locked(actor, approval, A.ACCEPT)
    approval.status = S.UNDER_REVIEW
    approval.save(update_fields=["status"])
    _step(approval, actor=actor, action="accepted", from_status=S.SUBMITTED)
    return approval


def _decide(actor, approval: Approval, *, to: str, action: ApprovalAction, step: str, comment: str) -> Approval:
    approval = _locked(actor, approval, action)
    if not (comment or "").strip():
        raise BianzhiError(RosterError.COMMENT_REQUIRED, action=action.label)
    before = approval.status
    approval.status, approval.review_comment = to, comment.strip()
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.save(update_fields=["status", "review_comment", "decided_by", "decided_at"])
    _step(approval, actor=actor, action=step, from_status=before, comment=comment.strip())
    return approval


@transaction.atomic
def approval_return(*, actor, approval: Approval, comment: str) -> Approval:
    return _decide(actor, approval, to=S.RETURNED, action=A.RETURN, step="returned", comment=comment)


@transaction.atomic
def approval_reject(*, actor, approval: Approval, comment: str) -> Approval:
    return _decide(actor, approval, to=S.REJECTED, action=A.REJECT, step="rejected", comment=comment)


@transaction.atomic
def approval_approve(
    *, actor, approval: Approval, comment: str = "", valid_days: int | None = None, today: dt.date | None = None
) -> Approval:
    """Reserves the slots (R += count) if they are free today and the unit is within quota (I5)."""
    today = today or timezone.localdate()
    approval = _locked(actor, approval, A.APPROVE)
    ensure_unit_usable(approval.unit, today)
    ensure_unit_not_over(approval.account, today)
    ensure_available(approval.account, today, approval.count)
    before = approval.status
    approval.status, approval.review_comment = S.APPROVED, (comment or "").strip()
    approval.approved_on = today
    approval.valid_until = today + dt.timedelta(days=valid_days or settings.BIANZHI_APPROVAL_VALID_DAYS)
    approval.serial = next_serial("approval", today)
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.save()
    _step(approval, actor=actor, action="approved", from_status=before, comment=approval.review_comment)
    return approval


@transaction.atomic
def approval_cancel(*, actor, approval: Approval, comment: str = "") -> Approval:
    """A unit withdraws its application, or the 编办 cancels an approval; unused slots are released today."""
    approval = _locked(actor, approval, A.CANCEL)
    before = approval.status
    approval.status = S.CANCELLED
    if before in OPEN_APPROVAL:
        approval.closed_on = timezone.localdate()
    approval.save(update_fields=["status", "closed_on"])
    _step(approval, actor=actor, action="cancelled", from_status=before, comment=comment)
    return approval


_SERVICES = {
    A.SUBMIT: approval_submit,
    A.ACCEPT: approval_accept,
    A.RETURN: approval_return,
    A.REJECT: approval_reject,
    A.APPROVE: approval_approve,
    A.CANCEL: approval_cancel,
}
_UNCOMMENTED = (A.SUBMIT, A.ACCEPT)


def approval_act(*, actor, approval: Approval, action: ApprovalAction, comment: str = "") -> Approval:
    """One action of the table by name, as the approval page's buttons and the API take them; the comment is the
    审核意见 (not asked for when submitting or accepting)."""
    action = ApprovalAction(action)
    kwargs = {} if action in _UNCOMMENTED else {"comment": comment}
    return _SERVICES[action](actor=actor, approval=approval, **kwargs)


def approvals_expire(*, today: dt.date | None = None) -> int:
    """The scheduled job: approvals past their validity release their unused slots from the day after."""
    today = today or timezone.localdate()
    expired = 0
    due = Approval.objects.filter(status__in=OPEN_APPROVAL, valid_until__lt=today).values_list("pk", "account_id")
    for pk, account_id in list(due):
        with transaction.atomic():
            # the account first (core.locks order): its slot-use intervals are rebuilt as the approval closes, and
            # an onboarding into the same account must not rebuild them at the same time
            lock_rows(QuotaAccount, [account_id])
            approval = lock_rows(Approval, [pk])[0]
            if approval.status not in OPEN_APPROVAL:
                continue
            before = approval.status
            approval.status, approval.closed_on = S.EXPIRED, approval.valid_until + dt.timedelta(days=1)
            approval.save(update_fields=["status", "closed_on"])
            _step(approval, actor=None, action="expired", from_status=before)
            expired += 1
    return expired


def check_usable(approval: Approval, day: dt.date, today: dt.date) -> None:
    """An approval can take one more person starting on ``day`` (call with the approval locked)."""
    if approval.status not in OPEN_APPROVAL:
        if approval.status == S.FULLY_USED:
            raise BianzhiError(RosterError.APPROVAL_USED_UP, serial=approval.serial, count=approval.count)
        raise BianzhiError(RosterError.APPROVAL_STATE, status=approval.get_status_display(), action="用于入编")
    if approval.valid_until and (day > approval.valid_until or approval.valid_until < today):
        raise BianzhiError(RosterError.APPROVAL_EXPIRED, serial=approval.serial, date=approval.valid_until)
    if approval.approved_on and day < approval.approved_on:
        raise BianzhiError(RosterError.ENTRY_BEFORE_APPROVAL, date=day, approved=approval.approved_on)


def consume(approval: Approval, day: dt.date) -> None:
    approval.used += 1
    approval.status = S.FULLY_USED if approval.used >= approval.count else S.PARTIALLY_USED
    fields = ["used", "status"]
    if approval.status == S.FULLY_USED:
        approval.closed_on = max(day, approval.approved_on)
        fields.append("closed_on")  # only then do its promised slots change before the entry is saved
    approval.save(update_fields=fields)
