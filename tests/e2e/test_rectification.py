"""In a real Chromium: the ledger's check finds a unit 超编 and opens an item; the 监督检查 office issues the 整改通知书
from the overview; the unit's operator finds it on the to-do list and reports a plan; the office accepts it — each
side sees whose turn it is, and the deadline in working days."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bianzhi.accounts.roles import Role
from bianzhi.core.workdays import add_working_days
from bianzhi.demo.county import DEMO_PASSWORD
from bianzhi.supervision.models import RectificationItem
from bianzhi.supervision.rectification import rectifications_sync
from tests.e2e.test_accessibility import SHOTS, violations
from tests.e2e.test_complaints import step
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user
from tests.roster.support import cut, give_slots, hire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def test_an_excess_found_by_the_ledger_goes_from_notice_to_an_accepted_plan(live_server, browser: Browser):
    bureau = make_unit("锦绣县水利局")
    give_slots(bureau, 3)
    hire(bureau, 3)
    cut(bureau, 1, dt.date(2024, 5, 6), reason="机构调整", confirm_overstaffing=True)
    make_user("jiandu", Role.OVERSIGHT, scope_county=True, password=DEMO_PASSWORD)
    make_user("shuili", Role.UNIT_OPERATOR, scope_unit=bureau, password=DEMO_PASSWORD)
    assert rectifications_sync(today=TODAY) == 1
    SHOTS.mkdir(parents=True, exist_ok=True)

    office = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True).new_page()
    log_in(office, live_server.url, "jiandu")
    office.get_by_role("link", name="监督检查", exact=True).click()
    office.get_by_role("link", name=re.compile("未销号整改事项")).click()
    office.get_by_role("link", name=re.compile("锦绣县水利局行政编制核定 2 名，实有 3 名，超编 1 名")).click()
    step(office, "下达整改通知书", **{"整改期限（工作日）": "20"})
    due = add_working_days(TODAY, 20).due
    expect(office.get_by_role("status").first).to_contain_text(f"整改期限 {due:%Y-%m-%d}")
    assert not violations(office)

    unit = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True).new_page()
    log_in(unit, live_server.url, "shuili")
    unit.locator("#todo tr", has_text="报送整改计划").get_by_role("link").click()
    expect(unit.get_by_role("heading", name=re.compile("整改事项"))).to_contain_text("锦绣县水利局")
    expect(unit.get_by_role("heading", name="核验通过，销号")).to_have_count(0)
    step(unit, "报送整改计划", 整改计划="超编 1 名，明年一季度退休 1 名后消化。")
    expect(unit.locator("h1")).to_contain_text("已报整改计划，待审核")
    expect(unit.locator("#waiting")).to_contain_text("等待监督检查部门审核整改计划")
    unit.screenshot(path=SHOTS / "rectification_unit_plan.png", full_page=True)
    assert not violations(unit)

    office.reload()
    step(office, "同意整改计划")
    item = RectificationItem.objects.get()
    assert (item.state, item.plan) == ("IN_PROGRESS", "超编 1 名，明年一季度退休 1 名后消化。")
