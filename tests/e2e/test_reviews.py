"""In a real Chromium: the 编办 registers a department's draft with its file, records a clause opinion, replies and
opens the letter; it schedules the annual report, the unit sends it with two files, the 编办 sends it back, the unit
sends it again and the 编办 accepts it. Both reached from the 编委事项 menu."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.matters.choices import ReportState, ReviewState
from bianzhi.matters.models import NormativeReview, ReportTask
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"
TODAY = timezone.localdate()
PDF = b"%PDF-1.4 draft"


def open_from_menu(page: Page, label: str) -> None:
    page.wait_for_load_state("load")  # the drop-down opens by script: a click before the scripts ran does nothing
    page.get_by_role("button", name="编委事项的其他页面").click()
    page.get_by_role("link", name=label, exact=True).click()


def test_a_draft_reviewed_and_a_report_sent_returned_and_accepted(live_server, page: Page, browser, tmp_path):
    bureau = make_unit("锦绣县教育局")
    make_unit("锦绣县财政局")
    make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=bureau, password=DEMO_PASSWORD)
    make_user("bianban", Role.BIANBAN_ADMIN, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    draft, report, annex = tmp_path / "送审稿.pdf", tmp_path / "报告.pdf", tmp_path / "附表.xlsx"
    draft.write_bytes(PDF)
    report.write_bytes(PDF + b" report")
    annex.write_bytes(b"PK\x03\x04 annex")

    log_in(page, live_server.url, "bianban")
    open_from_menu(page, "规范性文件审核")
    page.get_by_role("link", name="登记送审稿").click()
    page.get_by_label("文件名称").fill("关于乡镇便民服务中心建设的实施意见（送审稿）")
    page.get_by_label("起草部门", exact=True).fill("县政务服务中心")
    page.get_by_label("送审稿").set_input_files(str(draft))
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_label("条款", exact=True).fill("第七条")
    page.get_by_label("意见", exact=True).select_option(label="修改")
    page.get_by_label("具体意见").fill("机构设置按程序报批。")
    page.get_by_role("button", name="记录", exact=True).click()
    expect(page.get_by_role("cell", name="机构设置按程序报批。")).to_be_visible()
    page.get_by_label("复函文号").fill("锦编函〔2026〕9号")
    page.get_by_role("button", name="复函", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已复函")
    expect(page.get_by_role("link", name="打印审核意见（复函）")).to_be_visible()
    page.screenshot(path=str(SHOTS / "normative-replied.png"), full_page=True)
    assert NormativeReview.objects.get().state == ReviewState.REPLIED

    open_from_menu(page, "机构编制报告")
    page.get_by_role("link", name="布置报告任务").click()
    page.get_by_label("报告名称").fill("2025 年度机构编制执行情况报告")
    page.get_by_label("年度").fill("2025")
    page.get_by_label("报送期限").fill((TODAY + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="布置").click()
    expect(page.locator(".alert-success")).to_contain_text("已向 2 个单位布置报告任务")

    unit = browser.new_page(locale="zh-CN")
    log_in(unit, live_server.url, "jiaoyu")
    open_from_menu(unit, "机构编制报告")
    expect(unit.get_by_role("cell", name="锦绣县财政局")).to_have_count(0)
    unit.get_by_role("link", name="2025 年度机构编制执行情况报告").click()
    unit.get_by_label("报告文件").set_input_files([str(report), str(annex)])
    unit.get_by_role("button", name="报送", exact=True).click()
    expect(unit.locator(".alert-success")).to_be_visible()
    expect(unit.get_by_role("link", name="附表.xlsx")).to_be_visible()

    task = ReportTask.objects.get(unit=bureau)
    page.goto(f"{live_server.url}/matters/reports/{task.pk}/")
    page.get_by_label("退回理由").fill("请补充编制使用情况说明")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()

    unit.reload()
    expect(unit.locator(".alert-info")).to_contain_text("编办已退回：请补充编制使用情况说明")
    unit.get_by_label("报告文件").set_input_files(str(report))
    unit.get_by_role("button", name="报送", exact=True).click()
    expect(unit.locator(".alert-success")).to_be_visible()

    page.reload()
    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("报告已确认")
    page.screenshot(path=str(SHOTS / "report-accepted.png"), full_page=True)
    task.refresh_from_db()
    assert task.state == ReportState.ACCEPTED and task.attachments.count() == 3
