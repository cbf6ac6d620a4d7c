"""In a real Chromium: a citizen files an anonymous 12310 complaint on the public form (answering the system's own
arithmetic question) and gets a tracking code; the 监督检查 staff accept it and assign it, the deadlines show in
working days; after the conclusion the tracking code shows the state and the public reply, nothing else."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bianzhi.accounts.roles import Role
from bianzhi.core.workdays import add_working_days
from bianzhi.demo.county import DEMO_PASSWORD
from tests.e2e.test_accessibility import SHOTS, violations
from tests.e2e.test_shell import log_in
from tests.factories import make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def answer(question: str) -> str:
    a, operation, b = re.match(r"(\d+) (加|减) (\d+)", question).groups()
    return str(int(a) + int(b) if operation == "加" else int(a) - int(b))


def step(page, label: str, **fields) -> None:
    form = page.locator("form.card", has=page.get_by_role("heading", name=label, exact=True))
    for name, value in fields.items():
        field = form.get_by_label(name, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_an_anonymous_complaint_from_the_public_form_to_its_tracked_conclusion(live_server, browser: Browser):
    bureau = make_unit("锦绣县市场监督管理局")
    make_user("jiandu", Role.OVERSIGHT, scope_county=True, password=DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    citizen = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    citizen.goto(live_server.url + "/public/complaints/new/")
    citizen.get_by_label("问题类别").select_option(index=2)
    citizen.get_by_label("被举报单位").fill("锦绣县市场监督管理局")
    citizen.get_by_label("举报内容").fill("该局下属中心长期借用其他单位人员，在编不在岗。")
    citizen.get_by_label(re.compile("验证题")).fill(answer(citizen.locator("#captcha-question").inner_text()))
    assert not violations(citizen)
    citizen.get_by_role("button", name="提交举报").click()
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert len(code) == 12
    citizen.screenshot(path=SHOTS / "complaint_public_done.png", full_page=True)

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True).new_page()
    log_in(staff, live_server.url, "jiandu")
    staff.get_by_role("link", name="监督检查", exact=True).click()
    expect(staff.get_by_role("heading", name=re.compile("监督概览"))).to_be_visible()
    staff.get_by_role("link", name=re.compile("办理中的 12310 举报")).click()
    expect(staff.locator("table")).to_contain_text(code)
    staff.get_by_role("link", name=code).click()
    expect(staff.locator("body")).to_contain_text("在编不在岗")
    expect(staff.get_by_role("status")).to_contain_text(f"拟办期限 {add_working_days(TODAY, 10).due}")
    step(staff, "受理")
    step(staff, "拟办并确定承办单位", 办理方式="自办", 拟办意见="由本办调查核实。")
    assigned = add_working_days(TODAY, 60).due
    expect(staff.get_by_role("status")).to_contain_text(f"办结期限 {assigned}")
    step(staff, "开始调查核实")
    step(
        staff,
        "办结",
        调查结论="部分属实",
        办结意见="已责令整改。",
        **{"公开答复（查询页可见）": "经核查部分属实，已责令整改。"},
    )
    staff.screenshot(path=SHOTS / "complaint_concluded.png", full_page=True)
    assert not violations(staff)

    citizen.goto(live_server.url + "/public/complaints/track/")
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.locator("#track-state")).to_contain_text("已办结")
    body = citizen.locator("body")
    expect(body).to_contain_text("经核查部分属实，已责令整改。")
    expect(body).not_to_contain_text("在编不在岗")  # the description and the handling stay inside
    expect(body).not_to_contain_text("由本办调查核实")
    assert bureau.pk  # the accused unit is in the register
