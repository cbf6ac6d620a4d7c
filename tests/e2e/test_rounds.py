"""The annual statistics round in Chromium: the 编办 checks, finalises and sends last year's statistics late, with the
reason; the frozen tables show on the round page, and neither page has a serious accessibility violation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bianzhi.demo.county import DemoSpec, build_demo
from bianzhi.reports.models import RoundState, StatRound
from tests.e2e.test_accessibility import SHOTS, violations
from tests.e2e.test_shell import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_check_finalise_and_send_late(live_server, browser: Browser, settings):
    settings.BIANZHI_STATS_DEADLINE = "01-01"  # of this year: sending today is late (unless today is New Year's Day)
    today = timezone.localdate()
    if (today.month, today.day) == (1, 1):
        pytest.skip("no day after the deadline")
    build_demo(DemoSpec(units=30))
    # axe is injected as an inline script, which the pages' CSP rightly refuses
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    log_in(page, live_server.url, "bianban")
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("reports:stats_index"))
    page.get_by_role("link", name="年度统计报送").click()
    page.get_by_label("统计年度").fill(str(today.year - 1))
    page.get_by_role("button", name="建立（草稿）").click()
    page.get_by_role("button", name="校验").click()
    expect(page.get_by_text("校验通过：T1–T7 的平衡关系全部成立。")).to_be_visible()
    page.get_by_role("button", name="定稿并冻结统计表").click()
    expect(page.get_by_role("heading", name="定稿时冻结的统计表")).to_be_visible()
    page.get_by_role("button", name="逾期报送").click()
    expect(page.get_by_text("reports.round_late_reason")).to_be_visible()
    page.get_by_label("迟报原因").fill("年末机构改革，编制划转批复次年 1 月才印发，台账核对延误。")
    page.get_by_role("button", name="逾期报送").click()
    stat_round = StatRound.objects.get()
    assert stat_round.state == RoundState.SUBMITTED and stat_round.late

    page.get_by_role("link", name="T5", exact=True).click()
    expect(page.get_by_role("heading", name="锦绣县机构编制汇总")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "stat-round.png", full_page=True)
    assert violations(page) == []
    page.goto(live_server.url + reverse("reports:round_list"))
    expect(page.get_by_text("逾期报送")).to_be_visible()
    assert violations(page) == []
