"""In a real Chromium: open T4 for last year, click a number and see the people behind it, then take the table
as .xlsx and find its headers and totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from bianzhi.accounts.roles import Role
from bianzhi.quotas.models import FundingForm
from bianzhi.roster import staffing
from tests.factories import PASSWORD, make_user
from tests.reports.conftest import county  # noqa: F401  (the fixture)
from tests.roster.support import entry_doc, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def test_t4_number_opens_its_people_and_the_workbook_has_the_totals(live_server, page: Page, county, tmp_path):  # noqa: F811
    last_year = timezone.localdate().year - 1
    hired = []
    for index in range(3):
        data = person(f"韩{'甲乙丙'[index]}")
        hired.append(data.name)
        staffing.occupancy_start(
            actor=None,
            data=data,
            slot=staffing.Slot(
                unit=county.primary, quota_type="SY", funding_form=FundingForm.QE, override_reason="补录"
            ),
            start_date=dt.date(last_year, 3, 1),
            entry_mode="GZ",
            document=entry_doc(dt.date(last_year, 3, 1)),
        )
    make_user("tongji", Role.BIANBAN_OPERATOR, scope_county=True)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("tongji")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + "/reports/stats/")
    expect(page.get_by_label("统计年度")).to_have_value(str(last_year))
    page.get_by_role("link", name="事业编制与人员").click()
    expect(page.get_by_role("heading", name="T4 · 事业编制与人员")).to_be_visible()
    expect(page.get_by_text("全部通过")).to_be_visible()
    school = page.locator("tr", has=page.get_by_role("rowheader", name="锦绣县第一小学"))
    page.screenshot(path=SHOTS / "stats_t4.png", full_page=True)
    school.locator("td").nth(1).get_by_role("link").click()  # 事业编制合计 · 实有

    expect(page.get_by_role("heading", name="锦绣县第一小学 · 事业编制合计·实有：3")).to_be_visible()
    expect(page.get_by_text("共 3 条")).to_be_visible()
    for name in hired:
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.screenshot(path=SHOTS / "stats_cell.png", full_page=True)

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "锦绣县事业编制与人员（T4）"
    assert f"截至日期：{last_year}-12-31" in sheet["A2"].value
    assert [sheet.cell(4, c).value for c in range(1, 3)] == ["单位名称", "事业编制合计"]
    assert [sheet.cell(5, c).value for c in range(2, 6)] == ["核定", "实有", "空编", "超编"]
    assert [sheet.cell(6, c).value for c in range(1, 4)] == ["合计", 73, 3]
