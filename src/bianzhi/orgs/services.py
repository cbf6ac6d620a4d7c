"""The unit lifecycle: every change is dated, cites a document, keeps the previous version and is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.ids import validate_uscc
from bianzhi.core.locks import lock_row, lock_rows
from bianzhi.orgs.choices import (
    RANK_ORDER,
    InstitutionClass,
    SystemCategory,
    UnitChange,
    UnitKind,
    UnitNature,
    UnitRank,
    UnitStatus,
)
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.errors import OrgError
from bianzhi.orgs.hooks import unit_class_changing
from bianzhi.orgs.models import Document, Unit, UnitVersion

MAX_PATH = 255


@dataclass
class UnitSpec:
    """The attributes a new unit starts with."""

    name: str
    system_category: str
    kind: str
    nature: str
    rank: str
    parent: Unit | None = None
    short_name: str = ""
    other_names: list[str] = field(default_factory=list)
    uscc: str = ""
    code: str = ""
    sponsor: Unit | None = None
    institution_class: str = ""
    is_canggong: bool = False
    is_zhengfa: bool = False


def search_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials, so 锦绣县财政局 is found by ``caizheng`` or ``jxxczj``."""
    return "".join(lazy_pinyin(name)).lower(), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


_CHOICES = (
    ("system_category", "系统类别", SystemCategory),
    ("kind", "机构类型", UnitKind),
    ("nature", "机构性质", UnitNature),
    ("rank", "机构规格", UnitRank),
)


def ensure_unit_usable(unit: Unit, day: dt.date, *, past_record: bool = False) -> None:
    """Refuses business with ``unit`` effective on ``day`` once the unit has closed, or before it was established.

    A change runs from its day on, so a closed unit takes none whatever the day; only a record of its past (a 三定
    version filed late: ``past_record``) may still be dated before the unit closed."""
    if not unit.is_active and not (past_record and unit.abolished_on and day < unit.abolished_on):
        raise BianzhiError(OrgError.UNIT_CLOSED, name=unit.name, status=unit.get_status_display())
    if unit.established_on and day < unit.established_on:
        raise BianzhiError(OrgError.UNIT_NOT_YET_ESTABLISHED, name=unit.name, date=unit.established_on)


def _validate_attributes(unit: Unit, *, on: dt.date) -> None:
    """Checks a unit's (new) attributes against the register's rules; ``unit`` may be unsaved."""
    unit.name = " ".join(unit.name.split())
    unit.short_name = unit.short_name.strip()
    unit.other_names = [n.strip() for n in unit.other_names if n.strip()]
    if not unit.name:
        raise BianzhiError(OrgError.NAME_REQUIRED)
    for attr, label in (("name", "机构全称"), ("short_name", "规范简称"), ("code", "机构编码")):
        limit = Unit._meta.get_field(attr).max_length
        if len(getattr(unit, attr) or "") > limit:
            raise BianzhiError(OrgError.TOO_LONG, field=label, limit=limit)
    if any(len(other) > 200 for other in unit.other_names):
        raise BianzhiError(OrgError.TOO_LONG, field="其他名称", limit=200)
    for attr, label, choices in _CHOICES:
        if getattr(unit, attr) not in choices.values:
            raise BianzhiError(OrgError.BAD_CHOICE, field=label, value=getattr(unit, attr))
    if unit.institution_class and unit.institution_class not in InstitutionClass.values:
        raise BianzhiError(OrgError.BAD_CHOICE, field="事业单位分类", value=unit.institution_class)
    others = Unit.objects.exclude(pk=unit.pk)
    clash = others.filter(name=unit.name, status=UnitStatus.ACTIVE).first()
    if clash:
        raise BianzhiError(OrgError.NAME_TAKEN, name=unit.name)
    if unit.uscc:
        check = validate_uscc(unit.uscc)
        if not check.valid:
            raise BianzhiError(OrgError.USCC_INVALID, reason=check.errors[0].message)
        unit.uscc = check.normalized
        owner = others.filter(uscc=unit.uscc).first()
        if owner:
            raise BianzhiError(OrgError.USCC_TAKEN, uscc=unit.uscc, name=owner.name)
    unit.uscc = unit.uscc or None
    unit.code = (unit.code or "").strip() or None
    if unit.code and (owner := others.filter(code=unit.code).first()):
        raise BianzhiError(OrgError.CODE_TAKEN, code=unit.code, name=owner.name)
    parent = unit.parent
    if parent is not None:
        if not parent.is_active:
            raise BianzhiError(OrgError.PARENT_INACTIVE, name=parent.name, status=parent.get_status_display())
        ensure_unit_usable(parent, on)
        if RANK_ORDER.get(unit.rank, 0) > RANK_ORDER.get(parent.rank, 99):
            raise BianzhiError(
                OrgError.RANK_ABOVE_PARENT,
                rank=UnitRank(unit.rank).label,
                parent=parent.name,
                parent_rank=UnitRank(parent.rank).label,
            )
    if unit.kind == UnitKind.SHIYE and not unit.institution_class:
        raise BianzhiError(OrgError.CLASS_REQUIRED)
    if unit.kind != UnitKind.SHIYE and (unit.institution_class or unit.sponsor_id):
        raise BianzhiError(OrgError.CLASS_NOT_ALLOWED)
    if unit.is_zhengfa and unit.kind not in (UnitKind.JIGUAN, UnitKind.XIASHE):
        raise BianzhiError(OrgError.ZHENGFA_NOT_ALLOWED)
    unit.name_pinyin, unit.name_initials = search_keys(unit.name)


def _place_in_tree(unit: Unit) -> None:
    parent = unit.parent
    unit.tree_path = parent.path_for_child(unit.pk) if parent else f"/{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    if len(unit.tree_path) > MAX_PATH:
        raise BianzhiError(OrgError.TOO_DEEP)


def _snapshot(unit: Unit) -> dict:
    values = unit.versioned_values()
    return {**values, "uscc": unit.uscc, "code": unit.code}


def _record_version(unit: Unit, change: str, document: Document, effective: dt.date) -> None:
    """Closes the open version at ``effective`` and opens one with the unit's current values (same day: replace)."""
    values = {name: getattr(unit, name) for name in Unit.VERSIONED}
    current = lock_row(unit.versions.filter(valid_to__isnull=True))
    if current is not None and effective < current.valid_from:
        raise BianzhiError(OrgError.OUT_OF_ORDER, effective=effective, name=unit.name, since=current.valid_from)
    if current is not None and effective == current.valid_from:
        UnitVersion.objects.filter(pk=current.pk).update(change=change, document=document, **values)
        return
    if current is not None:
        UnitVersion.objects.filter(pk=current.pk).update(valid_to=effective)
    UnitVersion.objects.create(unit=unit, valid_from=effective, change=change, document=document, **values)


def _begin_change(actor, unit: Unit, document, effective: dt.date) -> tuple[Unit, Document]:
    require_capability(actor, Capability.MANAGE_ORGS)
    ensure_unit_in_scope(actor, unit)
    unit = lock_rows(Unit, [unit.pk])[0]
    ensure_unit_usable(unit, effective)
    doc = document_resolve(document)
    check_effective_date(doc, effective)
    return unit, doc


def _finish_change(actor, unit: Unit, change: str, doc: Document, effective: dt.date, before: dict, reason: str):
    _record_version(unit, change, doc, effective)
    after = _snapshot(unit)
    audit_record(
        actor=actor,
        action=f"orgs.unit_{change.lower()}",
        obj=unit,
        before={k: v for k, v in before.items() if after.get(k) != v} if before else None,
        after={
            **({k: v for k, v in after.items() if before.get(k) != v} if before else after),
            "document": doc.number,
            "effective_date": effective.isoformat(),
        },
        reason=reason,
    )


@transaction.atomic
def unit_create(
    *, actor, spec: UnitSpec, document: DocumentRef | Document, effective_date: dt.date, reason: str = ""
) -> Unit:
    """设立: a new unit in the register, with its first version."""
    require_capability(actor, Capability.MANAGE_ORGS)
    if spec.parent is not None:
        ensure_unit_in_scope(actor, spec.parent)
    elif actor is not None and not actor.scope_county:
        raise BianzhiError(OrgError.TOP_LEVEL_NEEDS_COUNTY)
    doc = document_resolve(document)
    check_effective_date(doc, effective_date)
    unit = Unit(
        name=spec.name,
        short_name=spec.short_name,
        other_names=spec.other_names,
        system_category=spec.system_category,
        kind=spec.kind,
        nature=spec.nature,
        rank=spec.rank,
        parent=spec.parent,
        uscc=(spec.uscc or "").strip(),
        code=spec.code,
        sponsor=spec.sponsor,
        institution_class=spec.institution_class,
        is_canggong=spec.is_canggong,
        is_zhengfa=spec.is_zhengfa,
        established_on=effective_date,
        tree_path="",
    )
    _validate_attributes(unit, on=effective_date)
    unit.save()
    _place_in_tree(unit)
    Unit.objects.filter(pk=unit.pk).update(tree_path=unit.tree_path, depth=unit.depth)
    _finish_change(actor, unit, UnitChange.CREATED, doc, effective_date, {}, reason)
    return unit


def _change_attributes(
    *, actor, unit: Unit, change: str, document, effective_date: dt.date, reason: str, **values
) -> Unit:
    unit, doc = _begin_change(actor, unit, document, effective_date)
    before = _snapshot(unit)
    for name, value in values.items():
        setattr(unit, name, value)
    _validate_attributes(unit, on=effective_date)  # normalises first: a name differing only in spaces is unchanged
    if _snapshot(unit) == before:
        raise BianzhiError(OrgError.NOTHING_CHANGED)
    unit.save()
    _finish_change(actor, unit, change, doc, effective_date, before, reason)
    return unit


@transaction.atomic
def unit_rename(
    *,
    actor,
    unit: Unit,
    name: str,
    document,
    effective_date: dt.date,
    short_name: str | None = None,
    other_names: list[str] | None = None,
    reason: str = "",
) -> Unit:
    """更名: same unit, new name from ``effective_date``; the old name stays in its history."""
    values = {"name": name}
    if short_name is not None:
        values["short_name"] = short_name
    if other_names is not None:
        values["other_names"] = other_names
    return _change_attributes(
        actor=actor,
        unit=unit,
        change=UnitChange.RENAMED,
        document=document,
        effective_date=effective_date,
        reason=reason,
        **values,
    )


@transaction.atomic
def unit_change_rank(*, actor, unit: Unit, rank: str, document, effective_date: dt.date, reason: str = "") -> Unit:
    """规格调整. A unit ranks no lower than any of its standing sub-units (lower them first)."""
    changed = _change_attributes(
        actor=actor,
        unit=unit,
        change=UnitChange.RANK_CHANGED,
        document=document,
        effective_date=effective_date,
        reason=reason,
        rank=rank,
    )
    for child in active_children(changed):
        if RANK_ORDER.get(child.rank, 0) > RANK_ORDER.get(rank, 99):
            raise BianzhiError(
                OrgError.RANK_BELOW_CHILD,
                rank=UnitRank(rank).label,
                child=child.name,
                child_rank=UnitRank(child.rank).label,
            )
    return changed


@transaction.atomic
def unit_change_class(
    *,
    actor,
    unit: Unit,
    document,
    effective_date: dt.date,
    institution_class: str | None = None,
    nature: str | None = None,
    is_canggong: bool | None = None,
    reason: str = "",
) -> Unit:
    """性质、类别调整: e.g. 公益二类 → 公益一类, 事业 → 参公."""
    values = {
        k: v
        for k, v in {"institution_class": institution_class, "nature": nature, "is_canggong": is_canggong}.items()
        if v is not None
    }
    if institution_class is not None:
        unit_class_changing.check(unit=unit, institution_class=institution_class, effective_date=effective_date)
    return _change_attributes(
        actor=actor,
        unit=unit,
        change=UnitChange.CLASS_CHANGED,
        document=document,
        effective_date=effective_date,
        reason=reason,
        **values,
    )


@transaction.atomic
def unit_move(
    *, actor, unit: Unit, new_parent: Unit | None, document, effective_date: dt.date, reason: str = ""
) -> Unit:
    """隶属调整: the unit and its whole subtree go under ``new_parent`` (None: top level)."""
    require_capability(actor, Capability.MANAGE_ORGS)
    if new_parent is not None and (
        new_parent.tree_path.startswith(unit.tree_path) or _below_from(new_parent, unit, effective_date)
    ):
        raise BianzhiError(OrgError.MOVE_INTO_SUBTREE, name=unit.name)
    if new_parent is not None:
        ensure_unit_in_scope(actor, new_parent)
    # every row the move rewrites, and the new parent, in one batch in key order (core.locks): a movement that
    # locks two units of the subtree then queues behind the move instead of deadlocking with its update
    path = Unit.objects.values_list("tree_path", flat=True).get(pk=unit.pk)
    subtree = Unit.objects.filter(tree_path__startswith=path).values_list("pk", flat=True)
    locked = {u.pk: u for u in lock_rows(Unit, [unit.pk, *subtree, *([new_parent.pk] if new_parent else [])])}
    if locked[unit.pk].tree_path != path:  # moved by someone else between the look and the lock
        raise BianzhiError(CommonError.CHANGED_MEANWHILE, what=f"{unit.name}的隶属关系")
    new_parent = locked.get(new_parent.pk) if new_parent is not None else None
    if new_parent is not None and new_parent.tree_path.startswith(path):  # it was moved under the unit meanwhile
        raise BianzhiError(OrgError.MOVE_INTO_SUBTREE, name=unit.name)
    old_path, old_depth = path, locked[unit.pk].depth
    unit = _change_attributes(
        actor=actor,
        unit=unit,
        change=UnitChange.MOVED,
        document=document,
        effective_date=effective_date,
        reason=reason,
        parent=new_parent,
    )
    _place_in_tree(unit)
    deepest = max(
        len(p) for p in Unit.objects.filter(tree_path__startswith=old_path).values_list("tree_path", flat=True)
    )
    if deepest - len(old_path) + len(unit.tree_path) > MAX_PATH:
        raise BianzhiError(OrgError.TOO_DEEP)
    Unit.objects.filter(tree_path__startswith=old_path).update(
        tree_path=Concat(Value(unit.tree_path), Substr("tree_path", len(old_path) + 1)),
        depth=F("depth") + (unit.depth - old_depth),
    )
    return unit


def _below_from(candidate: Unit, ancestor: Unit, start: dt.date) -> bool:
    """Whether ``candidate`` stands under ``ancestor`` on any day from ``start`` on, as the tree stood that day
    (a backdated move must not make the tree of a later date loop)."""
    pending, seen = [(candidate.pk, start, None)], set()
    while pending:
        unit_id, begin, end = pending.pop()
        if unit_id == ancestor.pk:
            return True
        if (unit_id, begin, end) in seen:
            continue
        seen.add((unit_id, begin, end))
        versions = UnitVersion.objects.filter(unit_id=unit_id, parent__isnull=False).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=begin)
        )
        if end is not None:
            versions = versions.filter(valid_from__lt=end)
        for valid_from, valid_to, parent_id in versions.values_list("valid_from", "valid_to", "parent_id"):
            overlap_end = valid_to if end is None else min(end, valid_to or end)
            pending.append((parent_id, max(begin, valid_from), overlap_end))
    return False


def ensure_no_children_after(unit: Unit, effective_date: dt.date) -> None:
    """A unit cannot close on a day after which a sub-unit still stands under it."""
    later_child = (
        UnitVersion.objects.filter(parent=unit, status=UnitStatus.ACTIVE)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=effective_date))
        .first()
    )
    if later_child is not None:
        raise BianzhiError(OrgError.CHILDREN_AFTER, child=later_child.name, date=effective_date, name=unit.name)


def active_children(unit: Unit):
    return Unit.objects.filter(parent=unit, status=UnitStatus.ACTIVE)


def unit_begin_change(actor, unit: Unit, document, effective: dt.date) -> tuple[Unit, Document]:
    """The unit, locked and checked to be open, and the document a change cites (call inside a transaction)."""
    return _begin_change(actor, unit, document, effective)


def unit_close(
    *,
    actor,
    unit: Unit,
    status: str,
    change: str,
    successor: Unit | None,
    document: Document,
    effective_date: dt.date,
    reason: str,
) -> Unit:
    """Marks a unit merged or abolished, as a new version (call with the unit from ``unit_begin_change``, after
    the ledger and the roster have handed over what it held: see bianzhi.lifecycle)."""
    ensure_no_children_after(unit, effective_date)
    before = _snapshot(unit)
    unit.status, unit.abolished_on, unit.successor = status, effective_date, successor
    unit.save(update_fields=["status", "abolished_on", "successor"])
    _finish_change(actor, unit, change, document, effective_date, before, reason)
    return unit


def unit_record_change(actor, unit: Unit, change: str, document: Document, effective_date: dt.date, reason: str):
    """A dated version of an unchanged unit that records an event (分设 of part of it, say)."""
    _finish_change(actor, unit, change, document, effective_date, _snapshot(unit), reason)


@transaction.atomic
def unit_set_disclosure(*, actor, unit: Unit, disclosed: bool, document, reason: str = "") -> Unit:
    """实名制公示 on or off for ``unit`` and its sub-units: a 涉密 unit (公安、国家安全 …) is kept off the public pages
    and the public workbook, for the reason given and on the document cited; putting it back cites a document too."""
    require_capability(actor, Capability.MANAGE_ORGS)
    ensure_unit_in_scope(actor, unit)
    unit = lock_rows(Unit, [unit.pk])[0]
    ensure_unit_usable(unit, timezone.localdate())
    reason = " ".join(reason.split())
    if not disclosed and not reason:
        raise BianzhiError(OrgError.DISCLOSURE_REASON_REQUIRED)
    limit = Unit._meta.get_field("disclosure_reason").max_length
    if len(reason) > limit:
        raise BianzhiError(OrgError.TOO_LONG, field="理由", limit=limit)
    if unit.disclosure_withheld == (not disclosed):  # it already is as asked
        raise BianzhiError(OrgError.DISCLOSURE_UNCHANGED, name=unit.name, state="公示" if disclosed else "不予公示")
    doc = document_resolve(document)
    before = {"disclosed": not disclosed, "reason": unit.disclosure_reason}
    unit.disclosure_withheld = not disclosed
    unit.disclosure_reason = "" if disclosed else reason
    unit.disclosure_document = None if disclosed else doc
    unit.save(update_fields=["disclosure_withheld", "disclosure_reason", "disclosure_document"])
    audit_record(
        actor=actor,
        action="orgs.unit_disclosure_restored" if disclosed else "orgs.unit_disclosure_withheld",
        obj=unit,
        before=before,
        after={"disclosed": disclosed, "reason": unit.disclosure_reason, "document": doc.number},
        reason=reason,
    )
    return unit
