"""The demo county's 监督检查 campaigns, one in each state: last year's 专项检查 of a department and its institutions,
combined with a 巡察, completed, its findings turned into rectification items (one already notified); this year's
日常检查 under way, half the units recorded; and a 联合检查 with the audit office, planned."""

from __future__ import annotations

import datetime as dt

from bianzhi.orgs.choices import UnitKind, UnitStatus
from bianzhi.orgs.models import Unit
from bianzhi.roster.selectors import over_quota_units
from bianzhi.supervision import inspections as service
from bianzhi.supervision.choices import CheckResult
from bianzhi.supervision.inspections import Entry, Plan
from bianzhi.supervision.rectification import rectification_transition

# per checked unit: the items found wrong, with what was found
FINDINGS = (
    {"BZ-01": "实有人员超出核定行政编制，2 名人员未办理入编手续即上岗"},
    {"ZS-01": "副职领导职数核定 2 名，实配 3 名"},
    {},
    {"SJ-01": "实名制系统中 1 名人员已调离，未及时办理出编"},
)


def _tick(campaign, unit, day: dt.date, found: dict, source=None) -> None:
    entries = [
        Entry(item["code"], CheckResult.NONCOMPLIANT, found[item["code"]], source.pk if source else None)
        if item["code"] in found
        else Entry(item["code"], CheckResult.NOT_APPLICABLE if item["code"] == "WJ-01" else CheckResult.COMPLIANT)
        for item in campaign.checklist
    ]
    service.inspection_record(actor=None, inspection=campaign, unit=unit, entries=entries, day=day)


def _create(**fields):
    return service.inspection_create(actor=None, plan=Plan(**fields))


def build_supervision_inspections(today: dt.date) -> int:
    active = Unit.objects.filter(status=UnitStatus.ACTIVE)
    # departments with institutions under them first: a subtree to check
    parents = active.filter(kind=UnitKind.SHIYE, parent__kind=UnitKind.JIGUAN).values_list("parent", flat=True)
    with_institutions = list(active.filter(pk__in=parents).order_by("pk")[:2])
    over = [row.unit for row in over_quota_units(None, today) if row.unit.kind == UnitKind.JIGUAN][:1]
    others = list(active.filter(kind=UnitKind.JIGUAN, depth__lte=1).exclude(pk__in=parents).order_by("pk")[:6])
    organs = list(dict.fromkeys([*with_institutions, *over, *others]))
    if len(with_institutions) < 2 or len(organs) < 6:
        return 0

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    year = ago(160).year

    # completed, with a 巡察: a department and the institutions under it
    scope = service.subtree_units(organs[0])[:4]
    done = _create(
        title=f"{year} 年度{organs[0].name}机构编制专项检查",
        year=year,
        kind="SPECIAL",
        period_from=dt.date(year - 1, 1, 1),
        period_to=dt.date(year - 1, 12, 31),
        visit_on=ago(150),
        units=scope,
        leader="周正平",
        members="吴思远、郑晓雯",
    )
    patrol = service.inspection_source_add(
        actor=None,
        inspection=done,
        kind="PATROL",
        body="县委第二巡察组",
        doc_number=f"锦巡〔{year}〕3号",
        day=ago(170),
    )
    service.inspection_start(actor=None, inspection=done, day=ago(160))
    for position, unit in enumerate(scope):
        _tick(done, unit, ago(140 - position), FINDINGS[position % len(FINDINGS)], patrol if position == 0 else None)
    items = [service.finding_rectify(actor=None, finding=f, day=ago(120)) for f in service.findings_of(done)]
    service.inspection_complete(actor=None, inspection=done, day=ago(118))
    if items:
        rectification_transition(actor=None, item=items[0], name="notify", day=ago(115), days=30)

    # under way: half the units recorded, one finding not yet turned into an item
    scope = [organs[2], *service.subtree_units(organs[1])[:3]]
    running = _create(
        title=f"{today.year} 年度机构编制日常检查（第一批）",
        year=today.year,
        kind="ROUTINE",
        period_from=dt.date(today.year - 1, 1, 1),
        period_to=ago(30),
        visit_on=ago(20),
        units=scope,
        leader="周正平",
        members="孙立、何佳",
    )
    service.inspection_start(actor=None, inspection=running, day=ago(25))
    _tick(running, scope[0], ago(15), {"JG-03": "自行增设“综合服务中心”作为内设机构，未经批准"})
    _tick(running, scope[1], ago(12), {})

    # planned, joint with the audit office
    planned = _create(
        title=f"{today.year} 年度机构编制与经济责任审计联合检查",
        year=today.year,
        kind="JOINT",
        period_from=dt.date(today.year - 1, 1, 1),
        period_to=dt.date(today.year - 1, 12, 31),
        units=organs[3:6],
        leader="钱宏",
        members="县审计局审计组",
    )
    service.inspection_source_add(
        actor=None,
        inspection=planned,
        kind="AUDIT",
        body="锦绣县审计局",
        doc_number=f"锦审〔{today.year}〕12号",
        day=today,
    )
    return 3
