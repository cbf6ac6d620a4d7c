"""In a real Chromium: a unit operator fills in last year's 年度报告, attaches the balance sheet and sends it; the
登记管理 staff find it in the status list, accept and publish it; the public page shows it without the phone number
typed into it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.core.models import Installation
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.registration.choices import AnnualReportState
from bianzhi.registration.models import ANNUAL_SECTIONS, AnnualReport
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.registration.annual_support import PDF, register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def test_a_report_filled_in_sent_accepted_and_published(live_server, page: Page, browser, tmp_path):
    Installation.objects.create(county_name="锦绣县", region_code="330122")
    year = timezone.localdate().year - 1
    bureau = make_unit("锦绣县教育局")
    register("锦绣县第一中学", bureau)
    register("锦绣县档案馆")
    make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=bureau, password=DEMO_PASSWORD)
    make_user("dengji", Role.REGISTRATION, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    sheet = tmp_path / "资产负债表.pdf"
    sheet.write_bytes(PDF)

    log_in(page, live_server.url, "jiaoyu")
    page.goto(f"{live_server.url}/registration/annual/mine/")
    page.get_by_role("link", name="填写").click()
    for _name, label in ANNUAL_SECTIONS:
        page.get_by_label(str(label), exact=True).fill("无。")
    page.get_by_label("开展业务活动情况", exact=True).fill("完成全年教学任务。联系电话 13912345678。")
    page.get_by_label("年初净资产（万元）").fill("120")
    page.get_by_label("上一年度年末资产负债表（必须）").set_input_files(str(sheet))
    page.get_by_label("登记事项与实际一致（不一致的，须先办理变更登记，再报送年度报告）").check()
    page.screenshot(path=str(SHOTS / "annual_form.png"), full_page=True)
    page.get_by_role("button", name="保存并报送").click()
    expect(page.get_by_text("年度报告已报送")).to_be_visible()
    report = AnnualReport.objects.get(year=year)
    assert report.state == AnnualReportState.SUBMITTED

    page.context.clear_cookies()
    log_in(page, live_server.url, "dengji")
    page.goto(f"{live_server.url}/registration/annual/?year={year}")
    page.screenshot(path=str(SHOTS / "annual_list.png"), full_page=True)
    page.get_by_role("link", name="锦绣县第一中学").click()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_role("button", name="公示", exact=True).click()
    expect(page.get_by_text("年度报告已公示")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/registration/annual-reports/{report.pk}/")
    expect(page.get_by_text("完成全年教学任务")).to_be_visible()
    assert "13912345678" not in page.content()
    page.screenshot(path=str(SHOTS / "annual_public.png"), full_page=True)
