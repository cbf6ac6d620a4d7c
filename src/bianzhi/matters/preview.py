"""What a change set would do, unit by unit: the register entry and every quota account and leadership post it
touches, before and after, as of a day — computed by applying the steps through the real services in a
transaction that is rolled back, never by a second copy of the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models, transaction

from bianzhi.matters.changesets import StepOutcome, run_steps, scratch_document
from bianzhi.matters.models import ChangeStep
from bianzhi.orgs.models import Unit
from bianzhi.quotas.models import LeadershipMovement, Movement
from bianzhi.quotas.selectors import unit_ledger, unit_posts

Figures = tuple[int, int, int]  # 核定, 实有 (实配 for posts), 空编


@dataclass(frozen=True)
class Line:
    """One account or post of a unit: its figures before and after (None where it did not exist)."""

    label: str
    before: Figures | None
    after: Figures | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class UnitPreview:
    unit_id: int
    before: str  # 名称 · 规格 · 状态, or "" for a unit the change set creates
    after: str
    quotas: list[Line] = field(default_factory=list)
    posts: list[Line] = field(default_factory=list)


@dataclass
class Preview:
    day: dt.date
    outcomes: list[StepOutcome]
    units: list[UnitPreview]

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)


def _touched(records: Iterable[models.Model]) -> set[int]:
    units: set[int] = set()
    for record in records:
        if isinstance(record, Unit):
            units.add(record.pk)
            if record.successor_id:
                units.add(record.successor_id)
        elif isinstance(record, Movement | LeadershipMovement):
            units.update(u for u in (record.from_account.unit_id, record.to_account.unit_id) if u)
    return units


def _state(unit_ids: Iterable[int], day: dt.date) -> dict[int, tuple[str, dict[str, Figures], dict[str, Figures]]]:
    found = {}
    for unit in Unit.objects.filter(pk__in=list(unit_ids)):
        entry = f"{unit.name} · {unit.get_rank_display()} · {unit.get_status_display()}"
        quotas = {
            f"{row.label}（{row.funding_label}）" if row.funding_label else row.label: (
                row.approved,
                row.occupied,
                row.vacant,
            )
            for row in unit_ledger(None, unit, day)
        }
        posts = {
            f"{post.grade_label}{post.level_label}": (post.approved, post.filled, post.vacant)
            for post in unit_posts(None, unit, day)
        }
        found[unit.pk] = (entry, quotas, posts)
    return found


def _lines(before: dict[str, Figures], after: dict[str, Figures]) -> list[Line]:
    return [Line(label, before.get(label), after.get(label)) for label in sorted({*before, *after})]


def change_set_preview(steps: Iterable[ChangeStep], *, actor, day: dt.date) -> Preview:
    """Every unit the steps touch, before and after, on ``day``; and each step's outcome (as ``change_set_check``).
    A refused step is left out, as it would be by the check; the preview of a set with a refused step shows what
    the other steps would do."""
    steps = list(steps)
    with transaction.atomic():
        document = scratch_document(day)
        with transaction.atomic():
            outcomes = run_steps(steps, actor=actor, document=document, effective_date=day, all_or_nothing=False)
            touched = _touched(record for outcome in outcomes for record in outcome.written)
            after = _state(touched, day)
            transaction.set_rollback(True)
        before = _state(touched, day)
        transaction.set_rollback(True)
    units = []
    for unit_id in sorted(touched):
        entry_after, quotas_after, posts_after = after[unit_id]
        entry_before, quotas_before, posts_before = before.get(unit_id, ("", {}, {}))
        units.append(
            UnitPreview(
                unit_id,
                entry_before,
                entry_after,
                _lines(quotas_before, quotas_after),
                _lines(posts_before, posts_after),
            )
        )
    return Preview(day, outcomes, units)
