"""Accessibility (GB/T 37668, WCAG 2.1 AA) in a real Chromium: axe-core, vendored from npm
(tests/e2e/vendor/axe-core-4.14.1), finds no critical or serious violation on any main page, for each kind of user;
and the pages keep working with the text at 200 %."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from bianzhi.accounts.models import User
from bianzhi.api.models import Partner
from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.exchange.models import ReconciliationRun
from bianzhi.matters.models import Matter, Meeting, NormativeReview, ReportTask
from bianzhi.matters.services import change_step_add, matter_create
from bianzhi.orgs.models import Document, Unit
from bianzhi.quotas.models import Movement
from bianzhi.roster.models import Approval, Person
from bianzhi.supervision.models import Complaint, Evaluation, Inspection, RectificationItem
from tests.e2e.test_shell import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
BLOCKING = ("critical", "serious")


def main_pages() -> dict[str, list[str]]:
    """The pages each kind of user works on, by the username that opens them (None: the public)."""
    unit = Unit.objects.filter(status="ACTIVE", parent=None, children__isnull=False).order_by("pk").first()
    school = Unit.objects.filter(name__contains="中学").first() or unit
    person = Person.objects.order_by("pk").first()
    approval = Approval.objects.order_by("-pk").first()
    movement = Movement.objects.filter(reverses__isnull=True).order_by("-pk").first()
    operator = User.objects.get(username="jingban")
    document = Document.objects.filter(file__isnull=False).order_by("pk").first()
    matter = matter_create(actor=None, proposer=unit, kind="RENAME", title="关于机构更名的请示", necessity="职能调整")
    change_step_add(actor=None, matter=matter, operation="unit_rename", params={"unit": unit.pk, "name": "新名称"})
    review = NormativeReview.objects.filter(state="REVIEWING").first()
    clause = review.clauses.first()
    sent = ReportTask.objects.filter(state="SUBMITTED").first()
    jiaoyu = User.objects.get(username="jiaoyu").scope_unit
    own = ReportTask.objects.filter(unit__tree_path__startswith=jiaoyu.tree_path).order_by("-state").first()
    unit_pages = [f"{reverse('orgs:unit_detail', args=[unit.pk])}?tab={tab}" for tab in ("info", "ledger", "sanding")]
    unit_pages += [f"{reverse('orgs:unit_detail', args=[unit.pk])}?tab={tab}" for tab in ("history", "files")]
    return {
        "bianban": [
            reverse("home"),
            reverse("orgs:unit_list"),
            reverse("orgs:unit_list") + "?q=jy",
            *unit_pages,
            reverse("orgs:unit_create"),
            reverse("orgs:unit_import"),
            reverse("quotas:county_totals"),
            reverse("quotas:movement_list"),
            reverse("quotas:movement_new"),
            reverse("quotas:movement_reverse", args=[movement.pk]),
            reverse("quotas:post_movement_new", args=[unit.pk]),
            reverse("roster:person_list"),
            reverse("roster:person_detail", args=[person.pk]),
            reverse("roster:approval_list"),
            reverse("roster:approval_detail", args=[approval.pk]),
            reverse("roster:onboard"),
            reverse("roster:over_quota"),
            reverse("roster:loan_list"),
            reverse("roster:loan_new"),
            reverse("roster:import_start"),
            reverse("reports:index"),
            reverse("reports:dashboards"),
            reverse("reports:stats_index"),
            reverse("reports:stats_table", args=["T2"]) + "?compare=1",
            reverse("reports:stats_table", args=["T6"]),
            reverse("reports:stats_cell", args=["T5"]) + "?part=0&row=type:XZ&col=A&compare=1",
            reverse("matters:matter_list"),
            reverse("matters:matter_new"),
            reverse("matters:matter_detail", args=[matter.pk]),
            reverse("matters:step_new", args=[matter.pk, "quota_movement"]),
            reverse("matters:step_new", args=[matter.pk, "sanding_revise"]),
            reverse("matters:matter_detail", args=[Matter.objects.filter(state="STUDYING").first().pk]),
            reverse("matters:matter_detail", args=[Matter.objects.filter(state="DECIDED").first().pk]),
            reverse("matters:meeting_list"),
            reverse("matters:meeting_new"),
            *(reverse("matters:meeting_detail", args=[pk]) for pk in Meeting.objects.values_list("pk", flat=True)),
            reverse("matters:body_rules"),
            reverse("orgs:document_list"),
            reverse("orgs:document_list") + "?q=编发2019",
            reverse("orgs:document_detail", args=[document.pk]),
            reverse("orgs:document_edit", args=[document.pk]),
            reverse("orgs:document_load"),
            reverse("matters:normative_list"),
            reverse("matters:normative_new"),
            reverse("matters:normative_detail", args=[review.pk]),
            reverse("matters:normative_clause_edit", args=[review.pk, clause.pk]),
            reverse("matters:report_list"),
            reverse("matters:report_schedule"),
            reverse("matters:report_detail", args=[sent.pk]),
            reverse("accounts:password_change"),
        ],
        "jiaoyu": [
            reverse("home"),
            reverse("roster:approval_new"),
            reverse("roster:person_list"),
            reverse("orgs:document_list"),
            reverse("matters:report_list"),
            reverse("matters:report_detail", args=[own.pk]),
        ],
        "jiandu": [
            reverse("supervision:rectification_list"),
            reverse("supervision:rectification_new"),
            *(
                reverse("supervision:rectification_detail", args=[pk])
                for pk in RectificationItem.objects.order_by("state").values_list("pk", flat=True)
            ),
            reverse("supervision:complaint_list"),
            reverse("supervision:complaint_detail", args=[Complaint.objects.get(state="ARCHIVED").pk]),
            reverse("supervision:overview"),
            reverse("exchange:reconciliation_list"),
            reverse("exchange:reconciliation_new"),
            *(
                reverse("exchange:reconciliation_detail", args=[pk])
                for pk in ReconciliationRun.objects.values_list("pk", flat=True)
            ),
            reverse("supervision:evaluation_list"),
            reverse("supervision:evaluation_new"),
            *(
                reverse("supervision:evaluation_detail", args=[pk])
                for pk in Evaluation.objects.values_list("pk", flat=True)
            ),
            reverse("supervision:inspection_list"),
            reverse("supervision:inspection_new"),
            *(reverse("supervision:inspection_detail", args=[i.pk]) for i in Inspection.objects.all()),
            *(
                reverse("supervision:inspection_unit", args=[i.pk, i.units.first().pk])
                for i in Inspection.objects.all()
            ),
        ],
        "anquan": [
            reverse("accounts:user_list"),
            reverse("accounts:user_access", args=[operator.pk]),
            reverse("partners:partner_list"),
            reverse("partners:partner_new"),
            *(reverse("partners:partner_detail", args=[pk]) for pk in Partner.objects.values_list("pk", flat=True)),
            reverse("partners:partner_edit", args=[Partner.objects.order_by("pk")[0].pk]),
            reverse("partners:token_new", args=[Partner.objects.order_by("pk")[0].pk]),
        ],
        "xitong": [reverse("accounts:calendar"), reverse("accounts:calendar") + "?year=2031"],
        "shenji": [reverse("audit:event_list")],
        None: [
            reverse("accounts:login"),
            reverse("disclosure:unit_list"),
            reverse("disclosure:unit_detail", args=[school.pk]),
        ],
    }


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['targets']}" for v in found if v["impact"] in BLOCKING]


def test_no_critical_or_serious_violation_on_any_main_page(live_server, browser: Browser):
    build_demo(DemoSpec(units=30, roster=True, files=True))
    found = {}
    for username, paths in main_pages().items():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        if username:
            log_in(page, live_server.url, username)
            page.wait_for_load_state()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            found.update({f"{username or '公众'} {path}": v for v in [violations(page)] if v})
        context.close()
    SHOTS.mkdir(parents=True, exist_ok=True)  # the full list, for whoever has to fix them
    (SHOTS / "axe-violations.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    assert found == {}


def test_text_at_200_percent_loses_nothing(live_server, browser: Browser):
    """Zoomed text reflows: no page scrolls sideways (wide tables scroll inside their own box), and the menu, the
    page title and the action buttons stay on screen."""
    build_demo(DemoSpec(units=30))
    SHOTS.mkdir(parents=True, exist_ok=True)
    unit = Unit.objects.filter(status="ACTIVE", parent=None, children__isnull=False).order_by("pk").first()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "bianban")
    page.wait_for_load_state()
    wide = []
    for name, path in (
        ("home", reverse("home")),
        ("units", reverse("orgs:unit_list")),
        ("ledger", f"{reverse('orgs:unit_detail', args=[unit.pk])}?tab=ledger"),
        ("movement_new", reverse("quotas:movement_new")),
        ("roster", reverse("roster:person_list")),
        ("dashboards", reverse("reports:dashboards")),
    ):
        page.goto(live_server.url + path)
        page.add_style_tag(content="html { font-size: 200% !important; }")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            wide.append((name, overflow))
        title = page.locator("h1").first
        assert title.is_visible() and title.bounding_box()["x"] >= 0, name
        page.screenshot(path=SHOTS / f"zoom200_{name}.png", full_page=True)
    context.close()
    assert wide == []


def test_every_chart_has_its_data_table(live_server, page: Page):
    """A chart is an image to a screen reader: each names a table holding the numbers it draws."""
    build_demo(DemoSpec(units=30))
    log_in(page, live_server.url, "bianban")
    page.wait_for_load_state()
    charts = page.locator(".chart")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        table = page.locator(f"table#{chart.get_attribute('aria-describedby')}")
        assert table.is_visible()
        drawn = page.evaluate(
            "id => JSON.parse(document.getElementById(id).textContent)",
            chart.evaluate("c => c.previousElementSibling.id"),
        )
        rows = [[cell.strip() for cell in row.split("\t")] for row in table.locator("tbody tr").all_inner_texts()]
        assert [r[0] for r in rows] == drawn["types"]
        assert [int(r[1].replace(",", "")) for r in rows] == drawn["approved"]
        assert [int(r[2].replace(",", "")) for r in rows] == drawn["occupied"]


def test_every_dashboard_chart_is_drawn_over_its_table(live_server, page: Page):
    """统计分析: each chart is drawn, names a visible table, and the table lists the chart's categories in order."""
    build_demo(DemoSpec(units=30, roster=True))
    log_in(page, live_server.url, "bianban")
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("reports:dashboards"))
    charts = page.locator("[data-dashboard-chart]")
    assert charts.count() >= 7  # all but 超编单位 when no unit is over quota
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label")
        assert chart.locator("svg").count() >= 1
        table = page.locator(f"table#{chart.get_attribute('aria-describedby')}")
        assert table.is_visible()
        drawn = page.evaluate(
            "id => JSON.parse(document.getElementById(id).textContent)", chart.get_attribute("data-dashboard-chart")
        )
        first_cells = [row.split("\t")[0].strip() for row in table.locator("tbody tr").all_inner_texts()]
        if "stacked" in drawn:  # years across: the table's rows are the series
            assert first_cells == [series["name"] for series in drawn["series"]]
        else:
            assert first_cells == drawn["categories"]
    page.screenshot(path=SHOTS / "dashboards.png", full_page=True)
