"""三定 (职能配置、内设机构和人员编制规定): numbered versions per unit, each tied to its document, and a diff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from bianzhi.accounts.permissions import Capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.locks import lock_all, lock_rows
from bianzhi.orgs.documents import DocumentRef, check_effective_date, document_resolve
from bianzhi.orgs.errors import SanDingError
from bianzhi.orgs.models import Document, SanDingVersion, Unit
from bianzhi.orgs.services import ensure_unit_usable


@dataclass
class SanDingContent:
    duties: list[str]
    internal_bodies: list[dict] = field(default_factory=list)  # [{"name": "…", "duties": ["…"]}]
    staffing: dict[str, int] = field(default_factory=dict)
    leadership: dict[str, int] = field(default_factory=dict)
    other_clauses: str = ""


def _assign_ids(keys: list[str], history: list[list[tuple[str, str]]], prefix: str) -> list[str]:
    """An id for each duty text or body name: the one it had most recently in this unit's 三定 (so it keeps its
    identity across versions, even after an absence), or else one never issued before, so that the diff between
    any two versions follows duties and bodies correctly. ``history`` holds (key, id) pairs, newest version first."""
    known: dict[str, str] = {}
    for entries in reversed(history):
        known.update(entries)
    issued = {id_ for entries in history for _key, id_ in entries}
    taken: set[str] = set()
    result, counter = [], 0
    for key in keys:
        id_ = known.get(key)
        if id_ is None or id_ in taken:
            counter += 1
            while f"{prefix}{counter}" in issued or f"{prefix}{counter}" in taken:
                counter += 1
            id_ = f"{prefix}{counter}"
        taken.add(id_)
        result.append(id_)
    return result


def _clean_lines(lines: list[str]) -> list[str]:
    return [" ".join(line.split()) for line in lines if line and line.strip()]


@transaction.atomic
def sanding_publish(
    *, actor, unit: Unit, content: SanDingContent, document: DocumentRef | Document, effective_date: dt.date
) -> SanDingVersion:
    """Records a new 三定 version of ``unit``."""
    require_capability(actor, Capability.MANAGE_ORGS)
    ensure_unit_in_scope(actor, unit)
    duties = _clean_lines(content.duties)
    if not duties:
        raise BianzhiError(SanDingError.NO_DUTIES)
    for key, value in {**content.staffing, **content.leadership}.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BianzhiError(SanDingError.BAD_STAFFING, key=key)
    doc = document_resolve(document)
    check_effective_date(doc, effective_date)
    # read again under lock: two first versions of one unit must not race, and the unit may have closed meanwhile
    unit = lock_rows(Unit, [unit.pk])[0]
    ensure_unit_usable(unit, effective_date, past_record=True)  # earlier versions of a closed unit may be filed
    earlier = sorted(lock_all(unit.sanding_versions.all()), key=lambda v: v.version, reverse=True)
    previous = earlier[0] if earlier else None
    if previous and effective_date < previous.effective_from:
        raise BianzhiError(
            SanDingError.OUT_OF_ORDER, effective=effective_date, version=previous.version, since=previous.effective_from
        )
    bodies = []
    for body in content.internal_bodies:
        name = " ".join(str(body.get("name", "")).split())
        if name:
            bodies.append({"name": name, "duties": _clean_lines(body.get("duties", []))})
    body_ids = _assign_ids(
        [b["name"] for b in bodies], [[(b["name"], b["id"]) for b in v.internal_bodies] for v in earlier], "B"
    )
    duty_ids = _assign_ids(duties, [[(d["text"], d["id"]) for d in v.duties] for v in earlier], "D")
    version = SanDingVersion.objects.create(
        unit=unit,
        version=(previous.version + 1) if previous else 1,
        document=doc,
        effective_from=effective_date,
        duties=[{"id": id_, "text": text} for id_, text in zip(duty_ids, duties, strict=True)],
        internal_bodies=[{"id": id_, **body} for id_, body in zip(body_ids, bodies, strict=True)],
        staffing=content.staffing,
        leadership=content.leadership,
        other_clauses=content.other_clauses.strip(),
    )
    audit_record(
        actor=actor,
        action="orgs.sanding_published",
        obj=version,
        after={"version": version.version, "document": doc.number, "duties": len(duties)},
    )
    return version


@dataclass
class SanDingDiff:
    duties_added: list[str]
    duties_removed: list[str]
    bodies_added: list[str]
    bodies_removed: list[str]
    staffing_changed: dict[str, tuple[int, int]]
    leadership_changed: dict[str, tuple[int, int]]
    other_clauses_changed: bool

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.duties_added,
                self.duties_removed,
                self.bodies_added,
                self.bodies_removed,
                self.staffing_changed,
                self.leadership_changed,
                self.other_clauses_changed,
            )
        )


def _changed_counts(old: dict, new: dict) -> dict[str, tuple[int, int]]:
    return {k: (old.get(k, 0), new.get(k, 0)) for k in sorted(set(old) | set(new)) if old.get(k, 0) != new.get(k, 0)}


def sanding_diff(old: SanDingVersion, new: SanDingVersion) -> SanDingDiff:
    old_duties = {d["id"]: d["text"] for d in old.duties}
    new_duties = {d["id"]: d["text"] for d in new.duties}
    old_bodies = {b["name"] for b in old.internal_bodies}
    new_bodies = {b["name"] for b in new.internal_bodies}
    return SanDingDiff(
        duties_added=[t for i, t in new_duties.items() if i not in old_duties],
        duties_removed=[t for i, t in old_duties.items() if i not in new_duties],
        bodies_added=sorted(new_bodies - old_bodies),
        bodies_removed=sorted(old_bodies - new_bodies),
        staffing_changed=_changed_counts(old.staffing, new.staffing),
        leadership_changed=_changed_counts(old.leadership, new.leadership),
        other_clauses_changed=old.other_clauses != new.other_clauses,
    )
