"""A matter's change set, checked and applied by the real services.

``change_set_check`` runs every step against the register as it would stand after the steps before it, in a
transaction that is rolled back, and says for each step whether it would go through (a refused step leaves the
register as the steps before it left it, so later steps are still judged). ``services.matter_apply`` runs them all
through ``run_steps`` in one transaction, under the decision's document and effective date: every step goes
through, or none does and the error names the step; ``preview`` runs them as the check does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from bianzhi.core.errors import BianzhiError
from bianzhi.matters.models import ChangeStep
from bianzhi.matters.operations import CREATING, Context, operation_for
from bianzhi.orgs.documents import DocumentRef, document_resolve
from bianzhi.orgs.models import Document

CHECK_ISSUER = "（变更核验）"


@dataclass
class StepOutcome:
    """One step as checked or applied: what it wrote, or why it was refused (message and code)."""

    position: int
    label: str
    written: list[models.Model] = field(default_factory=list)
    problem: str = ""
    code: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


class StepRefused(Exception):
    def __init__(self, outcome: StepOutcome):
        super().__init__(outcome.problem)
        self.outcome = outcome


def run_steps(
    steps: Iterable[ChangeStep], *, actor, document: Document, effective_date: dt.date, all_or_nothing: bool
) -> list[StepOutcome]:
    """The steps in order, each in a savepoint of its own. ``all_or_nothing`` stops at the first refusal
    (``StepRefused``); otherwise a refused step is noted and the next one runs on what the others left."""
    context = Context(actor=actor, document=document, effective_date=effective_date)
    outcomes = []
    for step in steps:
        context.position = step.position
        label = step.operation
        try:
            operation = operation_for(step.operation)
            label = operation.label
            with transaction.atomic():
                written = operation.run(context, step.params or {})
        except BianzhiError as exc:
            outcome = StepOutcome(step.position, label, problem=exc.message, code=exc.code)
            if all_or_nothing:
                raise StepRefused(outcome) from exc
            outcomes.append(outcome)
            continue
        if step.operation in CREATING:
            context.created[step.position] = written[0]
        outcomes.append(StepOutcome(step.position, label, written=written))
    return outcomes


def check_day(matter) -> dt.date:
    """The day a matter's change set is checked and previewed on: its intended date (or, once applied, the day it
    took effect), never later than today — the services refuse a future date."""
    today = timezone.localdate()
    return min(matter.applied_on or matter.intended_date or today, today)


def scratch_document(day: dt.date) -> Document:
    """A document for steps run only to be rolled back (a check, a preview): a number of its own, so that two
    checks at once never wait for each other."""
    return document_resolve(DocumentRef(f"（变更核验）{uuid.uuid4().hex[:12]}", "变更核验", day, CHECK_ISSUER))


def change_set_check(steps: Iterable[ChangeStep], *, actor, day: dt.date) -> list[StepOutcome]:
    """Each step judged as it would go on ``day`` after the steps before it; nothing is kept."""
    with transaction.atomic():
        document = scratch_document(day)
        outcomes = run_steps(steps, actor=actor, document=document, effective_date=day, all_or_nothing=False)
        transaction.set_rollback(True)
    return outcomes
