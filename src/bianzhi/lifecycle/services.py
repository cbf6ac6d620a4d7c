"""A unit's life changes that reach past the register: 合并, 撤销 and 分设 move slots, leadership posts and people.

Each runs in one transaction: the register's primitives (``orgs``) lock and check the unit, the ledger hands over
what the unit holds (``quotas``), the roster moves its people (``roster``), then the register records the change.
Later apps (the 编委 matters) change units through these, never around them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_rows
from bianzhi.orgs.choices import UnitChange, UnitStatus
from bianzhi.orgs.documents import document_resolve
from bianzhi.orgs.errors import OrgError
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import (
    UnitSpec,
    active_children,
    ensure_unit_usable,
    unit_begin_change,
    unit_close,
    unit_create,
    unit_move,
    unit_record_change,
)
from bianzhi.quotas.models import MovementKind
from bianzhi.quotas.services import (
    accounts_hand_over,
    ensure_no_later_movements,
    ensure_not_overstaffed,
    movement_post,
    unit_account,
)
from bianzhi.roster.models import Person
from bianzhi.roster.staffing import occupancies_hand_over


def _close(
    *,
    actor,
    unit: Unit,
    status: str,
    change: str,
    successor: Unit | None,
    document,
    effective_date: dt.date,
    reason: str,
) -> Unit:
    unit, doc = unit_begin_change(actor, unit, document, effective_date)
    ensure_no_later_movements(unit, effective_date)
    accounts_hand_over(
        actor=actor,
        unit=unit,
        successor=successor,
        document=doc,
        effective_date=effective_date,
        reason=reason or f"{unit.name}{UnitChange(change).label}",
    )
    occupancies_hand_over(actor=actor, unit=unit, successor=successor, document=doc, effective_date=effective_date)
    return unit_close(
        actor=actor,
        unit=unit,
        status=status,
        change=change,
        successor=successor,
        document=doc,
        effective_date=effective_date,
        reason=reason,
    )


@transaction.atomic
def unit_abolish(*, actor, unit: Unit, document, effective_date: dt.date, reason: str = "") -> Unit:
    """撤销: its slots go back to the county pool and its leadership posts to the authority."""
    require_capability(actor, Capability.MANAGE_ORGS)
    count = active_children(unit).count()
    if count:
        raise BianzhiError(OrgError.HAS_CHILDREN, name=unit.name, count=count)
    return _close(
        actor=actor,
        unit=unit,
        status=UnitStatus.ABOLISHED,
        change=UnitChange.ABOLISHED,
        successor=None,
        document=document,
        effective_date=effective_date,
        reason=reason,
    )


@transaction.atomic
def unit_merge(*, actor, unit: Unit, successor: Unit, document, effective_date: dt.date, reason: str = "") -> Unit:
    """合并: ``unit`` is merged into ``successor``; its sub-units, slots, leadership posts and people go there."""
    require_capability(actor, Capability.MANAGE_ORGS)
    if successor.tree_path.startswith(unit.tree_path):
        raise BianzhiError(OrgError.MERGE_INTO_SELF)
    # locked together, in key order like the ledger locks them, so that the hand-over cannot deadlock with a movement
    successor = {u.pk: u for u in lock_rows(Unit, [unit.pk, successor.pk])}[successor.pk]
    ensure_unit_usable(successor, effective_date)
    ensure_unit_in_scope(actor, successor)
    doc = document_resolve(document)
    for child in active_children(unit):
        unit_move(
            actor=actor,
            unit=child,
            new_parent=successor,
            document=doc,
            effective_date=effective_date,
            reason=reason or f"随「{unit.name}」并入「{successor.name}」",
        )
    return _close(
        actor=actor,
        unit=unit,
        status=UnitStatus.MERGED,
        change=UnitChange.MERGED,
        successor=successor,
        document=doc,
        effective_date=effective_date,
        reason=reason,
    )


@dataclass
class SplitPart:
    """One new unit carved out of another: the slots (type code, funding form, amount) it takes along, and the
    people who go with them (each keeps the type and funding form of the slot they hold)."""

    spec: UnitSpec
    quotas: list[tuple[str, str, int]] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)


@transaction.atomic
def unit_split(
    *,
    actor,
    unit: Unit,
    parts: list[SplitPart],
    document,
    effective_date: dt.date,
    abolish_original: bool = False,
    reason: str = "",
) -> list[Unit]:
    """分设: new units take the listed slots and people from ``unit``; the original may be abolished afterwards
    (then whoever is left in it must have been given a new unit)."""
    unit, doc = unit_begin_change(actor, unit, document, effective_date)
    created, assignments = [], {}
    for part in parts:
        new_unit = unit_create(
            actor=actor,
            spec=part.spec,
            document=doc,
            effective_date=effective_date,
            reason=reason or f"由「{unit.name}」分设",
        )
        for type_code, funding, amount in part.quotas:
            movement_post(
                actor=actor,
                kind=MovementKind.HUAZHUAN,
                from_account=unit_account(unit, type_code, funding),
                to_account=unit_account(new_unit, type_code, funding),
                amount=amount,
                effective_date=effective_date,
                document=doc,
                reason=reason or f"分设「{new_unit.name}」",
                check_staffing=False,  # the people named for the new unit follow below
            )
        for person in part.persons:
            if assignments.setdefault(person.pk, new_unit) != new_unit:
                raise BianzhiError(OrgError.SPLIT_PERSON_TWICE, name=person.name)
        created.append(new_unit)
    if assignments:
        occupancies_hand_over(
            actor=actor, unit=unit, successor=None, document=doc, effective_date=effective_date, assignments=assignments
        )
    if abolish_original:
        unit_abolish(actor=actor, unit=unit, document=doc, effective_date=effective_date, reason=reason)
    else:
        for type_code, funding in {(t, f) for part in parts for t, f, _n in part.quotas}:
            ensure_not_overstaffed(unit_account(unit, type_code, funding), effective_date)
        unit_record_change(actor, unit, UnitChange.SPLIT, doc, effective_date, reason)
    return created
