"""Writes of the 机构编制事项: the matter, its change set, and the application of a decided change set.

The procedure's states and their guards (动议 → … → 已办结) are added step by step; what is here is what every
state builds on: a matter with its change set, edited while it may be, and applied once, whole, on decision.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.files import Upload
from bianzhi.core.locks import lock_row
from bianzhi.matters.attachments import attachment_store
from bianzhi.matters.changesets import StepRefused, run_steps
from bianzhi.matters.choices import Decision, MatterKind, MatterState
from bianzhi.matters.errors import MatterError
from bianzhi.matters.models import ChangeStep, Matter, MatterAttachment, MatterEffect
from bianzhi.matters.operations import allowed, operation_for
from bianzhi.matters.workflow import FINISHED, PROPOSER, acts_for, event_record
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.models import Document, Unit

# the states in which the proposer may still change what is asked for; the 编办 may also change a change set
# approved with modifications (修改后批准) before it is applied
EDITABLE_STATES = frozenset({MatterState.DRAFT, MatterState.RETURNED})


@transaction.atomic
def matter_create(
    *,
    actor,
    proposer: Unit,
    kind: str,
    title: str,
    necessity: str = "",
    rationality: str = "",
    feasibility: str = "",
    intended_date: dt.date | None = None,
) -> Matter:
    require_capability(actor, Capability.PROPOSE_MATTERS)
    ensure_unit_in_scope(actor, proposer)
    if kind not in MatterKind.values:
        raise BianzhiError(
            MatterError.BAD_PARAM,
            label="事项类别",
            value=kind,
            reason=allowed(MatterKind),
        )
    if not title.strip():
        raise BianzhiError(MatterError.MISSING_PARAM, label="事项名称")
    matter = Matter.objects.create(
        proposer=proposer,
        kind=kind,
        title=title.strip(),
        necessity=necessity.strip(),
        rationality=rationality.strip(),
        feasibility=feasibility.strip(),
        intended_date=intended_date,
        created_by=actor,
        state_since=timezone.localdate(),
    )
    audit_record(actor=actor, action="matters.created", obj=matter, after={"kind": kind, "proposer": proposer.name})
    return matter


def change_set_editable(actor, matter: Matter) -> bool:
    """Whether ``actor`` may change the matter's change set now: the proposer while it is a draft or sent back,
    the 编办 also once it was approved with modifications (修改后批准) and until it is applied."""
    if not has_capability(actor, Capability.PROPOSE_MATTERS) or not unit_in_scope(actor, matter.proposer):
        return False
    modifying = (
        matter.state == MatterState.DECIDED
        and matter.decision == Decision.APPROVED_MODIFIED
        and matter.applied_on is None
        and has_capability(actor, Capability.DECIDE_MATTERS)
    )
    return matter.state in EDITABLE_STATES or modifying


def _locked_editable(actor, matter: Matter) -> Matter:
    require_capability(actor, Capability.PROPOSE_MATTERS)
    matter = lock_row(Matter.objects.filter(pk=matter.pk))
    ensure_unit_in_scope(actor, matter.proposer)
    if not change_set_editable(actor, matter):
        raise BianzhiError(MatterError.NOT_EDITABLE, state=matter.get_state_display())
    return matter


@transaction.atomic
def change_step_add(*, actor, matter: Matter, operation: str, params: dict) -> ChangeStep:
    """A step at the end of the change set. It is judged with the others by ``change_set_check`` (the page shows
    each step's problems as the set is edited); only an operation that does not exist is refused here."""
    matter = _locked_editable(actor, matter)
    operation_for(operation)
    last = matter.steps.aggregate(last=Max("position"))["last"] or 0
    step = ChangeStep.objects.create(matter=matter, position=last + 1, operation=operation, params=params)
    audit_record(
        actor=actor, action="matters.step_added", obj=matter, after={"position": step.position, "operation": operation}
    )
    return step


@transaction.atomic
def change_step_remove(*, actor, matter: Matter, position: int) -> Matter:
    """Removes a step; the later ones move up, and a ``#N`` naming a unit made by a later step is renumbered."""
    matter = _locked_editable(actor, matter)
    steps = list(matter.steps.order_by("position"))
    removed = next((step for step in steps if step.position == position), None)
    if removed is None:
        raise BianzhiError(MatterError.NO_SUCH_STEP, position=position)
    removed.delete()
    for step in steps:  # in order, one row at a time: each moves into the place the one before it left
        if step.position > position:
            step.position -= 1
            step.params = _renumbered(step.params, position)
            step.save(update_fields=["position", "params"])
    audit_record(
        actor=actor,
        action="matters.step_removed",
        obj=matter,
        before={"position": position, "operation": removed.operation},
    )
    return matter


def _renumbered(value, removed: int):
    """``#N`` references once step ``removed`` is taken out: later ones move up by one; one naming the removed step
    becomes a text the check refuses, saying the step was removed."""
    if isinstance(value, dict):
        return {key: _renumbered(item, removed) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("#") and value[1:].isdigit():
        step = int(value[1:])
        if step == removed:  # named a unit that step made: now refused by the check, naming what happened
            return f"已删除的第{step}步"
        return f"#{step - 1}" if step > removed else value
    return value


def matter_apply(*, actor, matter: Matter, document: DocumentRef | Document, effective_date: dt.date) -> Matter:
    """Applies the decided change set in one transaction, dated ``effective_date`` and citing the decision
    ``document``: every step through the services, or none. A refusal is kept on the matter (which stays decided,
    not implemented) and raised naming the step; applying twice is refused."""
    require_capability(actor, Capability.DECIDE_MATTERS)
    try:
        with transaction.atomic():
            matter = lock_row(Matter.objects.filter(pk=matter.pk))
            if matter.applied_on is not None:
                raise BianzhiError(MatterError.ALREADY_APPLIED, day=matter.applied_on)
            if matter.state != MatterState.DECIDED:
                raise BianzhiError(MatterError.NOT_DECIDED, state=matter.get_state_display())
            steps = list(matter.steps.order_by("position"))
            if not steps:
                raise BianzhiError(MatterError.EMPTY_CHANGE_SET)
            doc = document_resolve(document)
            check_effective_date(doc, effective_date)
            outcomes = run_steps(steps, actor=actor, document=doc, effective_date=effective_date, all_or_nothing=True)
            by_position = {step.position: step for step in steps}
            MatterEffect.objects.bulk_create(
                MatterEffect(
                    matter=matter,
                    step=by_position[outcome.position],
                    object_type=record._meta.label_lower,
                    object_id=str(record.pk),
                    object_repr=str(record)[:255],
                )
                for outcome in outcomes
                for record in outcome.written
            )
            matter.state, matter.applied_on, matter.apply_problem = MatterState.IMPLEMENTED, effective_date, ""
            matter.decision_document, matter.state_since = doc, timezone.localdate()
            matter.save()
            details = {"document": doc.number, "effective_date": effective_date.isoformat(), "steps": len(steps)}
            event_record(
                matter, "implement", MatterState.DECIDED, MatterState.IMPLEMENTED, actor=actor, details=details
            )
            audit_record(
                actor=actor,
                action="matters.applied",
                obj=matter,
                after={"document": doc.number, "effective_date": effective_date, "steps": len(steps)},
            )
            return matter
    except StepRefused as refused:
        outcome = refused.outcome
        error = BianzhiError(
            MatterError.STEP_FAILED, position=outcome.position, label=outcome.label, reason=outcome.problem
        )
        _note_failure(actor, matter, error)
        raise error from refused


@transaction.atomic
def _note_failure(actor, matter: Matter, error: BianzhiError) -> None:
    Matter.objects.filter(pk=matter.pk).update(apply_problem=error.message)
    audit_record(actor=actor, action="matters.apply_failed", obj=matter, reason=error.message)


def _locked_open(actor, matter: Matter, action: str) -> Matter:
    """The matter, locked, for adding to its file: by its unit or the 编办, until it is finished."""
    matter = lock_row(Matter.objects.select_related("proposer").filter(pk=matter.pk))
    if not acts_for(actor, matter, PROPOSER):
        raise BianzhiError(CommonError.PERMISSION_DENIED)
    if matter.state in FINISHED:
        raise BianzhiError(MatterError.FINISHED, state=matter.get_state_display(), action=action)
    return matter


@transaction.atomic
def matter_attachment_add(*, actor, matter: Matter, kind: str, upload: Upload) -> MatterAttachment:
    """A file added to the matter (minutes, the 请示, study papers, a report), stored with its checksum."""
    return attachment_store(actor=actor, matter=_locked_open(actor, matter, "添加材料"), kind=kind, upload=upload)


@transaction.atomic
def matter_attachment_remove(*, actor, matter: Matter, attachment_id: int) -> Matter:
    """Takes a file off the matter while its unit may still change what it asks (草稿, 退回); the stored file
    stays for the audit trail."""
    matter = _locked_editable(actor, matter)
    attachment = matter.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise BianzhiError(MatterError.NO_SUCH_ATTACHMENT)
    attachment.delete()
    audit_record(
        actor=actor,
        action="matters.attachment_removed",
        obj=matter,
        before={"name": attachment.name, "kind": attachment.kind, "sha256": attachment.file.sha256},
    )
    return matter


@transaction.atomic
def matter_document_link(*, actor, matter: Matter, document: DocumentRef | Document) -> Document:
    """Cites a document (a policy, an earlier 批复, a 三定) in the matter; a new 文号 is registered on first use."""
    matter = _locked_open(actor, matter, "关联文件")
    doc = document_resolve(document)
    matter.documents.add(doc)
    audit_record(actor=actor, action="matters.document_linked", obj=matter, after={"document": doc.number})
    return doc


@transaction.atomic
def matter_document_unlink(*, actor, matter: Matter, document_id: int) -> Matter:
    matter = _locked_open(actor, matter, "取消关联文件")
    doc = matter.documents.filter(pk=document_id).first()
    if doc is None:
        raise BianzhiError(CommonError.NOT_FOUND, what="该关联文件")
    matter.documents.remove(doc)
    audit_record(actor=actor, action="matters.document_unlinked", obj=matter, before={"document": doc.number})
    return matter
