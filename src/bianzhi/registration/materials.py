"""What an application must hand in (the checklist of ``data/materials.json``, brief §6.2–6.4), and the one list of
everything still needed that the applicant sees (最多跑一次)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bianzhi.registration.choices import ApplicationKind
from bianzhi.registration.models import Application, ApplicationMaterial

DATA = Path(__file__).parent / "data" / "materials.json"


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    essential: bool  # 要件: never 容缺
    required: bool
    for_items: tuple[str, ...] = ()  # 变更登记: needed only when one of these items changes


@cache
def _table() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _material(row: dict) -> Material:
    return Material(row["code"], row["label"], row["essential"], row["required"], tuple(row.get("for_items", ())))


def checklist(kind: str, changed: set[str] | frozenset[str] = frozenset(), *, late: bool = False) -> list[Material]:
    """The materials of an application of ``kind``: for a 变更, those of the changed items; a late application adds
    the statement of why (逾期办理情况说明)."""
    rows = [_material(row) for row in _table()[ApplicationKind(kind).value]]
    wanted = [m for m in rows if not m.for_items or changed & set(m.for_items)]
    return wanted + ([_material(_table()["LATE"])] if late else [])


def materials_sync(application: Application, wanted: list[Material]) -> None:
    """Brings the application's checklist to ``wanted``: lines no longer needed go (with what was handed in for
    them), new ones are added, the files of lines kept stay."""
    kept = {m.code for m in wanted}
    application.materials.exclude(code__in=kept).delete()
    present = set(application.materials.values_list("code", flat=True))
    for position, material in enumerate(wanted):
        if material.code in present:
            application.materials.filter(code=material.code).update(
                position=position, label=material.label, essential=material.essential, required=material.required
            )
        else:
            ApplicationMaterial.objects.create(
                application=application,
                code=material.code,
                label=material.label,
                essential=material.essential,
                required=material.required,
                position=position,
            )


def missing_materials(application: Application) -> list[ApplicationMaterial]:
    """Required lines with neither a file nor a 容缺 promise."""
    return [m for m in application.materials.all() if m.required and m.file_id is None and m.due_on is None]


def open_promises(application: Application) -> list[ApplicationMaterial]:
    return [m for m in application.materials.all() if m.deferred]


def still_needed(application: Application, today: dt.date) -> list[str]:
    """Everything the applicant still has to do, in one list: the materials missing, the 容缺 items with their
    dates (overdue said so), and the authority's correction notice while the application waits for it."""
    lines = [f"提交「{m.label}」" + ("（要件）" if m.essential else "") for m in missing_materials(application)]
    for m in open_promises(application):
        late = "，已逾期" if m.due_on < today else ""
        lines.append(f"按承诺于 {m.due_on} 前补交「{m.label}」{late}")
    if application.state == "NEEDS_CORRECTION":
        notice = application.events.filter(transition="request_correction").order_by("-at").first()
        if notice is not None:
            lines.insert(0, f"按一次性告知补正：{notice.comment}")
    return lines
