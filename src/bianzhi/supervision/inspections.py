"""监督检查 campaigns (brief §7.1, §7.3): the office plans a check of some units over a period against the checklist
of ``data/inspection_checklist.json`` (a snapshot is kept with the campaign), records the checks combined with it
(审计、巡察、选人用人专项检查), starts it, ticks each unit's checklist — 符合、不符合 or 不适用 — and completes it
once every unit is recorded. A 不符合 is a finding the office turns, once, into an item of the 整改台账.

A campaign is the office's (``Capability.SUPERVISE``); an account limited to a subtree sees and runs only the
campaigns whose units all lie in it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from bianzhi.accounts.scoping import ensure_unit_in_scope, sees_whole_county, unit_in_scope
from bianzhi.audit.services import SYSTEM_ACTOR_NAME, audit_record
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.excel import county_name, table_workbook
from bianzhi.core.locks import lock_row
from bianzhi.core.pdf import pdf_render
from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.quotas.selectors import posts_over
from bianzhi.roster.selectors import over_quota_units
from bianzhi.supervision.choices import Category, CheckResult, InspectionKind, JointSource, Source
from bianzhi.supervision.choices import InspectionState as S
from bianzhi.supervision.errors import InspectionError, SupervisionError
from bianzhi.supervision.models import Inspection, InspectionResult, InspectionSource, RectificationItem
from bianzhi.supervision.rectification import rectification_open
from bianzhi.supervision.selectors import require_supervisor

CHECKLIST = Path(__file__).parent / "data" / "inspection_checklist.json"
# a finding that came from a joint 巡察 or 审计 is that body's finding in the 整改台账
RECTIFICATION_SOURCES = {JointSource.PATROL: Source.PATROL, JointSource.AUDIT: Source.AUDIT}
OPEN_STATES = (S.PLANNED, S.UNDER_WAY)


@cache
def checklist_current() -> tuple[str, tuple[dict, ...]]:
    """The checklist in force: its version and its items (code, text, category, basis)."""
    data = json.loads(CHECKLIST.read_text(encoding="utf-8"))
    items = tuple(
        {
            "code": item["code"],
            "text": item["text"],
            "category": Category(item["category"]).value,
            "basis": item["basis"],
        }
        for item in data["items"]
    )
    return data["version"], items


# ---------------------------------------------------------------------------------------------------------------
# reads


def inspections_visible_to(user):
    """The campaigns the caller may see: all for a county-wide account; for one limited to a subtree, those whose
    units all lie in it."""
    require_supervisor(user)
    campaigns = Inspection.objects.all()
    if sees_whole_county(user):
        return campaigns
    return campaigns.exclude(units__in=Unit.objects.exclude(tree_path__startswith=user.scope_unit.tree_path))


def inspection_for(user, pk: int) -> Inspection:
    found = inspections_visible_to(user).filter(pk=pk).first()
    if found is not None:
        return found
    if Inspection.objects.filter(pk=pk).exists():
        raise BianzhiError(CommonError.OUT_OF_SCOPE)
    raise BianzhiError(CommonError.NOT_FOUND, what="该监督检查")


def subtree_units(unit: Unit) -> list[Unit]:
    """A unit and the active units under it that are checked on their own (内设机构 are checked with their organ)."""
    return list(
        Unit.objects.filter(tree_path__startswith=unit.tree_path, status=UnitStatus.ACTIVE)
        .exclude(kind=UnitKind.NEISHE)
        .order_by("tree_path")
    )


def checklist_item(inspection: Inspection, code: str) -> dict | None:
    return next((item for item in inspection.checklist if item["code"] == code), None)


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    recorded: int
    findings: int
    total: int

    @property
    def done(self) -> bool:
        return self.recorded >= self.total


def progress(inspection: Inspection) -> list[UnitProgress]:
    """Per unit in scope: how many checklist items are recorded and how many are 不符合."""
    codes = {item["code"] for item in inspection.checklist}
    counts: dict[int, list[int]] = {}
    for unit_id, code, result in inspection.results.values_list("unit_id", "item_code", "result"):
        if code in codes:
            tally = counts.setdefault(unit_id, [0, 0])
            tally[0] += 1
            tally[1] += result == CheckResult.NONCOMPLIANT
    return [
        UnitProgress(unit, *counts.get(unit.pk, [0, 0]), len(codes)) for unit in inspection.units.order_by("tree_path")
    ]


@dataclass(frozen=True)
class Hints:
    """What the ledger itself shows of a unit on a day, for the inspector ticking its checklist."""

    over_quota: list  # roster.selectors.OverQuota of the unit
    posts_over: list  # quotas.selectors.PostRow of the unit with more holders than posts
    open_items: list  # its rectification items not yet closed


def unit_hints(unit: Unit, day: dt.date) -> Hints:
    over = [row for row in over_quota_units(None, day) if row.unit.pk == unit.pk]
    posts = [row for _unit, row in posts_over(day, unit=unit)]
    items = list(RectificationItem.objects.filter(unit=unit).exclude(state="CLOSED").order_by("opened_on", "pk"))
    return Hints(over, posts, items)


# ---------------------------------------------------------------------------------------------------------------
# writes


def _actor_name(actor) -> str:
    return actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME


def _locked(actor, pk: int) -> Inspection:
    """The campaign, if the caller may run it, locked for the write."""
    inspection_for(actor, pk)
    return lock_row(Inspection.objects.filter(pk=pk))


def _today_or(day: dt.date | None, label: str) -> dt.date:
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise BianzhiError(SupervisionError.FUTURE_DATE, label=label, day=day)
    return day


def _require_state(inspection: Inspection, states, action: str) -> None:
    if inspection.state not in states:
        raise BianzhiError(InspectionError.NOT_ALLOWED, state=inspection.get_state_display(), action=action)


@dataclass(frozen=True)
class Plan:
    """What the office decides when it plans (or changes) a campaign."""

    title: str
    year: int
    kind: str
    period_from: dt.date | None
    period_to: dt.date | None
    units: list
    leader: str = ""
    members: str = ""
    visit_on: dt.date | None = None


def _fields(actor, plan: Plan) -> tuple[dict, list[Unit]]:
    """The campaign's fields, checked; and its units, each in the caller's scope."""
    title = (plan.title or "").strip()
    if not title:
        raise BianzhiError(SupervisionError.MISSING, label="检查名称")
    kind = plan.kind
    if kind not in InspectionKind.values:
        raise BianzhiError(
            SupervisionError.BAD_CHOICE if kind else SupervisionError.MISSING, label="检查类型", value=kind
        )
    try:
        year = int(plan.year)
    except (TypeError, ValueError):
        raise BianzhiError(InspectionError.BAD_YEAR, value=plan.year) from None
    if not 2000 <= year <= 2100:
        raise BianzhiError(InspectionError.BAD_YEAR, value=year)
    start, end = plan.period_from, plan.period_to
    if start is None or end is None:
        raise BianzhiError(SupervisionError.MISSING, label="检查期间")
    if end < start:
        raise BianzhiError(InspectionError.PERIOD_REVERSED, start=start, to=end)
    units = list(dict.fromkeys(plan.units or []))
    if not units:
        raise BianzhiError(InspectionError.NO_UNITS)
    for unit in units:
        if not unit_in_scope(actor, unit):
            raise BianzhiError(InspectionError.UNIT_OUT_OF_SCOPE, unit=unit.name)
    return {
        "title": title[:200],
        "year": year,
        "kind": kind,
        "period_from": start,
        "period_to": end,
        "visit_on": plan.visit_on,
        "leader": (plan.leader or "").strip()[:100],
        "members": (plan.members or "").strip()[:500],
    }, units


def _summary(inspection: Inspection, units) -> dict:
    return {
        "title": inspection.title,
        "year": inspection.year,
        "kind": inspection.kind,
        "period": f"{inspection.period_from}—{inspection.period_to}",
        "visit_on": str(inspection.visit_on or ""),
        "units": [unit.name for unit in units],
        "leader": inspection.leader,
        "members": inspection.members,
    }


@transaction.atomic
def inspection_create(*, actor, plan: Plan) -> Inspection:
    """Plans a campaign, with a snapshot of the checklist in force."""
    require_supervisor(actor)
    fields, units = _fields(actor, plan)
    version, items = checklist_current()
    inspection = Inspection.objects.create(**fields, checklist_version=version, checklist=list(items))
    inspection.units.set(units)
    audit_record(
        actor=actor, action="supervision.inspection_created", obj=inspection, after=_summary(inspection, units)
    )
    return inspection


@transaction.atomic
def inspection_update(*, actor, inspection: Inspection, plan: Plan) -> Inspection:
    """Changes a campaign not yet completed; a unit whose results are recorded stays in scope."""
    inspection = _locked(actor, inspection.pk)
    _require_state(inspection, OPEN_STATES, "修改")
    fields, units = _fields(actor, plan)
    kept = {unit.pk for unit in units}
    dropped = inspection.results.exclude(unit_id__in=kept).select_related("unit").first()
    if dropped is not None:
        raise BianzhiError(InspectionError.UNIT_HAS_RESULTS, unit=dropped.unit.name)
    before = _summary(inspection, inspection.units.order_by("tree_path"))
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.save()
    inspection.units.set(units)
    audit_record(
        actor=actor,
        action="supervision.inspection_updated",
        obj=inspection,
        before=before,
        after=_summary(inspection, units),
    )
    return inspection


@transaction.atomic
def inspection_source_add(*, actor, inspection: Inspection, kind, body, doc_number="", day=None) -> InspectionSource:
    """Records a check the campaign is combined with: which, the other body, its document and date."""
    inspection = _locked(actor, inspection.pk)
    _require_state(inspection, OPEN_STATES, "登记联合检查来源")
    if kind not in JointSource.values:
        raise BianzhiError(
            SupervisionError.BAD_CHOICE if kind else SupervisionError.MISSING, label="联合检查类型", value=kind
        )
    body = (body or "").strip()
    if not body:
        raise BianzhiError(SupervisionError.MISSING, label="实施机关")
    if day is None:
        raise BianzhiError(SupervisionError.MISSING, label="日期")
    source = InspectionSource.objects.create(
        inspection=inspection, kind=kind, body=body[:200], doc_number=(doc_number or "").strip()[:100], day=day
    )
    audit_record(
        actor=actor,
        action="supervision.inspection_source_added",
        obj=inspection,
        after={"kind": kind, "body": source.body, "doc_number": source.doc_number, "day": day.isoformat()},
    )
    return source


def _move(actor, inspection: Inspection, target: str, day: dt.date, field: str) -> Inspection:
    source, inspection.state = inspection.state, target
    setattr(inspection, field, day)
    inspection.save(update_fields=["state", field])
    audit_record(
        actor=actor,
        action="supervision.inspection_transitioned",
        obj=inspection,
        before={"state": source},
        after={"state": target, "day": day.isoformat()},
    )
    return inspection


@transaction.atomic
def inspection_start(*, actor, inspection: Inspection, day: dt.date | None = None) -> Inspection:
    inspection = _locked(actor, inspection.pk)
    _require_state(inspection, (S.PLANNED,), "开始实施")
    return _move(actor, inspection, S.UNDER_WAY, _today_or(day, "开始实施日期"), "started_on")


@transaction.atomic
def inspection_complete(*, actor, inspection: Inspection, day: dt.date | None = None) -> Inspection:
    """Completes a campaign once every unit's checklist is recorded."""
    inspection = _locked(actor, inspection.pk)
    _require_state(inspection, (S.UNDER_WAY,), "完成")
    day = _today_or(day, "完成日期")
    missing = [row.unit.name for row in progress(inspection) if not row.done]
    if missing:
        names = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        raise BianzhiError(InspectionError.UNRECORDED, count=len(missing), units=names)
    return _move(actor, inspection, S.COMPLETED, day, "completed_on")


@dataclass(frozen=True)
class Entry:
    """One line of a unit's checklist as the inspector fills it: result ("" for not yet checked), note and, for a
    finding from a joint check, that source."""

    code: str
    result: str = ""
    note: str = ""
    source_id: int | None = None


@transaction.atomic
def inspection_record(
    *, actor, inspection: Inspection, unit: Unit, entries: list[Entry], day: dt.date | None = None
) -> list[InspectionResult]:
    """Records a unit's checklist; a line left blank stays unrecorded (or is cleared). A finding already turned into
    a rectification item stays 不符合."""
    inspection = _locked(actor, inspection.pk)
    _require_state(inspection, (S.UNDER_WAY,), "登记检查结果")
    if not isinstance(unit, Unit) or not inspection.units.filter(pk=unit.pk).exists():
        raise BianzhiError(InspectionError.UNIT_NOT_IN_CAMPAIGN, unit=getattr(unit, "name", "该单位"))
    ensure_unit_in_scope(actor, unit)
    day = _today_or(day, "登记日期")
    sources = set(inspection.sources.values_list("pk", flat=True))
    existing = {r.item_code: r for r in inspection.results.filter(unit=unit).select_related("rectification")}
    cleaned = []
    for entry in entries:
        if checklist_item(inspection, entry.code) is None:
            raise BianzhiError(InspectionError.UNKNOWN_ITEM, code=entry.code)
        if entry.result and entry.result not in CheckResult.values:
            raise BianzhiError(SupervisionError.BAD_CHOICE, label="检查结果", value=entry.result)
        note = (entry.note or "").strip()[:2000]
        if entry.result == CheckResult.NONCOMPLIANT and not note:
            raise BianzhiError(InspectionError.NOTE_REQUIRED, code=entry.code)
        source_id = entry.source_id if entry.result == CheckResult.NONCOMPLIANT else None
        if source_id is not None and source_id not in sources:
            raise BianzhiError(InspectionError.SOURCE_UNKNOWN)
        old = existing.get(entry.code)
        if old is not None and _rectified(old) and entry.result != CheckResult.NONCOMPLIANT:
            label = CheckResult(entry.result).label if entry.result else "未检查"
            raise BianzhiError(InspectionError.RECTIFIED, code=entry.code, result=label)
        cleaned.append((entry.code, entry.result, note, source_id, old))
    changes, saved = {}, []
    for code, result, note, source_id, old in cleaned:
        if not result:
            if old is not None:
                old.delete()
                changes[code] = ""
            continue
        if old is not None and (old.result, old.note, old.source_id) == (result, note, source_id):
            saved.append(old)
            continue
        row, _created = InspectionResult.objects.update_or_create(
            inspection=inspection,
            unit=unit,
            item_code=code,
            defaults={
                "result": result,
                "note": note,
                "source_id": source_id,
                "recorded_by": _actor_name(actor),
                "recorded_on": day,
            },
        )
        changes[code] = result
        saved.append(row)
    if changes:
        audit_record(
            actor=actor,
            action="supervision.inspection_recorded",
            obj=inspection,
            object_repr=f"{inspection.title} {unit.name}"[:255],
            after={"unit": unit.name, "results": changes},
        )
    return saved


def rectification_of(result: InspectionResult) -> RectificationItem | None:
    try:
        return result.rectification
    except RectificationItem.DoesNotExist:
        return None


def _rectified(result: InspectionResult) -> bool:
    return rectification_of(result) is not None


@transaction.atomic
def finding_rectify(*, actor, finding: InspectionResult, day: dt.date | None = None) -> RectificationItem:
    """Turns a 不符合 into an item of the 整改台账 (its deadline is set on the item's page, with the notice). Once
    only: a second request is refused, and the database holds one item per finding."""
    inspection = _locked(actor, finding.inspection_id)
    _require_state(inspection, (S.UNDER_WAY, S.COMPLETED), "转为整改事项")
    finding = InspectionResult.objects.select_related("unit", "source").get(pk=finding.pk)
    if finding.result != CheckResult.NONCOMPLIANT:
        raise BianzhiError(InspectionError.NOT_A_FINDING)
    done = RectificationItem.objects.filter(inspection_finding=finding).first()
    if done is not None:
        raise BianzhiError(InspectionError.ALREADY_RECTIFIED, item=done.pk)
    item = checklist_item(inspection, finding.item_code) or {}
    source = RECTIFICATION_SOURCES.get(finding.source.kind, Source.INSPECTION) if finding.source else Source.INSPECTION
    ref = f"{inspection.title}（{finding.item_code}）"
    if finding.source is not None:
        ref = f"{ref}；{finding.source.body}{finding.source.doc_number}"
    return rectification_open(
        actor=actor,
        unit=finding.unit,
        source=source,
        category=item.get("category", Category.OTHER),
        finding=f"{item.get('text', finding.item_code)}：{finding.note}",
        basis=item.get("basis", ""),
        source_ref=ref,
        day=_today_or(day, "发现日期"),
        inspection_finding=finding,
    )


def findings_of(inspection: Inspection):
    """The campaign's 不符合, each with its rectification item if any, unit by unit."""
    return (
        inspection.results.filter(result=CheckResult.NONCOMPLIANT)
        .select_related("unit", "source", "rectification")
        .order_by("unit__tree_path", "item_code")
    )


# ---------------------------------------------------------------------------------------------------------------
# papers: the findings as .xlsx, the 检查通知 as a PDF; both audited

EXPORT_COLUMNS = (
    ("被检查单位", 30),
    ("检查项目编号", 12),
    ("检查项目", 48),
    ("检查结果", 10),
    ("说明", 40),
    ("问题来源", 24),
    ("整改事项", 10),
    ("整改状态", 22),
)


def _export_rows(inspection: Inspection):
    texts = {item["code"]: item["text"] for item in inspection.checklist}
    rows = inspection.results.select_related("unit", "source", "rectification").order_by("unit__tree_path", "item_code")
    for row in rows:
        item = rectification_of(row)
        yield [
            row.unit.name,
            row.item_code,
            texts.get(row.item_code, ""),
            row.get_result_display(),
            row.note,
            str(row.source) if row.source else "",
            item.pk if item else "",
            item.get_state_display() if item else "",
        ]


def inspection_export(*, actor, inspection: Inspection) -> tuple[str, bytes]:
    """Every recorded line of the campaign (unit, item, result, note, the rectification item's state)."""
    require_supervisor(actor)
    rows = list(_export_rows(inspection))
    content = table_workbook(sheet="检查结果", title=f"{inspection.title} 检查结果", headers=EXPORT_COLUMNS, rows=rows)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="supervision.inspection_exported",
            obj=inspection,
            after={"rows": len(rows), "format": "xlsx"},
        )
    return f"监督检查结果_{inspection.year}_{inspection.pk}.xlsx", content


NOTICE_TITLE = "机构编制监督检查通知"


def notice_serial(inspection: Inspection) -> str:
    """The campaign's place among the year's campaigns: the same on every reprint."""
    place = Inspection.objects.filter(year=inspection.year, pk__lte=inspection.pk).count()
    return f"编办监〔{inspection.year}〕{place}号"


def inspection_notice(*, actor, inspection: Inspection) -> tuple[str, bytes]:
    """The 检查通知 to the units in scope: what will be checked, over which period, when and by whom."""
    require_supervisor(actor)
    county = county_name()
    serial = notice_serial(inspection)
    context = {
        "county": county,
        "printer": str(actor) if actor is not None else SYSTEM_ACTOR_NAME,
        "printed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "title": NOTICE_TITLE,
        "serial": serial,
        "unit": {"name": "各被检查单位"},
        "inspection": inspection,
        "units": list(inspection.units.order_by("tree_path")),
        "items": inspection.checklist,
        "sources": list(inspection.sources.all()),
        "issuer": f"{county}机构编制委员会办公室",
        "issued_on": inspection.started_on or timezone.localdate(),
        "copies_to": f"{county}纪委监委、{county}委组织部",
    }
    content = pdf_render("supervision/inspection_notice_pdf.html", context)
    with transaction.atomic():
        audit_record(
            actor=actor, action="supervision.inspection_notice_printed", obj=inspection, after={"serial": serial}
        )
    return f"{NOTICE_TITLE}-{inspection.title}.pdf", content
