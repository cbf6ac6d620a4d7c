"""监督检查 campaigns: plan, start, tick each unit's checklist, turn findings into rectification items once, complete;
each refusal changes nothing; the findings export and the ledger's hints on the checklist page."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.supervision import inspections as service
from bianzhi.supervision.choices import CheckResult, InspectionState, Source
from bianzhi.supervision.inspections import Entry, Plan
from bianzhi.supervision.models import Inspection, InspectionResult, RectificationItem
from tests.factories import make_unit, make_user
from tests.roster.support import cut, give_slots
from tests.roster.test_overstaffing import hire

TODAY = timezone.localdate()
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def county(db):
    finance = make_unit("锦绣县财政局")
    center = make_unit("锦绣县财政投资评审中心", finance)
    education = make_unit("锦绣县教育局")
    return {
        "finance": finance,
        "center": center,
        "education": education,
        "office": make_user("jiandu", Role.OVERSIGHT, scope_county=True),
        "scoped": make_user("bianban_scoped", Role.BIANBAN_OPERATOR, scope_unit=education),
        "unit_user": make_user("danwei", Role.UNIT_OPERATOR, scope_unit=finance),
    }


def plan(actor, units, **extra):
    fields = {
        "title": "2025 年度机构编制专项检查",
        "year": 2025,
        "kind": "SPECIAL",
        "period_from": START,
        "period_to": END,
        "units": units,
        "leader": "王检",
        "members": "李查、赵核",
        **extra,
    }
    return service.inspection_create(actor=actor, plan=Plan(**fields))


def tick(campaign, unit, actor, **special):
    """Every item 符合 except those given (code -> (result, note[, source_id]))."""
    entries = []
    for item in campaign.checklist:
        result, note, *source = special.get(item["code"].replace("-", "_"), (CheckResult.COMPLIANT, ""))
        entries.append(Entry(item["code"], result, note, source[0] if source else None))
    return service.inspection_record(actor=actor, inspection=campaign, unit=unit, entries=entries)


def _state():
    return (
        list(Inspection.objects.values_list("pk", "state", "title", "period_to")),
        InspectionResult.objects.count(),
        RectificationItem.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(code: str, call, **kwargs):
    before = _state()
    with pytest.raises(BianzhiError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert _state() == before
    return caught.value


def test_a_campaign_from_plan_to_completion(county):
    office, finance, center = county["office"], county["finance"], county["center"]
    campaign = plan(office, service.subtree_units(finance))
    assert set(campaign.units.all()) == {finance, center}
    assert campaign.checklist_version == service.checklist_current()[0]
    patrol = service.inspection_source_add(
        actor=office, inspection=campaign, kind="PATROL", body="县委第二巡察组", doc_number="锦巡〔2025〕2号", day=START
    )
    campaign = service.inspection_start(actor=office, inspection=campaign)
    tick(
        campaign,
        finance,
        office,
        BZ_01=(CheckResult.NONCOMPLIANT, "超编 2 名", patrol.pk),
        WJ_01=(CheckResult.NOT_APPLICABLE, ""),
    )
    # the center half done: completion waits for it
    service.inspection_record(
        actor=office, inspection=campaign, unit=center, entries=[Entry("JG-01", CheckResult.COMPLIANT)]
    )
    error = refused("inspection.unrecorded", service.inspection_complete, actor=office, inspection=campaign)
    assert "锦绣县财政投资评审中心" in error.message
    tick(campaign, center, office, ZS_01=(CheckResult.NONCOMPLIANT, "副主任超配 1 名"))
    findings = {f.unit.name: f for f in service.findings_of(campaign)}
    patrolled = service.finding_rectify(actor=office, finding=findings["锦绣县财政局"])
    own = service.finding_rectify(actor=office, finding=findings["锦绣县财政投资评审中心"])
    assert (patrolled.source, own.source) == (Source.PATROL, Source.INSPECTION)
    assert patrolled.category == "STAFFING" and "超编 2 名" in patrolled.finding
    assert patrolled.inspection_finding_id == findings["锦绣县财政局"].pk
    campaign = service.inspection_complete(actor=office, inspection=campaign)
    assert campaign.state == InspectionState.COMPLETED and campaign.completed_on == TODAY
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "supervision.inspection_created",
        "supervision.inspection_source_added",
        "supervision.inspection_transitioned",
        "supervision.inspection_recorded",
        "supervision.rectification_opened",
    } <= actions


def test_refusals_change_nothing(county):
    office, finance, education = county["office"], county["finance"], county["education"]
    refused("inspection.period_reversed", plan, actor=office, units=[finance], period_to=START - dt.timedelta(1))
    refused("inspection.no_units", plan, actor=office, units=[])
    refused("inspection.unit_out_of_scope", plan, actor=county["scoped"], units=[finance])
    refused("common.permission_denied", plan, actor=county["unit_user"], units=[finance])
    # on the page: the message and its code on the form, nothing saved
    client = Client()
    client.force_login(office)
    fields = {"title": "检查", "year": 2025, "kind": "SPECIAL", "period_from": "2025-06-01", "period_to": "2025-01-01"}
    page = client.post(reverse("supervision:inspection_new"), {**fields, "subtree": finance.name})
    assert page.status_code == 400 and "（inspection.period_reversed）" in page.content.decode()
    assert not Inspection.objects.exists()
    campaign = plan(office, [finance])
    # results only while under way, and only for the campaign's units
    refused("inspection.not_allowed", tick, campaign=campaign, unit=finance, actor=office)
    campaign = service.inspection_start(actor=office, inspection=campaign)
    refused("inspection.unit_not_in_campaign", tick, campaign=campaign, unit=education, actor=office)
    refused("inspection.note_required", tick, campaign=campaign, unit=finance, actor=office, BZ_01=("NONCOMPLIANT", ""))
    refused(
        "inspection.unknown_item",
        service.inspection_record,
        actor=office,
        inspection=campaign,
        unit=finance,
        entries=[Entry("XX-99", "COMPLIANT")],
    )
    refused("inspection.unrecorded", service.inspection_complete, actor=office, inspection=campaign)
    # the scoped account does not see a campaign of another subtree
    refused("common.out_of_scope", service.inspection_start, actor=county["scoped"], inspection=campaign)


def test_a_finding_becomes_one_rectification_item_only(county):
    office, finance = county["office"], county["finance"]
    campaign = service.inspection_start(actor=office, inspection=plan(office, [finance]))
    tick(campaign, finance, office, BZ_03=(CheckResult.NONCOMPLIANT, "2025 年 3 月未经核准入编 1 人"))
    moved = Plan("检查", 2025, "SPECIAL", START, END, [county["education"]])
    refused("inspection.unit_has_results", service.inspection_update, actor=office, inspection=campaign, plan=moved)
    compliant = InspectionResult.objects.get(item_code="JG-01")
    refused("inspection.not_a_finding", service.finding_rectify, actor=office, finding=compliant)
    finding = InspectionResult.objects.get(item_code="BZ-03")
    item = service.finding_rectify(actor=office, finding=finding)
    error = refused("inspection.already_rectified", service.finding_rectify, actor=office, finding=finding)
    assert str(item.pk) in error.message
    # a finding with its item stays a finding
    refused("inspection.rectified", tick, campaign=campaign, unit=finance, actor=office)
    assert RectificationItem.objects.filter(inspection_finding=finding).count() == 1
    # through the page: a second click says so, still one item
    client = Client()
    client.force_login(office)
    url = reverse("supervision:inspection_rectify", args=[campaign.pk, finding.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert "inspection.already_rectified" in str(list(get_messages(response.wsgi_request)))
    assert RectificationItem.objects.count() == 1


def test_export_lists_every_recorded_line(county):
    office, finance = county["office"], county["finance"]
    campaign = service.inspection_start(actor=office, inspection=plan(office, [finance]))
    tick(campaign, finance, office, ZS_01=(CheckResult.NONCOMPLIANT, "超职数 1 名"))
    service.finding_rectify(actor=office, finding=InspectionResult.objects.get(item_code="ZS-01"))
    client = Client()
    client.force_login(office)
    response = client.get(reverse("supervision:inspection_export", args=[campaign.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True) if any(row)]
    header = rows.index(next(r for r in rows if r[0] == "被检查单位"))
    assert rows[header][:8] == [
        "被检查单位",
        "检查项目编号",
        "检查项目",
        "检查结果",
        "说明",
        "问题来源",
        "整改事项",
        "整改状态",
    ]
    lines = rows[header + 1 :]
    assert len(lines) == len(campaign.checklist)
    found = next(r for r in lines if r[1] == "ZS-01")
    assert found[0] == "锦绣县财政局" and found[3] == "不符合" and found[4] == "超职数 1 名"
    assert found[7] == "待下达整改通知"
    assert AuditEvent.objects.filter(action="supervision.inspection_exported").count() == 1


def test_the_checklist_page_shows_the_ledgers_excess(county):
    office, finance = county["office"], county["finance"]
    give_slots(finance, 3)
    hire(finance, 3)
    cut(finance, 2, dt.date(2024, 5, 6), check_staffing=False)
    campaign = service.inspection_start(actor=office, inspection=plan(office, [finance], period_to=TODAY))
    client = Client()
    client.force_login(office)
    page = client.get(reverse("supervision:inspection_unit", args=[campaign.pk, finance.pk])).content.decode()
    assert "超编" in page and "超编 2 名" in page
    notice = client.get(reverse("supervision:inspection_notice", args=[campaign.pk]))
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")
